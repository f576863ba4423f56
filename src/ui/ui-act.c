/*
 * The actions on a container from the TUI: the Enter menu, freeze and thaw,
 * move, enter, the log, kill and remove. Each answers in the status line;
 * what waits on the kernel (a freeze, a stop) is a ui_wait, so the screen
 * keeps refreshing and Esc gives up waiting.
 *
 * The container rows (ui->containers) are replaced by every refresh, and
 * a wait that is done at once refreshes inside ui_wait_start: every action
 * copies the name it works on before calling anything.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nstop/runtime.h"
#include "ui-impl.h"
#include "ui-keymap.h"
#include "ui-curses.h"

#define ACT_MENU_MAX 64	/* the containers to move into, at most */

/* ---- a small modal list: the Enter menu, the containers to move into -------- */

struct act_item {
	int key;		/* its own key; 0: none */
	char label[96];
	char arg[RT_NAME_MAX + 1];
};

struct act_menu {
	char title[128];
	struct act_item items[ACT_MENU_MAX];
	int n, sel;
	/* What picking an item does, called once the menu is closed. */
	void (*pick)(struct ui_state *ui, const struct act_item *it, pid_t *pids, size_t npids);
	pid_t *pids;		/* move: the processes to move */
	size_t npids;
};

static void menu_add(struct act_menu *m, int key, const char *arg, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void menu_add(struct act_menu *m, int key, const char *arg, const char *fmt, ...)
{
	struct act_item *it;
	va_list ap;

	if (m->n >= ACT_MENU_MAX)
		return;
	it = &m->items[m->n++];
	it->key = key;
	snprintf(it->arg, sizeof(it->arg), "%s", arg ? arg : "");
	va_start(ap, fmt);
	vsnprintf(it->label, sizeof(it->label), fmt, ap);
	va_end(ap);
}

static void menu_close(struct ui_state *ui)
{
	struct act_menu *m = ui->modal_data;

	if (m)
		free(m->pids);
	free(m);
}

static void menu_choose(struct ui_state *ui, int i)
{
	struct act_menu *m = ui->modal_data;
	struct act_item it = m->items[i];
	void (*pick)(struct ui_state *, const struct act_item *, pid_t *, size_t) = m->pick;
	pid_t *pids = m->pids;
	size_t npids = m->npids;

	/* The pick may open the next modal, which closes this one: take what
	 * it needs first. */
	m->pids = NULL;
	ui_modal_close(ui);
	pick(ui, &it, pids, npids);
	free(pids);
}

static void menu_key(struct ui_state *ui, int key)
{
	struct act_menu *m = ui->modal_data;

	switch (key) {
	case UI_KEY_ESC:
	case 'q':
		ui_modal_close(ui);
		return;
	case UI_KEY_UP:
		if (m->sel > 0)
			m->sel--;
		return;
	case UI_KEY_DOWN:
		if (m->sel + 1 < m->n)
			m->sel++;
		return;
	case UI_KEY_HOME:
		m->sel = 0;
		return;
	case UI_KEY_END:
		m->sel = m->n - 1;
		return;
	case UI_KEY_ENTER:
		if (m->n)
			menu_choose(ui, m->sel);
		return;
	}
	for (int i = 0; i < m->n; i++)
		if (m->items[i].key && m->items[i].key == key) {
			menu_choose(ui, i);
			return;
		}
}

static void menu_draw(struct ui_state *ui, int y, int h, int w)
{
	const struct act_menu *m = ui->modal_data;
	int bw = 50, by, bx, rows = m->n, top = 0;

	for (int i = 0; i < m->n; i++)
		if ((int)strlen(m->items[i].label) + 10 > bw)
			bw = (int)strlen(m->items[i].label) + 10;
	if ((int)strlen(m->title) + 4 > bw)
		bw = (int)strlen(m->title) + 4;
	if (bw > w)
		bw = w;
	/* More items than fit: a window that keeps the cursor in sight. */
	if (rows > h - 2)
		rows = h - 2 > 1 ? h - 2 : 1;
	if (m->sel >= rows)
		top = m->sel - rows + 1;
	ui_box(ui, y, h, w, bw, rows + 2, &by, &bx);
	ui_box_line(ui, by, bx, bw, THEME_HEADER, m->title);
	/* The labels start after the widest key ("F9"), one column apart. */
	int kw = 1;
	for (int i = 0; i < m->n; i++) {
		char k[16];
		if (m->items[i].key && (int)strlen(ui_key_name(m->items[i].key, k, sizeof(k))) > kw)
			kw = (int)strlen(k);
	}
	for (int r = 0; r < rows && top + r < m->n; r++) {
		int i = top + r;
		int a = i == m->sel ? ui->attr[THEME_SELECTED] : ui->attr[THEME_NORMAL];
		char key[16] = "";

		if (m->items[i].key)
			ui_key_name(m->items[i].key, key, sizeof(key));
		attron(a);
		mvprintw(by + 1 + r, bx, "%*s", bw, "");
		mvaddnstr(by + 1 + r, bx + 4 + kw, m->items[i].label, bw - 5 - kw);
		attroff(a);
		attron(a | ui->attr[THEME_KEY]);
		mvaddstr(by + 1 + r, bx + 2, key);
		attroff(a | ui->attr[THEME_KEY]);
	}
	attron(ui->attr[THEME_STATUS]);
	mvprintw(by + 1 + rows, bx, " %-*.*s", bw - 1, bw - 1,
		 "Up/Down, Enter or the item's key; Esc: close");
	attroff(ui->attr[THEME_STATUS]);
}

static const struct ui_modal act_menu_modal = {
	.name = "menu", .key = menu_key, .draw = menu_draw, .close = menu_close,
};

static struct act_menu *menu_new(struct ui_state *ui, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));


