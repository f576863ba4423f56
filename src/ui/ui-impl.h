/*
 * The TUI's state, shared by the ui-*.c files. Only ui-*.c include this and
 * <curses.h>; the data they draw is the scan's immutable snapshot.
 */
#ifndef NSTOP_UI_IMPL_H
#define NSTOP_UI_IMPL_H

#include <signal.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "nstop/settings.h"
#include "nstop/output.h"
#include "nstop/root.h"
#include "nstop/runtime.h"
#include "nstop/sample.h"
#include "nstop/scan.h"
#include "nstop/theme.h"
#include "ui.h"

struct eng_ctr;

enum ui_view { UI_VIEW_PROCS, UI_VIEW_NS, UI_VIEW_CGROUPS, UI_VIEW_CONTAINERS, UI_NVIEWS };

enum ui_row_kind { UI_ROW_PROC, UI_ROW_NS, UI_ROW_CG, UI_ROW_CONTAINER };

struct ui_row {
	enum ui_row_kind kind;
	int idx;		/* into the snapshot's procs, ns or cgroups */
	int depth;		/* 0 at the left */
	unsigned long long more;	/* bit d: the ancestor at depth d has later siblings */
	bool last;		/* the last of its siblings */
	bool children;		/* can be expanded */
	bool expanded;
};

/* One column of the table, from the output field tables. */
struct ui_col {
	const struct out_proc_field *pf;
	const struct out_ns_field *nf;
	const struct out_cg_field *cf;
	const char *header;
	int width;		/* 0: the rest of the line */
	bool right;
	bool number;		/* sorts descending first */
	bool tree;		/* the tree is drawn in this column */
	int x;			/* where it was drawn, for the mouse */
};

#define UI_MAXCOLS 32

struct ui_ctr_net {
	bool read;
	struct out_ctr_net n;
};

/* The interfaces of the net namespace whose detail pane is shown, read
 * inside it at most once a snapshot (ui-nsnet.c). */
struct ui_nsnet {
	bool read;
	unsigned long refresh;	/* ui->refreshes when read */
	ino_t inode;
	json_t *ifs;		/* net_topo_json's array, or null */
};

/* The prompts typed in the status line; every dialog is a ui_modal. */
enum ui_prompt { UI_PROMPT_NONE, UI_PROMPT_SEARCH, UI_PROMPT_FILTER };

struct ui_strset {
	char **v;
	size_t n, cap;
};

struct ui_state {
	struct rt_ctx rt;		/* for the scan and every action */
	struct scan_ctx *scan;
	struct snapshot *snap;
	struct sample_store *samples;
	struct nst_config cfg;
	char cfg_path[PATH_MAX];
	char theme_name[256];
	struct theme theme;
	int attr[THEME_NELEM];	/* curses attributes of each element */
	bool color;

	double interval;
	pid_t view_from;
	enum ui_view view;
	bool tree[UI_NVIEWS];
	int cg_form;		/* the Processes view's cgroup column: OUT_CG_* */
	bool cg_full;		/* the Cgroups view: full paths, not names */

	struct ui_col cols[UI_NVIEWS][UI_MAXCOLS];
	int ncols[UI_NVIEWS];
	int sort[UI_NVIEWS];	/* column index; -1: the snapshot's order */
	bool invert[UI_NVIEWS];

	struct ui_row *rows;
	size_t nrows, rowcap;
	int sel[UI_NVIEWS], top[UI_NVIEWS];
	unsigned redo;			/* UI_REDO_*: what the loop does next */
	char redo_name[RT_NAME_MAX + 1];	/* UI_REDO_SELECT's container */
	/* Once the user picks a row the cursor follows it as rows move, as
	 * htop's does; until then it stays on the first row. */
	bool follow[UI_NVIEWS];
	char sel_key[UI_NVIEWS][CG_PATH_MAX + 32];

	struct ui_strset collapsed;	/* processes and cgroups, by row key */
	struct ui_strset expanded;	/* namespaces, by row key */
	pid_t *tags;
	size_t ntags, tagcap;

	enum ui_prompt prompt;
	char search[128];
	char filter[128];
	char input[128];	/* the prompt's text while typing */

	bool help;
	int help_top;
	/* htop's view keys: Z, #, K, u, T, and Left/Right's scroll. */
	bool paused;
	bool no_meters;
	bool hide_kthreads;
	bool user_only;
	uid_t user_uid;
	bool sort_time;		/* with sort[PROCS] -1: by cpu time */
	int hscroll;		/* columns of the last column scrolled off */
	bool detail;
	bool small;		/* below 80x24 */

