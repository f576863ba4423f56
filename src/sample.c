/* sample: to be written. */
#include "config.h"

#include "nstop/sample.h"
