/*
 * The command line's own parsers: pids, seconds and counts (-d, -n), the
 * -o column lists of nstop -b, nstop ns and nstop cgroups, with and
 * without "+" (added to the defaults), and the TUI settings' column list.
 */
#include "config.h"

#include <stdio.h>

#include "fuzz.h"
#include "cli.h"
#include "nstop/output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		const struct out_table *table;
		const char *defaults;
	} tables[] = {
		{ &out_proc_table, "pid,user,state,cpu,rss,cgroupns,pidns,mntns,netns,cgroup,cmdline" },
		{ &out_ns_table, "NS,TYPE,NPROCS,PID,USER,COMMAND" },
		{ &out_cg_table, "NPROCS,CPU,MEM,MEMLIMIT,PIDS,PIDSLIMIT,FROZEN" },
	};
	char *text = fuzz_str(data, size);
	const void *cols[64];
	const struct out_proc_field *pcols[8];
	struct nst_err err;
	pid_t pid;
	double secs;
	long count;
	int n;

	if (!text)
		return 0;
	cli_parse_pid(text, &pid);
	cli_parse_seconds(text, &secs);
	cli_parse_count(text, &count);
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		nst_err_clear(&err);
		n = out_columns_parse(text, tables[t].defaults, tables[t].table, cols, 64, &err);
		if (n > 64)
			abort();
		for (int i = 0; i < n; i++)
			if (!cols[i])
				abort();
		n = out_columns_parse(text, tables[t].defaults, tables[t].table, cols, 3, &err);
		if (n > 3)
			abort();
	}
	nst_err_clear(&err);
	n = out_proc_fields_parse(text, pcols, 8, &err);
	if (n > 8 || strnlen(err.msg, sizeof(err.msg)) == sizeof(err.msg))
		abort();
	free(text);
	return 0;
}