static struct act_menu *menu_new(struct ui_state *ui, const char *fmt, ...)
{
	struct act_menu *m = calloc(1, sizeof(*m));
	va_list ap;

	if (!m) {
		ui_message(ui, THEME_ERROR, "%s", strerror(ENOMEM));
		return NULL;
	}
	va_start(ap, fmt);
	vsnprintf(m->title, sizeof(m->title), fmt, ap);
	va_end(ap);
	return m;
}

/* The Enter menu's items are the keys of the table. */
static void pick_key(struct ui_state *ui, const struct act_item *it, pid_t *pids, size_t npids)
{
	(void)pids;
	(void)npids;
	ui_key_post(ui, it->key);
}

/* The menu's items: the key table's actions offered there, each with its
 * key and its help line, so that the menu, the help screen and the status
 * line cannot disagree. */
static void menu_from_keymap(struct act_menu *m, unsigned where, bool frozen)
{
	const struct ui_action_info *a[ACT_MENU_MAX];
	size_t n = ui_actions_in(where, a, ACT_MENU_MAX);

	for (size_t i = 0; i < n; i++) {
		if (a[i]->action == UI_ACT_FREEZE && frozen)
			menu_add(m, ui_action_key(a[i]->action), NULL, "thaw the container");
		else
			menu_add(m, ui_action_key(a[i]->action), NULL, "%s", a[i]->help);
	}
}

void ui_act_menu(struct ui_state *ui)
{
	const struct eng_ctr *c = ui_selected_container(ui);
	const struct scan_proc *p;
	struct act_menu *m;

	if (c) {
		const struct rt_state *own = c->own;
		/* another engine's paused one is not frozen by nstop */
		bool frozen = own && own->status == RT_FROZEN;
		bool live = frozen || (own ? own->status == RT_RUNNING : !c->paused);
		int code = eng_ctr_exit_code(c);

		if (code >= 0)
			m = menu_new(ui, "Container %s (%s %d)", eng_ctr_name(c), eng_ctr_state(c), code);
		else
			m = menu_new(ui, "Container %s (%s)", eng_ctr_name(c), eng_ctr_state(c));
		if (!m)
			return;
		/* One that ended has only its log left to read, and removing. */
		menu_from_keymap(m, live ? UI_IN_CTR_MENU : UI_IN_DEAD_MENU, frozen);
	} else if (ui->view == UI_VIEW_CONTAINERS) {
		if (!(m = menu_new(ui, "No container selected")))
			return;
		menu_add(m, ui_action_key(UI_ACT_LAUNCH), NULL, "%s",
			 ui_action_info(UI_ACT_LAUNCH)->help);
	} else if ((p = ui_selected_proc(ui))) {
		if (!(m = menu_new(ui, "Process %d (%.32s)", (int)p->pid, p->comm)))
			return;
		menu_from_keymap(m, UI_IN_PROC_MENU, false);
	} else {
		ui_message(ui, THEME_ERROR, "Menu: select a process or a container first");
		return;
	}
	m->pick = pick_key;
	ui_modal_open(ui, &act_menu_modal, m);
}

