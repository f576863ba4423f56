/* theme: first cut (every function exists; parsing comes next). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "nstop/theme.h"

static const char *const elem_names[THEME_NELEM] = {
	[THEME_NORMAL] = "normal",
	[THEME_HEADER] = "header",
	[THEME_HEADER_VALUE] = "header.value",
	[THEME_TAB] = "tab",
	[THEME_TAB_ACTIVE] = "tab.active",
	[THEME_COLUMNS] = "columns",
	[THEME_COLUMN_SORTED] = "columns.sorted",
	[THEME_SELECTED] = "selected",
	[THEME_TAGGED] = "tagged",
	[THEME_TREE] = "tree",
	[THEME_UNKNOWN] = "unknown",
	[THEME_VIEW_FROM] = "view-from",
	[THEME_STATUS] = "status",
	[THEME_KEY] = "key",
	[THEME_ERROR] = "error",
	[THEME_PLOT_CPU] = "plot.cpu",
	[THEME_PLOT_MEMORY] = "plot.memory",
	[THEME_PLOT_LIMIT] = "plot.limit",
	[THEME_PLOT_AXIS] = "plot.axis",
	[THEME_FROZEN] = "frozen",
};

const char *theme_elem_name(enum theme_elem e)
{
	return (unsigned)e < THEME_NELEM ? elem_names[e] : NULL;
}

void theme_default(struct theme *t)
{
	memset(t, 0, sizeof(*t));
	strcpy(t->name, "default");
	for (int i = 0; i < THEME_NELEM; i++)
		t->s[i].fg = t->s[i].bg = THEME_COLOR_DEFAULT;
	t->s[THEME_SELECTED].attrs = THEME_A_REVERSE;
}

void theme_monochrome(struct theme *t)
{
	theme_default(t);
	strcpy(t->name, "monochrome");
}

int theme_parse(const char *text, const char *fname, struct theme *t,
		struct nst_err *err)
{
	return 0;
}

int theme_load(const char *name_or_path, const char *themedir, struct theme *t,
	       struct nst_err *err)
{
	return nst_err_set(err, ENOENT, "%s: theme not found", name_or_path);
}
