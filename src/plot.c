/* plot: to be written. */
#include "config.h"

#include "nstop/plot.h"
