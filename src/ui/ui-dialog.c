/*
 * The dialogs' toolkit, below every dialog and above the frame: a cleared
 * box over the table, a pane's title bar, a pick list and a y/n question
 * (ui_modals). A dialog builds on these and on the frame, never on another
 * dialog.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui-impl.h"
#include "ui-keymap.h"
#include "ui-curses.h"

void ui_box(struct ui_state *ui, int y, int h, int w, int bw, int bh, int *by, int *bx)
{
	if (bw > w)
		bw = w;
	if (bh > h)
		bh = h;
	*bx = (w - bw) / 2;
	*by = y + (h - bh) / 3;
	attron(ui->attr[THEME_NORMAL]);
	for (int r = 0; r < bh; r++)
		mvprintw(*by + r, *bx, "%*s", bw, "");
	attroff(ui->attr[THEME_NORMAL]);
}

void ui_box_line(struct ui_state *ui, int y, int bx, int bw, int elem, const char *text)
{
	attron(ui->attr[elem]);
	mvprintw(y, bx, " %-*.*s", bw - 1, bw - 1, text);
	attroff(ui->attr[elem]);
}

/* ---- the pick list ---------------------------------------------------------- */

static void pick_key(struct ui_state *ui, int key)
{
	struct ui_pick *p = ui->modal_data;
	void (*done)(struct ui_state *, long);
	long val;

	switch (key) {
	case UI_KEY_ESC: case 'q':
		ui_modal_close(ui);
		return;
	case UI_KEY_UP: if (p->sel > 0) p->sel--; return;
	case UI_KEY_DOWN: if (p->sel + 1 < p->n) p->sel++; return;
	case UI_KEY_HOME: p->sel = 0; return;
	case UI_KEY_END: p->sel = p->n - 1; return;
	case UI_KEY_PGUP: p->sel = p->sel > 10 ? p->sel - 10 : 0; return;
	case UI_KEY_PGDN: p->sel = p->sel + 10 < p->n ? p->sel + 10 : p->n - 1; return;
	case UI_KEY_ENTER:
	case ' ':
		if (!p->n)
			return;
		done = p->done;
		val = p->val[p->sel];
		ui_modal_close(ui);
		done(ui, val);
		return;
	}
	/* A letter: the next item starting with it, as in htop's lists. */
	if (key > 0x20 && key < 0x7f)
		for (int k = 1; k <= p->n; k++) {
			int i = (p->sel + k) % p->n;
			if (tolower((unsigned char)p->label[i][0]) == tolower(key)) {
				p->sel = i;
				return;
			}
		}
}

static void pick_draw(struct ui_state *ui, int y, int h, int w)
{
	const struct ui_pick *p = ui->modal_data;
	int bw = 40, by, bx, rows = p->n, top = 0;

	if ((int)strlen(p->title) + 4 > bw)
		bw = (int)strlen(p->title) + 4;
	if (rows > h - 2)
		rows = h - 2 > 1 ? h - 2 : 1;
	if (p->sel >= rows)
		top = p->sel - rows + 1;
	ui_box(ui, y, h, w, bw, rows + 2, &by, &bx);
	bw = bw > w ? w : bw;
	ui_box_line(ui, by, bx, bw, THEME_HEADER, p->title);
	for (int r = 0; r < rows && top + r < p->n; r++) {
		int a = top + r == p->sel ? ui->attr[THEME_SELECTED] : ui->attr[THEME_NORMAL];
		attron(a);
		mvprintw(by + 1 + r, bx, "  %-*.*s", bw - 2, bw - 2, p->label[top + r]);
		attroff(a);
	}
	ui_box_line(ui, by + 1 + rows, bx, bw, THEME_STATUS, "Up/Down, Enter: choose, Esc: cancel");
}

static void pick_close(struct ui_state *ui)
{
	free(ui->modal_data);
}

static const struct ui_modal pick_modal = {
	.name = "pick", .key = pick_key, .draw = pick_draw, .close = pick_close,
};

