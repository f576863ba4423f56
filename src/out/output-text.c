/* The text forms: -o lists parsed against a field table, and a snapshot as one
 * frame of top -b (a summary, then a row per process). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "nstop/output.h"

static int columns_add(const char *list, const struct out_table *t,
		       const void **cols, size_t *n, size_t max, struct nst_err *err)
{
	char buf[1024], *save = NULL;

	if (snprintf(buf, sizeof(buf), "%s", list) >= (int)sizeof(buf))
		return nst_err_set(err, EINVAL, "column list too long");
	for (char *c = strtok_r(buf, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
		const void *f = out_table_find(t, c);
		if (!f)
			return nst_err_set(err, EINVAL, "unknown column: %s", c);
		if (*n == max)
			return nst_err_set(err, EINVAL, "too many columns");
		cols[(*n)++] = f;
	}
	return 0;
}

int out_columns_parse(const char *spec, const char *defaults,
		      const struct out_table *t, const void **cols, size_t max,
		      struct nst_err *err)
{
	size_t n = 0;
	int rc = 0;

	if (!spec || spec[0] == '+') {
		if (defaults)
			rc = columns_add(defaults, t, cols, &n, max, err);
		if (rc == 0 && spec)
			rc = columns_add(spec + 1, t, cols, &n, max, err);
	} else {
		rc = columns_add(spec, t, cols, &n, max, err);
	}
	if (rc < 0)
		return rc;
	if (n == 0)
		return nst_err_set(err, EINVAL, "no columns given");
	return (int)n;
}

int out_proc_fields_parse(const char *list, const struct out_proc_field **cols,
			  size_t max, struct nst_err *err)
{
	return out_columns_parse(list, NULL, &out_proc_table, (const void **)cols,
				 max, err);
}

static void summary(const struct snapshot *s, FILE *f)
{
	size_t state[128] = { 0 };
	size_t per_type[NS_NTYPES] = { 0 };
	struct tm tm;
	char when[32];

	localtime_r(&s->time.tv_sec, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	for (size_t i = 0; i < s->nprocs; i++)
		state[(unsigned char)s->procs[i].state & 127]++;
	for (size_t i = 0; i < s->nns; i++)
		per_type[s->ns[i].type]++;

	fprintf(f, "nstop - %s %s, cgroup %s, %ld cpus, load average: %.2f, %.2f, %.2f%s\n",
		when, s->hostname, cg_mode_name(s->layout.mode), s->ncpu,
		s->loadavg[0], s->loadavg[1], s->loadavg[2],
		s->privileged ? "" : " (unprivileged: some fields unknown)");
	fprintf(f, "Tasks: %zu total, %zu running, %zu sleeping, %zu stopped, %zu zombie\n",
		s->nprocs, state['R'], state['S'] + state['I'] + state['D'],
		state['T'] + state['t'], state['Z']);
	fprintf(f, "Namespaces: %zu:", s->nns);
	for (int t = 0; t < NS_NTYPES; t++)
		fprintf(f, " %zu %s%s", per_type[t], ns_type_name((enum ns_type)t),
			t + 1 < NS_NTYPES ? "," : "");
	fprintf(f, "\nCgroups: %zu in %d hierarch%s\n", s->ncgroups, s->layout.n,
		s->layout.n == 1 ? "y" : "ies");
	if (s->view_from)
		fprintf(f, "View from: PID %d, cgroup namespace %llu\n", (int)s->view_from,
			(unsigned long long)s->view_cgns);
	fputc('\n', f);
}

int out_snapshot_text_write(const struct snapshot *s,
			    const struct out_proc_field *const *cols, size_t ncols,
			    const struct out_text_opts *o, FILE *f)
{
	int rc;

	summary(s, f);
	fflush(f);
	rc = out_proc_table_write(s, cols, ncols, o, f);
	fputc('\n', f);
	return rc < 0 || ferror(f) ? -EIO : 0;
}
