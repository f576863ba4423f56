#include "config.h"

#include <curses.h>
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

#include "../cli/cli.h"
#include "nstop/plot.h"
#include "ui-impl.h"
#include "ui-keymap.h"

#define UI_MIN_W 80
#define UI_MIN_H 24
#define UI_SAMPLES 300		/* five minutes of history at 1 s */

static volatile sig_atomic_t ui_quit_signal;
static volatile sig_atomic_t ui_curses_on;
static SCREEN *ui_screen;

static const double ui_intervals[] = { 0.1, 0.2, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60 };

static const struct {
	int sig;
	const char *name;
} ui_signals[] = {
	{ SIGTERM, "TERM" }, { SIGKILL, "KILL" }, { SIGINT, "INT" }, { SIGHUP, "HUP" },
	{ SIGQUIT, "QUIT" }, { SIGSTOP, "STOP" }, { SIGCONT, "CONT" },
	{ SIGUSR1, "USR1" }, { SIGUSR2, "USR2" },
};
#define UI_NSIGNALS ((int)(sizeof(ui_signals) / sizeof(ui_signals[0])))

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

static void wait_end(struct ui_state *ui, bool cancel);
static void wait_check(struct ui_state *ui);

/* ---- signals ------------------------------------------------------------ */

static void on_quit_signal(int sig)
{
	ui_quit_signal = sig;
}

/* A crash must not leave the terminal raw and without echo: restore it,
 * then die of the same signal (SA_RESETHAND made the action the default). */
static void on_crash(int sig)
{
	if (ui_curses_on)
		endwin();
	raise(sig);
}

