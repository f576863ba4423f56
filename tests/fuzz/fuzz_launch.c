/*
 * The TUI's launch form: the command line typed into it, split into words
 * as a shell would without expanding anything ('...', "...", backslashes),
 * and its volumes field ("SRC:DST[:ro] ..."). The splitters are static in
 * ui-launch.c, so this harness includes that file (the rest of the TUI is
 * linked from its own objects, curses included) rather than widen the
 * TUI's interface for a test. Input: COMMAND [NUL VOLUMES].
 */
#include "config.h"

#include "fuzz.h"
#include "../../src/ui/ui-launch.c"

#define MAXW 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *d = data;
	size_t n = size, sum = 0;
	char *cmd = fuzz_part(&d, &n), *vols = fuzz_part(&d, &n), *copy;
	char *words[MAXW], buf[UI_FIELD_TEXT_MAX * 2], msg[256], t[64];
	struct rt_volume v[RT_MAX_VOLUMES];
	size_t nv;
	int nw;

	if (!cmd || !vols)
		goto out;
	if ((copy = strdup(cmd))) {
		size_t len = strlen(copy);
		nw = split_command(copy, words, MAXW);
		if (nw >= MAXW || nw < -2)
			abort();
		for (int i = 0; i < nw; i++) {
			/* every word lies inside the buffer, shorter than it */
			if (words[i] < copy || words[i] > copy + len ||
			    fuzz_touch(words[i]) > len)
				abort();
			sum += fuzz_touch(words[i]);
		}
		if (nw >= 0 && words[nw])
			abort();
		free(copy);
	}
	if ((copy = strdup(cmd))) {
		nw = split_words(copy, words, MAXW);
		for (int i = 0; i < nw; i++)
			sum += fuzz_touch(words[i]);
		free(copy);
	}
	sum += fuzz_touch(trim(cmd, t, sizeof(t)));
	root_is_host(cmd);
	if (strlen(vols) < UI_FIELD_TEXT_MAX) {
		parse_volumes(vols, false, buf, sizeof(buf), v, &nv, msg, sizeof(msg));
		parse_volumes(vols, true, buf, sizeof(buf), v, &nv, msg, sizeof(msg));
	}
out:
	free(cmd);
	free(vols);
	return sum == (size_t)-1;
}
