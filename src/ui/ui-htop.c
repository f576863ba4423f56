/*
 * htop's keys that nstop had no action for: the sort menu (F6 . , < >), the
 * user filter (u), tagging a subtree (c), expanding every row (*), the
 * setup screen (F2 S C), nice (F7 F8 ] [), strace (s), and the text screens
 * of one process: its command line (w), environment (e) and open files (l,
 * htop's lsof screen, read from /proc).
 *
 * What a process's /proc files say is its own data: shown as text, with
 * control bytes made visible, never used as a path or a command.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ui-impl.h"
#include "ui-keymap.h"
#include "ui-curses.h"

/* ---- sort ------------------------------------------------------------------------- */

#define SORT_BY_TIME (-2L)

static void sort_chosen(struct ui_state *ui, long c)
{
	enum ui_view v = ui->view;

	ui->sort_time = c == SORT_BY_TIME;
	ui->sort[v] = c >= 0 ? (int)c : -1;
	ui_message(ui, THEME_STATUS, "Sorted by %s",
		   c >= 0 ? ui->cols[v][c].header : "TIME (cpu time used)");
	ui_redo(ui, UI_REDO_REBUILD);
}

void ui_sort_menu(struct ui_state *ui)
{
	enum ui_view v = ui->view;
	struct ui_pick *p;

	if (v == UI_VIEW_CONTAINERS || !ui->ncols[v]) {
		ui_message(ui, THEME_STATUS, "This view has its own order");
		return;
	}
	if (!(p = ui_pick_new(ui, "Sort by", sort_chosen)))
		return;
	for (int i = 0; i < ui->ncols[v]; i++) {
		if (i == ui->sort[v])
			p->sel = p->n;
		ui_pick_add(p, i, ui->cols[v][i].header);
	}
	if (v == UI_VIEW_PROCS) {
		if (ui->sort_time && ui->sort[v] < 0)
			p->sel = p->n;
		ui_pick_add(p, SORT_BY_TIME, "TIME (cpu time used)");
	}
	ui_pick_open(ui, p);
}

/* P, M, N: a column of the Processes view by its field name; T by time. */
void ui_sort_by(struct ui_state *ui, const char *field)
{
	int c;

	if (ui->view != UI_VIEW_PROCS)
		ui_redo_view(ui, UI_VIEW_PROCS);
	if (!field) {
		ui->invert[UI_VIEW_PROCS] = false;
		sort_chosen(ui, SORT_BY_TIME);
		return;
	}
	if ((c = ui_sort_by_name(ui, field)) < 0) {
		ui_message(ui, THEME_ERROR, "No %s column on screen (see --columns)", field);
		return;
	}
	/* htop: the number columns most first, PID lowest first. */
	ui->invert[UI_VIEW_PROCS] = strcmp(field, "pid") == 0;
	sort_chosen(ui, c);
}

/* ---- u: one user's processes --------------------------------------------------- */

static void user_chosen(struct ui_state *ui, long uid)
{
	ui->user_only = uid >= 0;
	ui->user_uid = uid >= 0 ? (uid_t)uid : 0;
	if (uid < 0) {
		ui_message(ui, THEME_STATUS, "All users");
	} else {
		const char *name = "?";
		for (size_t i = 0; i < ui->snap->nprocs; i++)
			if (ui->snap->procs[i].uid == (uid_t)uid)
				name = ui->snap->procs[i].user;
		ui_message(ui, THEME_STATUS, "Only %s's processes (u: all users)", name);
	}
	ui_redo(ui, UI_REDO_REBUILD);
}

static int cmp_label(const void *a, const void *b)
{
	return strcmp(a, b);
}