static void install_signals(void)
{
	static const int quit_sigs[] = { SIGINT, SIGTERM, SIGHUP };
	static const int crash_sigs[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a signal must wake getch at once. */
	sa.sa_handler = on_quit_signal;
	for (size_t i = 0; i < sizeof(quit_sigs) / sizeof(quit_sigs[0]); i++)
		sigaction(quit_sigs[i], &sa, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	for (size_t i = 0; i < sizeof(crash_sigs) / sizeof(crash_sigs[0]); i++)
		sigaction(crash_sigs[i], &sa, NULL);
}

/* ---- the model ---------------------------------------------------------- */

static const struct ui_row *sel_row(const struct ui_state *ui)
{
	int s = ui->sel[ui->view];
	return s >= 0 && s < (int)ui->nrows ? &ui->rows[s] : NULL;
}

static void sel_changed(struct ui_state *ui)
{
	const struct ui_row *r = sel_row(ui);

	if (!r)
		return;
	ui_row_key(ui, r, ui->sel_key[ui->view], sizeof(ui->sel_key[0]));
	if (ui->view == UI_VIEW_PROCS && r->kind == UI_ROW_PROC) {
		const struct scan_proc *p = ui_row_proc(ui, r);
		if (p)
			ui->last_proc = p->pid;
	}
}

static void rebuild(struct ui_state *ui)
{
	ui_rows_build(ui);
	sel_changed(ui);
}

/*
 * The cgroups' own files (usage, limits, pressure) are read only while
 * something on screen shows them: at hundreds of cgroups they cost more than
 * the processes do. Their history (the plots) starts when they are shown.
 */
static bool stats_shown(const struct ui_state *ui)
{
	/* The detail pane draws a process's memory against its cgroup's limit. */
	return ui->view == UI_VIEW_CGROUPS || ui->view == UI_VIEW_CONTAINERS || ui->detail;
}

/* What every engine's container adds to its row (src/engine). */
static void container_usage(struct ui_container *v, const struct eng_ctr *e)
{
	v->kind = (int)e->kind;
	snprintf(v->id, sizeof(v->id), "%s", e->id);
	v->nprocs = e->nprocs;
	v->cpu_percent = e->cpu_percent;
	v->throttled_percent = e->throttled_percent;
	v->memory = e->u.memory_bytes;
	v->memory_peak = e->u.memory_peak_bytes;
	v->pids_limit = e->u.pids_limit;
	snprintf(v->cpuset, sizeof(v->cpuset), "%.31s", e->u.cpuset);
	out_ctr_weight_text(&e->u, v->weight, sizeof(v->weight));
}

/* Another engine's container: its name, state, limits, from the kernel. */
static void container_foreign(struct ui_container *v, const struct eng_ctr *e)
{
	double cpus = out_ctr_cpus(&e->u);

	v->foreign = true;
	snprintf(v->name, sizeof(v->name), "%s", e->name ? e->name : e->id);
	snprintf(v->state, sizeof(v->state), "%s", eng_ctr_state(e));
	v->pid = e->nprocs ? e->pids[0] : 0;
	v->exit_code = -1;
	v->memory_limit = e->u.memory_limit >= 0 ? e->u.memory_limit : -1;
	v->cpus = cpus > 0 ? cpus : 0;
	for (int h = 0; h < CG_MAX_HIER && !v->cgroup[0]; h++)
		if (e->cgroup[h])
			snprintf(v->cgroup, sizeof(v->cgroup), "%.*s",
				 (int)sizeof(v->cgroup) - 1, e->cgroup[h]);
	container_usage(v, e);
}

/* The Containers view's rows: nstop's own from the runtime's state, then
 * every other engine's, from the snapshot. */
static void containers_from_snapshot(struct ui_state *ui, const struct snapshot *snap)
{
	size_t n = snap->ncontainers;
	struct ui_container *v = calloc(snap->ncontainers + snap->nctrs + 1, sizeof(*v));

	if (!v)
		return;
	for (size_t i = 0; i < snap->ncontainers; i++) {
		const struct rt_state *c = &snap->containers[i];
		const struct rt_limits *l = &c->limits;

		v[i].cpu_percent = v[i].throttled_percent = -1;
		v[i].memory = v[i].memory_peak = v[i].pids_limit = -1;
		v[i].kind = ENG_NSTOP;
		for (size_t k = 0; k < snap->nctrs; k++)
			if (snap->ctrs[k].own == c)
				container_usage(&v[i], &snap->ctrs[k]);

		snprintf(v[i].name, sizeof(v[i].name), "%s", c->name);
		snprintf(v[i].state, sizeof(v[i].state), "%s", rt_status_name(c->status));
		v[i].pid = c->pid;
		v[i].exit_code = c->status == RT_EXITED ? c->exit_code : -1;
		v[i].memory_limit = l->memory_bytes;
		v[i].cpus = l->cpu_quota_us > 0 && l->cpu_period_us > 0 ?
			    (double)l->cpu_quota_us / (double)l->cpu_period_us : 0;
		snprintf(v[i].cgroup, sizeof(v[i].cgroup), "%.*s", (int)sizeof(v[i].cgroup) - 1, c->cgroup);
	}
	for (size_t k = 0; k < snap->nctrs; k++)
		if (snap->ctrs[k].kind != ENG_NSTOP)
			container_foreign(&v[n++], &snap->ctrs[k]);
	ui_containers_set(ui, v, n);
	free(v);
}

static int take_snapshot(struct ui_state *ui)
{
	struct scan_opts o = { .view_from = ui->view_from, .cgroup_ns_paths = true,
			       .cgroup_tree = true, .cgroup_stats = stats_shown(ui),
			       .incremental = true };
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
	containers_from_snapshot(ui, snap);
	/* Two snapshots were alive a moment ago: give the older one's pages
	 * back, or the resident size stays at twice what is needed. */
	malloc_trim(0);
	sample_store_add(ui->samples, snap);
	ui->refreshes++;
	rebuild(ui);
	return 0;
}

static const struct scan_proc *selected_proc(const struct ui_state *ui)
{
	const struct ui_row *r = sel_row(ui);

	if (!r)
		return NULL;
	if (r->kind == UI_ROW_NS)
		return snapshot_find_proc(ui->snap, ui->snap->ns[r->idx].first);
	if (r->kind == UI_ROW_CONTAINER)
		return snapshot_find_proc(ui->snap, ui->containers[r->idx].pid);
	return ui_row_proc(ui, r);
}

int ui_containers_set(struct ui_state *ui, const struct ui_container *c, size_t n)
{
	struct ui_container *v = NULL;

	if (n && !(v = malloc(n * sizeof(*v))))
		return -ENOMEM;
	if (n)
		memcpy(v, c, n * sizeof(*v));
	free(ui->containers);
	ui->containers = v;
	ui->ncontainers = n;
	if (ui->view == UI_VIEW_CONTAINERS)
		rebuild(ui);
	return 0;
}

/* ---- drawing ------------------------------------------------------------ */

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
		const char *hint = ui->tree[ui->view] ? "  tree" : "";
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
	move(y, 0);
	attron(ui->attr[THEME_VIEW_FROM]);
	for (int x = 0; x < w; x++)
		addch(' ');
	mvaddnstr(y, 0, buf, w);
	attroff(ui->attr[THEME_VIEW_FROM]);
}

struct ui_hint {
	const char *key, *what;
};

static void draw_status(struct ui_state *ui, int y, int w)
{
	static const struct ui_hint proc_hints[] = {
		{ "F1", "Help" }, { "F2", "Detail" }, { "F3", "Search" }, { "F4", "Filter" },
		{ "F5", "Tree" }, { "F6", "Sort" }, { "F9", "Kill" }, { "F10", "Quit" },
		{ "Enter", "Menu" }, { "r", "Run" }, { "E", "Nsenter" }, { "v", "ViewFrom" },
		{ "Tab", "View" },
	};
	/* Where the user is looking at containers, their actions. */
	static const struct ui_hint container_hints[] = {
		{ "F1", "Help" }, { "Enter", "Menu" }, { "r", "Run" }, { "z", "Freeze" },
		{ "u", "Limits" }, { "m", "Move" }, { "e", "Enter" }, { "l", "Log" },
		{ "F9", "Kill" }, { "x", "Remove" }, { "F10", "Quit" },
	};
	const struct ui_hint *hints = proc_hints;
	size_t nhints = sizeof(proc_hints) / sizeof(proc_hints[0]);
	char buf[600];

	if (ui->view == UI_VIEW_CONTAINERS) {
		hints = container_hints;
		nhints = sizeof(container_hints) / sizeof(container_hints[0]);
	}

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
		int need = (int)(strlen(hints[i].key) + strlen(hints[i].what)) + 1;
		if (x + need >= w)
			break;
		attron(ui->attr[THEME_KEY]);
		addstr(hints[i].key);
		attroff(ui->attr[THEME_KEY]);
		attron(ui->attr[THEME_STATUS]);
		addstr(hints[i].what);
		addch(' ');
		attroff(ui->attr[THEME_STATUS]);
	}
}

