/* nstop run, nstop exec. */
#include "config.h"

#include "cli.h"

int cli_run(int argc, char **argv)
{
	cli_error("run: not built yet");
	return CLI_FAIL;
}

int cli_exec(int argc, char **argv)
{
	cli_error("exec: not built yet");
	return CLI_FAIL;
}
