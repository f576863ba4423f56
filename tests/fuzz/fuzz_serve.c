/* What a scrape takes from outside: the Accept header (any client on the
 * network), a label value (any engine's container name), a PSI file; and
 * the escaped value must stay on one line inside its quotes. */
#include "config.h"

#include <stdio.h>

#include "fuzz.h"
#include "nstop/serve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size), *buf = NULL;
	size_t len = 0, sum = 0;
	struct serve_psi psi;
	FILE *f;

	if (!text)
		return 0;
	sum += (size_t)serve_negotiate(text);
	if (serve_parse_psi(text, &psi) == 0)
		sum += (size_t)psi.some_usec;
	sum += serve_cgroup_ok(text);
	if ((f = open_memstream(&buf, &len))) {
		serve_label_value(text, f);
		fclose(f);
		/* no raw newline, no unescaped quote */
		for (size_t i = 0; buf && i < len; i++) {
			if (buf[i] == '\n')
				__builtin_trap();
			if (buf[i] == '\\')
				i++;
			else if (buf[i] == '"')
				__builtin_trap();
		}
		free(buf);
	}
	free(text);
	return sum == (size_t)-1;
}