static void draw_signal_menu(struct ui_state *ui, int y, int w)
{
	const struct scan_proc *p = selected_proc(ui);
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

static void draw(struct ui_state *ui)
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
	draw_header(ui, w);
	draw_tabs(ui, 2, w);
	if (ui->view_from && ui->snap->view_from) {
		draw_view_from(ui, 3, w);
		y = 4;
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
	if (ui->prompt == UI_PROMPT_SIGNAL)
		draw_signal_menu(ui, y + 1, w);
	if (ui->prompt == UI_PROMPT_CONFIRM) {
		const struct scan_proc *p = selected_proc(ui);
		const struct ui_container *c = ui_selected_container(ui);
		if (c && !ui->ntags)
			ui_message(ui, THEME_ERROR, "Send SIG%s to container %s? y/n",
				   ui_signals[ui->signal_chosen].name, c->name);
		else if (ui->ntags)
			ui_message(ui, THEME_ERROR, "Send SIG%s to %zu tagged processes? y/n",
				   ui_signals[ui->signal_chosen].name, ui->ntags);
		else
			ui_message(ui, THEME_ERROR, "Send SIG%s to PID %d (%s)? y/n",
				   ui_signals[ui->signal_chosen].name, p ? (int)p->pid : 0,
				   p ? p->comm : "?");
	}
	draw_status(ui, h - 1, w);
	refresh();
}

/* ---- actions ------------------------------------------------------------ */

static void move_sel(struct ui_state *ui, int to)
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

static void switch_view(struct ui_state *ui, int v)
{
	bool had = stats_shown(ui);

	ui->view = (enum ui_view)((v + UI_NVIEWS) % UI_NVIEWS);
	/* A view that shows cgroup stats needs a snapshot that read them. */
	if (!had && stats_shown(ui))
		take_snapshot(ui);
	else
		rebuild(ui);
}

/* The first row from the cursor on (dir 1) or back (-1) matching text. */
static bool search_from(struct ui_state *ui, int start, int dir, const char *text)
{
	int n = (int)ui->nrows;

	for (int k = 0; k < n; k++) {
		int i = ((start + dir * k) % n + n) % n;
		if (ui_row_matches(ui, &ui->rows[i], text)) {
			move_sel(ui, i);
			return true;
		}
	}
	return false;
}

static void jump_pid(struct ui_state *ui, int digit)
{
	double now = ui_now();
	size_t len = strlen(ui->jump);
	pid_t pid;

	/* Digits typed within a second of each other make one number. */
	if (now - ui->jump_time > 1.0 || len + 2 > sizeof(ui->jump))
		len = 0;
	ui->jump[len] = (char)digit;
	ui->jump[len + 1] = '\0';
	ui->jump_time = now;
	pid = (pid_t)atoi(ui->jump);
	for (size_t i = 0; i < ui->nrows; i++) {
		const struct scan_proc *p = ui_row_proc(ui, &ui->rows[i]);
		if (p && p->pid == pid) {
			move_sel(ui, (int)i);
			ui_message(ui, THEME_STATUS, "PID %s", ui->jump);
			return;
		}
	}
	ui_message(ui, THEME_STATUS, "PID %s: not in this view", ui->jump);
}

static void set_view_from(struct ui_state *ui, pid_t pid)
{
	pid_t old = ui->view_from;

	ui->view_from = pid;
	ui_columns_cgform(ui, pid ? OUT_CG_VIEW : OUT_CG_HOST);
	if (take_snapshot(ui) < 0) {
		ui->view_from = old;
		ui_columns_cgform(ui, old ? OUT_CG_VIEW : OUT_CG_HOST);
		return;
	}
	if (pid && ui->view_from)
		ui_message(ui, THEME_VIEW_FROM, "Viewing from PID %d: cgroup paths as its namespace shows them",
			   (int)pid);
	else if (!pid)
		ui_message(ui, THEME_STATUS, "The host's view");
}

static void expand(struct ui_state *ui, bool on)
{
	const struct ui_row *r = sel_row(ui);
	char key[CG_PATH_MAX + 32];

	if (!r)
		return;
	ui_row_key(ui, r, key, sizeof(key));
	if (r->children && r->expanded != on) {
		if (r->kind == UI_ROW_NS)
			ui_strset_toggle(&ui->expanded, key, on);
		else
			ui_strset_toggle(&ui->collapsed, key, !on);
		rebuild(ui);
		return;
	}
	if (!on && r->depth > 0) {	/* go to the parent */
		for (int i = ui->sel[ui->view]; i >= 0; i--)
			if (ui->rows[i].depth < r->depth) {
				move_sel(ui, i);
				return;
			}
	}
}

static void toggle_tag(struct ui_state *ui)
{
	const struct scan_proc *p = ui_row_proc(ui, sel_row(ui));

	if (!p)
		return;
	for (size_t i = 0; i < ui->ntags; i++)
		if (ui->tags[i] == p->pid) {
			ui->tags[i] = ui->tags[--ui->ntags];
			move_sel(ui, ui->sel[ui->view] + 1);
			return;
		}
	if (ui->ntags == ui->tagcap) {
		size_t cap = ui->tagcap ? ui->tagcap * 2 : 16;
		pid_t *t = realloc(ui->tags, cap * sizeof(*t));
		if (!t)
			return;
		ui->tags = t;
		ui->tagcap = cap;
	}
	ui->tags[ui->ntags++] = p->pid;
	move_sel(ui, ui->sel[ui->view] + 1);
}

static void send_signal(struct ui_state *ui)
{
	int sig = ui_signals[ui->signal_chosen].sig;
	const char *name = ui_signals[ui->signal_chosen].name;
	const struct scan_proc *p = selected_proc(ui);
	const struct ui_container *c = ui_selected_container(ui);
	size_t ok = 0, bad = 0;
	int err = 0;

	if (c && !ui->ntags) {
		ui_act_kill(ui, c->name, sig, name);
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

static void change_interval(struct ui_state *ui, int dir)
{
	int n = (int)(sizeof(ui_intervals) / sizeof(ui_intervals[0])), i;

	/* dir < 0: the next shorter interval, else the next longer one. */
	if (dir > 0) {
		for (i = 0; i < n && ui_intervals[i] <= ui->interval + 1e-9; i++)
			;
		ui->interval = ui_intervals[i < n ? i : n - 1];
	} else {
		for (i = n - 1; i >= 0 && ui_intervals[i] >= ui->interval - 1e-9; i--)
			;
		ui->interval = ui_intervals[i >= 0 ? i : 0];
	}
	ui_message(ui, THEME_STATUS, "Refresh every %g s", ui->interval);
}

static void save_config(struct ui_state *ui)
{
	struct nst_config *c = &ui->cfg;
	int sc = ui->sort[UI_VIEW_PROCS];
	struct nst_err err;

	snprintf(c->theme, sizeof(c->theme), "%s", ui->theme_name);
	c->interval = ui->interval;
	if (sc >= 0 && sc < ui->ncols[UI_VIEW_PROCS])
		snprintf(c->sort, sizeof(c->sort), "%s", ui->cols[UI_VIEW_PROCS][sc].pf->name);
	c->sort_reverse = ui->invert[UI_VIEW_PROCS];
	snprintf(c->view, sizeof(c->view), "%s", ui_view_name(ui->view));
	c->tree = ui->tree[UI_VIEW_PROCS];
	nst_err_clear(&err);
	if (!ui->cfg_path[0])
		ui_message(ui, THEME_ERROR, "save: neither XDG_CONFIG_HOME nor HOME is set");
	else if (nst_config_save(ui->cfg_path, c, &err) < 0)
		ui_message(ui, THEME_ERROR, "save: %s", err.msg);
	else
		ui_message(ui, THEME_STATUS, "Saved to %s", ui->cfg_path);
}

static void cycle_paths(struct ui_state *ui)
{
	static const char *const what[] = { [OUT_CG_HOST] = "as the host sees them",
		[OUT_CG_OWN] = "as each process's own cgroup namespace sees them",
		[OUT_CG_VIEW] = "as the view-from process sees them" };

	if (ui->view == UI_VIEW_CGROUPS) {
		ui->cg_full = !ui->cg_full;
		ui_message(ui, THEME_STATUS, "Cgroups: %s", ui->cg_full ? "full paths" : "names in the tree");
		return;
	}
	int f = (ui->cg_form + 1) % 3;
	if (f == OUT_CG_VIEW && !ui->view_from)
		f = OUT_CG_HOST;
	ui_columns_cgform(ui, f);
	ui_message(ui, THEME_STATUS, "Cgroup paths %s", what[f]);
}

static void sort_step(struct ui_state *ui, int dir)
{
	enum ui_view v = ui->view;
	int n = ui->ncols[v];

	if (!n)
		return;
	ui->sort[v] = ((ui->sort[v] < 0 ? (dir > 0 ? -1 : 0) : ui->sort[v]) + dir + n) % n;
	ui_message(ui, THEME_STATUS, "Sorted by %s", ui->cols[v][ui->sort[v]].header);
	rebuild(ui);
}

/* Returns false to quit. */
static bool do_action(struct ui_state *ui, enum ui_action a, int key)
{
	int page = ui->table_h > 1 ? ui->table_h - 1 : 1;
	enum ui_view v = ui->view;

	switch (a) {
	case UI_ACT_QUIT: return false;
	case UI_ACT_HELP: ui->help = true; ui->help_top = 0; break;
	case UI_ACT_UP: move_sel(ui, ui->sel[v] - 1); break;
	case UI_ACT_DOWN: move_sel(ui, ui->sel[v] + 1); break;
	case UI_ACT_PGUP: move_sel(ui, ui->sel[v] - page); break;
	case UI_ACT_PGDN: move_sel(ui, ui->sel[v] + page); break;
	case UI_ACT_HOME: move_sel(ui, 0); break;
	case UI_ACT_END: move_sel(ui, (int)ui->nrows - 1); break;
	case UI_ACT_EXPAND: expand(ui, true); break;
	case UI_ACT_COLLAPSE: expand(ui, false); break;
	case UI_ACT_NEXT_VIEW: switch_view(ui, (int)v + 1); break;
	case UI_ACT_PREV_VIEW: switch_view(ui, (int)v - 1); break;
	case UI_ACT_SEARCH:
	case UI_ACT_FILTER:
		ui->prompt = a == UI_ACT_SEARCH ? UI_PROMPT_SEARCH : UI_PROMPT_FILTER;
		/* A search starts afresh; a filter is edited, as htop does. */
		snprintf(ui->input, sizeof(ui->input), "%s",
			 a == UI_ACT_SEARCH ? "" : ui->filter);
		break;
	case UI_ACT_SEARCH_NEXT:
	case UI_ACT_SEARCH_PREV:
		if (!ui->search[0])
			ui_message(ui, THEME_STATUS, "No search: / or F3 starts one");
		else if (!search_from(ui, ui->sel[v] + (a == UI_ACT_SEARCH_NEXT ? 1 : -1),
				      a == UI_ACT_SEARCH_NEXT ? 1 : -1, ui->search))
			ui_message(ui, THEME_ERROR, "Not found: %s", ui->search);
		break;
	case UI_ACT_TREE:
		ui->tree[v] = !ui->tree[v];
		ui_message(ui, THEME_STATUS, "Tree %s", ui->tree[v] ? "on" : "off");
		rebuild(ui);
		break;
	case UI_ACT_SORT_NEXT: sort_step(ui, 1); break;
	case UI_ACT_SORT_PREV: sort_step(ui, -1); break;
	case UI_ACT_SORT_INVERT:
		ui->invert[v] = !ui->invert[v];
		rebuild(ui);
		break;
	case UI_ACT_SIGNAL:
		if (!ui->ntags && !selected_proc(ui) && !ui_selected_container(ui)) {
			ui_message(ui, THEME_ERROR, "Select a process first");
			break;
		}
		ui->prompt = UI_PROMPT_SIGNAL;
		ui->signal_sel = 0;
		break;
	case UI_ACT_TAG: toggle_tag(ui); break;
	case UI_ACT_UNTAG_ALL:
		ui->ntags = 0;
		ui_message(ui, THEME_STATUS, "No process tagged");
		break;
	case UI_ACT_FASTER: change_interval(ui, -1); break;
	case UI_ACT_SLOWER: change_interval(ui, 1); break;
	case UI_ACT_VIEW_FROM: {
		const struct scan_proc *p = selected_proc(ui);
		if (!p)
			ui_message(ui, THEME_ERROR, "View from: select a process first");
		else
			set_view_from(ui, p->pid);
		break;
	}
	case UI_ACT_HOST_VIEW:
		if (ui->view_from) {
			set_view_from(ui, 0);
		} else if (ui->filter[0] || ui->search[0]) {
			ui->filter[0] = ui->search[0] = '\0';
			rebuild(ui);
		}
		break;
	case UI_ACT_PATHS: cycle_paths(ui); break;
	case UI_ACT_DETAIL:
		ui->detail = !ui->detail;
		if (ui->detail && ui->view == UI_VIEW_PROCS)
			take_snapshot(ui);
		break;
	case UI_ACT_SAVE: save_config(ui); break;
	case UI_ACT_REDRAW: clearok(curscr, TRUE); break;
	case UI_ACT_JUMP_PID: jump_pid(ui, key); break;
	case UI_ACT_MENU: ui_act_menu(ui); break;
	case UI_ACT_LAUNCH: ui_launch_open(ui); break;
	case UI_ACT_FREEZE: ui_act_freeze(ui); break;
	case UI_ACT_LIMITS: ui_limits_open(ui); break;
	case UI_ACT_MOVE: ui_act_move(ui); break;
	case UI_ACT_ENTER: ui_act_enter(ui); break;
	case UI_ACT_NSENTER: ui_nsenter_open(ui); break;
	case UI_ACT_LOG: ui_act_log(ui); break;
	case UI_ACT_REMOVE: ui_act_remove(ui); break;
	case UI_ACT_NONE:
	case UI_ACT_NACTIONS:
		break;
	}
	return true;
}

/* What KEY does in the table, for the Enter menu, whose items are keys. */
void ui_key_do(struct ui_state *ui, int key)
{
	(void)do_action(ui, ui_key_action(key), key);
}

static void prompt_key(struct ui_state *ui, int key)
{
	bool search = ui->prompt == UI_PROMPT_SEARCH;
	size_t len = strlen(ui->input);

	if (key == UI_KEY_ESC) {
		ui->prompt = UI_PROMPT_NONE;
		if (!search) {
			ui->filter[0] = '\0';
			rebuild(ui);
		}
		return;
	}
	if (key == UI_KEY_ENTER) {
		ui->prompt = UI_PROMPT_NONE;
		return;
	}
	if (key == UI_KEY_BACKSPACE) {
		if (len)
			ui->input[len - 1] = '\0';
	} else if (key >= 0x20 && key < 0x100 && key != 0x7f && len + 1 < sizeof(ui->input)) {
		ui->input[len] = (char)key;
		ui->input[len + 1] = '\0';
	} else {
		return;
	}
	/* As you type: the search moves the cursor, the filter hides rows. */
	if (search) {
		snprintf(ui->search, sizeof(ui->search), "%s", ui->input);
		if (ui->input[0] && !search_from(ui, ui->sel[ui->view], 1, ui->input))
			ui_message(ui, THEME_ERROR, "Not found: %s", ui->input);
	} else {
		snprintf(ui->filter, sizeof(ui->filter), "%s", ui->input);
		rebuild(ui);
	}
}

static void signal_key(struct ui_state *ui, int key)
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

static void mouse_key(struct ui_state *ui)
{
	MEVENT ev;
	enum ui_view v = ui->view;

	if (getmouse(&ev) != OK || ui->help || ui->small)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		move_sel(ui, ui->sel[v] - 3);
		return;
	}
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED) {
		move_sel(ui, ui->sel[v] + 3);
		return;
	}
#endif
	if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_RELEASED)))
		return;
	if (ev.y == ui->tab_y) {
		for (int i = 0; i < UI_NVIEWS; i++)
			if (ev.x >= ui->tab_x[i] && ev.x < ui->tab_x[i + 1])
				switch_view(ui, i);
		return;
	}
	if (ev.y == ui->title_y && ui->ncols[v]) {
		int c = ui->ncols[v] - 1;
		while (c > 0 && (ui->cols[v][c].x < 0 || ev.x < ui->cols[v][c].x))
			c--;
		if (ui->sort[v] == c)
			ui->invert[v] = !ui->invert[v];
		ui->sort[v] = c;
		ui_message(ui, THEME_STATUS, "Sorted by %s", ui->cols[v][c].header);
		rebuild(ui);
		return;
	}
	if (ev.y >= ui->table_y && ev.y < ui->table_y + ui->table_h) {
		int r = ui->top[v] + ev.y - ui->table_y;
		if (r < (int)ui->nrows)
			move_sel(ui, r);
	}
}

