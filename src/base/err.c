/* The error convention of include/nstop/err.h: the callee says what failed, a
 * caller may only add in front of it (prefix, never overwrite), so the first
 * cause survives up to the one line the user reads. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nstop/err.h"

static int err_vfill(struct nst_err *err, int code, int with_strerror,
		     const char *fmt, va_list ap)
{
	int n;

	if (!err)
		return -code;
	err->code = code;
	err->usage = false;
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	if (with_strerror && n >= 0 && (size_t)n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - (size_t)n, ": %s",
			 strerror(code));
	return -code;
}

int nst_err_sys(struct nst_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = err_vfill(err, code, 1, fmt, ap);
	va_end(ap);
	return rc;
}

int nst_err_set(struct nst_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = err_vfill(err, code, 0, fmt, ap);
	va_end(ap);
	return rc;
}

int nst_err_usage(struct nst_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = err_vfill(err, code, 0, fmt, ap);
	va_end(ap);
	if (err)
		err->usage = true;
	return rc;
}

void nst_err_prefix(struct nst_err *err, const char *fmt, ...)
{
	char ctx[128];
	char old[sizeof(err->msg)];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* The callee's words stay; what does not fit is cut at the end. */
	int n = snprintf(err->msg, sizeof(err->msg), "%s: ", ctx);
	if (n > 0 && (size_t)n < sizeof(err->msg))
		memcpy(err->msg + n, old, sizeof(err->msg) - (size_t)n - 1);
	err->msg[sizeof(err->msg) - 1] = '\0';
}

void nst_err_clear(struct nst_err *err)
{
	if (!err)
		return;
	err->code = 0;
	err->msg[0] = '\0';
	err->usage = false;
}
