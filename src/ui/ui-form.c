/* A form of fields for the TUI's dialogs; see ui-form.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ui-form.h"
#include "ui-impl.h"
#include "ui-keymap.h"
#include "ui-curses.h"

#define FORM_LABEL_W 13
#define FORM_KEY_SUBMIT ('g' & 0x1f)	/* ^G: ^S would stop a terminal's output */

int ui_form_check(struct ui_form *f)
{
	int bad = 0;

	for (int i = 0; i < f->nfields; i++) {
		struct ui_field *fl = &f->fields[i];

		fl->error[0] = '\0';
		f->check(f, i, fl->error, sizeof(fl->error));
		if (fl->error[0])
			bad++;
	}
	return bad;
}

static int nchoices(const struct ui_field *fl)
{
	int n = 0;

	if (fl->kind == UI_FIELD_YESNO)
		return 2;
	while (fl->choices[n])
		n++;
	return n;
}

static enum ui_form_event form_submit(struct ui_form *f)
{
	int bad = ui_form_check(f);

	if (!bad)
		return UI_FORM_SUBMIT;
	for (int i = 0; i < f->nfields; i++)
		if (f->fields[i].error[0]) {
			f->focus = i;
			break;
		}
	snprintf(f->note, sizeof(f->note), "Cannot %s: %d field%s refused (in red); fix %s first",
		 f->submit, bad, bad == 1 ? " is" : "s are", bad == 1 ? "it" : "them");
	return UI_FORM_NONE;
}

enum ui_form_event ui_form_key(struct ui_form *f, int key)
{
	int n = f->nfields + 1;	/* the fields and the button */
	struct ui_field *fl = f->focus < f->nfields ? &f->fields[f->focus] : NULL;

	f->note[0] = '\0';
	switch (key) {
	case UI_KEY_ESC:
		return UI_FORM_CANCEL;
	case FORM_KEY_SUBMIT:
		return form_submit(f);
	case UI_KEY_ENTER:
		if (f->focus >= f->nfields - 1)
			return form_submit(f);
		f->focus++;
		return UI_FORM_NONE;
	case '\t':
	case UI_KEY_DOWN:
		f->focus = (f->focus + 1) % n;
		return UI_FORM_NONE;
	case UI_KEY_BTAB:
	case UI_KEY_UP:
		f->focus = (f->focus + n - 1) % n;
		return UI_FORM_NONE;
	case UI_KEY_HOME:
		f->focus = 0;
		return UI_FORM_NONE;
	case UI_KEY_END:
		f->focus = f->nfields;
		return UI_FORM_NONE;
	}
	if (!fl)
		return key == ' ' ? form_submit(f) : UI_FORM_NONE;
	if (fl->kind == UI_FIELD_TEXT) {
		if (!ui_edit_key(fl->text, sizeof(fl->text), key))
			return UI_FORM_NONE;
	} else if (key == UI_KEY_RIGHT || key == ' ') {
		fl->choice = (fl->choice + 1) % nchoices(fl);
	} else if (key == UI_KEY_LEFT) {
		fl->choice = (fl->choice + nchoices(fl) - 1) % nchoices(fl);
	} else if (fl->kind == UI_FIELD_YESNO && (key == 'y' || key == 'n')) {
		fl->choice = key == 'y';
	} else {
		return UI_FORM_NONE;
	}
	ui_form_check(f);
	return UI_FORM_NONE;
}

static void fill(struct ui_state *ui, int elem, int y, int x, int w)
{
	attron(ui->attr[elem]);
	mvprintw(y, x, "%*s", w, "");
	attroff(ui->attr[elem]);
}

static void put(struct ui_state *ui, int elem, int y, int x, int w, const char *s)
{
	if (w <= 0)
		return;
	attron(ui->attr[elem]);
	mvaddnstr(y, x, s, w);
	attroff(ui->attr[elem]);
}

/* A text field's value in w columns: its end (where one types) when it is
 * longer, and a cursor when it has the focus. */
static void draw_text(struct ui_state *ui, const struct ui_field *fl, bool focus,
		      int y, int x, int w)
{
	size_t len = strlen(fl->text), room = (size_t)(w > 2 ? w - 2 : 1);
	const char *s = len > room ? fl->text + len - room : fl->text;
	char buf[UI_FIELD_TEXT_MAX + 4];

	snprintf(buf, sizeof(buf), "%s%s", s, focus ? "_" : "");
	fill(ui, focus ? THEME_SELECTED : THEME_TAB, y, x, w);
	put(ui, focus ? THEME_SELECTED : THEME_TAB, y, x, w, buf);
}

