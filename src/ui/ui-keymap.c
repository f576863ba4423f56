/* The key map: every key, the action it names, and its label in help and hints,
 * in one table (ui-keymap.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ui-keymap.h"

#define CTRL(c) ((c) & 0x1f)

/* As htop binds them where htop has the same action; Enter opens the menu
 * of what can be done to the selection. */
const struct ui_binding ui_bindings[] = {
	{ UI_KEY_F(1), UI_ACT_HELP }, { 'h', UI_ACT_HELP }, { '?', UI_ACT_HELP },
	{ UI_KEY_F(10), UI_ACT_QUIT }, { 'q', UI_ACT_QUIT },
	{ UI_KEY_UP, UI_ACT_UP }, { UI_KEY_DOWN, UI_ACT_DOWN },
	{ UI_KEY_PGUP, UI_ACT_PGUP }, { UI_KEY_PGDN, UI_ACT_PGDN },
	{ UI_KEY_HOME, UI_ACT_HOME }, { UI_KEY_END, UI_ACT_END },
	{ UI_KEY_RIGHT, UI_ACT_EXPAND }, { UI_KEY_LEFT, UI_ACT_COLLAPSE },
	{ '\t', UI_ACT_NEXT_VIEW }, { UI_KEY_BTAB, UI_ACT_PREV_VIEW },
	{ UI_KEY_F(3), UI_ACT_SEARCH }, { '/', UI_ACT_SEARCH },
	{ 'n', UI_ACT_SEARCH_NEXT }, { 'N', UI_ACT_SEARCH_PREV },
	{ UI_KEY_F(4), UI_ACT_FILTER }, { '\\', UI_ACT_FILTER },
	{ UI_KEY_F(5), UI_ACT_TREE }, { 't', UI_ACT_TREE },
	{ UI_KEY_F(6), UI_ACT_SORT_NEXT }, { '>', UI_ACT_SORT_NEXT },
	{ '<', UI_ACT_SORT_PREV }, { 'I', UI_ACT_SORT_INVERT },
	{ UI_KEY_F(9), UI_ACT_SIGNAL }, { 'k', UI_ACT_SIGNAL },
	{ ' ', UI_ACT_TAG }, { 'U', UI_ACT_UNTAG_ALL },
	{ '+', UI_ACT_FASTER }, { '=', UI_ACT_FASTER }, { '-', UI_ACT_SLOWER },
	{ 'v', UI_ACT_VIEW_FROM }, { 'V', UI_ACT_HOST_VIEW },
	{ UI_KEY_ESC, UI_ACT_HOST_VIEW },
	{ 'p', UI_ACT_PATHS }, { UI_KEY_F(2), UI_ACT_DETAIL }, { 'd', UI_ACT_DETAIL },
	{ 'S', UI_ACT_SAVE }, { CTRL('l'), UI_ACT_REDRAW },
	{ '0', UI_ACT_JUMP_PID }, { '1', UI_ACT_JUMP_PID }, { '2', UI_ACT_JUMP_PID },
	{ '3', UI_ACT_JUMP_PID }, { '4', UI_ACT_JUMP_PID }, { '5', UI_ACT_JUMP_PID },
	{ '6', UI_ACT_JUMP_PID }, { '7', UI_ACT_JUMP_PID }, { '8', UI_ACT_JUMP_PID },
	{ '9', UI_ACT_JUMP_PID },
	{ UI_KEY_ENTER, UI_ACT_MENU }, { 'r', UI_ACT_LAUNCH }, { 'z', UI_ACT_FREEZE },
	{ 'u', UI_ACT_LIMITS }, { 'm', UI_ACT_MOVE }, { 'e', UI_ACT_ENTER },
	{ 'E', UI_ACT_NSENTER }, { 'l', UI_ACT_LOG }, { 'x', UI_ACT_REMOVE },
};
const size_t ui_nbindings = sizeof(ui_bindings) / sizeof(ui_bindings[0]);

