/* rt-security: to be written. */
#include "config.h"

#include "rt-internal.h"