	char status[512];
	int status_elem;
	double status_until;
	char jump[16];
	int posted_key;		/* ui_key_post(): 0 none */
	double jump_time;
	/* the selection's key when the number being typed began: where it
	 * goes back to when the whole number is no process in view */
	char jump_from[CG_PATH_MAX + 32];

	/* Where things were drawn, for the mouse. */
	int tab_y, tab_x[UI_NVIEWS + 1];
	int title_y, table_y, table_h;

	/* The Containers view's rows: the snapshot's own containers (every
	 * engine's, nstop's first by name), pointing into ui->snap. */
	const struct eng_ctr **containers;
	size_t ncontainers;
	/* Their networks, read when first drawn after each snapshot. */
	struct ui_ctr_net *ctr_net;
	struct ui_nsnet nsnet;
	pid_t last_proc;	/* last selected in the Processes view */

	/* One modal screen at a time (a menu, a form, a dialog, the log). */
	const struct ui_modal *modal;
	void *modal_data;
	/* One operation waiting on the kernel (a freeze, a stop). */
	struct ui_wait *wait;
	/* What the launch form had, for the next one (ui-launch.c); the
	 * other controls keep their state in their modal's or wait's data. */
	struct ui_launch_state *launch;

	struct iso_ctx *iso;	/* isolation, read for what is shown */
	bool iso_failed;

	unsigned long refreshes;
	unsigned long max_refreshes;	/* NSTOP_UI_MAX_REFRESHES; 0: none */
};

