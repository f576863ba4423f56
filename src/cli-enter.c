/* nstop enter PID: a command in any process's namespaces. (Being written.) */
#include "config.h"
