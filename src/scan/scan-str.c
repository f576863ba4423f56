/* Shared, counted strings for the processes' cgroup paths (scan-internal.h):
 * one allocation per distinct path a snapshot holds, not one per process. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "scan-internal.h"

struct scan_str {
	size_t refs;
	char s[];
};

static struct scan_str *str_of(char *s)
{
	return (struct scan_str *)(void *)(s - offsetof(struct scan_str, s));
}

char *scan_str_new(const char *s)
{
	size_t n = strlen(s) + 1;
	struct scan_str *t = malloc(sizeof(*t) + n);

	if (!t)
		return NULL;
	t->refs = 1;
	memcpy(t->s, s, n);
	return t->s;
}

char *scan_str_ref(char *s)
{
	if (s)
		str_of(s)->refs++;
	return s;
}

void scan_str_unref(char *s)
{
	struct scan_str *t;

	if (!s)
		return;
	t = str_of(s);
	if (--t->refs == 0)
		free(t);
}

char *scan_str_share(char **last, const char *s)
{
	char *n;

	if (*last && strcmp(*last, s) == 0)
		return scan_str_ref(*last);
	if (!(n = scan_str_new(s)))
		return NULL;
	scan_str_unref(*last);
	*last = scan_str_ref(n);
	return n;
}
