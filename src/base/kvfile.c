/* "key = value" lines for the theme and settings files; see kvfile.h. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "nstop/kvfile.h"

char *nst_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int nst_kv_parse(const char *text, const char *fname, bool inline_comments,
		 const char *expect,
		 int (*fn)(char *key, char *val, const char *fname, int line,
			   void *arg, struct nst_err *err),
		 void *arg, struct nst_err *err)
{
	const char *p = text;
	int line = 0;

	while (*p) {
		const char *nl = strchrnul(p, '\n');
		size_t n = (size_t)(nl - p);
		char buf[1024], *key, *eq, *hash;

		line++;
		if (n >= sizeof(buf))
			return nst_err_set(err, EINVAL, "%s:%d: line too long",
					   fname, line);
		memcpy(buf, p, n);
		buf[n] = '\0';
		p = *nl ? nl + 1 : nl;
		if (inline_comments && (hash = strchr(buf, '#')))
			*hash = '\0';
		key = nst_trim(buf);
		if (!*key || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (!eq)
			return nst_err_set(err, EINVAL, "%s:%d: expected '%s'",
					   fname, line, expect);
		*eq = '\0';
		if (fn(nst_trim(key), nst_trim(eq + 1), fname, line, arg, err) < 0)
			return -EINVAL;
	}
	return 0;
}
