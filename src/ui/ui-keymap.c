/* The key map: every key, the action it names, and its label in help and hints,
 * in one table (ui-keymap.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ui-keymap.h"

#define CTRL(c) ((c) & 0x1f)

/* As htop binds them wherever htop has the same action; nstop's own
 * actions only on keys htop leaves free (htop 3's Action.c), so that no key
 * changes anything where an htop user expects it only to look. Enter opens
 * the menu of what can be done to the selection. */
const struct ui_binding ui_bindings[] = {
	{ UI_KEY_F(1), UI_ACT_HELP }, { 'h', UI_ACT_HELP }, { '?', UI_ACT_HELP },
	{ UI_KEY_F(2), UI_ACT_SETUP }, { 'S', UI_ACT_SETUP }, { 'C', UI_ACT_SETUP },
	{ UI_KEY_F(10), UI_ACT_QUIT }, { 'q', UI_ACT_QUIT },
	{ UI_KEY_UP, UI_ACT_UP }, { UI_KEY_DOWN, UI_ACT_DOWN },
	{ UI_KEY_PGUP, UI_ACT_PGUP }, { UI_KEY_PGDN, UI_ACT_PGDN },
	{ UI_KEY_HOME, UI_ACT_HOME }, { UI_KEY_END, UI_ACT_END },
	{ UI_KEY_LEFT, UI_ACT_LEFT }, { UI_KEY_RIGHT, UI_ACT_RIGHT },
	{ '+', UI_ACT_EXPAND }, { '=', UI_ACT_EXPAND }, { '-', UI_ACT_COLLAPSE },
	{ '*', UI_ACT_EXPAND_ALL },
	{ '\t', UI_ACT_NEXT_VIEW }, { UI_KEY_BTAB, UI_ACT_PREV_VIEW },
	{ UI_KEY_F(3), UI_ACT_SEARCH }, { '/', UI_ACT_SEARCH },
	{ 'n', UI_ACT_SEARCH_NEXT }, { UI_KEY_F(15), UI_ACT_SEARCH_PREV },
	{ UI_KEY_F(4), UI_ACT_FILTER }, { '\\', UI_ACT_FILTER },
	{ 'u', UI_ACT_USER }, { 'K', UI_ACT_KTHREADS }, { 'H', UI_ACT_THREADS },
	{ UI_KEY_F(5), UI_ACT_TREE }, { 't', UI_ACT_TREE },
	{ UI_KEY_F(6), UI_ACT_SORT_MENU }, { '.', UI_ACT_SORT_MENU }, { ',', UI_ACT_SORT_MENU },
	{ '<', UI_ACT_SORT_MENU }, { '>', UI_ACT_SORT_MENU },
	{ 'P', UI_ACT_SORT_CPU }, { 'M', UI_ACT_SORT_MEM }, { 'T', UI_ACT_SORT_TIME },
	{ 'N', UI_ACT_SORT_PID }, { 'I', UI_ACT_SORT_INVERT }, { 'F', UI_ACT_FOLLOW },
	{ UI_KEY_F(9), UI_ACT_SIGNAL }, { 'k', UI_ACT_SIGNAL },
	{ UI_KEY_F(7), UI_ACT_NICE_DOWN }, { ']', UI_ACT_NICE_DOWN },
	{ UI_KEY_F(8), UI_ACT_NICE_UP }, { '[', UI_ACT_NICE_UP },
	{ ' ', UI_ACT_TAG }, { 'c', UI_ACT_TAG_CHILDREN }, { 'U', UI_ACT_UNTAG_ALL },
	{ 'w', UI_ACT_CMDLINE }, { 'e', UI_ACT_ENVIRON }, { 'l', UI_ACT_FILES },
	{ 's', UI_ACT_STRACE }, { 'Z', UI_ACT_PAUSE }, { '#', UI_ACT_METERS },
	{ 'm', UI_ACT_MERGED },
	{ 'v', UI_ACT_VIEW_FROM }, { 'V', UI_ACT_HOST_VIEW },
	{ UI_KEY_ESC, UI_ACT_HOST_VIEW },
	{ 'p', UI_ACT_PATHS }, { 'd', UI_ACT_DETAIL }, { CTRL('l'), UI_ACT_REDRAW },
	{ '0', UI_ACT_JUMP_PID }, { '1', UI_ACT_JUMP_PID }, { '2', UI_ACT_JUMP_PID },
	{ '3', UI_ACT_JUMP_PID }, { '4', UI_ACT_JUMP_PID }, { '5', UI_ACT_JUMP_PID },
	{ '6', UI_ACT_JUMP_PID }, { '7', UI_ACT_JUMP_PID }, { '8', UI_ACT_JUMP_PID },
	{ '9', UI_ACT_JUMP_PID },
	{ UI_KEY_ENTER, UI_ACT_MENU }, { 'r', UI_ACT_LAUNCH }, { 'z', UI_ACT_FREEZE },
	{ 'L', UI_ACT_LIMITS }, { 'J', UI_ACT_MOVE }, { 'X', UI_ACT_ENTER },
	{ 'E', UI_ACT_NSENTER }, { 'O', UI_ACT_LOG }, { 'D', UI_ACT_REMOVE },
};
const size_t ui_nbindings = sizeof(ui_bindings) / sizeof(ui_bindings[0]);

