/* ui-main: to be written. */
#include "config.h"

#include "cli.h"
#include "ui.h"

int ui_main(const struct ui_opts *opts)
{
	cli_error("the interactive view is not built yet; use -b");
	return CLI_FAIL;
}
