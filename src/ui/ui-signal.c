/* The signal menu (F9, k): a signal picked from the list, a y/n question,
 * then kill() to the selection, the tagged processes, or a container. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "ui-impl.h"
#include "ui-keymap.h"

static const struct {
	int sig;
	const char *name;
} ui_signals[] = {
	{ SIGTERM, "TERM" }, { SIGKILL, "KILL" }, { SIGINT, "INT" }, { SIGHUP, "HUP" },
	{ SIGQUIT, "QUIT" }, { SIGSTOP, "STOP" }, { SIGCONT, "CONT" },
	{ SIGUSR1, "USR1" }, { SIGUSR2, "USR2" },
};
#define UI_NSIGNALS ((int)(sizeof(ui_signals) / sizeof(ui_signals[0])))

static void draw_signal_menu(struct ui_state *ui, int y, int w)
{
	const struct scan_proc *p = ui_selected_proc(ui);
	char buf[128];
	int bw = 40, x = w > bw ? (w - bw) / 2 : 0;

	attron(ui->attr[THEME_HEADER]);
	if (ui_selected_container(ui) && !ui->ntags)
		snprintf(buf, sizeof(buf), " Signal to container %.20s ",
			 ui_selected_container(ui)->name);
	else if (ui->ntags)
		snprintf(buf, sizeof(buf), " Signal to %zu tagged processes ", ui->ntags);
	else
		snprintf(buf, sizeof(buf), " Signal to PID %d (%.15s) ", p ? (int)p->pid : 0,
			 p ? p->comm : "?");
	mvprintw(y, x, "%-*s", bw, buf);
	attroff(ui->attr[THEME_HEADER]);
	for (int i = 0; i < UI_NSIGNALS; i++) {
		int a = i == ui->signal_sel ? ui->attr[THEME_SELECTED] : ui->attr[THEME_NORMAL];
		attron(a);
		mvprintw(y + 1 + i, x, " %2d SIG%-*s", ui_signals[i].sig, bw - 7, ui_signals[i].name);
		attroff(a);
	}
	attron(ui->attr[THEME_STATUS]);
	mvprintw(y + 1 + UI_NSIGNALS, x, "%-*s", bw, " Up/Down, Enter: choose, Esc: cancel");
	attroff(ui->attr[THEME_STATUS]);
}

/* The signal menu over the table, or the question before the signal goes. */
void ui_signal_draw(struct ui_state *ui, int y, int w)
{
	if (ui->prompt == UI_PROMPT_SIGNAL)
		draw_signal_menu(ui, y, w);
	if (ui->prompt == UI_PROMPT_CONFIRM) {
		const struct scan_proc *p = ui_selected_proc(ui);
		const struct eng_ctr *c = ui_selected_container(ui);
		if (c && !ui->ntags)
			ui_message(ui, THEME_ERROR, "Send SIG%s to container %s? y/n",
				   ui_signals[ui->signal_chosen].name, ui_ctr_name(c));
		else if (ui->ntags)
			ui_message(ui, THEME_ERROR, "Send SIG%s to %zu tagged processes? y/n",
				   ui_signals[ui->signal_chosen].name, ui->ntags);
		else
			ui_message(ui, THEME_ERROR, "Send SIG%s to PID %d (%s)? y/n",
				   ui_signals[ui->signal_chosen].name, p ? (int)p->pid : 0,
				   p ? p->comm : "?");
	}
}

static void send_signal(struct ui_state *ui)
{
	int sig = ui_signals[ui->signal_chosen].sig;
	const char *name = ui_signals[ui->signal_chosen].name;
	const struct scan_proc *p = ui_selected_proc(ui);
	const struct eng_ctr *c = ui_selected_container(ui);
	size_t ok = 0, bad = 0;
	int err = 0;

	if (c && !ui->ntags) {
		ui_act_kill(ui, ui_ctr_name(c), sig, name);
		return;
	}
	if (ui->ntags) {
		for (size_t i = 0; i < ui->ntags; i++) {
			if (kill(ui->tags[i], sig) == 0) {
				ok++;
			} else {
				bad++;
				err = errno;
			}
		}
		if (bad)
			ui_message(ui, THEME_ERROR, "SIG%s: sent to %zu, failed for %zu: %s", name,
				   ok, bad, strerror(err));
		else
			ui_message(ui, THEME_STATUS, "SIG%s sent to %zu processes", name, ok);
		return;
	}
	if (!p)
		return;
	if (kill(p->pid, sig) < 0)
		ui_message(ui, THEME_ERROR, "kill %d: %s", (int)p->pid, strerror(errno));
	else
		ui_message(ui, THEME_STATUS, "SIG%s sent to PID %d", name, (int)p->pid);
}

void ui_signal_key(struct ui_state *ui, int key)
{
	if (ui->prompt == UI_PROMPT_CONFIRM) {
		ui->prompt = UI_PROMPT_NONE;
		ui->status_until = 0;
		if (key == 'y' || key == 'Y')
			send_signal(ui);
		else
			ui_message(ui, THEME_STATUS, "No signal sent");
		return;
	}
	if (key == UI_KEY_UP && ui->signal_sel > 0)
		ui->signal_sel--;
	else if (key == UI_KEY_DOWN && ui->signal_sel + 1 < UI_NSIGNALS)
		ui->signal_sel++;
	else if (key == UI_KEY_ESC)
		ui->prompt = UI_PROMPT_NONE;
	else if (key == UI_KEY_ENTER || key == ' ') {
		ui->signal_chosen = ui->signal_sel;
		ui->prompt = UI_PROMPT_CONFIRM;
	}
}
