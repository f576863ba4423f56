/* nstop -b's rows: the processes -p and -u select, in the order of a sort
 * column, through libsmartcols as the other verbs' tables (aligned columns,
 * the free-text ones cut to the width). */
#include "config.h"

#include <errno.h>
#include "nstop/scols.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nstop/output.h"

bool out_proc_selected(const struct out_select *sel, const struct scan_proc *p)
{
	bool hit;

	if (!sel)
		return true;
	if (sel->npids) {
		hit = false;
		for (size_t i = 0; i < sel->npids && !hit; i++)
			hit = sel->pids[i] == p->pid;
		if (!hit)
			return false;
	}
	if (sel->user && p->uid != sel->uid)
		return false;
	return true;
}

/* A row's sort key, taken once from the field's value. */
struct sort_key {
	const struct scan_proc *p;
	int kind;		/* 0 unknown, 1 number, 2 text */
	double num;
	char *text;
};

static int sort_desc;

/* Unknown values last either way; equal ones by pid. */
static int cmp_keys(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;
	int c = 0;

	if (!x->kind || !y->kind)
		c = !x->kind - !y->kind;
	else if (x->kind != y->kind)
		c = x->kind - y->kind;
	else {
		if (x->kind == 1)
			c = (x->num > y->num) - (x->num < y->num);
		else
			c = strcmp(x->text, y->text);
		if (sort_desc)
			c = -c;
	}
	if (c == 0)
		c = (x->p->pid > y->p->pid) - (x->p->pid < y->p->pid);
	return c;
}

static void key_of(const struct snapshot *s, const struct out_proc_field *f,
		   struct sort_key *k)
{
	json_t *v = f->value(s, k->p, f->arg);
	char buf[512];

	k->kind = 0;
	k->text = NULL;
	if (json_is_integer(v)) {
		k->kind = 1;
		k->num = (double)json_integer_value(v);
	} else if (json_is_real(v)) {
		k->kind = 1;
		k->num = json_real_value(v);
	} else if (json_is_boolean(v)) {
		k->kind = 1;
		k->num = json_is_true(v);
	} else if (v && !json_is_null(v) && out_proc_text(f, s, k->p, buf, sizeof(buf))) {
		k->text = strdup(buf);
		k->kind = k->text ? 2 : 0;
	}
	json_decref(v);
}

/* The rows, selected and in order; *n set. NULL when out of memory. */
static struct sort_key *rows_of(const struct snapshot *s, const struct out_text_opts *o,
				size_t *n)
{
	struct sort_key *k = malloc((s->nprocs ? s->nprocs : 1) * sizeof(*k));

	*n = 0;
	if (!k)
		return NULL;
	for (size_t i = 0; i < s->nprocs; i++) {
		if (!out_proc_selected(o->sel, &s->procs[i]))
			continue;
		k[*n].p = &s->procs[i];
		k[*n].kind = 0;
		k[*n].text = NULL;
		if (o->sort)
			key_of(s, o->sort, &k[*n]);
		(*n)++;
	}
	if (o->sort) {
		sort_desc = !o->ascending;
		qsort(k, *n, sizeof(*k), cmp_keys);
	}
	return k;
}

int out_proc_table_write(const struct snapshot *s,
			 const struct out_proc_field *const *cols, size_t ncols,
			 const struct out_text_opts *o, FILE *f)
{
	struct libscols_table *tb = out_scols_new_table();
	struct sort_key *rows = NULL;
	size_t nrows = 0;
	int rc = -ENOMEM;

	if (!tb)
		return -ENOMEM;
	out_scols.table_set_stream(tb, f);
	/* the width holds whether or not the output is a terminal */
	out_scols.table_set_termforce(tb, SCOLS_TERMFORCE_ALWAYS);
	out_scols.table_set_termwidth(tb, (size_t)o->width);
	for (size_t c = 0; c < ncols; c++) {
		int flags = cols[c]->align == OUT_RIGHT ? SCOLS_FL_RIGHT : 0;
		/* the command line is what gives way, as in top -b; its
		 * longest values do not widen the others' share */
		double whint = 0;
		if (cols[c]->width == 0)
			flags |= SCOLS_FL_TRUNC | SCOLS_FL_NOEXTREMES;
		/* then the paths, down to their usual width */
		else if (cols[c]->align == OUT_LEFT && cols[c]->width >= 20) {
			flags |= SCOLS_FL_TRUNC;
			whint = cols[c]->width;
		}
		if (!out_scols.table_new_column(tb, cols[c]->header, whint, flags))
			goto out;
	}
	rows = rows_of(s, o, &nrows);
	if (!rows)
		goto out;
	for (size_t i = 0; i < nrows; i++) {
		struct libscols_line *ln = out_scols.table_new_line(tb, NULL);
		if (!ln)
			goto out;
		for (size_t c = 0; c < ncols; c++) {
			char buf[4096];
			out_proc_text(cols[c], s, rows[i].p, buf, sizeof(buf));
			if (out_scols.line_set_data(ln, c, buf) < 0)
				goto out;
		}
	}
	if (nrows == 0) {
		/* libsmartcols prints nothing for no rows; top -b its header */
		for (size_t c = 0; c < ncols; c++)
			fprintf(f, "%s%s", c ? " " : "", cols[c]->header);
		fputc('\n', f);
		rc = 0;
	} else {
		rc = out_scols.print_table(tb) < 0 ? -EIO : 0;
	}
out:
	for (size_t i = 0; rows && i < nrows; i++)
		free(rows[i].text);
	free(rows);
	out_scols.unref_table(tb);
	return rc;
}
