/* Errors: what failed and why, filled by the callee, extended by callers. */
#ifndef NSTOP_ERR_H
#define NSTOP_ERR_H

#include <stdbool.h>
#include <stddef.h>

struct nst_err {
	int code;		/* positive errno, 0 when nothing failed */
	char msg[512];		/* "what: why", one line */
	/* The request itself was wrong (a front end's exit 2), not what
	 * carrying it out met (exit 1): set by nst_err_usage only. */
	bool usage;
};

/* Fills err with "what: why" where why is strerror(code). Returns -code. */
int nst_err_sys(struct nst_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Fills err with a message of its own (no strerror). Returns -code. */
int nst_err_set(struct nst_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* nst_err_set for a request that can never succeed as given: a usage
 * error, which front ends report as such (exit 2), so that they need not
 * check the runtime's rules before calling it. */
int nst_err_usage(struct nst_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Puts "context: " in front of what the callee said; never overwrites it. */
void nst_err_prefix(struct nst_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void nst_err_clear(struct nst_err *err);

#endif
