/* A detached container's log, followed: the last lines of its file in a
 * ring, read on as it grows, scrolled like less. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nstop/runtime.h"
#include "ui-impl.h"
#include "ui-keymap.h"
#include "ui-curses.h"

#define ACT_LOG_LINES 10000	/* the log viewer keeps the last this many lines */
#define ACT_LOG_LINE_MAX 1024	/* longer lines are cut there */
#define ACT_LOG_TAIL (4 << 20)	/* more unread than this: only its last 4 MiB */

struct act_log {
	char name[RT_NAME_MAX + 1];
	char path[RT_PATH_MAX];
	int fd;
	off_t pos;
	/* The last ACT_LOG_LINES lines, a ring from first. */
	char **lines;
	size_t first, n;
	size_t dropped;		/* lines that went out of the ring, in total */
	bool skipped;		/* a part of the file was never read */
	char part[ACT_LOG_LINE_MAX + 1];	/* the line being written */
	size_t plen;
	size_t top;		/* the first line shown, 0 being the oldest kept */
	bool follow;
	int page;		/* the lines shown, from the last draw */
	char error[160];
};

static const char *log_line(const struct act_log *l, size_t i)
{
	return l->lines[(l->first + i) % ACT_LOG_LINES];
}

static void log_push(struct act_log *l)
{
	char *s = strndup(l->part, l->plen);
	size_t at;

	l->plen = 0;
	if (!s)
		return;
	if (l->n == ACT_LOG_LINES) {
		free(l->lines[l->first]);
		l->lines[l->first] = s;
		l->first = (l->first + 1) % ACT_LOG_LINES;
		l->dropped++;
		/* What the user reads stays in place while older lines go. */
		if (l->top)
			l->top--;
		return;
	}
	at = (l->first + l->n) % ACT_LOG_LINES;
	l->lines[at] = s;
	l->n++;
}

static void log_feed(struct act_log *l, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			log_push(l);
			continue;
		}
		if (l->plen == ACT_LOG_LINE_MAX)
			continue;	/* the rest of a very long line */
		/* Control bytes would move the cursor: shown as '?'. */
		l->part[l->plen++] = (unsigned char)buf[i] < 0x20 && buf[i] != '\t' ? '?' : buf[i];
	}
}

/* Reads what was written since the last look, bounded. */
static void log_read(struct act_log *l)
{
	char buf[65536];
	struct stat st;
	size_t total = 0;

	if (l->fd < 0)
		return;
	if (fstat(l->fd, &st) == 0) {
		/* A log truncated under us starts again from its top. */
		if (st.st_size < l->pos) {
			l->pos = 0;
			l->plen = 0;
		}
		/* Far behind (a huge log, a fast writer): only its end matters,
		 * from the start of a line, and memory and time stay bounded. */
		if (st.st_size - l->pos > ACT_LOG_TAIL) {
			char c;

			l->pos = st.st_size - ACT_LOG_TAIL;
			while (pread(l->fd, &c, 1, l->pos) == 1 && c != '\n')
				l->pos++;
			l->pos++;
			l->plen = 0;
			l->skipped = true;
		}
	}
	while (total < ACT_LOG_TAIL) {
		ssize_t r = pread(l->fd, buf, sizeof(buf), l->pos);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(l->error, sizeof(l->error), "reading %.100s: %s", l->path,
				 strerror(errno));
			return;
		}
		if (r == 0)
			break;
		log_feed(l, buf, (size_t)r);
		l->pos += r;
		total += (size_t)r;
	}
}

static void log_close(struct ui_state *ui)
{
	struct act_log *l = ui->modal_data;

	if (!l)
		return;
	if (l->fd >= 0)
		close(l->fd);
	for (size_t i = 0; i < l->n; i++)
		free(l->lines[(l->first + i) % ACT_LOG_LINES]);
	free(l->lines);
	free(l);
}

/* The last top that still fills the page. */
static size_t log_bottom(const struct act_log *l)
{
	size_t shown = l->n + (l->plen ? 1 : 0);
	size_t page = l->page > 0 ? (size_t)l->page : 1;

	return shown > page ? shown - page : 0;
}

static void log_key(struct ui_state *ui, int key)
{
	struct act_log *l = ui->modal_data;
	size_t page = l->page > 1 ? (size_t)l->page - 1 : 1, bottom = log_bottom(l);

	if (l->follow)
		l->top = bottom;
	switch (key) {
	case UI_KEY_ESC:
	case 'q':
		ui_modal_close(ui);
		return;
	case UI_KEY_UP:
	case 'k':
		l->follow = false;
		if (l->top)
			l->top--;
		break;
	case UI_KEY_DOWN:
	case 'j':
		l->follow = false;
		if (l->top < bottom)
			l->top++;
		break;
	case UI_KEY_PGUP:
	case 'b':
		l->follow = false;
		l->top = l->top > page ? l->top - page : 0;
		break;
	case UI_KEY_PGDN:
	case ' ':
		l->follow = false;
		l->top = l->top + page < bottom ? l->top + page : bottom;
		break;
	case UI_KEY_HOME:
	case 'g':
		l->follow = false;
		l->top = 0;
		break;
	case UI_KEY_END:
	case 'G':
	case 'F':
	case 'f':
		l->follow = true;
		break;
	}
}