/* Every word of a choice, the chosen one in brackets (and highlighted
 * while the field has the focus). */
static void draw_choice(struct ui_state *ui, const struct ui_field *fl, bool focus,
			int y, int x, int w)
{
	static const char *const yesno[] = { "no", "yes", NULL };
	const char *const *c = fl->kind == UI_FIELD_YESNO ? yesno : fl->choices;
	int cx = x;

	for (int i = 0; c[i] && cx < x + w; i++) {
		char buf[64];
		bool on = i == fl->choice;

		snprintf(buf, sizeof(buf), on ? "[%s]" : " %s ", c[i]);
		put(ui, on && focus ? THEME_SELECTED : on ? THEME_KEY : THEME_NORMAL, y, cx,
		    x + w - cx, buf);
		cx += (int)strlen(buf) + 1;
	}
}

void ui_form_draw(struct ui_state *ui, const struct ui_form *f, int y, int h, int w)
{
	int bw = w - 4 < 110 ? w - 4 : 110, x = (w - bw) / 2;
	int vw = bw * 2 / 5, ex = x + 1 + FORM_LABEL_W + 1 + vw + 2, ew = x + bw - ex;
	const struct ui_field *focused = f->focus < f->nfields ? &f->fields[f->focus] : NULL;
	int row, bottom;
	char buf[512];

	/* as tall as the form needs: the table stays in sight below it */
	if (h > f->nfields + 9)
		h = f->nfields + 9;
	row = y;
	bottom = y + h - 1;

	/* the frame: a title, the fields, the button, then three lines of
	 * what is wrong, what the field is, and the keys */
	for (int i = 0; i < h; i++)
		fill(ui, THEME_NORMAL, y + i, x, bw);
	fill(ui, THEME_HEADER, row, x, bw);
	put(ui, THEME_HEADER, row++, x + 1, bw - 1, f->title);
	row++;
	for (int i = 0; i < f->nfields && row < bottom - 4; i++, row++) {
		const struct ui_field *fl = &f->fields[i];
		bool focus = i == f->focus;

		snprintf(buf, sizeof(buf), "%-*s", FORM_LABEL_W, fl->label);
		put(ui, focus ? THEME_KEY : THEME_NORMAL, row, x + 1, FORM_LABEL_W, buf);
		if (fl->kind == UI_FIELD_TEXT)
			draw_text(ui, fl, focus, row, x + 1 + FORM_LABEL_W + 1, vw);
		else	/* every word in sight, past the text fields' width if need be */
			draw_choice(ui, fl, focus, row, x + 1 + FORM_LABEL_W + 1,
				    fl->error[0] ? vw : bw - FORM_LABEL_W - 2);
		if (fl->error[0])
			put(ui, THEME_ERROR, row, ex, ew, fl->error);
	}
	row++;
	snprintf(buf, sizeof(buf), "[ %s ]", f->submit);
	put(ui, f->focus == f->nfields ? THEME_SELECTED : THEME_KEY, row,
	    x + 1 + FORM_LABEL_W + 1, bw, buf);

	/* the focused field's refusal in full: next to it, it may be cut */
	if (f->note[0])
		put(ui, THEME_ERROR, bottom - 3, x + 1, bw - 1, f->note);
	if (focused && focused->error[0])
		put(ui, THEME_ERROR, bottom - 2, x + 1, bw - 1, focused->error);
	if (focused) {
		put(ui, THEME_NORMAL, bottom - 1, x + 1, bw - 1, focused->help);
	} else {
		snprintf(buf, sizeof(buf), "Enter or Space: %s", f->submit);
		put(ui, THEME_NORMAL, bottom - 1, x + 1, bw - 1, buf);
	}
	/* how to submit and how to leave first: at 80 columns the end is cut */
	snprintf(buf, sizeof(buf),
		 " ^G: %s  Esc: cancel  Tab/Up/Down: field  Left/Right/Space: choose  Enter: next (on the last: %s)",
		 f->submit, f->submit);
	fill(ui, THEME_STATUS, bottom, x, bw);
	put(ui, THEME_STATUS, bottom, x, bw, buf);
}
