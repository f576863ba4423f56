/*
 * Themes: themes/NAME.theme files, documented in nstop-theme(5). A theme
 * gives each element of the screen a foreground, a background and
 * attributes. Parsing is here; mapping to curses pairs is the TUI's.
 */
#ifndef NSTOP_THEME_H
#define NSTOP_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "nstop/err.h"

enum theme_elem {
	THEME_NORMAL,		/* table text */
	THEME_HEADER,		/* the header lines at the top */
	THEME_HEADER_VALUE,	/* numbers in the header */
	THEME_TAB,
	THEME_TAB_ACTIVE,
	THEME_COLUMNS,		/* the column titles */
	THEME_COLUMN_SORTED,	/* the sorted column's title */
	THEME_SELECTED,		/* the cursor's row */
	THEME_TAGGED,		/* rows tagged with Space */
	THEME_TREE,		/* tree lines */
	THEME_UNKNOWN,		/* values the kernel did not give ("-") */
	THEME_VIEW_FROM,	/* the view-from banner and rewritten paths */
	THEME_STATUS,		/* the status line */
	THEME_KEY,		/* key names in the status line and help */
	THEME_ERROR,
	THEME_PLOT_CPU,
	THEME_PLOT_MEMORY,
	THEME_PLOT_LIMIT,
	THEME_PLOT_AXIS,
	THEME_FROZEN,		/* frozen cgroups and containers */
	THEME_NELEM
};

#define THEME_COLOR_DEFAULT (-1)

enum {
	THEME_A_BOLD = 1 << 0,
	THEME_A_DIM = 1 << 1,
	THEME_A_UNDERLINE = 1 << 2,
	THEME_A_REVERSE = 1 << 3,
	THEME_A_ITALIC = 1 << 4,
};

struct theme_style {
	int fg, bg;		/* THEME_COLOR_DEFAULT, or 0..255 */
	unsigned attrs;		/* THEME_A_* */
};

struct theme {
	char name[64];
	struct theme_style s[THEME_NELEM];
};

/* The name in theme files ("selected", "plot.cpu", ...). */
const char *theme_elem_name(enum theme_elem e);
/* The element of a name, or -1. */
int theme_elem_lookup(const char *name);
/* "default", "red", "bright-cyan" ...; NULL for 16..255 (written as numbers). */
const char *theme_color_name(int c);
/*
 * The colour to use on a terminal with ncolors colours (curses' COLORS):
 * c itself when it has it, else the nearest of the first 8 or 16 by the
 * xterm palette, else THEME_COLOR_DEFAULT (fewer than 8).
 */
int theme_color_reduce(int c, int ncolors);
/* The built-in default, identical to themes/default.theme. */
void theme_default(struct theme *t);
/* A theme that uses attributes only (no colour), for TERM=vt100. */
void theme_monochrome(struct theme *t);
/*
 * Parses a theme file's text over what t holds. On an error err says
 * "FILE:LINE: why" and t is left as it was. -EINVAL.
 */
int theme_parse(const char *text, const char *fname, struct theme *t,
		struct nst_err *err);
/*
 * Loads a theme by NAME or by PATH (containing '/'), over the default: what
 * the file leaves out looks as in the default. A NAME is looked up as
 * NAME.theme in the user's $XDG_CONFIG_HOME/nstop/themes (or
 * ~/.config/nstop/themes), then themedir, or with themedir NULL the
 * installed NSTOP_THEMEDIR and then the source tree's NSTOP_SRC_THEMEDIR.
 * "default" and "monochrome" work without a file. On an error t is left
 * as it was.
 */
int theme_load(const char *name_or_path, const char *themedir, struct theme *t,
	       struct nst_err *err);

#endif