static int translate_key(int ch)
{
	switch (ch) {
	case KEY_UP: return UI_KEY_UP;
	case KEY_DOWN: return UI_KEY_DOWN;
	case KEY_LEFT: return UI_KEY_LEFT;
	case KEY_RIGHT: return UI_KEY_RIGHT;
	case KEY_PPAGE: return UI_KEY_PGUP;
	case KEY_NPAGE: return UI_KEY_PGDN;
	case KEY_HOME: case KEY_A1: return UI_KEY_HOME;
	case KEY_END: case KEY_C1: return UI_KEY_END;
	case KEY_BTAB: return UI_KEY_BTAB;
	case KEY_ENTER: case '\n': case '\r': return UI_KEY_ENTER;
	case KEY_BACKSPACE: case 127: case 8: return UI_KEY_BACKSPACE;
	case KEY_RESIZE: return UI_KEY_RESIZE;
	case KEY_MOUSE: return UI_KEY_MOUSE;
	}
	if (ch >= KEY_F(1) && ch <= KEY_F(12))
		return UI_KEY_F(ch - KEY_F0);
	return ch >= 0 && ch < 0x100 ? ch : UI_KEY_NONE;
}

/* Returns false to quit. */
static bool handle_key(struct ui_state *ui, int ch)
{
	int key = translate_key(ch);
	enum ui_action a;

	if (key == UI_KEY_NONE || key == UI_KEY_RESIZE)
		return true;
	if (key == UI_KEY_MOUSE) {
		mouse_key(ui);
		return true;
	}
	/* F10 quits from every state; q too wherever no text is being typed
	 * (a modal screen takes q for itself). */
	if (key == UI_KEY_F(10) ||
	    (key == 'q' && !ui->modal && ui->prompt != UI_PROMPT_SEARCH &&
	     ui->prompt != UI_PROMPT_FILTER))
		return false;
	if (ui->small)
		return true;
	if (ui->wait && key == UI_KEY_ESC) {
		wait_end(ui, true);
		return true;
	}
	if (ui->help) {
		if (key == UI_KEY_UP || key == UI_KEY_DOWN || key == UI_KEY_PGUP ||
		    key == UI_KEY_PGDN) {
			ui->help_top += key == UI_KEY_UP ? -1 : key == UI_KEY_DOWN ? 1 :
					key == UI_KEY_PGUP ? -10 : 10;
			return true;
		}
		ui->help = false;
		return true;
	}
	if (ui->modal) {
		ui->modal->key(ui, key);
		return true;
	}
	switch (ui->prompt) {
	case UI_PROMPT_SEARCH:
	case UI_PROMPT_FILTER:
		prompt_key(ui, key);
		return true;
	case UI_PROMPT_SIGNAL:
	case UI_PROMPT_CONFIRM:
		signal_key(ui, key);
		return true;
	case UI_PROMPT_NONE:
		break;
	}
	a = ui_key_action(key);
	/* Any other key ends a PID being typed. */
	if (a != UI_ACT_JUMP_PID)
		ui->jump[0] = '\0';
	return do_action(ui, a, key);
}