/* ---- freeze and thaw ----------------------------------------------------------- */

struct act_freeze {
	char name[RT_NAME_MAX + 1];
	bool freeze;
};

static int freeze_check(struct ui_state *ui, void *data)
{
	struct act_freeze *f = data;
	struct nst_err err;
	bool done = false;

	nst_err_clear(&err);
	if (rt_freeze_check(&ui->rt, f->name, f->freeze, &done, &err) < 0) {
		ui_message(ui, THEME_ERROR, "%s %s: %s", f->freeze ? "Freeze" : "Thaw", f->name,
			   err.msg);
		return -1;
	}
	if (!done)
		return 0;
	ui_message(ui, THEME_STATUS, "%s %s", f->freeze ? "Froze" : "Thawed", f->name);
	return 1;
}

static void freeze_cancel(struct ui_state *ui, void *data)
{
	struct act_freeze *f = data;
	struct nst_err err;

	nst_err_clear(&err);
	/* A freeze half done is undone: nothing stays stuck in FREEZING. */
	if (rt_freeze_begin(&ui->rt, f->name, !f->freeze, &err) < 0)
		ui_message(ui, THEME_ERROR, "%s %s cancelled, but: %s",
			   f->freeze ? "Freeze" : "Thaw", f->name, err.msg);
	else
		ui_message(ui, THEME_STATUS, "%s %s cancelled: %s again",
			   f->freeze ? "Freeze" : "Thaw", f->name, f->freeze ? "thawed" : "frozen");
	ui_redo(ui, UI_REDO_REFRESH);
}

void ui_act_freeze(struct ui_state *ui)
{
	char name[RT_NAME_MAX + 1], what[160];
	enum rt_status status;
	struct act_freeze *f;
	struct rt_state st;
	struct nst_err err;

	if (!ui_container_pick(ui, "Freeze", name, &status))
		return;
	if (ui->wait) {
		ui_message(ui, THEME_ERROR, "Still busy: %s (Esc cancels it)", ui->wait->what);
		return;
	}
	if (!(f = calloc(1, sizeof(*f)))) {
		ui_message(ui, THEME_ERROR, "%s", strerror(ENOMEM));
		return;
	}
	snprintf(f->name, sizeof(f->name), "%s", name);
	/* The row may be a refresh old (a freeze from the command line since):
	 * the kernel says which way to go. */
	nst_err_clear(&err);
	if (rt_state_load(&ui->rt, name, &st, &err) == 0)
		f->freeze = st.status != RT_FROZEN;
	else
		f->freeze = status != RT_FROZEN;
	nst_err_clear(&err);
	if (rt_freeze_begin(&ui->rt, name, f->freeze, &err) < 0) {
		ui_message(ui, THEME_ERROR, "%s %s: %s", f->freeze ? "Freeze" : "Thaw", name, err.msg);
		free(f);
		return;
	}
	snprintf(what, sizeof(what), "%s %s", f->freeze ? "Freezing" : "Thawing", name);
	ui_wait_start(ui, what, freeze_check, freeze_cancel, f);
}

/* ---- move ----------------------------------------------------------------------- */

/* Moves each pid into name; says what was moved and the first refusal. */
static void move_pids(struct ui_state *ui, const char *name, const pid_t *pids, size_t n)
{
	char moved[256] = "", why[sizeof(((struct nst_err *)0)->msg)] = "";
	size_t ok = 0, bad = 0, len = 0;
	struct nst_err err;

	for (size_t i = 0; i < n; i++) {
		nst_err_clear(&err);
		if (rt_move(&ui->rt, pids[i], name, &err) < 0) {
			if (!bad++)
				snprintf(why, sizeof(why), "%s", err.msg);
			continue;
		}
		ok++;
		if (len + 16 < sizeof(moved))
			len += (size_t)snprintf(moved + len, sizeof(moved) - len, "%s%d",
						len ? " " : "", (int)pids[i]);
	}
	/* A process moved into a frozen cgroup freezes at once: say so. */
	struct rt_state st;
	const char *frozen = "";
	nst_err_clear(&err);
	if (ok && rt_state_load(&ui->rt, name, &st, &err) == 0 && st.status == RT_FROZEN)
		frozen = ok == 1 ? " (it is frozen now, as the container is)" :
				   " (they are frozen now, as the container is)";
	if (bad && ok)
		ui_message(ui, THEME_ERROR, "Moved %s into %s%s; %zu not: %s", moved, name, frozen,
			   bad, why);
	else if (bad)
		ui_message(ui, THEME_ERROR, "Move into %s: %s", name, why);
	else
		ui_message(ui, THEME_STATUS, "Moved %s into %s%s", moved, name, frozen);
	ui_redo(ui, UI_REDO_REFRESH);
}

