/* /proc/PID/stat read from a buffer; see procstat.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nstop/procstat.h"
#include "nstop/root.h"

#define NST_PF_KTHREAD 0x00200000	/* include/linux/sched.h */

int nst_stat_parse(const char *buf, struct nst_stat *st)
{
	const char *open = strchr(buf, '('), *close = strrchr(buf, ')');
	const char *f;
	char *end;
	size_t n;
	int field;

	memset(st, 0, sizeof(*st));
	if (!open || !close || close < open || close[1] != ' ' || !close[2])
		return -EINVAL;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(st->comm))
		n = sizeof(st->comm) - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)open[1 + i];
		st->comm[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	st->state = close[2];
	/* Fields 4 (ppid) to 24 (rss): what the callers use; the rest is
	 * never parsed, since the scan does this for every process. */
	f = close + 3;
	for (field = 4; field <= 24; field++) {
		unsigned long long v = strtoull(f, &end, 10);

		if (end == f)
			break;
		f = end;
		switch (field) {
		case 4: st->ppid = (pid_t)v; break;
		case 9: st->flags = (unsigned long)v; break;
		case 14: st->utime = v; break;
		case 15: st->stime = v; break;
		case 20: st->nthreads = (long)v; break;
		case 22: st->starttime = v; break;
		case 24: st->rss_pages = v; break;
		}
	}
	return field - 1;
}

int nst_stat_read(int dirfd, const char *path, struct nst_stat *st)
{
	char buf[1024];
	long n = nst_read_at(dirfd, path, buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	return nst_stat_parse(buf, st);
}

bool nst_stat_kthread(const struct nst_stat *st)
{
	return (st->flags & NST_PF_KTHREAD) != 0;
}

static int status_hex(const char *v, uint64_t *out)
{
	char *end;

	if (!v)
		return -ENOENT;
	errno = 0;
	*out = strtoull(v, &end, 16);
	return errno || end == v ? -EINVAL : 0;
}

static int status_int(const char *v)
{
	char *end;
	long n;

	if (!v)
		return -1;
	n = strtol(v, &end, 10);
	return end == v || n < 0 || n > 1000000 ? -1 : (int)n;
}

int nst_status_parse(const char *buf, struct nst_status *st)
{
	enum { EFF, BND, NNP, SECCOMP, FILTERS, NKEYS };
	static const struct { const char *name; size_t len; } keys[NKEYS] = {
		{ "CapEff", 6 }, { "CapBnd", 6 }, { "NoNewPrivs", 10 }, { "Seccomp", 7 },
		{ "Seccomp_filters", 15 },
	};
	const char *v[NKEYS] = { 0 };
	int found = 0;

	/* One walk over the lines, until all are found (the scan parses every
	 * process's status): each key's value is the one after "Key:" on the
	 * first line that starts with it. */
	for (const char *l = buf; l && *l && found < NKEYS;
	     l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (*l != 'C' && *l != 'N' && *l != 'S')
			continue;
		for (int k = 0; k < NKEYS; k++)
			if (!v[k] && strncmp(l, keys[k].name, keys[k].len) == 0 &&
			    l[keys[k].len] == ':') {
				v[k] = l + keys[k].len + 1;
				found++;
				break;
			}
	}
	if (status_hex(v[EFF], &st->cap_eff) < 0 || status_hex(v[BND], &st->cap_bnd) < 0)
		return -EINVAL;
	/* Older kernels lack these lines: unknown, not "off". */
	st->no_new_privs = status_int(v[NNP]);
	st->seccomp = status_int(v[SECCOMP]);
	if (st->seccomp > 2)
		st->seccomp = -1;
	st->seccomp_filters = status_int(v[FILTERS]);
	return 0;
}
