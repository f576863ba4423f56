/* The interactive view's loop: terminal and signals, the refresh timer, the
 * snapshot turned into rows, keys dispatched to actions, the modal dialogs
 * and the status line. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nstop/runtime.h"
#include "ui-impl.h"
#include "ui-keymap.h"
#include "ui-input.h"
#include "ui-curses.h"

#define UI_SAMPLES 300		/* five minutes of history at 1 s */

static volatile sig_atomic_t ui_quit_signal;
static SCREEN *ui_screen;

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

/* Any exit() while curses has the terminal (a library's, a fatal path)
 * still gives it back. */
static void restore_at_exit(void)
{
	if (ui_curses_on)
		endwin();
}

/*
 * Every signal whose default action ends the process: the asynchronous ones
 * end the main loop (the terminal is restored there and nstop dies of the
 * same signal); the synchronous faults restore it in the handler. Ctrl-\
 * (SIGQUIT) is an ordinary key in curses' raw mode, but kill -QUIT, a
 * SIGPIPE, an alarm or a user signal from outside must not leave the
 * terminal without echo, in the alternate screen, with no cursor.
 */
static void install_signals(void)
{
	static const int quit_sigs[] = {
		SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM,
		SIGVTALRM, SIGPROF, SIGIO, SIGPWR, SIGSTKFLT, SIGXCPU, SIGXFSZ,
	};
	static const int crash_sigs[] = {
		SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGSYS, SIGTRAP,
	};
	static bool at_exit;
	struct sigaction sa;

	if (!at_exit)
		at_exit = atexit(restore_at_exit) == 0;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a signal must wake getch at once. */
	sa.sa_handler = on_quit_signal;
	for (size_t i = 0; i < sizeof(quit_sigs) / sizeof(quit_sigs[0]); i++)
		sigaction(quit_sigs[i], &sa, NULL);
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		sigaction(sig, &sa, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	for (size_t i = 0; i < sizeof(crash_sigs) / sizeof(crash_sigs[0]); i++)
		sigaction(crash_sigs[i], &sa, NULL);
}

/* ---- actions ------------------------------------------------------------ */

/* The first row from the cursor on (dir 1) or back (-1) matching text. */
static bool search_from(struct ui_state *ui, int start, int dir, const char *text)
{
	int n = (int)ui->nrows;

	for (int k = 0; k < n; k++) {
		int i = ((start + dir * k) % n + n) % n;
		if (ui_row_matches(ui, &ui->rows[i], text)) {
			ui_move_sel(ui, i);
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
	int back;

	/* Digits typed within a second of each other make one number. */
	if (now - ui->jump_time > 1.0 || len + 2 > sizeof(ui->jump))
		len = 0;
	if (len == 0)
		snprintf(ui->jump_from, sizeof(ui->jump_from), "%s", ui->sel_key[ui->view]);
	ui->jump[len] = (char)digit;
	ui->jump[len + 1] = '\0';
	ui->jump_time = now;
	pid = (pid_t)atoi(ui->jump);
	for (size_t i = 0; i < ui->nrows; i++) {
		const struct scan_proc *p = ui_row_proc(ui, &ui->rows[i]);
		if (p && p->pid == pid) {
			ui_move_sel(ui, (int)i);
			ui_message(ui, THEME_STATUS, "PID %s", ui->jump);
			return;
		}
	}
	/* Typing 21579 passes through PID 2 and 21 on its way: a number that
	 * ends on no process puts the cursor back where it was, so that the
	 * next key (k, F9, E) never acts on a process picked by a prefix. */
	if ((back = ui_row_find(ui, ui->jump_from)) >= 0)
		ui_move_sel(ui, back);
	ui_message(ui, THEME_STATUS, "PID %s: not in this view", ui->jump);
}

static void set_view_from(struct ui_state *ui, pid_t pid)
{
	pid_t old = ui->view_from;

	ui->view_from = pid;
	ui_columns_cgform(ui, pid ? OUT_CG_VIEW : OUT_CG_HOST);
	if (ui_take_snapshot(ui) < 0) {
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
	const struct ui_row *r = ui_sel_row(ui);
	char key[CG_PATH_MAX + 32];

	if (!r)
		return;
	ui_row_key(ui, r, key, sizeof(key));
	if (r->children && r->expanded != on) {
		if (r->kind == UI_ROW_NS)
			ui_strset_toggle(&ui->expanded, key, on);
		else
			ui_strset_toggle(&ui->collapsed, key, !on);
		ui_redo(ui, UI_REDO_REBUILD);
		return;
	}
	if (!on && r->depth > 0) {	/* go to the parent */
		for (int i = ui->sel[ui->view]; i >= 0; i--)
			if (ui->rows[i].depth < r->depth) {
				ui_move_sel(ui, i);
				return;
			}
	}
}

static void toggle_tag(struct ui_state *ui)
{
	const struct scan_proc *p = ui_row_proc(ui, ui_sel_row(ui));

	if (!p)
		return;
	for (size_t i = 0; i < ui->ntags; i++)
		if (ui->tags[i] == p->pid) {
			ui->tags[i] = ui->tags[--ui->ntags];
			ui_move_sel(ui, ui->sel[ui->view] + 1);
			return;
		}
	ui_tag_add(ui, p->pid);
	ui_move_sel(ui, ui->sel[ui->view] + 1);
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

static void freeze_yes(struct ui_state *ui, void *arg)
{
	(void)arg;
	ui_act_freeze(ui);
}

/* Freezing stops every process of the container: it asks first. */
static void ask_freeze(struct ui_state *ui)
{
	char name[RT_NAME_MAX + 1], q[160];
	enum rt_status status;
	bool thaw;

	if (!ui_container_pick(ui, "Freeze", name, &status))
		return;
	thaw = status == RT_FROZEN;
	snprintf(q, sizeof(q), thaw ? "Thaw container %s?" :
		 "Freeze container %s? Its processes stop until it is thawed.", name);
	ui_confirm(ui, thaw ? "Thaw" : "Freeze", q, thaw ? "Not thawed" : "Not frozen", freeze_yes, NULL);
}

/* Left, Right: htop's horizontal scroll; in the views of nested things
 * (Namespaces, Cgroups) they open and close the rows, as a file tree. */
static void left_right(struct ui_state *ui, int dir)
{
	if (ui->view == UI_VIEW_NS || ui->view == UI_VIEW_CGROUPS) {
		expand(ui, dir > 0);
		return;
	}
	ui->hscroll += dir * 8;
	if (ui->hscroll < 0)
		ui->hscroll = 0;
}

/* Returns false to quit. */
static bool do_action(struct ui_state *ui, enum ui_action a, int key)
{
	int page = ui->table_h > 1 ? ui->table_h - 1 : 1;
	enum ui_view v = ui->view;

	switch (a) {
	case UI_ACT_QUIT: return false;
	case UI_ACT_HELP: ui->help = true; ui->help_top = 0; break;
	case UI_ACT_UP: ui_move_sel(ui, ui->sel[v] - 1); break;
	case UI_ACT_DOWN: ui_move_sel(ui, ui->sel[v] + 1); break;
	case UI_ACT_PGUP: ui_move_sel(ui, ui->sel[v] - page); break;
	case UI_ACT_PGDN: ui_move_sel(ui, ui->sel[v] + page); break;
	case UI_ACT_HOME: ui_move_sel(ui, 0); break;
	case UI_ACT_END: ui_move_sel(ui, (int)ui->nrows - 1); break;
	case UI_ACT_LEFT: left_right(ui, -1); break;
	case UI_ACT_RIGHT: left_right(ui, 1); break;
	case UI_ACT_EXPAND: expand(ui, true); break;
	case UI_ACT_COLLAPSE: expand(ui, false); break;
	case UI_ACT_EXPAND_ALL: ui_expand_all(ui); break;
	case UI_ACT_SETUP: ui_setup_open(ui); break;
	case UI_ACT_USER: ui_user_menu(ui); break;
	case UI_ACT_KTHREADS:
		ui->hide_kthreads = !ui->hide_kthreads;
		ui_message(ui, THEME_STATUS, "Kernel threads %s", ui->hide_kthreads ? "hidden" : "shown");
		ui_redo(ui, UI_REDO_REBUILD);
		break;
	case UI_ACT_THREADS:
		ui_message(ui, THEME_STATUS, "nstop lists processes, not their threads (--columns nlwp counts them)");
		break;
	case UI_ACT_MERGED:
		ui_message(ui, THEME_STATUS, "The Command column always shows the whole command line (w: one argument a line)");
		break;
	case UI_ACT_SORT_MENU: ui_sort_menu(ui); break;
	case UI_ACT_SORT_CPU: ui_sort_by(ui, "cpu"); break;
	case UI_ACT_SORT_MEM: ui_sort_by(ui, "rss"); break;
	case UI_ACT_SORT_TIME: ui_sort_by(ui, NULL); break;
	case UI_ACT_SORT_PID: ui_sort_by(ui, "pid"); break;
	case UI_ACT_FOLLOW: {
		const struct scan_proc *p = ui_selected_proc(ui);
		ui->follow[v] = true;
		if (p)
			ui_message(ui, THEME_STATUS, "Following PID %d", (int)p->pid);
		break;
	}
	case UI_ACT_NICE_DOWN: ui_nice(ui, -1); break;
	case UI_ACT_NICE_UP: ui_nice(ui, 1); break;
	case UI_ACT_TAG_CHILDREN: ui_tag_children(ui); break;
	case UI_ACT_CMDLINE: ui_text_open(ui, 'w'); break;
	case UI_ACT_ENVIRON: ui_text_open(ui, 'e'); break;
	case UI_ACT_FILES: ui_text_open(ui, 'l'); break;
	case UI_ACT_STRACE: ui_strace(ui); break;
	case UI_ACT_PAUSE:
		ui->paused = !ui->paused;
		ui_message(ui, THEME_STATUS, "%s", ui->paused ? "Paused (Z: resume)" : "Resumed");
		break;
	case UI_ACT_METERS: ui->no_meters = !ui->no_meters; break;
	case UI_ACT_NEXT_VIEW: ui_redo_view(ui, (int)v + 1); break;
	case UI_ACT_PREV_VIEW: ui_redo_view(ui, (int)v - 1); break;
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
		ui_redo(ui, UI_REDO_REBUILD);
		break;
	case UI_ACT_SORT_INVERT:
		ui->invert[v] = !ui->invert[v];
		ui_redo(ui, UI_REDO_REBUILD);
		break;
	case UI_ACT_SIGNAL:
		if (!ui->ntags && !ui_selected_proc(ui) && !ui_selected_container(ui)) {
			ui_message(ui, THEME_ERROR, "Select a process first");
			break;
		}
		ui_signal_open(ui);
		break;
	case UI_ACT_TAG: toggle_tag(ui); break;
	case UI_ACT_UNTAG_ALL:
		ui->ntags = 0;
		ui_message(ui, THEME_STATUS, "No process tagged");
		break;
	case UI_ACT_VIEW_FROM: {
		const struct scan_proc *p = ui_selected_proc(ui);
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
			ui_redo(ui, UI_REDO_REBUILD);
		}
		break;
	case UI_ACT_PATHS: cycle_paths(ui); break;
	case UI_ACT_DETAIL:
		ui->detail = !ui->detail;
		if (ui->detail && ui->view == UI_VIEW_PROCS)
			ui_redo(ui, UI_REDO_REFRESH);
		break;
	case UI_ACT_REDRAW: clearok(curscr, TRUE); break;
	case UI_ACT_JUMP_PID: jump_pid(ui, key); break;
	case UI_ACT_MENU: ui_act_menu(ui); break;
	case UI_ACT_LAUNCH: ui_launch_open(ui); break;
	case UI_ACT_FREEZE: ask_freeze(ui); break;
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

static void prompt_key(struct ui_state *ui, int key)
{
	bool search = ui->prompt == UI_PROMPT_SEARCH;
	size_t len = strlen(ui->input);

	if (key == UI_KEY_ESC) {
		ui->prompt = UI_PROMPT_NONE;
		if (!search) {
			ui->filter[0] = '\0';
			ui_redo(ui, UI_REDO_REBUILD);
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
		ui_redo(ui, UI_REDO_REBUILD);
	}
}

static void mouse_event(struct ui_state *ui, MEVENT ev)
{
	enum ui_view v = ui->view;

	if (ui->help || ui->small)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		ui_move_sel(ui, ui->sel[v] - 3);
		return;
	}
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED) {
		ui_move_sel(ui, ui->sel[v] + 3);
		return;
	}
#endif
	/* The press acts; the release is its own event, read at once (it is
	 * in the mask) and dropped here, never taken for a second click. */
	if (!(ev.bstate & BUTTON1_PRESSED))
		return;
	if (ev.y == ui->tab_y) {
		for (int i = 0; i < UI_NVIEWS; i++)
			if (ev.x >= ui->tab_x[i] && ev.x < ui->tab_x[i + 1])
				ui_redo_view(ui, i);
		return;
	}
	if (ev.y == ui->title_y && ui->ncols[v]) {
		int c = ui->ncols[v] - 1;
		while (c > 0 && (ui->cols[v][c].x < 0 || ev.x < ui->cols[v][c].x))
			c--;
		if (ui->sort[v] == c)
			ui->invert[v] = !ui->invert[v];
		ui->sort[v] = c;
		ui->sort_time = false;
		ui_message(ui, THEME_STATUS, "Sorted by %s", ui->cols[v][c].header);
		ui_redo(ui, UI_REDO_REBUILD);
		return;
	}
	if (ev.y >= ui->table_y && ev.y < ui->table_y + ui->table_h) {
		int r = ui->top[v] + ev.y - ui->table_y;
		if (r < (int)ui->nrows)
			ui_move_sel(ui, r);
	}
}

/* One KEY_MOUSE can stand for several events: a press and its release
 * that were both waiting when getch read them (the view was busy with a
 * refresh, or a slow link delivered them together). getmouse hands them
 * over newest first, one per call, so read only once it gives the
 * release and the press, the one that acts, is lost. All of them, then,
 * acted on oldest first. */
static void mouse_key(struct ui_state *ui)
{
	MEVENT ev[16];
	int n = 0;

	while (n < (int)(sizeof(ev) / sizeof(ev[0])) && getmouse(&ev[n]) == OK)
		n++;
	while (n-- > 0)
		mouse_event(ui, ev[n]);
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
	if (ch >= KEY_F(1) && ch <= KEY_F(24))
		return UI_KEY_F(ch - KEY_F0);
	return ch >= 0 && ch < 0x100 ? ch : UI_KEY_NONE;
}

/* An Alt-letter: htop binds none, nor does nstop; the status line says
 * so (before, Alt-k was Esc and then k, the signal menu). */
static void alt_key(struct ui_state *ui, int c)
{
	char name[16];

	ui_key_name(UI_KEY_ALT(c), name, sizeof(name));
	ui_message(ui, THEME_STATUS, "%s: no action", name);
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
	    (key == 'q' && (!ui->modal || ui->modal->q_quits) && ui->prompt != UI_PROMPT_SEARCH &&
	     ui->prompt != UI_PROMPT_FILTER))
		return false;
	if (ui->small)
		return true;
	if (ui->wait && key == UI_KEY_ESC) {
		ui_wait_end(ui, true);
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
		/* a menu's pick is a key of the table, done once it has closed */
		if (ui->posted_key) {
			key = ui->posted_key;
			ui->posted_key = 0;
			/* on the rows as the menu's choice left them */
			ui_redo_apply(ui);
			(void)do_action(ui, ui_key_action(key), key);
		}
		return true;
	}
	switch (ui->prompt) {
	case UI_PROMPT_SEARCH:
	case UI_PROMPT_FILTER:
		prompt_key(ui, key);
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

static int setup(struct ui_state *ui, const struct ui_opts *opts, struct nst_err *err)
{
	const char *e;
	int rc;

	nst_config_defaults(&ui->cfg);
	if (nst_config_default_path(ui->cfg_path, sizeof(ui->cfg_path)) &&
	    nst_config_load(ui->cfg_path, &ui->cfg, err) < 0) {
		ui_message(ui, THEME_ERROR, "%s", err->msg);
		nst_config_defaults(&ui->cfg);
		nst_err_clear(err);
	}
	ui->interval = opts->interval > 0 ? opts->interval :
		       ui->cfg.interval > 0 ? ui->cfg.interval : 2.0;
	ui->view_from = opts->view_from;
	e = getenv("NSTOP_UI_MAX_REFRESHES");
	if (e)
		ui->max_refreshes = strtoul(e, NULL, 10);

	if ((rc = rt_ctx_open(&ui->rt, err)) < 0)
		return rc;
	if ((rc = scan_ctx_open_live(&ui->rt, &ui->scan, err)) < 0)
		return rc;
	if (sample_store_new(UI_SAMPLES, &ui->samples) < 0)
		return nst_err_set(err, ENOMEM, "samples: %s", strerror(ENOMEM));
	if (ui_columns_init(ui, err) < 0) {
		ui_message(ui, THEME_ERROR, "%s; the defaults instead", err->msg);
		nst_err_clear(err);
	}
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
		struct scan_opts o = ui_scan_opts(ui);
		if ((rc = scan_snapshot(ui->scan, &o, &ui->snap, err)) < 0)
			return rc;
		sample_store_add(ui->samples, ui->snap);
		ui_iso_attach(ui);
	}

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return nst_err_set(err, ENOTTY,
				   "the interactive view needs a terminal; use -b for batch output");
	if (!(ui_screen = newterm(NULL, stdout, stdin)))
		return nst_err_set(err, ENOTTY, "cannot use the terminal (TERM=%s)",
				   getenv("TERM") ? getenv("TERM") : "");
	ui_curses_on = 1;
	install_signals();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	/* An Esc alone acts after 25 ms, as in htop; the rest of a key's or a
	 * click's sequence come later than that is read by ui-input.c. Over a
	 * slow link ESCDELAY, curses' own variable, says how long curses is to
	 * wait instead: newterm read it, and it stays. */
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	/* The release too: left out of the mask, ncurses keeps it queued and
	 * hands it over with the next key, as a second press. */
	mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
		  | BUTTON5_PRESSED
#endif
		  , NULL);
	mouseinterval(0);
	/* no-color.org: NO_COLOR set and not empty means no colour at all
	 * (bold and reverse still mark the cursor and the headers) */
	const char *no_color = getenv("NO_COLOR");
	ui->color = !(no_color && no_color[0]) && has_colors() && start_color() == OK;
	if (ui->color)
		use_default_colors();
	load_theme(ui, opts->theme ? opts->theme : ui->cfg.theme);
	ui_theme_apply(ui);
	ui_rebuild(ui);
	return 0;
}

static void teardown(struct ui_state *ui)
{
	ui_modal_close(ui);
	if (ui->wait)
		ui_wait_end(ui, false);
	ui_launch_free(ui);
	if (ui_curses_on) {
		endwin();
		ui_curses_on = 0;
		delscreen(ui_screen);
		ui_screen = NULL;
	}
	snapshot_free(ui->snap);
	ui_iso_free(ui);
	sample_store_free(ui->samples);
	if (ui->scan)
		scan_ctx_free(ui->scan);
	rt_ctx_close(&ui->rt);
	ui_strset_clear(&ui->collapsed);
	ui_strset_clear(&ui->expanded);
	free(ui->rows);
	free(ui->tags);
	free(ui->containers);
	free(ui->ctr_net);
	ui_nsnet_free(ui);
}

int ui_main(const struct ui_opts *opts, struct nst_err *err)
{
	struct ui_state *ui;
	double next;
	int rc, sig;

	/* First: without curses, one line and nothing made (and the loader
	 * wants the host's root and mount namespace, which this still has). */
	if ((rc = ui_curses_load(err)) < 0)
		return rc;
	if (!(ui = calloc(1, sizeof(*ui))))
		return nst_err_set(err, ENOMEM, "%s", strerror(ENOMEM));
	ui->rt.root.proc_fd = ui->rt.root.cg_fd = -1;
	if ((rc = setup(ui, opts, err)) < 0)
		goto out;
	next = ui_now() + ui->interval;
	while (!ui_quit_signal) {
		double now = ui_now();
		int ch, wait;

		if (now >= next) {
			/* Z: the screen stands still, keys still act on it. */
			if (!ui->paused)
				ui_take_snapshot(ui);
			next = now + ui->interval;
			if (ui->max_refreshes && ui->refreshes >= ui->max_refreshes)
				break;
		}
		if (ui->wait)
			ui_wait_check(ui);
		/* what the last key or wait asked for, in one place */
		ui_redo_apply(ui);
		ui_draw(ui);
		wait = (int)((next - ui_now()) * 1000) + 1;
		if (ui->wait && wait > 100)
			wait = 100;
		timeout(wait < 1 ? 1 : wait > 1000 ? 1000 : wait);
		ch = getch();
		if (ch == ERR)
			continue;
		/* Alt-letter arrives as Esc and the letter at once: one key,
		 * as htop reads it, never Esc followed by the letter's action. */
		if (ch == 27) {
			int next_ch;
			nodelay(stdscr, TRUE);
			next_ch = getch();
			nodelay(stdscr, FALSE);
			/* Esc and '[' or 'O' that curses left: a key's or a
			 * click's sequence whose rest came after ESCDELAY. */
			if ((next_ch == '[' || next_ch == 'O') && ui_input_late_seq(next_ch))
				continue;
			if (next_ch != ERR && next_ch > 0x20 && next_ch < 0x7f) {
				alt_key(ui, next_ch);
				continue;
			}
			if (next_ch != ERR)
				ungetch(next_ch);
			else
				ui_input_lone_esc();
		} else if (ui_input_after_esc(ch)) {
			continue;
		}
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