/* The prompt "Move PID into NAME:" of a container row. */
struct act_prompt {
	char name[RT_NAME_MAX + 1];
	char text[256];
};

static void move_prompt_key(struct ui_state *ui, int key)
{
	struct act_prompt *p = ui->modal_data;
	char name[RT_NAME_MAX + 1], text[256], *s, *end;
	pid_t *pids;
	size_t n = 0;

	if (key == UI_KEY_ESC) {
		ui_modal_close(ui);
		ui_message(ui, THEME_STATUS, "Nothing moved");
		return;
	}
	if (key != UI_KEY_ENTER) {
		ui_edit_key(p->text, sizeof(p->text), key);
		return;
	}
	snprintf(name, sizeof(name), "%s", p->name);
	snprintf(text, sizeof(text), "%s", p->text);
	ui_modal_close(ui);
	if (!(pids = calloc(sizeof(text) / 2 + 1, sizeof(*pids)))) {
		ui_message(ui, THEME_ERROR, "%s", strerror(ENOMEM));
		return;
	}
	for (s = text; *s; s = end) {
		long v;

		while (*s == ' ' || *s == ',')
			s++;
		if (!*s)
			break;
		errno = 0;
		v = strtol(s, &end, 10);
		if (end == s || (*end && *end != ' ' && *end != ',') || errno || v <= 0 ||
		    v > 0x7fffffff) {
			ui_message(ui, THEME_ERROR, "Move into %s: '%.*s' is not a process id", name,
				   (int)strcspn(s, " ,"), s);
			free(pids);
			return;
		}
		pids[n++] = (pid_t)v;
	}
	if (!n)
		ui_message(ui, THEME_ERROR, "Move into %s: no PID given", name);
	else
		move_pids(ui, name, pids, n);
	free(pids);
}

static void move_prompt_draw(struct ui_state *ui, int y, int h, int w)
{
	const struct act_prompt *p = ui->modal_data;
	int bw = (int)(strlen(p->name) + strlen(p->text)) + 24, by, bx, len;
	char line[400];

	if (bw < 70)
		bw = 70;

	ui_box(ui, y, h, w, bw, 3, &by, &bx);
	bw = bw > w ? w : bw;
	snprintf(line, sizeof(line), "Move PID into %s", p->name);
	ui_box_line(ui, by, bx, bw, THEME_HEADER, line);
	snprintf(line, sizeof(line), " Move PID into %s: %s_", p->name, p->text);
	len = (int)strlen(line);
	attron(ui->attr[THEME_NORMAL]);
	/* Too long for the box: its end, where the typing is. */
	mvaddnstr(by + 1, bx, len > bw ? line + (len - bw) : line, bw);
	attroff(ui->attr[THEME_NORMAL]);
	attron(ui->attr[THEME_STATUS]);
	mvprintw(by + 2, bx, " %-*.*s", bw - 1, bw - 1,
		 "PIDs separated by spaces; Enter: move, ^U: clear, Esc: cancel");
	attroff(ui->attr[THEME_STATUS]);
}

static void prompt_close(struct ui_state *ui)
{
	free(ui->modal_data);
}

static const struct ui_modal act_move_modal = {
	.name = "move", .key = move_prompt_key, .draw = move_prompt_draw, .close = prompt_close,
};

struct act_move_ask {
	char name[RT_NAME_MAX + 1];
	size_t npids;
	pid_t pids[];
};

static void move_yes(struct ui_state *ui, void *arg)
{
	struct act_move_ask *a = arg;

	move_pids(ui, a->name, a->pids, a->npids);
}

