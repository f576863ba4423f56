/*
 * The cgroup statistics files: limits ("max", numbers, v1's page-rounded
 * "no limit"), flat keyed files (cpu.stat, memory.stat, memory.events),
 * cpu.max, PSI files, v1 freezer.state, and the controllers of a v1 mount's
 * options. Input: FILE [NUL KEY].
 */
#include "config.h"

#include "fuzz.h"
#include "nstop/cgroup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {
		"usage_usec", "user_usec", "nr_throttled", "throttled_usec", "file",
		"anon", "oom_kill", "max", "populated", "frozen", "",
	};
	const uint8_t *d = data;
	size_t n = size;
	char *text = fuzz_part(&d, &n), *key = fuzz_part(&d, &n);
	long long a, b;
	double x, y;
	int f;
	char ctl[256], tiny[4];

	if (!text || !key)
		goto out;
	cg_parse_limit(text, &a);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		cg_parse_keyed(text, keys[i], &a);
	cg_parse_keyed(text, key, &a);
	cg_parse_cpu_max(text, &a, &b);
	cg_parse_psi(text, &x, &y);
	cg_parse_psi(text, &x, NULL);
	cg_parse_freezer_state(text, &f);
	cg_v1_controllers(text, ctl, sizeof(ctl));
	if (strnlen(ctl, sizeof(ctl)) == sizeof(ctl))
		abort();
	cg_v1_controllers(text, tiny, sizeof(tiny));
	if (strnlen(tiny, sizeof(tiny)) == sizeof(tiny))
		abort();
	cg_is_controller_opt(text);
out:
	free(text);
	free(key);
	return 0;
}
