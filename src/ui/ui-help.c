/* The help screen: the key map's bindings, then how the views read. */
#include "config.h"

#include <stdio.h>

#include "ui-impl.h"
#include "ui-keymap.h"
#include "ui-curses.h"

static const char *const help_tail[] = {
	"",
	"Views: Processes, Namespaces (Right or + expands a namespace to its processes;",
	"user and pid namespaces nest under their parents in tree mode; d on a net",
	"namespace shows its interfaces and where each veth's peer is), Cgroups",
	"(every hierarchy's tree) and Containers (the ones nstop run made).",
	"",
	"htop's keys do what htop does; nstop's own actions (Run, Freeze, Limits, Move,",
	"Exec, Log, Remove, Nsenter) are on keys htop leaves free, and each change",
	"asks first. Alt-letter is one key (none is bound).",
	"",
	"View from: select a process and press v. Every cgroup path on screen becomes",
	"what that process's cgroup namespace shows (/, /.., /../sub); V or Esc goes",
	"back to the host's view.",
	"",
	"Mouse: a click selects a row, on a column title sorts by it (again: inverts),",
	"on a tab switches the view; the wheel scrolls.",
	"",
	"A value shown as - is one the kernel did not give (not zero).",
	"Settings: F2 or S, the setup screen; it saves them to the config file",
	"after asking (see nstop(1)).",
};

/* The lines of the help screen: one per action, from the key map itself,
 * so a key cannot be bound without appearing here. */
static int help_lines(void)
{
	return 2 + (int)ui_nactions + (int)(sizeof(help_tail) / sizeof(help_tail[0]));
}

static void help_line(struct ui_state *ui, int i, int y, int w)
{
	char keys[128];

	if (i == 0) {
		attron(ui->attr[THEME_HEADER]);
		mvaddnstr(y, 0, "nstop help (Up/Down/PgUp/PgDn scroll, q or F10 quits, any other key returns)", w);
		attroff(ui->attr[THEME_HEADER]);
		return;
	}
	if (i == 1)
		return;
	i -= 2;
	if (i < (int)ui_nactions) {
		ui_action_keys(ui_actions[i].action, keys, sizeof(keys));
		attron(ui->attr[THEME_KEY]);
		mvaddnstr(y, 1, keys, w - 1);
		attroff(ui->attr[THEME_KEY]);
		if (w > 20)
			mvaddnstr(y, 20, ui_actions[i].help, w - 20);
		return;
	}
	i -= (int)ui_nactions;
	mvaddnstr(y, 1, help_tail[i], w - 1);
}

void ui_draw_help(struct ui_state *ui, int h, int w)
{
	int n = help_lines();

	if (ui->help_top > n - h)
		ui->help_top = n - h;
	if (ui->help_top < 0)
		ui->help_top = 0;
	for (int y = 0; y < h && ui->help_top + y < n; y++)
		help_line(ui, ui->help_top + y, y, w);
}
