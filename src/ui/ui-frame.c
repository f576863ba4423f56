/*
 * The frame of the interactive view, below the dialogs and the main loop:
 * the model (the snapshot made rows, the selection, the Containers view's
 * rows), the status line, the one modal at a time, the wait on the kernel,
 * and handing the terminal to a child. The dialogs (ui-act.c, ui-launch.c,
 * ui-nsenter.c) build on it and never on ui-main.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "ui-impl.h"
#include "ui-keymap.h"
#include "ui-curses.h"

volatile sig_atomic_t ui_curses_on;

/* nstop's own stderr while a child has the terminal; -1: not swapped. */
static int ui_saved_stderr = -1;

void ui_key_post(struct ui_state *ui, int key)
{
	ui->posted_key = key;
}

double ui_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ui_message(struct ui_state *ui, int elem, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof(ui->status), fmt, ap);
	va_end(ap);
	ui->status_elem = elem;
	ui->status_until = ui_now() + 5;
}

const struct ui_row *ui_sel_row(const struct ui_state *ui)
{
	int s = ui->sel[ui->view];
	return s >= 0 && s < (int)ui->nrows ? &ui->rows[s] : NULL;
}

static void sel_changed(struct ui_state *ui)
{
	const struct ui_row *r = ui_sel_row(ui);

	if (!r)
		return;
	ui_row_key(ui, r, ui->sel_key[ui->view], sizeof(ui->sel_key[0]));
	if (ui->view == UI_VIEW_PROCS && r->kind == UI_ROW_PROC) {
		const struct scan_proc *p = ui_row_proc(ui, r);
		if (p)
			ui->last_proc = p->pid;
	}
}

void ui_rebuild(struct ui_state *ui)
{
	ui_rows_build(ui);
	sel_changed(ui);
}

/*
 * The cgroups' own files (usage, limits, pressure) are read only while
 * something on screen shows them: at hundreds of cgroups they cost more than
 * the processes do. Their history (the plots) starts when they are shown.
 */
bool ui_stats_shown(const struct ui_state *ui)
{
	/* The detail pane draws a process's memory against its cgroup's limit. */
	return ui->view == UI_VIEW_CGROUPS || ui->view == UI_VIEW_CONTAINERS || ui->detail;
}

/* The Containers view's rows, pointing into snap's one model: nstop's own
 * first (by name, as the runtime lists them), then every other engine's. */
static void containers_from_snapshot(struct ui_state *ui, const struct snapshot *snap)
{
	const struct eng_ctr **v = calloc(snap->nctrs + 1, sizeof(*v));
	size_t n = 0;

	free(ui->containers);
	free(ui->ctr_net);
	ui->containers = NULL;
	ui->ncontainers = 0;
	ui->ctr_net = calloc(snap->nctrs + 1, sizeof(*ui->ctr_net));
	if (!v || !ui->ctr_net) {
		free(v);
		free(ui->ctr_net);
		ui->ctr_net = NULL;
		return;
	}
	for (size_t i = 0; i < snap->ncontainers; i++)
		for (size_t k = 0; k < snap->nctrs; k++)
			if (snap->ctrs[k].own == &snap->containers[i]) {
				v[n++] = &snap->ctrs[k];
				break;
			}
	for (size_t k = 0; k < snap->nctrs; k++)
		if (snap->ctrs[k].kind != ENG_NSTOP)
			v[n++] = &snap->ctrs[k];
	ui->containers = v;
	ui->ncontainers = n;
}

/* What a refresh reads: the cgroup files only while a view shows them, and
 * every process's descriptors (the namespaces only a descriptor holds, as
 * `nstop ns` and lsns list them) only while the Namespaces view is shown. */
struct scan_opts ui_scan_opts(const struct ui_state *ui)
{
	return (struct scan_opts){ .view_from = ui->view_from, .cgroup_ns_paths = true,
				   .cgroup_tree = true, .cgroup_stats = ui_stats_shown(ui),
				   .incremental = true, .ns_held_fds = ui->view == UI_VIEW_NS };
}

int ui_take_snapshot(struct ui_state *ui)
{
	struct scan_opts o = ui_scan_opts(ui);
	struct snapshot *snap = NULL;
	struct nst_err err;
	int rc;

	nst_err_clear(&err);
	rc = scan_snapshot(ui->scan, &o, &snap, &err);
	if (rc < 0 && ui->view_from) {
		/* The process we viewed from is gone: back to the host's view. */
		ui_message(ui, THEME_ERROR, "%s; back to the host's view", err.msg);
		ui->view_from = 0;
		ui_columns_cgform(ui, OUT_CG_HOST);
		o.view_from = 0;
		nst_err_clear(&err);
		rc = scan_snapshot(ui->scan, &o, &snap, &err);
	}
	if (rc < 0) {
		ui_message(ui, THEME_ERROR, "%s", err.msg);
		return rc;
	}
	snapshot_free(ui->snap);
	ui->snap = snap;
	/* at once: the rows point into the snapshot just freed */
	containers_from_snapshot(ui, snap);
	ui_iso_attach(ui);
	/* Two snapshots were alive a moment ago: give the older one's pages
	 * back, or the resident size stays at twice what is needed. */
	malloc_trim(0);
	sample_store_add(ui->samples, snap);
	ui->refreshes++;
	ui->redo &= ~(unsigned)(UI_REDO_REBUILD | UI_REDO_REFRESH);
	ui_rebuild(ui);
	return 0;
}

