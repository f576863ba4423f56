/* config: first cut (every function exists; parsing comes next). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nstop/config.h"

void nst_config_defaults(struct nst_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->theme, "default");
	cfg->interval = 2.0;
	strcpy(cfg->sort, "cpu");
	strcpy(cfg->view, "processes");
}

int nst_config_parse(const char *text, const char *fname, struct nst_config *cfg,
		     struct nst_err *err)
{
	return 0;
}

int nst_config_load(const char *path, struct nst_config *cfg, struct nst_err *err)
{
	return 0;
}

int nst_config_save(const char *path, const struct nst_config *cfg,
		    struct nst_err *err)
{
	return nst_err_set(err, ENOSYS, "%s: saving is not written yet", path);
}

const char *nst_config_default_path(char *buf, size_t size)
{
	const char *x = getenv("XDG_CONFIG_HOME");
	const char *h = getenv("HOME");
	int n;

	if (x && *x)
		n = snprintf(buf, size, "%s/nstop/config", x);
	else if (h && *h)
		n = snprintf(buf, size, "%s/.config/nstop/config", h);
	else
		return NULL;
	return n < 0 || (size_t)n >= size ? NULL : buf;
}