/* ---- what the controls build on ------------------------------------------ */

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
	wait_check(ui);
	return 0;
}

static void wait_end(struct ui_state *ui, bool cancel)
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

static void wait_check(struct ui_state *ui)
{
	if (ui->wait->check(ui, ui->wait->data) != 0) {
		wait_end(ui, false);
		ui_refresh(ui);
	}
}

/* nstop's own stderr while a child has the terminal; -1: not swapped. */
static int ui_saved_stderr = -1;

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
	ui_refresh(ui);
	draw(ui);
}

int ui_refresh(struct ui_state *ui)
{
	return take_snapshot(ui);
}

void ui_select_container(struct ui_state *ui, const char *name)
{
	if (ui->view != UI_VIEW_CONTAINERS)
		switch_view(ui, UI_VIEW_CONTAINERS);
	ui_refresh(ui);
	for (size_t i = 0; i < ui->nrows; i++) {
		const struct ui_row *r = &ui->rows[i];
		if (r->kind == UI_ROW_CONTAINER && strcmp(ui->containers[r->idx].name, name) == 0) {
			move_sel(ui, (int)i);
			return;
		}
	}
}

const struct ui_container *ui_selected_container(const struct ui_state *ui)
{
	const struct ui_row *r = sel_row(ui);

	return r && r->kind == UI_ROW_CONTAINER ? &ui->containers[r->idx] : NULL;
}

