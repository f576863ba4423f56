/*
 * The runtime's parsers of command-line and form text: container names,
 * sizes, cpus, cpu weights, pid limits, signals, cpusets (against an online
 * list that is fuzzed too, as /sys gives it) and volumes.
 * Input: ARG [NUL ONLINE-CPUS].
 */
#include "config.h"

#include "fuzz.h"
#include "nstop/size.h"
#include "rt-internal.h"
#include "nstop/runtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *d = data;
	size_t n = size;
	char *arg = fuzz_part(&d, &n), *online = fuzz_part(&d, &n), *copy;
	struct nst_err err;
	int64_t a, b;
	int sig;
	char set[128], tiny[3];
	struct rt_volume v;

	if (!arg || !online)
		goto out;
	nst_err_clear(&err);
	rt_name_check(arg, &err);
	rt_name_check(arg, NULL);
	rt_volume_name_check(arg, &err);
	nst_parse_size(arg, &a, &err);
	rt_parse_cpus(arg, &a, &b, &err);
	rt_parse_cpu_weight(arg, &a, &err);
	rt_parse_pids(arg, &a, &err);
	rt_parse_signal(arg, &sig, &err);
	rt_parse_cpuset_in(arg, *online ? online : "0-3\n", set, sizeof(set), &err);
	rt_parse_cpuset_in(arg, online, tiny, sizeof(tiny), &err);
	if ((copy = strdup(arg))) {
		/* accepted: a host path, a name by the rule, or none (anonymous) */
		if (rt_parse_volume(copy, &v, &err) == 0 &&
		    (v.dst[0] != '/' ||
		     (v.kind == RT_VOL_BIND && v.src[0] != '/') ||
		     (v.kind == RT_VOL_NAMED && rt_volume_name_check(v.src, NULL) < 0) ||
		     (v.kind == RT_VOL_ANON && v.src)))
			abort();
		free(copy);
	}
	/* err.msg is always a C string */
	if (strnlen(err.msg, sizeof(err.msg)) == sizeof(err.msg))
		abort();
out:
	free(arg);
	free(online);
	return 0;
}
