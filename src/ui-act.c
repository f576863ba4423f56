/* The actions on a container from the TUI: the menu, freeze and thaw,
 * move, enter, the log, kill and remove. (Being written.) */
#include "config.h"

#include "ui-impl.h"

static void ui_act_todo(struct ui_state *ui, const char *what)
{
	ui_message(ui, THEME_ERROR, "%s: not built yet", what);
}

void ui_act_menu(struct ui_state *ui) { ui_act_todo(ui, "menu"); }
void ui_act_freeze(struct ui_state *ui) { ui_act_todo(ui, "freeze"); }
void ui_act_move(struct ui_state *ui) { ui_act_todo(ui, "move"); }
void ui_act_enter(struct ui_state *ui) { ui_act_todo(ui, "enter"); }
void ui_act_log(struct ui_state *ui) { ui_act_todo(ui, "log"); }
void ui_act_remove(struct ui_state *ui) { ui_act_todo(ui, "remove"); }
void ui_act_kill(struct ui_state *ui, const char *name, int sig, const char *signame)
{
	(void)name; (void)sig; (void)signame;
	ui_act_todo(ui, "kill");
}
void ui_act_free(struct ui_state *ui) { (void)ui; }