/* A move changes what the process may use: it asks first. */
static void pick_move(struct ui_state *ui, const struct act_item *it, pid_t *pids, size_t npids)
{
	struct act_move_ask *a = calloc(1, sizeof(*a) + npids * sizeof(pid_t));
	char q[256];

	if (!a) {
		ui_message(ui, THEME_ERROR, "%s", strerror(ENOMEM));
		return;
	}
	snprintf(a->name, sizeof(a->name), "%s", it->arg);
	memcpy(a->pids, pids, npids * sizeof(pid_t));
	a->npids = npids;
	if (npids == 1)
		snprintf(q, sizeof(q), "Move PID %d into container %s?", (int)pids[0], a->name);
	else
		snprintf(q, sizeof(q), "Move %zu processes into container %s?", npids, a->name);
	ui_confirm(ui, "Move", q, "Nothing moved", move_yes, a);
}

void ui_act_move(struct ui_state *ui)
{
	const struct eng_ctr *c = ui_selected_container(ui);
	const struct scan_proc *p;
	struct act_menu *m;
	size_t n;

	if (c && eng_ctr_foreign(c)) {
		ui_refuse_foreign(ui, c->kind, c->id, eng_ctr_name(c), "move");
		return;
	}
	/* A process of another engine's container stays where its engine
	 * put it (nstop move --force does it from the command line). */
	for (size_t i = 0; i < (ui->ntags ? ui->ntags : 1); i++) {
		const struct scan_proc *q = ui->ntags ? snapshot_find_proc(ui->snap, ui->tags[i])
						      : (c ? NULL : ui_selected_proc(ui));
		if (q && q->ctr && q->ctr->kind != ENG_NSTOP) {
			ui_refuse_foreign(ui, q->ctr->kind, q->ctr->id, q->ctr->name, "move");
			return;
		}
	}
	if (c) {
		struct act_prompt *pr = calloc(1, sizeof(*pr));
		size_t len = 0;

		if (!pr) {
			ui_message(ui, THEME_ERROR, "%s", strerror(ENOMEM));
			return;
		}
		snprintf(pr->name, sizeof(pr->name), "%s", eng_ctr_name(c));
		for (size_t i = 0; i < ui->ntags && len + 16 < sizeof(pr->text); i++)
			len += (size_t)snprintf(pr->text + len, sizeof(pr->text) - len, "%s%d",
						i ? " " : "", (int)ui->tags[i]);
		if (!ui->ntags && ui_last_proc(ui) > 0)
			snprintf(pr->text, sizeof(pr->text), "%d", (int)ui_last_proc(ui));
		ui_modal_open(ui, &act_move_modal, pr);
		return;
	}
	p = ui_selected_proc(ui);
	if (!ui->ntags && !p) {
		ui_message(ui, THEME_ERROR, "Move: select a process (or tag some) or a container");
		return;
	}
	n = ui->ntags ? ui->ntags : 1;
	if (ui->ntags)
		m = menu_new(ui, "Move %zu tagged processes into", n);
	else
		m = menu_new(ui, "Move PID %d (%.32s) into", (int)p->pid, p->comm);
	if (!m)
		return;
	if (!(m->pids = calloc(n, sizeof(*m->pids)))) {
		free(m);
		ui_message(ui, THEME_ERROR, "%s", strerror(ENOMEM));
		return;
	}
	if (ui->ntags)
		memcpy(m->pids, ui->tags, n * sizeof(*m->pids));
	else
		m->pids[0] = p->pid;
	m->npids = n;
	m->pick = pick_move;
	for (size_t i = 0; i < ui->ncontainers; i++) {
		const struct rt_state *k = ui->containers[i]->own;
		int key = m->n < 9 ? '1' + m->n : 0;

		if (!k || (k->status != RT_RUNNING && k->status != RT_FROZEN))
			continue;
		menu_add(m, key, k->name, "%s (%s)", k->name, rt_status_name(k->status));
	}
	if (!m->n) {
		free(m->pids);
		free(m);
		ui_message(ui, THEME_ERROR, "Move: no running container (r runs one)");
		return;
	}
	ui_modal_open(ui, &act_menu_modal, m);
}

/* ---- enter ----------------------------------------------------------------------- */