void ui_user_menu(struct ui_state *ui)
{
	struct ui_pick *p = ui_pick_new(ui, "Show processes of", user_chosen);
	char seen[UI_PICK_MAX][64];
	long uid[UI_PICK_MAX];
	int n = 0;

	if (!p)
		return;
	ui_pick_add(p, -1, "All users");
	for (size_t i = 0; i < ui->snap->nprocs && n < UI_PICK_MAX - 1; i++) {
		const struct scan_proc *q = &ui->snap->procs[i];
		bool dup = false;
		for (int k = 0; k < n && !dup; k++)
			dup = uid[k] == (long)q->uid;
		if (dup)
			continue;
		uid[n] = q->uid;
		snprintf(seen[n++], sizeof(seen[0]), "%s", q->user[0] ? q->user : "?");
	}
	/* Sorted by name, as htop's list; the uid goes along. */
	for (int i = 0; i < n; i++) {
		int m = i;
		for (int k = i + 1; k < n; k++)
			if (cmp_label(seen[k], seen[m]) < 0)
				m = k;
		char t[64];
		long tu = uid[i];
		memcpy(t, seen[i], sizeof(t));
		memcpy(seen[i], seen[m], sizeof(t));
		memcpy(seen[m], t, sizeof(t));
		uid[i] = uid[m];
		uid[m] = tu;
		if (ui->user_only && uid[i] == (long)ui->user_uid)
			p->sel = p->n;
		ui_pick_add(p, uid[i], seen[i]);
	}
	ui_pick_open(ui, p);
}

/* ---- c and *: subtrees ---------------------------------------------------------- */

/* htop's c: the process and every descendant, tagged. */
void ui_tag_children(struct ui_state *ui)
{
	const struct scan_proc *p = ui_selected_proc(ui);
	const struct snapshot *s = ui->snap;
	pid_t *queue;
	size_t n = 0;

	if (!p) {
		ui_message(ui, THEME_ERROR, "Tag: select a process first");
		return;
	}
	if (!(queue = calloc(s->nprocs + 1, sizeof(*queue)))) {
		ui_message(ui, THEME_ERROR, "%s", strerror(ENOMEM));
		return;
	}
	queue[n++] = p->pid;
	/* Breadth first: each process is some process's child at most once. */
	for (size_t k = 0; k < n; k++) {
		ui_tag_add(ui, queue[k]);
		for (size_t i = 0; i < s->nprocs && n <= s->nprocs; i++)
			if (s->procs[i].ppid == queue[k] && s->procs[i].pid != queue[k])
				queue[n++] = s->procs[i].pid;
	}
	free(queue);
	ui_message(ui, THEME_STATUS, "%zu processes tagged", ui->ntags);
}

/* htop's *: every row expanded, or every one collapsed when none is. */
void ui_expand_all(struct ui_state *ui)
{
	bool any_collapsed = false;
	char key[CG_PATH_MAX + 32];

	for (size_t i = 0; i < ui->nrows; i++)
		if (ui->rows[i].children && !ui->rows[i].expanded)
			any_collapsed = true;
	if (any_collapsed) {
		ui_strset_clear(&ui->collapsed);
		for (size_t i = 0; i < ui->nrows; i++)
			if (ui->rows[i].kind == UI_ROW_NS && ui->rows[i].children) {
				ui_row_key(ui, &ui->rows[i], key, sizeof(key));
				ui_strset_toggle(&ui->expanded, key, true);
			}
		ui_message(ui, THEME_STATUS, "Every row expanded");
	} else {
		ui_strset_clear(&ui->expanded);
		for (size_t i = 0; i < ui->nrows; i++)
			if (ui->rows[i].children && ui->rows[i].kind != UI_ROW_NS) {
				ui_row_key(ui, &ui->rows[i], key, sizeof(key));
				ui_strset_toggle(&ui->collapsed, key, true);
			}
		ui_message(ui, THEME_STATUS, "Every row collapsed");
	}
	ui_redo(ui, UI_REDO_REBUILD);
}

/* ---- F7 F8: nice ------------------------------------------------------------------ */

/* As htop: at once, to the tagged processes or the selected one. Only
 * root may lower a nice value; the kernel says so otherwise. */
