/* theme: to be written. */
#include "config.h"

#include "nstop/theme.h"