#define HINT UI_IN_HINTS
#define CHINT UI_IN_CTR_HINTS
#define PMENU UI_IN_PROC_MENU
#define CMENU UI_IN_CTR_MENU
#define DMENU UI_IN_DEAD_MENU

/* The one table of what the keys do: the help screen, the status line's
 * hints and the Enter menus are all made from it. */
const struct ui_action_info ui_actions[] = {
	{ UI_ACT_HELP, "help", "Help", "this screen", HINT | CHINT },
	{ UI_ACT_SETUP, "setup", "Setup", "setup: the refresh interval; save the settings (asks first)", HINT },
	{ UI_ACT_QUIT, "quit", "Quit", "quit (the terminal is restored)", HINT | CHINT },
	{ UI_ACT_UP, "up", "Up", "select the row above", 0 },
	{ UI_ACT_DOWN, "down", "Down", "select the row below", 0 },
	{ UI_ACT_PGUP, "page-up", "PgUp", "one page up", 0 },
	{ UI_ACT_PGDN, "page-down", "PgDn", "one page down", 0 },
	{ UI_ACT_HOME, "home", "Home", "first row", 0 },
	{ UI_ACT_END, "end", "End", "last row", 0 },
	{ UI_ACT_LEFT, "left", "Left", "scroll the lines left; Namespaces, Cgroups: collapse, or go to the parent", 0 },
	{ UI_ACT_RIGHT, "right", "Right", "scroll the lines right; Namespaces, Cgroups: expand the row", 0 },
	{ UI_ACT_EXPAND, "expand", "Expand", "expand: a process's children, a namespace's processes, a cgroup's children", 0 },
	{ UI_ACT_COLLAPSE, "collapse", "Collapse", "collapse the row (or go to its parent)", 0 },
	{ UI_ACT_EXPAND_ALL, "expand-all", "ExpandAll", "expand every row, or collapse every one if all are expanded", 0 },
	{ UI_ACT_NEXT_VIEW, "next-view", "View", "next view (tab)", 0 },
	{ UI_ACT_PREV_VIEW, "prev-view", "PrevView", "previous view (tab)", 0 },
	{ UI_ACT_SEARCH, "search", "Search", "search as you type (Enter keeps, Esc cancels)", HINT },
	{ UI_ACT_SEARCH_NEXT, "search-next", "Next", "next match of the search", 0 },
	{ UI_ACT_SEARCH_PREV, "search-prev", "Prev", "previous match of the search", 0 },
	{ UI_ACT_FILTER, "filter", "Filter", "show only rows containing a text; a|b: either (empty: all)", HINT },
	{ UI_ACT_USER, "user", "User", "show only one user's processes (a menu)", 0 },
	{ UI_ACT_KTHREADS, "kernel-threads", "Kthreads", "hide or show kernel threads", 0 },
	{ UI_ACT_THREADS, "threads", "Threads", "threads: nstop lists processes (NLWP counts threads)", 0 },
	{ UI_ACT_TREE, "tree", "Tree", "tree: processes by parent, cgroups and namespaces nested", HINT },
	{ UI_ACT_SORT_MENU, "sort-by", "Sort", "sort by: a menu of the columns (or click a title)", HINT },
	{ UI_ACT_SORT_CPU, "sort-cpu", "SortCPU", "sort by CPU%", 0 },
	{ UI_ACT_SORT_MEM, "sort-mem", "SortMem", "sort by memory (RSS)", 0 },
	{ UI_ACT_SORT_TIME, "sort-time", "SortTime", "sort by cpu time used", 0 },
	{ UI_ACT_SORT_PID, "sort-pid", "SortPID", "sort by PID", 0 },
	{ UI_ACT_SORT_INVERT, "sort-invert", "Invert", "invert the sort order", 0 },
	{ UI_ACT_FOLLOW, "follow", "Follow", "follow the selected process wherever the sort moves it", 0 },
	{ UI_ACT_SIGNAL, "signal", "Kill", "send a signal to the selected or tagged processes (asks first)", HINT | CHINT | PMENU | CMENU },
	{ UI_ACT_NICE_DOWN, "nice-minus", "Nice-", "nice -1: a higher priority (root only)", HINT },
	{ UI_ACT_NICE_UP, "nice-plus", "Nice+", "nice +1: a lower priority", HINT },
	{ UI_ACT_TAG, "tag", "Tag", "tag the process (signals go to all tagged)", 0 },
	{ UI_ACT_TAG_CHILDREN, "tag-children", "TagTree", "tag the process and all its descendants", 0 },
	{ UI_ACT_UNTAG_ALL, "untag-all", "Untag", "untag every process", 0 },
	{ UI_ACT_CMDLINE, "command", "Command", "the selected process's whole command line", PMENU },
	{ UI_ACT_ENVIRON, "environ", "Environ", "the selected process's environment", PMENU },
	{ UI_ACT_FILES, "files", "Files", "the selected process's open files (as htop's lsof screen)", PMENU },
	{ UI_ACT_STRACE, "strace", "Strace", "trace the selected process's system calls (strace)", PMENU },
	{ UI_ACT_PAUSE, "pause", "Pause", "pause or resume the refresh", 0 },
	{ UI_ACT_METERS, "meters", "Meters", "hide or show the header lines", 0 },
	{ UI_ACT_MERGED, "merged", "Merged", "merged command: the Command column always shows the whole line", 0 },
	{ UI_ACT_VIEW_FROM, "view-from", "ViewFrom", "view from: every cgroup path as the selected process sees it", PMENU },
	{ UI_ACT_HOST_VIEW, "host-view", "HostView", "back to the host's view (Esc also cancels a prompt)", 0 },
	{ UI_ACT_PATHS, "paths", "Paths", "cgroup paths: host, the process's own namespace, view-from", 0 },
	{ UI_ACT_DETAIL, "detail", "Detail", "detail pane: live cpu and memory plots of the selection", PMENU },
	{ UI_ACT_REDRAW, "redraw", "Redraw", "redraw the screen", 0 },
	{ UI_ACT_JUMP_PID, "jump-pid", "PID", "type a PID to jump to it", 0 },
	{ UI_ACT_MENU, "menu", "Menu", "what can be done to the selected container or process", HINT | CHINT },
	{ UI_ACT_FREEZE, "freeze", "Freeze", "freeze or thaw the selected container (asks first)", CHINT | CMENU },
	{ UI_ACT_LIMITS, "limits", "Limits", "change the selected container's limits", CHINT | CMENU },
	{ UI_ACT_MOVE, "move", "Move", "move a process into a container (asks first)", CHINT | PMENU | CMENU },
	{ UI_ACT_ENTER, "enter", "Exec", "a shell inside the selected container (as nstop exec)", CHINT | CMENU },
	{ UI_ACT_LOG, "log", "Log", "the selected container's log, followed live", CHINT | CMENU | DMENU },
	{ UI_ACT_REMOVE, "remove", "Remove", "remove the selected container (asks first)", CHINT | CMENU | DMENU },
	{ UI_ACT_NSENTER, "nsenter", "Nsenter", "a shell in the selected process's namespaces (choose which)", HINT | PMENU | CMENU },
	{ UI_ACT_LAUNCH, "launch", "Run", "run a new container (a form: command, root, limits...)", HINT | CHINT | CMENU | DMENU },
};
const size_t ui_nactions = sizeof(ui_actions) / sizeof(ui_actions[0]);