void ui_nice(struct ui_state *ui, int delta)
{
	const struct scan_proc *p = ui_selected_proc(ui);
	size_t n = ui->ntags ? ui->ntags : (p ? 1 : 0), bad = 0;
	int err = 0, last = 0;

	if (!n) {
		ui_message(ui, THEME_ERROR, "Nice: select a process first");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		pid_t pid = ui->ntags ? ui->tags[i] : p->pid;
		int cur;

		errno = 0;
		cur = getpriority(PRIO_PROCESS, (id_t)pid);
		if ((cur == -1 && errno) ||
		    setpriority(PRIO_PROCESS, (id_t)pid, cur + delta) < 0) {
			bad++;
			err = errno;
			continue;
		}
		last = getpriority(PRIO_PROCESS, (id_t)pid);
	}
	if (bad)
		ui_message(ui, THEME_ERROR, "Nice %+d: failed for %zu of %zu: %s", delta, bad, n,
			   strerror(err));
	else if (n == 1)
		ui_message(ui, THEME_STATUS, "PID %d: nice %d", (int)(ui->ntags ? ui->tags[0] : p->pid),
			   last);
	else
		ui_message(ui, THEME_STATUS, "Nice %+d for %zu processes", delta, n);
}

/* ---- s: strace --------------------------------------------------------------------- */

static bool in_path(const char *cmd, char *out, size_t size)
{
	const char *path = getenv("PATH");
	char buf[4096], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path && *path ? path : "/usr/bin:/bin:/usr/sbin:/sbin");
	for (char *d = strtok_r(buf, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(out, size, "%s/%s", d, cmd);
		if (access(out, X_OK) == 0)
			return true;
	}
	return false;
}

/* The terminal goes to strace -p until Ctrl-C; ui_resume takes the
 * terminal back for nstop's process group. */
void ui_strace(struct ui_state *ui)
{
	const struct scan_proc *p = ui_selected_proc(ui);
	struct sigaction ign = { .sa_handler = SIG_IGN }, oint, oquit;
	char exe[4200], pid[16];
	int status = 0;
	pid_t child;

	if (!p) {
		ui_message(ui, THEME_ERROR, "Strace: select a process first");
		return;
	}
	if (!in_path("strace", exe, sizeof(exe))) {
		ui_message(ui, THEME_ERROR, "Strace: strace is not installed (apt-get install strace)");
		return;
	}
	snprintf(pid, sizeof(pid), "%d", (int)p->pid);
	ui_suspend(ui);
	printf("nstop: strace -p %s (%s); Ctrl-C ends it and comes back\n", pid, p->comm);
	fflush(stdout);
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	child = fork();
	if (child == 0) {
		/* A job of its own in the terminal's foreground, as a shell
		 * starts one: Ctrl-C goes to strace alone. */
		setpgid(0, 0);
		signal(SIGTTOU, SIG_IGN);
		tcsetpgrp(STDIN_FILENO, getpid());
		signal(SIGTTOU, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		execl(exe, "strace", "-p", pid, (char *)NULL);
		_exit(127);
	}
	if (child > 0) {
		setpgid(child, child);
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
	}
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	ui_resume(ui);
	if (child < 0)
		ui_message(ui, THEME_ERROR, "Strace: fork: %s", strerror(errno));
	else
		ui_message(ui, THEME_STATUS, "Back from strace -p %s", pid);
}

/* ---- w e l: text screens of one process ------------------------------------------- */

struct ui_text {
	char title[160];
	char **line;
	size_t n, cap;
	int top;
	int left;
};

static void text_add(struct ui_text *t, const char *s, size_t len)
{
	char *l;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **v = realloc(t->line, cap * sizeof(*v));
		if (!v)
			return;
		t->line = v;
		t->cap = cap;
	}
	if (!(l = malloc(len * 4 + 1)))
		return;
	/* The process's bytes: control characters shown, not sent to the terminal. */
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			o += (size_t)sprintf(l + o, "\\x%02x", c);
		else
			l[o++] = (char)c;
	}
	l[o] = '\0';
	t->line[t->n++] = l;
}

static void text_close(struct ui_state *ui)
{
	struct ui_text *t = ui->modal_data;

	for (size_t i = 0; i < t->n; i++)
		free(t->line[i]);
	free(t->line);
	free(t);
}