const struct scan_proc *ui_selected_proc(const struct ui_state *ui)
{
	const struct ui_row *r = ui_sel_row(ui);

	if (!r)
		return NULL;
	if (r->kind == UI_ROW_NS)
		return snapshot_find_proc(ui->snap, ui->snap->ns[r->idx].first);
	if (r->kind == UI_ROW_CONTAINER)
		return snapshot_find_proc(ui->snap, eng_ctr_pid(ui->containers[r->idx]));
	return ui_row_proc(ui, r);
}

void ui_move_sel(struct ui_state *ui, int to)
{
	int n = (int)ui->nrows;

	if (to >= n)
		to = n - 1;
	if (to < 0)
		to = 0;
	ui->sel[ui->view] = to;
	ui->follow[ui->view] = true;
	sel_changed(ui);
}

void ui_redo_view(struct ui_state *ui, int v)
{
	bool had = ui_stats_shown(ui);

	ui->view = (enum ui_view)((v + UI_NVIEWS) % UI_NVIEWS);
	/* A view that shows cgroup stats needs a snapshot that read them. */
	ui_redo(ui, !had && ui_stats_shown(ui) ? UI_REDO_REFRESH : UI_REDO_REBUILD);
}

void ui_redo(struct ui_state *ui, unsigned what)
{
	ui->redo |= what;
}

void ui_redo_select(struct ui_state *ui, const char *name)
{
	snprintf(ui->redo_name, sizeof(ui->redo_name), "%s", name);
	ui_redo(ui, UI_REDO_SELECT);
}

/* The Containers view, a new snapshot, and the cursor on container name. */
static void select_container(struct ui_state *ui, const char *name)
{
	if (ui->view != UI_VIEW_CONTAINERS)
		ui_redo_view(ui, UI_VIEW_CONTAINERS);
	ui_take_snapshot(ui);
	for (size_t i = 0; i < ui->nrows; i++) {
		const struct ui_row *r = &ui->rows[i];
		if (r->kind == UI_ROW_CONTAINER &&
		    strcmp(eng_ctr_name(ui->containers[r->idx]), name) == 0) {
			ui_move_sel(ui, (int)i);
			return;
		}
	}
}

void ui_redo_apply(struct ui_state *ui)
{
	unsigned what = ui->redo;

	ui->redo = 0;
	if (what & UI_REDO_SELECT)
		select_container(ui, ui->redo_name);
	else if (what & UI_REDO_REFRESH)
		ui_take_snapshot(ui);
	else if (what & UI_REDO_REBUILD)
		ui_rebuild(ui);
}

void ui_modal_open(struct ui_state *ui, const struct ui_modal *m, void *data)
{
	ui_modal_close(ui);
	ui->prompt = UI_PROMPT_NONE;
	ui->modal = m;
	ui->modal_data = data;
}

void ui_modal_close(struct ui_state *ui)
{
	const struct ui_modal *m = ui->modal;

	if (!m)
		return;
	/* close() may open the next screen: clear first. */
	if (m->close)
		m->close(ui);
	if (ui->modal == m) {
		ui->modal = NULL;
		ui->modal_data = NULL;
	}
}

