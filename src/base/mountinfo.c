/* /proc/PID/mountinfo parsed in place from a buffer, so the same parser serves
 * the live kernel, a process's view read through /proc/PID, and fixture text. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nstop/mountinfo.h"

/* The kernel escapes space, tab, newline and backslash as \ooo. */
static void mi_unescape(char *s)
{
	char *out = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
					(s[3] - '0'));
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

static char *mi_token(char **cursor)
{
	char *s = *cursor, *start;

	while (*s == ' ')
		s++;
	if (!*s)
		return NULL;
	start = s;
	while (*s && *s != ' ')
		s++;
	if (*s)
		*s++ = '\0';
	*cursor = s;
	return start;
}

int mi_parse_line(char *line, struct mi_entry *e)
{
	char *cur = line, *tok, *end;
	char *f[6];

	for (int i = 0; i < 6; i++) {
		f[i] = mi_token(&cur);
		if (!f[i])
			return -EINVAL;
	}
	e->id = (int)strtol(f[0], &end, 10);
	if (*end)
		return -EINVAL;
	e->parent = (int)strtol(f[1], &end, 10);
	if (*end)
		return -EINVAL;
	/* Optional fields run up to a lone "-". */
	do {
		tok = mi_token(&cur);
		if (!tok)
			return -EINVAL;
	} while (strcmp(tok, "-") != 0);
	e->fstype = mi_token(&cur);
	e->source = mi_token(&cur);
	e->superopts = mi_token(&cur);
	if (!e->fstype || !e->source || !e->superopts)
		return -EINVAL;
	mi_unescape(f[3]);
	mi_unescape(f[4]);
	e->root = f[3];
	e->mount = f[4];
	e->dev = f[2];
	e->opts = f[5];
	return 0;
}

int mi_foreach(char *buf, int (*fn)(const struct mi_entry *e, void *arg),
	       void *arg)
{
	char *line = buf;

	while (line && *line) {
		char *nl = strchr(line, '\n');
		struct mi_entry e;

		if (nl)
			*nl = '\0';
		if (mi_parse_line(line, &e) == 0) {
			int rc = fn(&e, arg);
			if (rc)
				return rc;
		}
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}