struct ui_pick *ui_pick_new(struct ui_state *ui, const char *title,
			    void (*done)(struct ui_state *, long))
{
	struct ui_pick *p = calloc(1, sizeof(*p));

	if (!p) {
		ui_message(ui, THEME_ERROR, "%s", strerror(ENOMEM));
		return NULL;
	}
	snprintf(p->title, sizeof(p->title), "%s", title);
	p->done = done;
	return p;
}

void ui_pick_add(struct ui_pick *p, long val, const char *label)
{
	if (p->n >= UI_PICK_MAX)
		return;
	snprintf(p->label[p->n], sizeof(p->label[0]), "%.*s", (int)sizeof(p->label[0]) - 1, label);
	p->val[p->n++] = val;
}

void ui_pick_open(struct ui_state *ui, struct ui_pick *p)
{
	ui_modal_open(ui, &pick_modal, p);
}

/* ---- the y/n question ---------------------------------------------------------- */

struct ui_confirm {
	char title[96];
	char question[256];
	char no[96];		/* said when the answer is no */
	void (*yes)(struct ui_state *ui, void *arg);
	void *arg;		/* free()d when the question closes */
};

static void confirm_key(struct ui_state *ui, int key)
{
	struct ui_confirm *c = ui->modal_data;

	if (key == 'y' || key == 'Y') {
		void (*yes)(struct ui_state *, void *) = c->yes;
		void *arg = c->arg;

		c->arg = NULL;
		ui_modal_close(ui);
		yes(ui, arg);
		free(arg);
		return;
	}
	if (key == 'n' || key == 'N' || key == UI_KEY_ESC || key == 'q') {
		char no[96];

		snprintf(no, sizeof(no), "%s", c->no);
		ui_modal_close(ui);
		ui_message(ui, THEME_STATUS, "%s", no);
	}
}

static void confirm_draw(struct ui_state *ui, int y, int h, int w)
{
	const struct ui_confirm *c = ui->modal_data;
	int bw = (int)strlen(c->question) + 4, by, bx;

	if (bw < 50)
		bw = 50;
	ui_box(ui, y, h, w, bw, 3, &by, &bx);
	bw = bw > w ? w : bw;
	ui_box_line(ui, by, bx, bw, THEME_HEADER, c->title);
	ui_box_line(ui, by + 1, bx, bw, THEME_ERROR, c->question);
	ui_box_line(ui, by + 2, bx, bw, THEME_STATUS, "y: yes   n or Esc: no");
}

static void confirm_close(struct ui_state *ui)
{
	struct ui_confirm *c = ui->modal_data;

	free(c->arg);
	free(c);
}

static const struct ui_modal confirm_modal = {
	.name = "confirm", .key = confirm_key, .draw = confirm_draw, .close = confirm_close,
};

void ui_confirm(struct ui_state *ui, const char *title, const char *question, const char *no,
		void (*yes)(struct ui_state *ui, void *arg), void *arg)
{
	struct ui_confirm *c = calloc(1, sizeof(*c));

	if (!c) {
		free(arg);
		ui_message(ui, THEME_ERROR, "%s", strerror(ENOMEM));
		return;
	}
	snprintf(c->title, sizeof(c->title), "%s", title);
	snprintf(c->question, sizeof(c->question), "%s", question);
	snprintf(c->no, sizeof(c->no), "%s", no ? no : "Nothing done");
	c->yes = yes;
	c->arg = arg;
	ui_modal_open(ui, &confirm_modal, c);
}

/* Row y, w columns wide, filled in attribute attr with text at its left. */
void ui_bar(int y, int w, int attr, const char *text)
{
	move(y, 0);
	attron(attr);
	for (int x = 0; x < w; x++)
		addch(' ');
	mvaddnstr(y, 0, text, w);
	attroff(attr);
}

/* A pane's title bar, in the column titles' colours, for the detail pane
 * and the panes it hands a row to (ui-nsnet.c). */
void ui_detail_title(struct ui_state *ui, int y, int w, const char *title)
{
	ui_bar(y, w, ui->attr[THEME_COLUMNS], title);
}
