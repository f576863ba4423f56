/* The user's settings file (~/.config/nstop/config), "key = value" lines. */
#include "config.h"

#include "fuzz.h"
#include "nstop/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size);
	struct nst_config cfg;
	struct nst_err err;

	if (!text)
		return 0;
	nst_config_defaults(&cfg);
	nst_err_clear(&err);
	if (nst_config_parse(text, "config", &cfg, &err) == 0 &&
	    (!(cfg.interval > 0) ||
	     strnlen(cfg.theme, sizeof(cfg.theme)) == sizeof(cfg.theme) ||
	     strnlen(cfg.columns, sizeof(cfg.columns)) == sizeof(cfg.columns) ||
	     strnlen(cfg.sort, sizeof(cfg.sort)) == sizeof(cfg.sort) ||
	     strnlen(cfg.view, sizeof(cfg.view)) == sizeof(cfg.view)))
		abort();
	if (strnlen(err.msg, sizeof(err.msg)) == sizeof(err.msg))
		abort();
	free(text);
	return 0;
}
