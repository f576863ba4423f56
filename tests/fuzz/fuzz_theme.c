/* Theme files (nstop-theme(5)), which -t PATH reads from anywhere. */
#include "config.h"

#include "fuzz.h"
#include "nstop/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size);
	struct theme t;
	struct nst_err err;

	if (!text)
		return 0;
	theme_default(&t);
	nst_err_clear(&err);
	if (theme_parse(text, "fuzz.theme", &t, &err) == 0) {
		if (strnlen(t.name, sizeof(t.name)) == sizeof(t.name))
			abort();
		for (int i = 0; i < THEME_NELEM; i++) {
			if (t.s[i].fg < THEME_COLOR_DEFAULT || t.s[i].fg > 255 ||
			    t.s[i].bg < THEME_COLOR_DEFAULT || t.s[i].bg > 255)
				abort();
			/* what the TUI does with each colour on 8, 16 and 256 */
			theme_color_reduce(t.s[i].fg, 8);
			theme_color_reduce(t.s[i].bg, 16);
			theme_color_reduce(t.s[i].fg, 256);
		}
	}
	free(text);
	return 0;
}