int ui_action_key(enum ui_action a)
{
	for (size_t i = 0; i < ui_nbindings; i++)
		if (ui_bindings[i].action == a)
			return ui_bindings[i].key;
	return UI_KEY_NONE;
}

size_t ui_actions_in(unsigned where, const struct ui_action_info **out, size_t n)
{
	size_t k = 0;

	/* F1 to F10 in their order, as htop's bar; then the others in the
	 * table's. */
	for (int f = 1; f <= UI_KEY_LAST - UI_KEY_F0; f++)
		for (size_t i = 0; i < ui_nactions && k < n; i++)
			if ((ui_actions[i].where & where) &&
			    ui_action_key(ui_actions[i].action) == UI_KEY_F(f))
				out[k++] = &ui_actions[i];
	for (size_t i = 0; i < ui_nactions && k < n; i++) {
		int key = ui_action_key(ui_actions[i].action);

		if ((ui_actions[i].where & where) && !(key >= UI_KEY_F(1) && key <= UI_KEY_LAST))
			out[k++] = &ui_actions[i];
	}
	return k;
}

enum ui_action ui_key_action(int key)
{
	for (size_t i = 0; i < ui_nbindings; i++)
		if (ui_bindings[i].key == key)
			return ui_bindings[i].action;
	return UI_ACT_NONE;
}

