/* nstop list, freeze, thaw, update, move, kill, rm. */
#include "config.h"

#include "cli.h"

int cli_list(int argc, char **argv)
{
	cli_error("list: not built yet");
	return CLI_FAIL;
}

int cli_freeze(int argc, char **argv)
{
	cli_error("freeze: not built yet");
	return CLI_FAIL;
}

int cli_thaw(int argc, char **argv)
{
	cli_error("thaw: not built yet");
	return CLI_FAIL;
}

int cli_update(int argc, char **argv)
{
	cli_error("update: not built yet");
	return CLI_FAIL;
}

int cli_move(int argc, char **argv)
{
	cli_error("move: not built yet");
	return CLI_FAIL;
}

int cli_kill(int argc, char **argv)
{
	cli_error("kill: not built yet");
	return CLI_FAIL;
}

int cli_rm(int argc, char **argv)
{
	cli_error("rm: not built yet");
	return CLI_FAIL;
}
