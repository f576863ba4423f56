/*
 * libsmartcols, loaded where a text table is printed (include/nstop/scols.h):
 * a container's launch and its monitor never print one, and paid for the
 * library at each start of nstop while it was linked.
 */
#include "config.h"

#include "nstop/dl.h"
#include "nstop/scols.h"

struct out_scols out_scols;

int out_scols_load(struct nst_err *err)
{
#define OUT_SCOLS_SYM(fn) { "scols_" #fn, (void **)&out_scols.fn }
	static const struct nst_dl_sym syms[] = {
		OUT_SCOLS_SYM(new_table), OUT_SCOLS_SYM(unref_table), OUT_SCOLS_SYM(print_table),
		OUT_SCOLS_SYM(table_enable_raw), OUT_SCOLS_SYM(table_enable_noheadings),
		OUT_SCOLS_SYM(table_enable_json), OUT_SCOLS_SYM(table_set_name),
		OUT_SCOLS_SYM(table_set_stream), OUT_SCOLS_SYM(table_set_termforce),
		OUT_SCOLS_SYM(table_set_termwidth), OUT_SCOLS_SYM(table_new_column),
		OUT_SCOLS_SYM(table_new_line), OUT_SCOLS_SYM(line_set_data),
		OUT_SCOLS_SYM(column_set_json_type), OUT_SCOLS_SYM(column_set_safechars),
		OUT_SCOLS_SYM(column_set_wrapfunc), OUT_SCOLS_SYM(wrapnl_chunksize),
		OUT_SCOLS_SYM(wrapnl_nextchunk),
	};
#undef OUT_SCOLS_SYM

	if (out_scols.new_table)
		return 0;
	return nst_dl_load(NST_SMARTCOLS_SONAME, "libsmartcols, text tables", syms,
			   sizeof(syms) / sizeof(syms[0]), err);
}

struct libscols_table *out_scols_new_table(void)
{
	struct nst_err err;

	nst_err_clear(&err);
	if (out_scols_load(&err) < 0)
		return NULL;
	return out_scols.new_table();
}
