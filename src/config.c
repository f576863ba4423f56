/* config: to be written. */
#include "config.h"

#include "nstop/config.h"