double ui_now(void);
void ui_message(struct ui_state *ui, int elem, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ui-theme.c */
void ui_theme_apply(struct ui_state *ui);

/* ui-draw.c: the whole screen, once a loop turn. */
void ui_draw(struct ui_state *ui);
/* ui-signal.c: the signal menu, then its y/n question (ui_modals). */
void ui_signal_open(struct ui_state *ui);

/* ui-table.c */
/* The columns of every view, the Processes view's from the settings: -errno
 * with err filled when those were bad (the defaults are used). */
int ui_columns_init(struct ui_state *ui, struct nst_err *err);
void ui_columns_cgform(struct ui_state *ui, int form);
int ui_sort_by_name(struct ui_state *ui, const char *name);
void ui_rows_build(struct ui_state *ui);
void ui_row_key(const struct ui_state *ui, const struct ui_row *r, char *buf, size_t size);
/* The row whose key (ui_row_key) is key, or -1. */
int ui_row_find(const struct ui_state *ui, const char *key);
bool ui_row_matches(const struct ui_state *ui, const struct ui_row *r, const char *text);
const struct scan_proc *ui_row_proc(const struct ui_state *ui, const struct ui_row *r);
const struct scan_cgroup *ui_row_cgroup(const struct ui_state *ui, const struct ui_row *r);
void ui_draw_table(struct ui_state *ui, int y, int h, int w);
void ui_strset_clear(struct ui_strset *s);
bool ui_strset_has(const struct ui_strset *s, const char *key);
void ui_strset_toggle(struct ui_strset *s, const char *key, bool on);
bool ui_tagged(const struct ui_state *ui, pid_t pid);
/* Tags pid (once; without memory, not). */
void ui_tag_add(struct ui_state *ui, pid_t pid);
bool ui_proc_is_kthread(const struct scan_proc *p);
const char *ui_view_name(enum ui_view v);

/* ui-detail.c */
void ui_draw_detail(struct ui_state *ui, int y, int h, int w);
/* The pane's title bar at row y. */
void ui_bar(int y, int w, int attr, const char *text);
void ui_detail_title(struct ui_state *ui, int y, int w, const char *title);

/* ui-nsnet.c: the detail pane of a net namespace (rows y..y+h-1). */
void ui_nsnet_detail(struct ui_state *ui, const struct scan_ns *ns, int y, int h, int w);
void ui_nsnet_free(struct ui_state *ui);

/* ui-help.c */
void ui_draw_help(struct ui_state *ui, int h, int w);

/* ---- ui-main.c: what the controls (issue 5) build on -------------------- */

/*
 * A modal screen takes every key while it is open (F10 still quits) and is
 * drawn over the table's area, while the screen behind it keeps refreshing.
 * Opening one closes the one before; close() frees data.
 */
struct ui_modal {
	const char *name;	/* "menu", "launch", ... for tests and messages */
	void (*key)(struct ui_state *ui, int key);	/* UI_KEY_* or a byte */
	void (*draw)(struct ui_state *ui, int y, int h, int w);
	void (*close)(struct ui_state *ui);		/* may be NULL */
	bool q_quits;		/* no text is typed in it: q quits nstop */
};
void ui_modal_open(struct ui_state *ui, const struct ui_modal *m, void *data);
void ui_modal_close(struct ui_state *ui);

/*
 * An operation that waits on the kernel: check() runs about ten times a
 * second while the screen keeps refreshing and the status line says
 * "WHAT... 1.2s (Esc: cancel)"; it returns 1 when done (it sets the status
 * message), 0 while waiting, -1 on failure (it sets the message). Esc calls
 * cancel() (may be NULL: only stop waiting). data is free()d at the end.
 */
struct ui_wait {
	char what[128];
	double started;
	int (*check)(struct ui_state *ui, void *data);
	void (*cancel)(struct ui_state *ui, void *data);
	void *data;
};
/* -EBUSY (said in the status line) while another wait is under way. */
int ui_wait_start(struct ui_state *ui, const char *what,
		  int (*check)(struct ui_state *, void *),
		  void (*cancel)(struct ui_state *, void *), void *data);

/*
 * Hands the terminal to a child and takes it back: suspend leaves curses
 * (the terminal's modes as they were before nstop), resume restores the
 * screen exactly as it was and asks for a new snapshot. Between the two the
 * caller runs what takes the terminal (rt_exec, rt_run, rt_nsenter), which
 * wait with the terminal's signals blocked and passed on.
 */
void ui_suspend(struct ui_state *ui);
void ui_resume(struct ui_state *ui);

/*
 * What an action asks the main loop to redo, as htop's Htop_Reaction: a
 * dialog, a wait or the hand-back of the terminal says what it changed, and
 * the loop does the work in one place (ui_redo_apply) before the next draw,
 * instead of each re-reading the kernel or rebuilding the rows itself.
 * Requests add up; a new snapshot answers REBUILD and REFRESH.
 */
enum ui_redo {
	UI_REDO_REBUILD = 1 << 0,	/* the rows again: a sort, a filter, a tag */
	UI_REDO_REFRESH = 1 << 1,	/* a new snapshot: the kernel changed */
	UI_REDO_SELECT = 1 << 2,	/* a new snapshot, then the Containers
					 * view with ui->redo_name selected */
};
void ui_redo(struct ui_state *ui, unsigned what);
/* A new snapshot, then the Containers view with container NAME selected. */
void ui_redo_select(struct ui_state *ui, const char *name);
/* Another view, with the snapshot it needs (its cgroup files) requested. */
void ui_redo_view(struct ui_state *ui, int v);
/* The selection: a container row (or NULL), a process (a container's init). */
const struct eng_ctr *ui_selected_container(const struct ui_state *ui);
/* The selected container's name (and its state, when status is not NULL)
 * for the action WHAT; false after saying in the status line that none
 * is, or that it is another engine's. */
bool ui_container_pick(struct ui_state *ui, const char *what, char *name,
		       enum rt_status *status);
/* The container of that name in the view, or NULL. */
const struct eng_ctr *ui_container_find(const struct ui_state *ui, const char *name);
/* Says (on the message line) that another engine's container is not
 * nstop's to change, with the engine's own command for verb. */
void ui_refuse_foreign(struct ui_state *ui, int kind, const char *id, const char *name,
		       const char *verb);
const struct scan_proc *ui_selected_proc(const struct ui_state *ui);
/* The process last selected in the Processes view (0: none), for "move". */
pid_t ui_last_proc(const struct ui_state *ui);

/* Has KEY (a byte or UI_KEY_*) done in the table once the modal's key
 * handler returns, as if typed there with no modal open; quitting excepted. */
void ui_key_post(struct ui_state *ui, int key);

/* ui-frame.c: the model, for the main loop. The terminal is curses' (the
 * signal handlers end it cleanly). */
/* What was asked with ui_redo*, done, once a loop turn (ui-main.c). */
void ui_redo_apply(struct ui_state *ui);
extern volatile sig_atomic_t ui_curses_on;
const struct ui_row *ui_sel_row(const struct ui_state *ui);
/* The rows again from the snapshot, the selection kept. */
void ui_rebuild(struct ui_state *ui);
/* Whether the screen shows the cgroups' own files: the scan reads them
 * only then (at hundreds of cgroups they cost more than the processes). */
bool ui_stats_shown(const struct ui_state *ui);
struct scan_opts ui_scan_opts(const struct ui_state *ui);
int ui_take_snapshot(struct ui_state *ui);
void ui_move_sel(struct ui_state *ui, int to);
void ui_wait_end(struct ui_state *ui, bool cancel);
void ui_wait_check(struct ui_state *ui);

/* A one-line text field: printable bytes, Backspace, ^U clears. Returns
 * true when key was taken. */
bool ui_edit_key(char *buf, size_t size, int key);

/* ---- ui-dialog.c: what every dialog builds on -------------------------- */

/* A box of bw x bh in the middle of the area (rows y..y+h, w wide),
 * cleared, for a dialog or menu over the table; its corner. */
void ui_box(struct ui_state *ui, int y, int h, int w, int bw, int bh, int *by, int *bx);
/* A line of such a box at row y: a space, then text in the colour of
 * theme element elem, cut and padded to the box's width bw. */
void ui_box_line(struct ui_state *ui, int y, int bx, int bw, int elem, const char *text);


/* A pick list: done(ui, val) with the chosen item's val once Enter is
 * pressed (the list is closed first); Esc closes it. */
#define UI_PICK_MAX 128
struct ui_pick {
	char title[128];
	char label[UI_PICK_MAX][64];
	long val[UI_PICK_MAX];
	int n, sel;
	void (*done)(struct ui_state *ui, long val);
};
/* NULL (said) without memory. */
struct ui_pick *ui_pick_new(struct ui_state *ui, const char *title,
			    void (*done)(struct ui_state *, long));
void ui_pick_add(struct ui_pick *p, long val, const char *label);
void ui_pick_open(struct ui_state *ui, struct ui_pick *p);	/* takes p */
/* A y/n question: yes(ui, arg) once y is pressed; arg is free()d after,
 * and when the answer is no (then the status line says no, or "Nothing
 * done" when it is NULL). */
void ui_confirm(struct ui_state *ui, const char *title, const char *question, const char *no,
		void (*yes)(struct ui_state *ui, void *arg), void *arg);

/* ---- ui-act.c: the actions on a container ------------------------------ */

/* Enter: the menu of what can be done to the selection (a container, or a
 * process: enter its namespaces, move it into a container, signal...). */
void ui_act_menu(struct ui_state *ui);
void ui_act_freeze(struct ui_state *ui);	/* toggles, waiting visibly */
void ui_act_move(struct ui_state *ui);	/* a PID into a container */
void ui_act_enter(struct ui_state *ui);	/* a shell inside, as nstop exec */
void ui_act_log(struct ui_state *ui);	/* a detached one's log, followed */
void ui_act_remove(struct ui_state *ui);	/* after y/n */
/* The signal menu's choice for a container row: rt_kill, then waiting
 * for it to stop when the signal usually stops it. */
void ui_act_kill(struct ui_state *ui, const char *name, int sig, const char *signame);

/* ---- ui-launch.c: the launch form and the limits dialog (on ui-form.c) -- */

void ui_launch_open(struct ui_state *ui);
void ui_limits_open(struct ui_state *ui);	/* the selected container's */
void ui_launch_free(struct ui_state *ui);

/* ---- ui-iso.c: isolation cells, detail and filter ----------------------- */

void ui_iso_attach(struct ui_state *ui);	/* after every snapshot */
void ui_iso_free(struct ui_state *ui);
int ui_iso_cell_attr(const struct ui_state *ui, const struct ui_row *r,
		     const struct ui_col *c, int base);
void ui_iso_container_cell(const struct ui_state *ui, const char *name, char *buf,
			   size_t size, int *attr, int base);
/* True when text is an exposure id; *match: the row has it. */
bool ui_iso_filter(const struct ui_state *ui, const struct ui_row *r, const char *text,
		   bool *match);
void ui_iso_detail(struct ui_state *ui, const struct scan_proc *p, const char *container,
		   int *y, int x, int w, int ymax);

/* ---- ui-htop.c: htop's keys nstop had no action for, and two modals ---- */

void ui_sort_menu(struct ui_state *ui);		/* F6 . , < > */
void ui_sort_by(struct ui_state *ui, const char *field);	/* NULL: by time */
void ui_user_menu(struct ui_state *ui);		/* u */
void ui_tag_children(struct ui_state *ui);	/* c */
void ui_expand_all(struct ui_state *ui);	/* * */
void ui_nice(struct ui_state *ui, int delta);	/* F7 F8 */
void ui_strace(struct ui_state *ui);		/* s */
void ui_text_open(struct ui_state *ui, int what);	/* 'w', 'e', 'l' */
void ui_setup_open(struct ui_state *ui);	/* F2 S C */
/* ---- ui-nsenter.c: a shell in any process's namespaces ------------------- */

void ui_nsenter_open(struct ui_state *ui);	/* the selected process's */

#endif