static void text_key(struct ui_state *ui, int key)
{
	struct ui_text *t = ui->modal_data;
	int page = ui->table_h > 2 ? ui->table_h - 2 : 1;

	switch (key) {
	case UI_KEY_ESC: case 'q': case UI_KEY_ENTER:
		ui_modal_close(ui);
		return;
	case UI_KEY_UP: t->top--; break;
	case UI_KEY_DOWN: t->top++; break;
	case UI_KEY_PGUP: t->top -= page; break;
	case UI_KEY_PGDN: case ' ': t->top += page; break;
	case UI_KEY_HOME: t->top = 0; break;
	case UI_KEY_END: t->top = (int)t->n; break;
	case UI_KEY_LEFT: t->left = t->left > 8 ? t->left - 8 : 0; break;
	case UI_KEY_RIGHT: t->left += 8; break;
	}
}

static void text_draw(struct ui_state *ui, int y, int h, int w)
{
	struct ui_text *t = ui->modal_data;
	int rows = h - 2;

	if (t->top > (int)t->n - rows)
		t->top = (int)t->n - rows;
	if (t->top < 0)
		t->top = 0;
	attron(ui->attr[THEME_HEADER]);
	mvprintw(y, 0, " %-*.*s", w - 1, w - 1, t->title);
	attroff(ui->attr[THEME_HEADER]);
	for (int r = 0; r < rows && t->top + r < (int)t->n; r++) {
		const char *l = t->line[t->top + r];
		int len = (int)strlen(l);
		mvaddnstr(y + 1 + r, 0, t->left < len ? l + t->left : "", w);
	}
	attron(ui->attr[THEME_STATUS]);
	mvprintw(y + h - 1, 0, "%-*.*s", w, w,
		 " Up/Down/PgUp/PgDn scroll, Left/Right too; Esc or q: back");
	attroff(ui->attr[THEME_STATUS]);
}

static const struct ui_modal text_modal = {
	.name = "text", .key = text_key, .draw = text_draw, .close = text_close,
};

