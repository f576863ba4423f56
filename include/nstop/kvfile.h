/*
 * "key = value" files, a line each: the theme files and the settings file.
 * Errors name FILE:LINE.
 */
#ifndef NSTOP_KVFILE_H
#define NSTOP_KVFILE_H

#include <stdbool.h>

#include "nstop/err.h"

/* s without leading and trailing white space (the end cut in place). */
char *nst_trim(char *s);

/*
 * Calls fn with each line's trimmed key and value, skipping blank lines and
 * comments: '#' starts one anywhere with inline_comments, else only at the
 * start of a line (so a value may hold '#'). A line without '=' is an error
 * "FILE:LINE: expected 'EXPECT'". Stops at fn's first error (fn fills err).
 */
int nst_kv_parse(const char *text, const char *fname, bool inline_comments,
		 const char *expect,
		 int (*fn)(char *key, char *val, const char *fname, int line,
			   void *arg, struct nst_err *err),
		 void *arg, struct nst_err *err);

#endif
