/* The TUI's key map: every key htop users expect does what they expect, no
 * key does two things, and the help screen (generated from the map) lists
 * every action with a key. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ui-keymap.h"

/* htop 3's keys (its Action.c), each to the action htop users expect. */
static void test_htop_keys(void **state)
{
	static const struct { int key; enum ui_action a; } want[] = {
		{ UI_KEY_F(1), UI_ACT_HELP }, { 'h', UI_ACT_HELP }, { '?', UI_ACT_HELP },
		{ UI_KEY_F(2), UI_ACT_SETUP }, { 'S', UI_ACT_SETUP }, { 'C', UI_ACT_SETUP },
		{ UI_KEY_F(3), UI_ACT_SEARCH }, { '/', UI_ACT_SEARCH },
		{ UI_KEY_F(15), UI_ACT_SEARCH_PREV },
		{ UI_KEY_F(4), UI_ACT_FILTER }, { '\\', UI_ACT_FILTER },
		{ UI_KEY_F(5), UI_ACT_TREE }, { 't', UI_ACT_TREE },
		{ UI_KEY_F(6), UI_ACT_SORT_MENU }, { '>', UI_ACT_SORT_MENU },
		{ '<', UI_ACT_SORT_MENU }, { '.', UI_ACT_SORT_MENU }, { ',', UI_ACT_SORT_MENU },
		{ 'I', UI_ACT_SORT_INVERT }, { 'P', UI_ACT_SORT_CPU }, { 'M', UI_ACT_SORT_MEM },
		{ 'T', UI_ACT_SORT_TIME }, { 'N', UI_ACT_SORT_PID },
		{ UI_KEY_F(7), UI_ACT_NICE_DOWN }, { ']', UI_ACT_NICE_DOWN },
		{ UI_KEY_F(8), UI_ACT_NICE_UP }, { '[', UI_ACT_NICE_UP },
		{ UI_KEY_F(9), UI_ACT_SIGNAL }, { 'k', UI_ACT_SIGNAL },
		{ UI_KEY_F(10), UI_ACT_QUIT }, { 'q', UI_ACT_QUIT },
		{ UI_KEY_UP, UI_ACT_UP }, { UI_KEY_DOWN, UI_ACT_DOWN },
		{ UI_KEY_PGUP, UI_ACT_PGUP }, { UI_KEY_PGDN, UI_ACT_PGDN },
		{ UI_KEY_HOME, UI_ACT_HOME }, { UI_KEY_END, UI_ACT_END },
		{ UI_KEY_LEFT, UI_ACT_LEFT }, { UI_KEY_RIGHT, UI_ACT_RIGHT },
		{ ' ', UI_ACT_TAG }, { 'c', UI_ACT_TAG_CHILDREN }, { 'U', UI_ACT_UNTAG_ALL },
		{ '+', UI_ACT_EXPAND }, { '=', UI_ACT_EXPAND }, { '-', UI_ACT_COLLAPSE },
		{ '*', UI_ACT_EXPAND_ALL },
		{ 'u', UI_ACT_USER }, { 'K', UI_ACT_KTHREADS }, { 'H', UI_ACT_THREADS },
		{ 'F', UI_ACT_FOLLOW }, { 'w', UI_ACT_CMDLINE }, { 'e', UI_ACT_ENVIRON },
		{ 'l', UI_ACT_FILES }, { 's', UI_ACT_STRACE }, { 'Z', UI_ACT_PAUSE },
		{ '#', UI_ACT_METERS }, { 'm', UI_ACT_MERGED }, { 12, UI_ACT_REDRAW },
		{ '\t', UI_ACT_NEXT_VIEW }, { UI_KEY_BTAB, UI_ACT_PREV_VIEW },
		{ '0', UI_ACT_JUMP_PID }, { '9', UI_ACT_JUMP_PID },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(ui_key_action(want[i].key), want[i].a);
}

/* Enter opens the menu of the selection; the controls have keys of their
 * own, all of them keys htop leaves free. */
static void test_control_keys(void **state)
{
	static const char htop_keys[] = "aceiklmpqsuwxCFHIKMNPSTUZ#*+-=[]<>.,/\\ ?";

	assert_int_equal(ui_key_action(UI_KEY_ENTER), UI_ACT_MENU);
	assert_int_equal(ui_key_action('r'), UI_ACT_LAUNCH);
	assert_int_equal(ui_key_action('z'), UI_ACT_FREEZE);
	assert_int_equal(ui_key_action('L'), UI_ACT_LIMITS);
	assert_int_equal(ui_key_action('J'), UI_ACT_MOVE);
	assert_int_equal(ui_key_action('X'), UI_ACT_ENTER);
	assert_int_equal(ui_key_action('E'), UI_ACT_NSENTER);
	assert_int_equal(ui_key_action('O'), UI_ACT_LOG);
	assert_int_equal(ui_key_action('D'), UI_ACT_REMOVE);
	for (size_t i = 0; htop_keys[i]; i++) {
		enum ui_action a = ui_key_action(htop_keys[i]);
		assert_true(a < UI_ACT_MENU || a == UI_ACT_SIGNAL);
	}
}

/* The status line and the menus are drawn from the table. */
static void test_offered(void **state)
{
	const struct ui_action_info *v[64];
	size_t n = ui_actions_in(UI_IN_HINTS, v, 64);

	assert_true(n > 5);
	/* F1, F2, F3... in order, as htop's bar */
	assert_int_equal(v[0]->action, UI_ACT_HELP);
	assert_int_equal(v[1]->action, UI_ACT_SETUP);
	assert_int_equal(v[2]->action, UI_ACT_SEARCH);
	assert_int_equal(ui_actions_in(UI_IN_DEAD_MENU, v, 64), 3);
	assert_int_equal(ui_action_key(UI_ACT_REMOVE), 'D');
}

static void test_no_key_twice(void **state)
{
	for (size_t i = 0; i < ui_nbindings; i++)
		for (size_t j = i + 1; j < ui_nbindings; j++)
			assert_int_not_equal(ui_bindings[i].key, ui_bindings[j].key);
}

/* Every action has a key, help text and a place on the help screen, and
 * every bound action is described there. */
static void test_help_covers_all(void **state)
{
	char keys[128];

	assert_int_equal(ui_nactions, UI_ACT_NACTIONS - 1);
	for (size_t i = 0; i < ui_nactions; i++) {
		assert_non_null(ui_actions[i].help);
		assert_true(strlen(ui_actions[i].help) > 5);
		assert_true(ui_action_keys(ui_actions[i].action, keys, sizeof(keys)) > 0);
		for (size_t j = i + 1; j < ui_nactions; j++)
			assert_int_not_equal(ui_actions[i].action, ui_actions[j].action);
	}
	for (size_t i = 0; i < ui_nbindings; i++)
		assert_non_null(ui_action_info(ui_bindings[i].action));
}

static void test_key_names(void **state)
{
	char buf[32];

	assert_string_equal(ui_key_name(UI_KEY_F(10), buf, sizeof(buf)), "F10");
	assert_string_equal(ui_key_name('\t', buf, sizeof(buf)), "Tab");
	assert_string_equal(ui_key_name(' ', buf, sizeof(buf)), "Space");
	assert_string_equal(ui_key_name(UI_KEY_ESC, buf, sizeof(buf)), "Esc");
	assert_string_equal(ui_key_name(UI_KEY_BTAB, buf, sizeof(buf)), "Shift-Tab");
	assert_string_equal(ui_key_name('\\', buf, sizeof(buf)), "\\");
	assert_string_equal(ui_key_name(12, buf, sizeof(buf)), "^L");
	assert_string_equal(ui_key_name(UI_KEY_F(15), buf, sizeof(buf)), "Shift-F3");
	assert_string_equal(ui_key_name(UI_KEY_ALT('k'), buf, sizeof(buf)), "Alt-k");
	ui_action_keys(UI_ACT_QUIT, buf, sizeof(buf));
	assert_string_equal(buf, "F10 q");
	ui_action_keys(UI_ACT_JUMP_PID, buf, sizeof(buf));
	assert_string_equal(buf, "0-9");
	ui_action_keys(UI_ACT_HELP, buf, sizeof(buf));
	assert_string_equal(buf, "F1 h ?");
	/* Truncated, still terminated. */
	assert_true(ui_action_keys(UI_ACT_HELP, buf, 3) > 3);
	assert_string_equal(buf, "F1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_htop_keys),
		cmocka_unit_test(test_control_keys),
		cmocka_unit_test(test_offered),
		cmocka_unit_test(test_no_key_twice),
		cmocka_unit_test(test_help_covers_all),
		cmocka_unit_test(test_key_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