const struct scan_proc *ui_selected_proc(const struct ui_state *ui)
{
	return selected_proc(ui);
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

/* ---- setup and teardown --------------------------------------------------- */

static void load_theme(struct ui_state *ui, const char *name)
{
	struct nst_err err;

	snprintf(ui->theme_name, sizeof(ui->theme_name), "%s", name && *name ? name : "default");
	theme_default(&ui->theme);
	nst_err_clear(&err);
	/* A broken theme says where, and the default carries on. */
	if (theme_load(ui->theme_name, NULL, &ui->theme, &err) < 0) {
		theme_default(&ui->theme);
		ui_message(ui, THEME_ERROR, "%s; the default theme instead", err.msg);
	}
	if (!ui->color) {
		struct theme t;
		theme_monochrome(&t);
		ui->theme = t;
	}
}

static int setup(struct ui_state *ui, const struct ui_opts *opts)
{
	struct nst_err err;
	const char *e;

	nst_err_clear(&err);
	nst_config_defaults(&ui->cfg);
	if (nst_config_default_path(ui->cfg_path, sizeof(ui->cfg_path)) &&
	    nst_config_load(ui->cfg_path, &ui->cfg, &err) < 0) {
		ui_message(ui, THEME_ERROR, "%s", err.msg);
		nst_config_defaults(&ui->cfg);
	}
	ui->interval = opts->interval > 0 ? opts->interval :
		       ui->cfg.interval > 0 ? ui->cfg.interval : 2.0;
	ui->view_from = opts->view_from;
	e = getenv("NSTOP_UI_MAX_REFRESHES");
	if (e)
		ui->max_refreshes = strtoul(e, NULL, 10);

	if (cli_scan_open(&ui->root, &ui->scan) < 0)
		return -1;
	if (sample_store_new(UI_SAMPLES, &ui->samples) < 0) {
		cli_error("samples: %s", strerror(ENOMEM));
		return -1;
	}
	ui_columns_init(ui);
	for (int v = 0; v < UI_NVIEWS; v++)
		ui->sort[v] = -1;
	ui->sort[UI_VIEW_PROCS] = ui_sort_by_name(ui, ui->cfg.sort[0] ? ui->cfg.sort : "cpu");
	ui->invert[UI_VIEW_PROCS] = ui->cfg.sort_reverse;
	ui->tree[UI_VIEW_PROCS] = ui->cfg.tree;
	ui->tree[UI_VIEW_NS] = true;
	ui->tree[UI_VIEW_CGROUPS] = true;
	for (int v = 0; v < UI_NVIEWS; v++)
		if (strcmp(ui->cfg.view, ui_view_name(v)) == 0)
			ui->view = (enum ui_view)v;
	ui_columns_cgform(ui, ui->view_from ? OUT_CG_VIEW : OUT_CG_HOST);

	/* The first snapshot before curses: a bad --view-from is a plain error. */
	{
		struct scan_opts o = { .view_from = ui->view_from, .cgroup_ns_paths = true,
				       .cgroup_tree = true, .cgroup_stats = stats_shown(ui),
				       .incremental = true };
		nst_err_clear(&err);
		if (scan_snapshot(ui->scan, &o, &ui->snap, &err) < 0) {
			cli_error("%s", err.msg);
			return -1;
		}
		sample_store_add(ui->samples, ui->snap);
	}

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_error("the interactive view needs a terminal; use -b for batch output");
		return -1;
	}
	if (!(ui_screen = newterm(NULL, stdout, stdin))) {
		cli_error("cannot use the terminal (TERM=%s)", getenv("TERM") ? getenv("TERM") : "");
		return -1;
	}
	ui_curses_on = 1;
	install_signals();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
		  | BUTTON5_PRESSED
#endif
		  , NULL);
	mouseinterval(0);
	ui->color = has_colors() && start_color() == OK;
	if (ui->color)
		use_default_colors();
	load_theme(ui, opts->theme ? opts->theme : ui->cfg.theme);
	ui_theme_apply(ui);
	rebuild(ui);
	return 0;
}