static void log_draw(struct ui_state *ui, int y, int h, int w)
{
	struct act_log *l = ui->modal_data;
	size_t shown, top;
	char title[256];

	log_read(l);
	l->page = h - 2 > 1 ? h - 2 : 1;
	shown = l->n + (l->plen ? 1 : 0);
	if (l->follow || l->top > log_bottom(l))
		l->top = log_bottom(l);
	top = l->top;
	attron(ui->attr[THEME_NORMAL]);
	for (int r = 0; r < h; r++)
		mvprintw(y + r, 0, "%*s", w, "");
	attroff(ui->attr[THEME_NORMAL]);
	const struct eng_ctr *c = ui_container_find(ui, l->name);
	if (c && eng_ctr_exit_code(c) >= 0)	/* nothing more will come */
		snprintf(title, sizeof(title), " Log of %s: it exited %d; %zu lines%s", l->name,
			 eng_ctr_exit_code(c), shown, l->dropped || l->skipped ? " (older ones dropped)" : "");
	else if (l->follow)
		snprintf(title, sizeof(title), " Log of %s: following, %zu lines%s", l->name,
			 shown, l->dropped || l->skipped ? " (older ones dropped)" : "");
	else
		snprintf(title, sizeof(title), " Log of %s: lines %zu-%zu of %zu%s", l->name,
			 shown ? top + 1 + l->dropped : 0,
			 top + (size_t)l->page < shown ? top + (size_t)l->page + l->dropped :
							  shown + l->dropped,
			 shown + l->dropped, l->dropped || l->skipped ? " (older ones dropped)" : "");
	attron(ui->attr[THEME_HEADER]);
	mvprintw(y, 0, "%-*.*s", w, w, title);
	attroff(ui->attr[THEME_HEADER]);
	attron(ui->attr[THEME_NORMAL]);
	if (!shown)
		mvaddnstr(y + 1, 1, "(the log is empty so far)", w - 1);
	for (int r = 0; r < l->page && top + (size_t)r < shown; r++) {
		size_t i = top + (size_t)r;

		if (i < l->n)
			mvaddnstr(y + 1 + r, 0, log_line(l, i), w);
		else
			mvaddnstr(y + 1 + r, 0, l->part, (int)l->plen < w ? (int)l->plen : w);
	}
	attroff(ui->attr[THEME_NORMAL]);
	attron(ui->attr[l->error[0] ? THEME_ERROR : THEME_STATUS]);
	mvprintw(y + h - 1, 0, "%-*.*s", w, w, l->error[0] ? l->error :
		 " Up/Down PgUp/PgDn Home: scroll   End or F: follow   q or Esc: close");
	attroff(ui->attr[l->error[0] ? THEME_ERROR : THEME_STATUS]);
}

static const struct ui_modal act_log_modal = {
	.name = "log", .key = log_key, .draw = log_draw, .close = log_close,
};

void ui_act_log(struct ui_state *ui)
{
	char name[RT_NAME_MAX + 1];
	struct rt_state st;
	struct nst_err err;
	struct act_log *l;

	if (!ui_container_pick(ui, "Log", name, NULL))
		return;
	nst_err_clear(&err);
	if (rt_state_load(&ui->rt, name, &st, &err) < 0) {
		ui_message(ui, THEME_ERROR, "Log of %s: %s", name, err.msg);
		return;
	}
	if (!st.detached) {
		ui_message(ui, THEME_ERROR,
			   "%s ran in the foreground: its output went to its terminal, there is no log",
			   name);
		return;
	}
	if (!(l = calloc(1, sizeof(*l))) || !(l->lines = calloc(ACT_LOG_LINES, sizeof(char *)))) {
		free(l);
		ui_message(ui, THEME_ERROR, "%s", strerror(ENOMEM));
		return;
	}
	snprintf(l->name, sizeof(l->name), "%s", name);
	snprintf(l->path, sizeof(l->path), "%s/%s/log", ui->rt.state_dir, name);
	l->follow = true;
	l->fd = open(l->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (l->fd < 0) {
		ui_message(ui, THEME_ERROR, "%s has no log: %s: %s", name, l->path, strerror(errno));
		free(l->lines);
		free(l);
		return;
	}
	ui_modal_open(ui, &act_log_modal, l);
}