/* The whole of /proc/PID/NAME, at most 1 MiB, through nstop's /proc. */
static char *proc_read(struct ui_state *ui, pid_t pid, const char *name, size_t *len, int *err)
{
	char path[64];
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap + 1);
	ssize_t r;
	int fd;

	*len = 0;
	if (!buf) {
		*err = ENOMEM;
		return NULL;
	}
	snprintf(path, sizeof(path), "%d/%s", (int)pid, name);
	fd = openat(ui->rt.root.proc_fd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		*err = errno;
		free(buf);
		return NULL;
	}
	while (n < cap && (r = read(fd, buf + n, cap - n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			*err = errno;
			close(fd);
			free(buf);
			return NULL;
		}
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* One line per NUL-separated string (the command line's arguments, the
 * environment's variables). */
static void text_nul_lines(struct ui_text *t, const char *buf, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t l = strnlen(buf + i, len - i);
		text_add(t, buf + i, l);
		i += l + 1;
	}
}

static void text_files(struct ui_state *ui, struct ui_text *t, pid_t pid, int *err)
{
	char path[300], line[600];
	DIR *d;
	int dfd;
	struct dirent *e;

	snprintf(path, sizeof(path), "%d/fd", (int)pid);
	dfd = openat(ui->rt.root.proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || !(d = fdopendir(dfd))) {
		*err = errno;
		if (dfd >= 0)
			close(dfd);
		return;
	}
	snprintf(line, sizeof(line), "%5s  %-5s %-4s %12s  %s", "FD", "TYPE", "MODE", "OFFSET", "NAME");
	text_add(t, line, strlen(line));
	while ((e = readdir(d))) {
		char target[4096] = "", info[512] = "", mode[5] = "";
		struct stat st;
		const char *type = "?";
		unsigned long long pos = 0;
		unsigned flags = 0;
		ssize_t n;
		int ifd;

		if (e->d_name[0] == '.')
			continue;
		n = readlinkat(dfd, e->d_name, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		if (fstatat(dfd, e->d_name, &st, 0) == 0)
			type = S_ISREG(st.st_mode) ? "REG" : S_ISDIR(st.st_mode) ? "DIR" :
			       S_ISCHR(st.st_mode) ? "CHR" : S_ISBLK(st.st_mode) ? "BLK" :
			       S_ISFIFO(st.st_mode) ? "FIFO" : S_ISSOCK(st.st_mode) ? "SOCK" : "?";
		snprintf(path, sizeof(path), "%d/fdinfo/%s", (int)pid, e->d_name);
		ifd = openat(ui->rt.root.proc_fd, path, O_RDONLY | O_CLOEXEC);
		if (ifd >= 0) {
			n = read(ifd, info, sizeof(info) - 1);
			info[n > 0 ? n : 0] = '\0';
			close(ifd);
			sscanf(info, "pos: %llu flags: %o", &pos, &flags);
			snprintf(mode, sizeof(mode), "%s", (flags & 3) == 0 ? "r" :
				 (flags & 3) == 1 ? "w" : "u");
		}
		snprintf(line, sizeof(line), "%5s  %-5s %-4s %12llu  %s", e->d_name, type, mode, pos,
			 target);
		text_add(t, line, strlen(line));
	}
	closedir(d);
	/* By descriptor number, as lsof lists them. */
	for (size_t i = 2; i < t->n; i++)
		for (size_t k = i; k > 1 && atoi(t->line[k - 1]) > atoi(t->line[k]); k--) {
			char *x = t->line[k];
			t->line[k] = t->line[k - 1];
			t->line[k - 1] = x;
		}
}

void ui_text_open(struct ui_state *ui, int what)
{
	const struct scan_proc *p = ui_selected_proc(ui);
	struct ui_text *t;
	size_t len = 0;
	int err = 0;
	char *buf = NULL;

	if (!p) {
		ui_message(ui, THEME_ERROR, "Select a process first");
		return;
	}
	if (!(t = calloc(1, sizeof(*t)))) {
		ui_message(ui, THEME_ERROR, "%s", strerror(ENOMEM));
		return;
	}
	switch (what) {
	case 'w':
		snprintf(t->title, sizeof(t->title), "Command line of PID %d (%s), one argument a line",
			 (int)p->pid, p->comm);
		if ((buf = proc_read(ui, p->pid, "cmdline", &len, &err)))
			text_nul_lines(t, buf, len);
		if (buf && !len)
			text_add(t, "(none: a kernel thread, or a zombie)", 36);
		break;
	case 'e':
		snprintf(t->title, sizeof(t->title), "Environment of PID %d (%s)", (int)p->pid, p->comm);
		if ((buf = proc_read(ui, p->pid, "environ", &len, &err)))
			text_nul_lines(t, buf, len);
		break;
	default:
		snprintf(t->title, sizeof(t->title), "Open files of PID %d (%s)", (int)p->pid, p->comm);
		text_files(ui, t, p->pid, &err);
		break;
	}
	free(buf);
	if (err) {
		ui_message(ui, THEME_ERROR, "PID %d: %s", (int)p->pid, strerror(err));
		ui->modal_data = t;
		text_close(ui);
		ui->modal_data = NULL;
		return;
	}
	ui_modal_open(ui, &text_modal, t);
}

/* ---- F2 S C: setup ------------------------------------------------------------- */

static const double setup_intervals[] = { 0.1, 0.2, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60 };
#define SETUP_NINTERVALS ((int)(sizeof(setup_intervals) / sizeof(setup_intervals[0])))

struct ui_setup {
	int sel;		/* 0: the interval, 1: save */
};

static void setup_interval(struct ui_state *ui, int dir)
{
	int i;

	if (dir > 0) {
		for (i = 0; i < SETUP_NINTERVALS && setup_intervals[i] <= ui->interval + 1e-9; i++)
			;
		ui->interval = setup_intervals[i < SETUP_NINTERVALS ? i : SETUP_NINTERVALS - 1];
	} else {
		for (i = SETUP_NINTERVALS - 1; i >= 0 && setup_intervals[i] >= ui->interval - 1e-9; i--)
			;
		ui->interval = setup_intervals[i >= 0 ? i : 0];
	}
}

static void setup_save(struct ui_state *ui, void *arg)
{
	struct nst_config *c = &ui->cfg;
	int sc = ui->sort[UI_VIEW_PROCS];
	struct nst_err err;

	(void)arg;
	snprintf(c->theme, sizeof(c->theme), "%s", ui->theme_name);
	c->interval = ui->interval;
	if (sc >= 0 && sc < ui->ncols[UI_VIEW_PROCS])
		snprintf(c->sort, sizeof(c->sort), "%s", ui->cols[UI_VIEW_PROCS][sc].pf->name);
	c->sort_reverse = ui->invert[UI_VIEW_PROCS];
	snprintf(c->view, sizeof(c->view), "%s", ui_view_name(ui->view));
	c->tree = ui->tree[UI_VIEW_PROCS];
	nst_err_clear(&err);
	if (nst_config_save(ui->cfg_path, c, &err) < 0)
		ui_message(ui, THEME_ERROR, "save: %s", err.msg);
	else
		ui_message(ui, THEME_STATUS, "Saved to %s", ui->cfg_path);
}

static void setup_key(struct ui_state *ui, int key)
{
	struct ui_setup *s = ui->modal_data;
	char q[PATH_MAX + 64];

	switch (key) {
	case UI_KEY_ESC: case 'q':
		ui_modal_close(ui);
		return;
	case UI_KEY_UP: s->sel = 0; return;
	case UI_KEY_DOWN: s->sel = 1; return;
	case UI_KEY_LEFT: case '-':
		setup_interval(ui, 1);
		return;
	case UI_KEY_RIGHT: case '+': case '=':
		setup_interval(ui, -1);
		return;
	case UI_KEY_ENTER:
		if (s->sel == 0)
			return;
		if (!ui->cfg_path[0]) {
			ui_message(ui, THEME_ERROR, "save: neither XDG_CONFIG_HOME nor HOME is set");
			return;
		}
		snprintf(q, sizeof(q), "Write theme, interval, sort, view and tree to %s?", ui->cfg_path);
		ui_confirm(ui, "Save the settings", q, "Nothing saved", setup_save, NULL);
		return;
	}
}

static void setup_draw(struct ui_state *ui, int y, int h, int w)
{
	const struct ui_setup *s = ui->modal_data;
	char l[2][PATH_MAX + 64];
	int bw = 66, by, bx;

	snprintf(l[0], sizeof(l[0]), "Refresh every %gs   (Left/Right or -/+: slower, faster)",
		 ui->interval);
	snprintf(l[1], sizeof(l[1]), "Save the settings to %s", ui->cfg_path[0] ? ui->cfg_path : "(no HOME)");
	if ((int)strlen(l[1]) + 4 > bw)
		bw = (int)strlen(l[1]) + 4;
	ui_box(ui, y, h, w, bw, 4, &by, &bx);
	bw = bw > w ? w : bw;
	ui_box_line(ui, by, bx, bw, THEME_HEADER, "Setup");
	for (int i = 0; i < 2; i++) {
		int a = i == s->sel ? ui->attr[THEME_SELECTED] : ui->attr[THEME_NORMAL];
		attron(a);
		mvprintw(by + 1 + i, bx, "  %-*.*s", bw - 2, bw - 2, l[i]);
		attroff(a);
	}
	ui_box_line(ui, by + 3, bx, bw, THEME_STATUS, "Up/Down, Enter: save (asks first), Esc: close");
}

static void setup_close(struct ui_state *ui)
{
	free(ui->modal_data);
}

static const struct ui_modal setup_modal = {
	.name = "setup", .key = setup_key, .draw = setup_draw, .close = setup_close,
};

void ui_setup_open(struct ui_state *ui)
{
	struct ui_setup *s = calloc(1, sizeof(*s));

	if (!s) {
		ui_message(ui, THEME_ERROR, "%s", strerror(ENOMEM));
		return;
	}
	ui_modal_open(ui, &setup_modal, s);
}