static void teardown(struct ui_state *ui)
{
	ui_modal_close(ui);
	if (ui->wait)
		wait_end(ui, false);
	ui_launch_free(ui);
	if (ui_curses_on) {
		endwin();
		ui_curses_on = 0;
		delscreen(ui_screen);
		ui_screen = NULL;
	}
	snapshot_free(ui->snap);
	sample_store_free(ui->samples);
	if (ui->scan)
		scan_ctx_free(ui->scan);
	nst_root_clear(&ui->root);
	ui_strset_clear(&ui->collapsed);
	ui_strset_clear(&ui->expanded);
	free(ui->rows);
	free(ui->tags);
	free(ui->containers);
}

int ui_main(const struct ui_opts *opts)
{
	struct ui_state *ui = calloc(1, sizeof(*ui));
	double next;
	int rc = CLI_OK, sig;

	if (!ui) {
		cli_error("%s", strerror(ENOMEM));
		return CLI_FAIL;
	}
	ui->root.proc_fd = ui->root.cg_fd = -1;
	if (setup(ui, opts) < 0) {
		rc = CLI_FAIL;
		goto out;
	}
	next = ui_now() + ui->interval;
	while (!ui_quit_signal) {
		double now = ui_now();
		int ch, wait;

		if (now >= next) {
			take_snapshot(ui);
			next = now + ui->interval;
			if (ui->max_refreshes && ui->refreshes >= ui->max_refreshes)
				break;
		}
		if (ui->wait)
			wait_check(ui);
		draw(ui);
		wait = (int)((next - ui_now()) * 1000) + 1;
		if (ui->wait && wait > 100)
			wait = 100;
		timeout(wait < 1 ? 1 : wait > 1000 ? 1000 : wait);
		ch = getch();
		if (ch == ERR)
			continue;
		if (!handle_key(ui, ch))
			break;
		/* A changed interval counts from now. */
		if (next - ui_now() > ui->interval)
			next = ui_now() + ui->interval;
	}
out:
	sig = ui_quit_signal;
	teardown(ui);
	free(ui);
	if (sig) {
		/* Die of the signal, as the shell expects, with the terminal sane. */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return rc;
}
