/* A shell in any process's namespaces. (Being written.) */
#include "config.h"

#include "ui-impl.h"

void ui_nsenter_open(struct ui_state *ui) { ui_message(ui, THEME_ERROR, "nsenter: not built yet"); }
void ui_nsenter_free(struct ui_state *ui) { (void)ui; }
