/*
 * /proc/PID/stat: the one parser (nst_stat_parse, which the runtime reads
 * start times and flags through) and the scan's use of it. A process
 * chooses its comm, parentheses and spaces included.
 */
#include "config.h"

#include "fuzz.h"
#include "nstop/procstat.h"
#include "nstop/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size), *copy;
	struct scan_proc p;
	struct nst_stat st;

	if (!text)
		return 0;
	copy = strdup(text);
	if (copy) {
		memset(&p, 0, sizeof(p));
		if (scan_stat_parse(copy, &p, 4096) &&
		    strnlen(p.comm, sizeof(p.comm)) == sizeof(p.comm))
			abort();
		free(copy);
	}
	if (nst_stat_parse(text, &st) > 24)
		abort();
	free(text);
	return 0;
}