void ui_act_enter(struct ui_state *ui)
{
	char name[RT_NAME_MAX + 1];
	struct rt_state st;
	struct nst_err err;
	int status = 0, rc;

	if (!ui_container_pick(ui, "Enter", name, NULL))
		return;
	/* the runtime's own check, before the terminal is handed over */
	nst_err_clear(&err);
	if (rt_state_load(&ui->rt, name, &st, &err) < 0 || rt_exec_check(&st, &err) < 0) {
		ui_message(ui, THEME_ERROR, "Enter %s: %s%s", name, err.msg,
			   err.code == EBUSY ? " (z thaws it)" : "");
		return;
	}
	ui_suspend(ui);
	printf("nstop: a shell in %s; exit it to come back\n", name);
	fflush(stdout);
	nst_err_clear(&err);
	rc = rt_exec(&ui->rt, name, NULL, &status, &err);
	ui_resume(ui);
	if (rc < 0)
		ui_message(ui, THEME_ERROR, "Enter %s: %s", name, err.msg);
	else
		ui_message(ui, THEME_STATUS, "Back from %s (the shell exited %d)", name, status);
}

/* ---- kill and remove: waiting until it stopped ----------------------------------- */

struct act_stop {
	char name[RT_NAME_MAX + 1];
	bool remove;		/* rm once it stopped */
};

static int stop_check(struct ui_state *ui, void *data)
{
	struct act_stop *s = data;
	struct rt_state st;
	struct nst_err err;
	bool done;
	int rc;

	nst_err_clear(&err);
	if (s->remove) {
		/* the runtime's second step of rm -f */
		if (rt_rm_check(&ui->rt, s->name, &done, &err) < 0) {
			ui_message(ui, THEME_ERROR, "Remove %s: %s", s->name, err.msg);
			return -1;
		}
		if (done)
			ui_message(ui, THEME_STATUS, "Removed %s", s->name);
		return done;
	}
	rc = rt_state_load(&ui->rt, s->name, &st, &err);
	if (rc == -ENOENT) {
		/* A --rm container takes its state away as it ends. */
		ui_message(ui, THEME_STATUS, "%s stopped and is gone (--rm)", s->name);
		return 1;
	}
	if (rc < 0) {
		ui_message(ui, THEME_ERROR, "%s: %s", s->name, err.msg);
		return -1;
	}
	if (st.status != RT_EXITED)
		return 0;
	ui_message(ui, THEME_STATUS, "%s stopped (exit %d)", s->name, st.exit_code);
	return 1;
}

static void stop_cancel(struct ui_state *ui, void *data)
{
	struct act_stop *s = data;

	if (s->remove)
		ui_message(ui, THEME_STATUS,
			   "%s: no longer waiting; SIGKILL was sent, it is not removed (D again removes it)",
			   s->name);
	else
		ui_message(ui, THEME_STATUS, "%s: no longer waiting; the signal was sent", s->name);
}

static void stop_wait(struct ui_state *ui, const char *name, bool remove, const char *what)
{
	struct act_stop *s = calloc(1, sizeof(*s));

	if (!s) {
		ui_message(ui, THEME_ERROR, "%s", strerror(ENOMEM));
		return;
	}
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->remove = remove;
	ui_wait_start(ui, what, stop_check, stop_cancel, s);
}

void ui_act_kill(struct ui_state *ui, const char *name, int sig, const char *signame)
{
	char n[RT_NAME_MAX + 1], what[160];
	struct rt_state st;
	struct nst_err err;
	bool frozen;

	snprintf(n, sizeof(n), "%s", name);
	nst_err_clear(&err);
	if (rt_kill(&ui->rt, n, sig, &err) < 0) {
		ui_message(ui, THEME_ERROR, "SIG%s to %s: %s", signame, n, err.msg);
		return;
	}
	if (sig != SIGTERM && sig != SIGINT && sig != SIGHUP && sig != SIGQUIT && sig != SIGKILL) {
		ui_message(ui, THEME_STATUS, "SIG%s sent to %s", signame, n);
		return;
	}
	if (ui->wait) {
		ui_message(ui, THEME_STATUS, "SIG%s sent to %s", signame, n);
		return;
	}
	/* A frozen one acts on the signal only once thawed: no waiting,
	 * which would keep z busy. */
	frozen = rt_state_load(&ui->rt, n, &st, &err) == 0 && st.status == RT_FROZEN;
	if (frozen) {
		ui_message(ui, THEME_STATUS, "SIG%s sent to %s; it is frozen: it may act on it only once thawed (z)",
			   signame, n);
		return;
	}
	snprintf(what, sizeof(what), "Stopping %s (SIG%s sent)", n, signame);
	stop_wait(ui, n, false, what);
}

