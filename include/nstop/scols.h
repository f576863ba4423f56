/* libsmartcols through dlopen (src/out/output-scols.c): the text tables of
 * the listing verbs and of nstop -b. Linked, it was mapped by every start of
 * nstop, a container's launch twice, for tables a launch never prints. */
#ifndef NSTOP_SCOLS_H
#define NSTOP_SCOLS_H

#include <libsmartcols.h>

#include "nstop/err.h"

#define OUT_SCOLS_FN(fn) __typeof__(scols_##fn) *fn

/* out_scols.print_table() is scols_print_table(), and so on; filled by
 * out_scols_load, NULL until then. A table is made by out_scols_new_table. */
struct out_scols {
	OUT_SCOLS_FN(new_table);
	OUT_SCOLS_FN(unref_table);
	OUT_SCOLS_FN(print_table);
	OUT_SCOLS_FN(table_enable_raw);
	OUT_SCOLS_FN(table_enable_noheadings);
	OUT_SCOLS_FN(table_enable_json);
	OUT_SCOLS_FN(table_set_name);
	OUT_SCOLS_FN(table_set_stream);
	OUT_SCOLS_FN(table_set_termforce);
	OUT_SCOLS_FN(table_set_termwidth);
	OUT_SCOLS_FN(table_new_column);
	OUT_SCOLS_FN(table_new_line);
	OUT_SCOLS_FN(line_set_data);
	OUT_SCOLS_FN(column_set_json_type);
	OUT_SCOLS_FN(column_set_safechars);
	OUT_SCOLS_FN(column_set_wrapfunc);
	OUT_SCOLS_FN(wrapnl_chunksize);
	OUT_SCOLS_FN(wrapnl_nextchunk);
};

extern struct out_scols out_scols;

/* Loads libsmartcols once: 0, or -errno with err naming the soname. A verb
 * that prints a table calls it before its work, to fail in one line. */
int out_scols_load(struct nst_err *err);

/* scols_new_table(), the library loaded first if no verb did: NULL when it
 * cannot be (or without memory). */
struct libscols_table *out_scols_new_table(void);

#endif
