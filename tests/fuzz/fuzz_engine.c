/*
 * What other engines leave for nstop to read: a cgroup path (any process's
 * /proc/PID/cgroup may name one), systemd's unit-name escapes in it, and the
 * state files of runc and crun, and a cpu.stat's throttling figures.
 * Input: PATH [NUL RUNC-STATE [NUL CRUN-STATUS [NUL CPU-STAT]]].
 */
#include "config.h"

#include "fuzz.h"
#include "nstop/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *d = data;
	size_t n = size, sum = 0;
	char *path = fuzz_part(&d, &n), *runc = fuzz_part(&d, &n);
	char *crun = fuzz_part(&d, &n), *stat = fuzz_part(&d, &n);
	struct eng_match m;
	struct eng_state_ent e = { 0 };
	struct eng_usage u;
	char out[64];

	if (path && eng_match_cgroup(path, &m)) {
		sum += fuzz_touch(m.id) + fuzz_touch(m.pod);
		if (m.len > strlen(path))
			abort();
	}
	if (path && eng_unescape_unit(path, strlen(path), out, sizeof(out)))
		sum += fuzz_touch(out);
	if (path)
		sum += eng_is_plain_id(path) + eng_is_hex_id(path, strlen(path));
	if (runc && eng_parse_runc_state(runc, &e))
		sum += (size_t)e.pid;
	if (crun && eng_parse_crun_status(crun, &e))
		sum += (size_t)e.pid;
	eng_usage_clear(&u);
	if (stat) {
		eng_parse_cpu_stat(stat, true, &u);
		eng_parse_cpu_stat(stat, false, &u);
	}
	free(path);
	free(runc);
	free(crun);
	free(stat);
	return sum == (size_t)-1;
}
