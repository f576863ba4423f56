/* One frame of the interactive view: the header, the view tabs, the
 * --view-from line, the table with the detail pane, the open dialog or
 * menu over them, and the status line with its key hints. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ui-impl.h"
#include "ui-keymap.h"
#include "ui-curses.h"

#define UI_MIN_W 80
#define UI_MIN_H 24

static void draw_header(struct ui_state *ui, int w)
{
	const struct snapshot *s = ui->snap;
	char buf[512];

	move(0, 0);
	attron(ui->attr[THEME_HEADER]);
	for (int x = 0; x < w; x++)
		addch(' ');
	snprintf(buf, sizeof(buf), " nstop on %s   cgroups %s   load %.2f %.2f %.2f   every %gs   %s",
		 s->hostname, cg_mode_name(s->layout.mode), s->loadavg[0], s->loadavg[1],
		 s->loadavg[2], ui->interval,
		 s->privileged ? "privileged" : "unprivileged: - is unknown");
	mvaddnstr(0, 0, buf, w);
	attroff(ui->attr[THEME_HEADER]);
	attron(ui->attr[THEME_HEADER_VALUE]);
	snprintf(buf, sizeof(buf), " %zu processes   %zu namespaces   %zu cgroups   %zu tagged%s%s%s%s",
		 s->nprocs, s->nns, s->ncgroups, ui->ntags,
		 ui->filter[0] ? "   filter: " : "", ui->filter,
		 ui->search[0] ? "   search: " : "", ui->search);
	mvaddnstr(1, 0, buf, w);
	attroff(ui->attr[THEME_HEADER_VALUE]);
}

static void draw_tabs(struct ui_state *ui, int y, int w)
{
	static const char *const titles[] = { "Processes", "Namespaces", "Cgroups", "Containers" };
	int x = 0;

	ui->tab_y = y;
	move(y, 0);
	for (int v = 0; v < UI_NVIEWS; v++) {
		int a = v == (int)ui->view ? ui->attr[THEME_TAB_ACTIVE] : ui->attr[THEME_TAB];
		char buf[48];

		ui->tab_x[v] = x;
		/* How many containers there are, seen from every view. */
		if (v == UI_VIEW_CONTAINERS && ui->ncontainers)
			snprintf(buf, sizeof(buf), " %s (%zu) ", titles[v], ui->ncontainers);
		else
			snprintf(buf, sizeof(buf), " %s ", titles[v]);
		attron(a);
		mvaddnstr(y, x, buf, w - x > 0 ? w - x : 0);
		attroff(a);
		x += (int)strlen(buf) + 1;
	}
	ui->tab_x[UI_NVIEWS] = x;
	if (x < w) {
		char hint[96];
		snprintf(hint, sizeof(hint), "%s%s%s%s", ui->tree[ui->view] ? "  tree" : "",
			 ui->paused ? "  PAUSED" : "", ui->hide_kthreads ? "  no kernel threads" : "",
			 ui->user_only ? "  one user" : "");
		mvaddnstr(y, x, hint, w - x);
	}
}

static void draw_view_from(struct ui_state *ui, int y, int w)
{
	const struct snapshot *s = ui->snap;
	const struct scan_proc *p = snapshot_find_proc(s, s->view_from);
	char buf[512];

	snprintf(buf, sizeof(buf),
		 " VIEW FROM PID %d (%s), cgroup namespace %lu: every cgroup path is as it sees them. V or Esc: host view",
		 (int)s->view_from, p ? p->comm : "?", (unsigned long)s->view_cgns);
	ui_bar(y, w, ui->attr[THEME_VIEW_FROM], buf);
}

static void draw_status(struct ui_state *ui, int y, int w)
{
	/* From the key table; where the user is looking at containers, their
	 * actions. */
	const struct ui_action_info *hints[64];
	size_t nhints = ui_actions_in(ui->view == UI_VIEW_CONTAINERS ? UI_IN_CTR_HINTS : UI_IN_HINTS,
				      hints, 64);
	char buf[600];

	move(y, 0);
	attron(ui->attr[THEME_STATUS]);
	for (int x = 0; x < w; x++)
		addch(' ');
	attroff(ui->attr[THEME_STATUS]);
	if (ui->prompt == UI_PROMPT_SEARCH || ui->prompt == UI_PROMPT_FILTER) {
		snprintf(buf, sizeof(buf), "%s: %s_   (Enter: keep, Esc: cancel)",
			 ui->prompt == UI_PROMPT_SEARCH ? "Search" : "Filter", ui->input);
		attron(ui->attr[THEME_STATUS]);
		mvaddnstr(y, 0, buf, w);
		attroff(ui->attr[THEME_STATUS]);
		return;
	}
	if (ui->wait) {
		snprintf(buf, sizeof(buf), "%s... %.1fs (Esc: cancel)", ui->wait->what,
			 ui_now() - ui->wait->started);
		attron(ui->attr[THEME_STATUS]);
		mvaddnstr(y, 0, buf, w);
		attroff(ui->attr[THEME_STATUS]);
		return;
	}
	if (ui->status[0] && ui_now() < ui->status_until) {
		attron(ui->attr[ui->status_elem]);
		mvaddnstr(y, 0, ui->status, w);
		attroff(ui->attr[ui->status_elem]);
		return;
	}
	move(y, 0);
	for (size_t i = 0; i < nhints; i++) {
		int x = getcurx(stdscr);
		char key[16];
		int need;

		ui_key_name(ui_action_key(hints[i]->action), key, sizeof(key));
		need = (int)(strlen(key) + strlen(hints[i]->label)) + 1;
		if (x + need >= w)
			break;
		attron(ui->attr[THEME_KEY]);
		addstr(key);
		attroff(ui->attr[THEME_KEY]);
		attron(ui->attr[THEME_STATUS]);
		addstr(hints[i]->label);
		addch(' ');
		attroff(ui->attr[THEME_STATUS]);
	}
}

void ui_draw(struct ui_state *ui)
{
	int h = LINES, w = COLS, y = 3, th;

	erase();
	ui->small = h < UI_MIN_H || w < UI_MIN_W;
	if (ui->small) {
		mvprintw(0, 0, "nstop needs a terminal of at least %dx%d;", UI_MIN_W, UI_MIN_H);
		mvprintw(1, 0, "this one is %dx%d. Enlarge it, or press q to quit.", w, h);
		refresh();
		return;
	}
	if (ui->help) {
		ui_draw_help(ui, h - 1, w);
		draw_status(ui, h - 1, w);
		refresh();
		return;
	}
	/* #: htop's meters hidden; the tabs go up to the top line. */
	y = ui->no_meters ? 1 : 3;
	if (!ui->no_meters)
		draw_header(ui, w);
	draw_tabs(ui, y - 1, w);
	if (ui->view_from && ui->snap->view_from) {
		draw_view_from(ui, y, w);
		y++;
	}
	th = h - 1 - y;
	if (ui->detail) {
		int dh = th / 2 < 10 ? 10 : th / 2;
		if (dh > th - 4)
			dh = th - 4;
		ui_draw_table(ui, y, th - dh, w);
		ui_draw_detail(ui, y + th - dh, dh, w);
	} else {
		ui_draw_table(ui, y, th, w);
	}
	if (ui->modal) {
		/* On a cleared area: the table showing through at the sides of
		 * a dialog reads as part of it. */
		for (int r = y; r < y + th; r++) {
			move(r, 0);
			clrtoeol();
		}
		ui->modal->draw(ui, y, th, w);
	}
	draw_status(ui, h - 1, w);
	refresh();
}
