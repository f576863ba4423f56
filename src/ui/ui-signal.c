/* The signal menu (F9, k): a signal picked from the list, a y/n question,
 * then kill() to the selection, the tagged processes, or a container. Both
 * are ui_modals, as every other dialog. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui-impl.h"
#include "ui-keymap.h"
#include "ui-curses.h"

static const struct {
	int sig;
	const char *name;
} ui_signals[] = {
	{ SIGTERM, "TERM" }, { SIGKILL, "KILL" }, { SIGINT, "INT" }, { SIGHUP, "HUP" },
	{ SIGQUIT, "QUIT" }, { SIGSTOP, "STOP" }, { SIGCONT, "CONT" },
	{ SIGUSR1, "USR1" }, { SIGUSR2, "USR2" },
};
#define UI_NSIGNALS ((int)(sizeof(ui_signals) / sizeof(ui_signals[0])))

static void draw_signal_menu(struct ui_state *ui, int y, int h, int w)
{
	const struct scan_proc *p = ui_selected_proc(ui);
	const int *sel = ui->modal_data;
	char buf[128];
	int bw = 40, x = w > bw ? (w - bw) / 2 : 0;

	(void)h;
	y++;
	attron(ui->attr[THEME_HEADER]);
	if (ui_selected_container(ui) && !ui->ntags)
		snprintf(buf, sizeof(buf), " Signal to container %.20s ",
			 eng_ctr_name(ui_selected_container(ui)));
	else if (ui->ntags)
		snprintf(buf, sizeof(buf), " Signal to %zu tagged processes ", ui->ntags);
	else
		snprintf(buf, sizeof(buf), " Signal to PID %d (%.15s) ", p ? (int)p->pid : 0,
			 p ? p->comm : "?");
	mvprintw(y, x, "%-*s", bw, buf);
	attroff(ui->attr[THEME_HEADER]);
	for (int i = 0; i < UI_NSIGNALS; i++) {
		int a = i == *sel ? ui->attr[THEME_SELECTED] : ui->attr[THEME_NORMAL];
		attron(a);
		mvprintw(y + 1 + i, x, " %2d SIG%-*s", ui_signals[i].sig, bw - 7, ui_signals[i].name);
		attroff(a);
	}
	attron(ui->attr[THEME_STATUS]);
	mvprintw(y + 1 + UI_NSIGNALS, x, "%-*s", bw, " Up/Down, Enter: choose, Esc: cancel");
	attroff(ui->attr[THEME_STATUS]);
}

static void send_signal(struct ui_state *ui, void *arg)
{
	int chosen = *(int *)arg;
	int sig = ui_signals[chosen].sig;
	const char *name = ui_signals[chosen].name;
	const struct scan_proc *p = ui_selected_proc(ui);
	const struct eng_ctr *c = ui_selected_container(ui);
	size_t ok = 0, bad = 0;
	int err = 0;

	if (c && !ui->ntags) {
		ui_act_kill(ui, eng_ctr_name(c), sig, name);
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

/* Enter: the y/n question, naming what the signal goes to. */
static void signal_ask(struct ui_state *ui, int chosen)
{
	const struct scan_proc *p = ui_selected_proc(ui);
	const struct eng_ctr *c = ui_selected_container(ui);
	int *arg = malloc(sizeof(*arg));
	char q[256];

	if (!arg) {
		ui_modal_close(ui);
		ui_message(ui, THEME_ERROR, "%s", strerror(ENOMEM));
		return;
	}
	*arg = chosen;
	if (c && !ui->ntags)
		snprintf(q, sizeof(q), "Send SIG%s to container %s? y/n", ui_signals[chosen].name,
			 eng_ctr_name(c));
	else if (ui->ntags)
		snprintf(q, sizeof(q), "Send SIG%s to %zu tagged processes? y/n",
			 ui_signals[chosen].name, ui->ntags);
	else
		snprintf(q, sizeof(q), "Send SIG%s to PID %d (%s)? y/n", ui_signals[chosen].name,
			 p ? (int)p->pid : 0, p ? p->comm : "?");
	/* Opening the question closes the menu. */
	ui_confirm(ui, "Signal", q, "No signal sent", send_signal, arg);
	ui_message(ui, THEME_ERROR, "%s", q);
}

static void signal_key(struct ui_state *ui, int key)
{
	int *sel = ui->modal_data;

	if (key == UI_KEY_UP && *sel > 0)
		(*sel)--;
	else if (key == UI_KEY_DOWN && *sel + 1 < UI_NSIGNALS)
		(*sel)++;
	else if (key == UI_KEY_ESC)
		ui_modal_close(ui);
	else if (key == UI_KEY_ENTER || key == ' ')
		signal_ask(ui, *sel);
}

static void signal_close(struct ui_state *ui)
{
	free(ui->modal_data);
}

/* A list to pick from, no text typed: q quits as from the table. */
static const struct ui_modal signal_modal = {
	.name = "signal", .key = signal_key, .draw = draw_signal_menu, .close = signal_close,
	.q_quits = true,
};

void ui_signal_open(struct ui_state *ui)
{
	int *sel = calloc(1, sizeof(*sel));

	if (!sel) {
		ui_message(ui, THEME_ERROR, "%s", strerror(ENOMEM));
		return;
	}
	ui_modal_open(ui, &signal_modal, sel);
}
