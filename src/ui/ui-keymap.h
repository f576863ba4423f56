/*
 * The TUI's key map as data: which key does what, with the text the help
 * screen shows. No curses here, so the unit tests can check the map; the
 * curses key codes are translated to UI_KEY_* in ui-main.c.
 */
#ifndef NSTOP_UI_KEYMAP_H
#define NSTOP_UI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

/* Keys beyond plain characters (which are their own code, < 256). */
enum {
	UI_KEY_NONE = 0,
	UI_KEY_ESC = 27,
	UI_KEY_BASE = 0x1000,
	UI_KEY_UP = UI_KEY_BASE,
	UI_KEY_DOWN,
	UI_KEY_LEFT,
	UI_KEY_RIGHT,
	UI_KEY_PGUP,
	UI_KEY_PGDN,
	UI_KEY_HOME,
	UI_KEY_END,
	UI_KEY_BTAB,		/* Shift-Tab */
	UI_KEY_ENTER,
	UI_KEY_BACKSPACE,
	UI_KEY_RESIZE,
	UI_KEY_MOUSE,
	UI_KEY_F0,		/* UI_KEY_F(n) = UI_KEY_F0 + n; Shift-F3 is F15 */
	UI_KEY_LAST = UI_KEY_F0 + 24,
	UI_KEY_ALT0 = 0x2000,	/* UI_KEY_ALT(c): Esc then c, read as one key */
};
#define UI_KEY_F(n) (UI_KEY_F0 + (n))
#define UI_KEY_ALT(c) (UI_KEY_ALT0 + (c))

enum ui_action {
	UI_ACT_NONE,
	UI_ACT_HELP,
	UI_ACT_SETUP,
	UI_ACT_QUIT,
	UI_ACT_UP,
	UI_ACT_DOWN,
	UI_ACT_PGUP,
	UI_ACT_PGDN,
	UI_ACT_HOME,
	UI_ACT_END,
	UI_ACT_LEFT,
	UI_ACT_RIGHT,
	UI_ACT_EXPAND,
	UI_ACT_COLLAPSE,
	UI_ACT_EXPAND_ALL,
	UI_ACT_NEXT_VIEW,
	UI_ACT_PREV_VIEW,
	UI_ACT_SEARCH,
	UI_ACT_SEARCH_NEXT,
	UI_ACT_SEARCH_PREV,
	UI_ACT_FILTER,
	UI_ACT_USER,
	UI_ACT_KTHREADS,
	UI_ACT_THREADS,
	UI_ACT_TREE,
	UI_ACT_SORT_MENU,
	UI_ACT_SORT_CPU,
	UI_ACT_SORT_MEM,
	UI_ACT_SORT_TIME,
	UI_ACT_SORT_PID,
	UI_ACT_SORT_INVERT,
	UI_ACT_FOLLOW,
	UI_ACT_SIGNAL,
	UI_ACT_NICE_DOWN,	/* htop's "Nice -": a higher priority */
	UI_ACT_NICE_UP,
	UI_ACT_TAG,
	UI_ACT_TAG_CHILDREN,
	UI_ACT_UNTAG_ALL,
	UI_ACT_CMDLINE,
	UI_ACT_ENVIRON,
	UI_ACT_FILES,
	UI_ACT_STRACE,
	UI_ACT_PAUSE,
	UI_ACT_METERS,
	UI_ACT_MERGED,
	UI_ACT_VIEW_FROM,
	UI_ACT_HOST_VIEW,
	UI_ACT_PATHS,
	UI_ACT_DETAIL,
	UI_ACT_REDRAW,
	UI_ACT_JUMP_PID,
	/* the controls: containers and namespaces */
	UI_ACT_MENU,
	UI_ACT_LAUNCH,
	UI_ACT_FREEZE,
	UI_ACT_LIMITS,
	UI_ACT_MOVE,
	UI_ACT_ENTER,
	UI_ACT_NSENTER,
	UI_ACT_LOG,
	UI_ACT_REMOVE,
	UI_ACT_NACTIONS
};

/* Where an action is offered besides the help screen: the status line's
 * hints (in the Processes-like views, in the Containers view) and the
 * Enter menu (of a process, of a live container, of one that ended). */
enum {
	UI_IN_HINTS = 1 << 0,
	UI_IN_CTR_HINTS = 1 << 1,
	UI_IN_PROC_MENU = 1 << 2,
	UI_IN_CTR_MENU = 1 << 3,
	UI_IN_DEAD_MENU = 1 << 4,
	UI_IN_MENUS = UI_IN_PROC_MENU | UI_IN_CTR_MENU | UI_IN_DEAD_MENU,
};

struct ui_binding {
	int key;
	enum ui_action action;
};

struct ui_action_info {
	enum ui_action action;
	const char *name;	/* for tests and the config, "quit" */
	const char *label;	/* in the status line's hints and the menus */
	const char *help;	/* one line on the help screen */
	unsigned where;		/* UI_IN_* */
};

/* Every binding, in the order the help screen lists the keys. */
extern const struct ui_binding ui_bindings[];
extern const size_t ui_nbindings;
/* Every action but UI_ACT_NONE, in the help screen's order. */
extern const struct ui_action_info ui_actions[];
extern const size_t ui_nactions;

/* The action of key, UI_ACT_NONE when it has none. */
enum ui_action ui_key_action(int key);
const struct ui_action_info *ui_action_info(enum ui_action a);
/* The key's name as the help screen shows it ("F10", "Tab", "q", "Space"). */
const char *ui_key_name(int key, char *buf, size_t size);
/* The key shown for an action in hints and menus: its first binding. */
int ui_action_key(enum ui_action a);
/* The actions offered at where (one UI_IN_* bit): those on a function key
 * first, in the keys' order (as htop's F1..F10 bar), then the others in
 * the table's order; n at most. */
size_t ui_actions_in(unsigned where, const struct ui_action_info **out, size_t n);
/* "F10 q" for an action: all its keys' names, space-separated. */
size_t ui_action_keys(enum ui_action a, char *buf, size_t size);

#endif
