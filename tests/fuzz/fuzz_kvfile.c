/* The "key = value" reader under the theme and settings files, with and
 * without inline comments. */
#include "config.h"

#include <errno.h>

#include "fuzz.h"
#include "nstop/kvfile.h"

static int visit(char *key, char *val, const char *fname, int line, void *arg,
		 struct nst_err *err)
{
	size_t *sum = arg;

	*sum += fuzz_touch(key) + fuzz_touch(val) + (size_t)line;
	/* a key the caller refuses stops the parse */
	if (strcmp(key, "stop") == 0)
		return nst_err_set(err, EINVAL, "%s:%d: stop", fname, line);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size), *copy;
	struct nst_err err;
	size_t sum = 0;

	if (!text)
		return 0;
	nst_err_clear(&err);
	nst_kv_parse(text, "a", false, "key = value", visit, &sum, &err);
	nst_kv_parse(text, "b", true, "key = value", visit, &sum, &err);
	if ((copy = strdup(text))) {
		sum += fuzz_touch(nst_trim(copy));
		free(copy);
	}
	free(text);
	return sum == (size_t)-1;
}
