/* A form of fields for the TUI's dialogs. (Being written.) */
#ifndef NSTOP_UI_FORM_H
#define NSTOP_UI_FORM_H
#endif
