/* The launch form and the limits dialog. (Being written.) */
#include "config.h"

#include "ui-impl.h"

void ui_launch_open(struct ui_state *ui) { ui_message(ui, THEME_ERROR, "launch: not built yet"); }
void ui_limits_open(struct ui_state *ui) { ui_message(ui, THEME_ERROR, "limits: not built yet"); }
void ui_launch_free(struct ui_state *ui) { (void)ui; }
