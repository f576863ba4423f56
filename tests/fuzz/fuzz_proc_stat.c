/*
 * /proc/PID/stat: the scan's parser (comm with any bytes, then the numbers)
 * and the runtime's field reader (start time, flags). A process chooses its
 * comm, parentheses and spaces included.
 */
#include "config.h"

#include "fuzz.h"
#include "rt-internal.h"
#include "nstop/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size), *copy;
	struct scan_proc p;
	unsigned long long v;

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
	for (int field = 4; field <= 52; field++)
		rt_proc_stat_field(text, field, &v);
	free(text);
	return 0;
}
