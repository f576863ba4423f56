/* A form of fields for the TUI's dialogs. (Being written.) */
#include "config.h"

#include "ui-form.h"
