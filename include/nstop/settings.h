/*
 * The user's settings: ~/.config/nstop/config ($XDG_CONFIG_HOME honoured),
 * "key = value" lines, read at start and saved from the TUI.
 */
#ifndef NSTOP_SETTINGS_H
#define NSTOP_SETTINGS_H

/* The refresh interval's bounds, for -d and the config file's interval
 * alike: faster only burns a CPU, slower is no longer a live view. */
#define NST_INTERVAL_MIN 0.1
#define NST_INTERVAL_MAX 3600.0

#include <stdbool.h>
#include <stddef.h>

#include "nstop/err.h"

struct nst_config {
	char theme[256];	/* a name or a path; "default" */
	double interval;	/* seconds, NST_INTERVAL_MIN to _MAX; 2.0 */
	char columns[512];	/* the Processes view's -o spec; "" the defaults */
	char sort[32];		/* a column id; "cpu" */
	bool sort_reverse;
	char view[16];		/* "processes", "namespaces", "cgroups", "containers" */
	bool tree;
};

void nst_config_defaults(struct nst_config *cfg);
/* Unknown keys and bad values: err "FILE:LINE: why", -EINVAL, cfg unchanged. */
int nst_config_parse(const char *text, const char *fname, struct nst_config *cfg,
		     struct nst_err *err);
/* A missing file is not an error (cfg keeps its values). */
int nst_config_load(const char *path, struct nst_config *cfg, struct nst_err *err);
/* Makes the directory, writes atomically. */
int nst_config_save(const char *path, const struct nst_config *cfg,
		    struct nst_err *err);
/* $XDG_CONFIG_HOME/nstop/config or $HOME/.config/nstop/config; NULL when
 * neither is set. */
const char *nst_config_default_path(char *buf, size_t size);

#endif
