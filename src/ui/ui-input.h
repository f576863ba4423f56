/* Escape sequences whose rest came after ESCDELAY (ui-input.c). */
#ifndef NSTOP_UI_INPUT_H
#define NSTOP_UI_INPUT_H

#include <stdbool.h>

/* Esc was read alone: a '[' soon after may be the rest of its sequence. */
void ui_input_lone_esc(void);
/* After Esc and INTRO ('[' or 'O') read together: reads the sequence's
 * rest and pushes back the click or key it meant; false when none came. */
bool ui_input_late_seq(int intro);
/* Every key but Esc: true when it is the '[' of a sequence split after its
 * lone Esc (the first key, within a second, with more bytes there at once),
 * read and pushed back as above; false when CH is a key of its own. */
bool ui_input_after_esc(int ch);

#endif