const struct ui_action_info ui_actions[] = {
	{ UI_ACT_HELP, "help", "this screen" },
	{ UI_ACT_QUIT, "quit", "quit (the terminal is restored)" },
	{ UI_ACT_UP, "up", "select the row above" },
	{ UI_ACT_DOWN, "down", "select the row below" },
	{ UI_ACT_PGUP, "page-up", "one page up" },
	{ UI_ACT_PGDN, "page-down", "one page down" },
	{ UI_ACT_HOME, "home", "first row" },
	{ UI_ACT_END, "end", "last row" },
	{ UI_ACT_EXPAND, "expand", "expand: a namespace's processes, a cgroup's children" },
	{ UI_ACT_COLLAPSE, "collapse", "collapse the row (or go to its parent)" },
	{ UI_ACT_NEXT_VIEW, "next-view", "next view (tab)" },
	{ UI_ACT_PREV_VIEW, "prev-view", "previous view (tab)" },
	{ UI_ACT_SEARCH, "search", "search as you type (Enter keeps, Esc cancels)" },
	{ UI_ACT_SEARCH_NEXT, "search-next", "next match of the search" },
	{ UI_ACT_SEARCH_PREV, "search-prev", "previous match of the search" },
	{ UI_ACT_FILTER, "filter", "show only rows containing a text (empty: all)" },
	{ UI_ACT_TREE, "tree", "tree: processes by parent, cgroups and namespaces nested" },
	{ UI_ACT_SORT_NEXT, "sort-next", "sort by the next column (or click a title)" },
	{ UI_ACT_SORT_PREV, "sort-prev", "sort by the previous column" },
	{ UI_ACT_SORT_INVERT, "sort-invert", "invert the sort order" },
	{ UI_ACT_SIGNAL, "signal", "send a signal to the selected or tagged processes" },
	{ UI_ACT_TAG, "tag", "tag the process (signals go to all tagged)" },
	{ UI_ACT_UNTAG_ALL, "untag-all", "untag every process" },
	{ UI_ACT_FASTER, "faster", "refresh more often" },
	{ UI_ACT_SLOWER, "slower", "refresh less often" },
	{ UI_ACT_VIEW_FROM, "view-from", "view from: every cgroup path as the selected process sees it" },
	{ UI_ACT_HOST_VIEW, "host-view", "back to the host's view (Esc also cancels a prompt)" },
	{ UI_ACT_PATHS, "paths", "cgroup paths: host, the process's own namespace, view-from" },
	{ UI_ACT_DETAIL, "detail", "detail pane: live cpu and memory plots of the selection" },
	{ UI_ACT_SAVE, "save", "save theme, interval, sort, view and tree to the config file" },
	{ UI_ACT_REDRAW, "redraw", "redraw the screen" },
	{ UI_ACT_JUMP_PID, "jump-pid", "type a PID to jump to it" },
	{ UI_ACT_MENU, "menu", "what can be done to the selected container or process" },
	{ UI_ACT_LAUNCH, "launch", "run a new container (a form: command, root, limits...)" },
	{ UI_ACT_FREEZE, "freeze", "freeze or thaw the selected container" },
	{ UI_ACT_LIMITS, "limits", "change the selected container's limits" },
	{ UI_ACT_MOVE, "move", "move a process into a container" },
	{ UI_ACT_ENTER, "enter", "a shell inside the selected container (as nstop exec)" },
	{ UI_ACT_NSENTER, "nsenter", "a shell in the selected process's namespaces (choose which)" },
	{ UI_ACT_LOG, "log", "the selected container's log, followed live" },
	{ UI_ACT_REMOVE, "remove", "remove the selected container (asks first)" },
};
const size_t ui_nactions = sizeof(ui_actions) / sizeof(ui_actions[0]);

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

	if (key >= UI_KEY_F(1) && key <= UI_KEY_LAST)
		snprintf(buf, size, "F%d", key - UI_KEY_F0);
	else if (key >= UI_KEY_BASE && key < UI_KEY_F0 && special[key - UI_KEY_BASE])
		snprintf(buf, size, "%s", special[key - UI_KEY_BASE]);
	else if (key == '\t')
		snprintf(buf, size, "Tab");
	else if (key == ' ')
		snprintf(buf, size, "Space");
	else if (key == UI_KEY_ESC)
		snprintf(buf, size, "Esc");
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