const struct ui_action_info *ui_action_info(enum ui_action a)
{
	for (size_t i = 0; i < ui_nactions; i++)
		if (ui_actions[i].action == a)
			return &ui_actions[i];
	return NULL;
}

const char *ui_key_name(int key, char *buf, size_t size)
{
	static const char *const special[] = {
		[UI_KEY_UP - UI_KEY_BASE] = "Up",
		[UI_KEY_DOWN - UI_KEY_BASE] = "Down",
		[UI_KEY_LEFT - UI_KEY_BASE] = "Left",
		[UI_KEY_RIGHT - UI_KEY_BASE] = "Right",
		[UI_KEY_PGUP - UI_KEY_BASE] = "PgUp",
		[UI_KEY_PGDN - UI_KEY_BASE] = "PgDn",
		[UI_KEY_HOME - UI_KEY_BASE] = "Home",
		[UI_KEY_END - UI_KEY_BASE] = "End",
		[UI_KEY_BTAB - UI_KEY_BASE] = "Shift-Tab",
		[UI_KEY_ENTER - UI_KEY_BASE] = "Enter",
		[UI_KEY_BACKSPACE - UI_KEY_BASE] = "Backspace",
		[UI_KEY_RESIZE - UI_KEY_BASE] = "Resize",
		[UI_KEY_MOUSE - UI_KEY_BASE] = "Mouse",
	};

	if (key == UI_KEY_F(15))
		snprintf(buf, size, "Shift-F3");
	else if (key >= UI_KEY_F(1) && key <= UI_KEY_LAST)
		snprintf(buf, size, "F%d", key - UI_KEY_F0);
	else if (key >= UI_KEY_BASE && key < UI_KEY_F0 && special[key - UI_KEY_BASE])
		snprintf(buf, size, "%s", special[key - UI_KEY_BASE]);
	else if (key == '\t')
		snprintf(buf, size, "Tab");
	else if (key == ' ')
		snprintf(buf, size, "Space");
	else if (key == UI_KEY_ESC)
		snprintf(buf, size, "Esc");
	else if (key == UI_KEY_F(15))
		snprintf(buf, size, "Shift-F3");
	else if (key > UI_KEY_ALT0 && key < UI_KEY_ALT0 + 0x7f)
		snprintf(buf, size, "Alt-%c", key - UI_KEY_ALT0);
	else if (key > 0 && key < 0x20)
		snprintf(buf, size, "^%c", key + '@');
	else if (key > 0x20 && key < 0x7f)
		snprintf(buf, size, "%c", key);
	else
		snprintf(buf, size, "#%d", key);
	return buf;
}

size_t ui_action_keys(enum ui_action a, char *buf, size_t size)
{
	size_t len = 0;
	bool digits = false;

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < ui_nbindings; i++) {
		char name[16];
		int key = ui_bindings[i].key;

		if (ui_bindings[i].action != a)
			continue;
		/* Ten digit keys read better as one range. */
		if (key >= '0' && key <= '9') {
			if (digits)
				continue;
			digits = true;
			snprintf(name, sizeof(name), "0-9");
		} else {
			ui_key_name(key, name, sizeof(name));
		}
		len += snprintf(buf + len, len < size ? size - len : 0, "%s%s",
				len ? " " : "", name);
	}
	return len;
}
