/*
 * A form of fields for the TUI's dialogs (the launch form, the limits
 * dialog): text, a choice among words, yes/no. Every key re-checks every
 * field through the owner's check(), so a value is refused as it is typed,
 * with the runtime parsers' own words; submitting is refused while any
 * field is refused, and the first such field takes the focus.
 */
#ifndef NSTOP_UI_FORM_H
#define NSTOP_UI_FORM_H

#include <stdbool.h>
#include <stddef.h>

struct ui_state;

enum ui_field_kind { UI_FIELD_TEXT, UI_FIELD_CHOICE, UI_FIELD_YESNO };

#define UI_FIELD_TEXT_MAX 512

struct ui_field {
	const char *label;
	const char *help;		/* one line, shown while it has the focus */
	enum ui_field_kind kind;
	const char *const *choices;	/* UI_FIELD_CHOICE: NULL-terminated */
	char text[UI_FIELD_TEXT_MAX];	/* UI_FIELD_TEXT */
	int choice;			/* CHOICE: the index; YESNO: 1 yes, 0 no */
	char error[256];		/* why the value is refused; "" when it is not */
};

struct ui_form {
	char title[160];
	const char *submit;		/* the button's word: "Start", "Apply" */
	struct ui_field *fields;
	int nfields;
	int focus;			/* a field, or nfields: the button */
	char note[256];			/* a line for the whole form (a refused submit) */
	/* Writes why field i is refused into msg (size bytes; it arrives
	 * empty) or leaves it empty; it may look at the other fields. */
	void (*check)(struct ui_form *f, int i, char *msg, size_t size);
	void *data;			/* the owner's */
};

enum ui_form_event { UI_FORM_NONE, UI_FORM_SUBMIT, UI_FORM_CANCEL };

/* Re-checks every field; returns how many are refused. */
int ui_form_check(struct ui_form *f);
/*
 * One key (UI_KEY_* or a byte): Tab/Down and Shift-Tab/Up move, Left/Right
 * and Space cycle a choice (y/n set a yes/no), text is edited as
 * ui_edit_key does; Enter goes to the next field and submits on the last
 * one or on the button, ^G submits from anywhere, Esc cancels. A submit
 * with a refused field focuses it and returns UI_FORM_NONE.
 */
enum ui_form_event ui_form_key(struct ui_form *f, int key);
/* Drawn over the area y..y+h of width w. */
void ui_form_draw(struct ui_state *ui, const struct ui_form *f, int y, int h, int w);

#endif