/* The y/n question of remove. */
static void remove_key(struct ui_state *ui, int key)
{
	struct act_prompt *p = ui->modal_data;
	char name[RT_NAME_MAX + 1], what[160];
	struct nst_err err;
	bool done;

	snprintf(name, sizeof(name), "%s", p->name);
	if (key != 'y' && key != 'Y') {
		if (key == 'n' || key == 'N' || key == UI_KEY_ESC || key == 'q') {
			ui_modal_close(ui);
			ui_message(ui, THEME_STATUS, "%s kept", name);
		}
		return;
	}
	ui_modal_close(ui);
	if (ui->wait) {
		ui_message(ui, THEME_ERROR, "Still busy: %s (Esc cancels it)", ui->wait->what);
		return;
	}
	/* the runtime's rm -f in two steps, the second one waited for */
	nst_err_clear(&err);
	if (rt_rm_begin(&ui->rt, name, &done, &err) < 0) {
		ui_message(ui, THEME_ERROR, "Remove %s: %s", name, err.msg);
		if (done)
			ui_redo(ui, UI_REDO_REFRESH);
		return;
	}
	if (done) {
		ui_message(ui, THEME_STATUS, "Removed %s", name);
		ui_redo(ui, UI_REDO_REFRESH);
		return;
	}
	snprintf(what, sizeof(what), "Removing %s (SIGKILL sent)", name);
	stop_wait(ui, name, true, what);
}

static void remove_draw(struct ui_state *ui, int y, int h, int w)
{
	const struct act_prompt *p = ui->modal_data;
	const char *why = strstr(p->text, "? ");
	int bw = (int)strlen(p->text) + 4, by, bx;
	/* Too wide for the terminal: the question, then why, on two lines,
	 * so that "y/n" is never cut off. */
	bool two = bw > w && why;

	if (bw < 60)
		bw = 60;
	ui_box(ui, y, h, w, bw, two ? 4 : 3, &by, &bx);
	bw = bw > w ? w : bw;
	char title[RT_NAME_MAX + 32];

	snprintf(title, sizeof(title), "Remove container %s", p->name);
	ui_box_line(ui, by, bx, bw, THEME_HEADER, title);
	attron(ui->attr[THEME_ERROR]);
	if (two) {
		int qlen = (int)(why - p->text) + 1;
		mvprintw(by + 1, bx, " %-*.*s", bw - 1, qlen < bw - 1 ? qlen : bw - 1, p->text);
		mvprintw(by + 2, bx, " %-*.*s", bw - 1, bw - 1, why + 2);
		by++;
	} else {
		mvprintw(by + 1, bx, " %-*.*s", bw - 1, bw - 1, p->text);
	}
	attroff(ui->attr[THEME_ERROR]);
	ui_box_line(ui, by + 2, bx, bw, THEME_STATUS, "y: remove   n or Esc: keep it");
}

static const struct ui_modal act_remove_modal = {
	.name = "remove", .key = remove_key, .draw = remove_draw, .close = prompt_close,
};

void ui_act_remove(struct ui_state *ui)
{
	char name[RT_NAME_MAX + 1];
	enum rt_status status;
	struct act_prompt *p;

	if (!ui_container_pick(ui, "Remove", name, &status))
		return;
	if (!(p = calloc(1, sizeof(*p)))) {
		ui_message(ui, THEME_ERROR, "%s", strerror(ENOMEM));
		return;
	}
	snprintf(p->name, sizeof(p->name), "%s", name);
	if (status == RT_RUNNING || status == RT_FROZEN) {
		/* Every process in its cgroups goes with it, also those moved in. */
		size_t n = 0;
		for (size_t i = 0; i < ui->snap->nprocs; i++)
			if (ui->snap->procs[i].container &&
			    strcmp(ui->snap->procs[i].container, name) == 0)
				n++;
		snprintf(p->text, sizeof(p->text),
			 "Remove %s? It is %s: its %zu process%s will be killed. y/n", name, rt_status_name(status),
			 n, n == 1 ? "" : "es");
	}
	else
		snprintf(p->text, sizeof(p->text), "Remove %s? y/n", name);
	ui_modal_open(ui, &act_remove_modal, p);
}