int ui_wait_start(struct ui_state *ui, const char *what,
		  int (*check)(struct ui_state *, void *),
		  void (*cancel)(struct ui_state *, void *), void *data)
{
	struct ui_wait *w;

	if (ui->wait) {
		ui_message(ui, THEME_ERROR, "Still busy: %s (Esc cancels it)", ui->wait->what);
		free(data);
		return -EBUSY;
	}
	if (!(w = calloc(1, sizeof(*w)))) {
		free(data);
		ui_message(ui, THEME_ERROR, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	snprintf(w->what, sizeof(w->what), "%s", what);
	w->started = ui_now();
	w->check = check;
	w->cancel = cancel;
	w->data = data;
	ui->wait = w;
	/* A first look at once: most freezes are done before the next draw. */
	ui_wait_check(ui);
	return 0;
}

void ui_wait_end(struct ui_state *ui, bool cancel)
{
	struct ui_wait *w = ui->wait;

	ui->wait = NULL;
	if (cancel) {
		if (w->cancel)
			w->cancel(ui, w->data);
		else
			ui_message(ui, THEME_STATUS, "%s: no longer waiting", w->what);
	}
	free(w->data);
	free(w);
}

void ui_wait_check(struct ui_state *ui)
{
	if (ui->wait->check(ui, ui->wait->data) != 0) {
		ui_wait_end(ui, false);
		ui_redo(ui, UI_REDO_REFRESH);
	}
}

void ui_suspend(struct ui_state *ui)
{
	(void)ui;
	def_prog_mode();
	endwin();
	ui_curses_on = 0;
	fflush(stdout);
	/* The child takes the whole terminal: a shell prompts on stderr, which
	 * may go elsewhere (nstop 2>file) while curses has the screen. */
	if (!isatty(STDERR_FILENO) && isatty(STDOUT_FILENO)) {
		ui_saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
		if (ui_saved_stderr >= 0)
			dup2(STDOUT_FILENO, STDERR_FILENO);
	}
}

/*
 * A shell with job control that ran in its own process group may leave
 * that group in the terminal's foreground when it exits (it cannot give
 * the terminal back to a group it does not see from inside a pid
 * namespace): take the terminal back as a shell does, or the next read
 * stops nstop with SIGTTIN.
 */
static void take_terminal(void)
{
	sigset_t ttou, old;

	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, &old);
	if (tcgetpgrp(STDIN_FILENO) != getpgrp())
		tcsetpgrp(STDIN_FILENO, getpgrp());
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void ui_resume(struct ui_state *ui)
{
	struct winsize ws;

	if (ui_saved_stderr >= 0) {
		dup2(ui_saved_stderr, STDERR_FILENO);
		close(ui_saved_stderr);
		ui_saved_stderr = -1;
	}
	take_terminal();
	reset_prog_mode();
	/* A resize while the child had the terminal reached it, not us. */
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col &&
	    (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	ui_curses_on = 1;
	/* What the child typed over the screen must go: draw all of it. */
	clearok(curscr, TRUE);
	flushinp();
	ui_redo(ui, UI_REDO_REFRESH);
}

const struct eng_ctr *ui_selected_container(const struct ui_state *ui)
{
	const struct ui_row *r = ui_sel_row(ui);

	return r && r->kind == UI_ROW_CONTAINER ? ui->containers[r->idx] : NULL;
}

pid_t ui_last_proc(const struct ui_state *ui)
{
	return ui->last_proc;
}

bool ui_edit_key(char *buf, size_t size, int key)
{
	size_t len = strlen(buf);

	if (key == UI_KEY_BACKSPACE) {
		if (len)
			buf[len - 1] = '\0';
		return true;
	}
	if (key == ('u' & 0x1f)) {
		buf[0] = '\0';
		return true;
	}
	if (key >= 0x20 && key < 0x100 && key != 0x7f) {
		if (len + 1 < size) {
			buf[len] = (char)key;
			buf[len + 1] = '\0';
		}
		return true;
	}
	return false;
}

void ui_refuse_foreign(struct ui_state *ui, int kind, const char *id, const char *name,
		       const char *verb)
{
	struct eng_ctr e = { .kind = (enum eng_kind)kind, .id = (char *)id, .name = (char *)name };
	char label[128], hint[320];

	eng_ctr_label(&e, label, sizeof(label));
	eng_ctr_hint(&e, verb, hint, sizeof(hint));
	ui_message(ui, THEME_ERROR, "%s is %s's container, not nstop's; nstop does not change it behind %s's back: %s",
		   label, eng_kind_name(e.kind), eng_kind_name(e.kind), hint);
}

/* The name of the selected container, copied; false (said) when none is,
 * or when it is another engine's (what cannot be done to it). */
bool ui_container_pick(struct ui_state *ui, const char *what, char *name,
		       enum rt_status *status)
{
	const struct eng_ctr *c = ui_selected_container(ui);
	const struct rt_state *own;

	if (!c) {
		ui_message(ui, THEME_ERROR, "%s: select a container (Tab to the Containers view)",
			   what);
		return false;
	}
	if (eng_ctr_foreign(c) || !(own = c->own)) {
		const char *verb = strcmp(what, "Remove") == 0 ? "rm" :
				   strcmp(what, "Enter") == 0 ? "move" :
				   strcmp(what, "Freeze") == 0 ?
				   (c->paused ? "thaw" : "freeze") : "log";
		ui_refuse_foreign(ui, c->kind, c->id, eng_ctr_name(c), verb);
		return false;
	}
	snprintf(name, RT_NAME_MAX + 1, "%s", own->name);
	if (status)
		*status = own->status;
	return true;
}

/* The Containers view's row of name, as of the last refresh. */
const struct eng_ctr *ui_container_find(const struct ui_state *ui, const char *name)
{
	for (size_t i = 0; i < ui->ncontainers; i++)
		if (strcmp(eng_ctr_name(ui->containers[i]), name) == 0)
			return ui->containers[i];
	return NULL;
}
