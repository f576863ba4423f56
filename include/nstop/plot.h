/*
 * Plots of a sample ring into a grid of character cells: braille (2x4 dots
 * a cell) in a UTF-8 locale, block elements, or plain ASCII. The caller
 * draws the cells; nothing here knows about curses.
 */
#ifndef NSTOP_PLOT_H
#define NSTOP_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "nstop/sample.h"

enum plot_style { PLOT_BRAILLE, PLOT_BLOCK, PLOT_ASCII };

/* The style the locale allows: braille when the codeset is UTF-8. */
enum plot_style plot_style_for_locale(void);
/* The one decision whether the terminal takes UTF-8 (the locale's codeset):
 * braille plots, block sparklines and multibyte names, or ASCII for all. */
bool plot_locale_utf8(void);

enum plot_cell_kind { PLOT_EMPTY, PLOT_DATA, PLOT_LIMIT, PLOT_UNKNOWN };

struct plot_cell {
	char ch[8];			/* one character, UTF-8, NUL-terminated */
	enum plot_cell_kind kind;	/* for the theme's colour */
};

struct plot_opts {
	enum plot_style style;
	double min;			/* the bottom of the y axis, usually 0 */
	double max;			/* NAN: the series' max (and the limit's), rounded up */
	const struct sample_ring *limit;	/* drawn as a line; NULL: none */
	bool bytes;			/* round max to a power of two, not 1-2-5 */
};

/* The y scale a render chose, for the axis labels. */
struct plot_scale {
	double min, max;
};

/*
 * The smallest "nice" number >= v for an axis's top: 1, 2 or 5 x 10^n, or
 * with bytes a power of two (1K, 512M, 2G...). 1 for v <= 0 or NAN.
 */
double plot_nice_max(double v, bool bytes);

/*
 * Renders the newest values of r (one x step per sample: 2 a cell in
 * braille, 1 otherwise), right-aligned, into rows * cols cells (row 0 on
 * top), as an area filled up from the bottom; a value above the bottom
 * shows at least one dot. Unknown samples leave a gap (cells of kind
 * PLOT_UNKNOWN, blank); x positions before the history starts are
 * PLOT_EMPTY. The limit's cell row, where it lies within [min, max], has
 * kind PLOT_LIMIT: braille adds the limit's dots to the data's, block and
 * ASCII draw U+2500 or '-' unless the data fills the cell. Cells without
 * any dot are a space. Returns 0 or -EINVAL.
 */
int plot_render(const struct sample_ring *r, const struct plot_opts *o,
		int rows, int cols, struct plot_cell *cells, struct plot_scale *scale);

/*
 * A one-line sparkline of the newest cols values in [0, max] (max NAN or
 * <= 0: the max of what it shows) into buf (UTF-8, NUL-terminated), one
 * character a value, right-aligned and padded to cols with spaces: block
 * elements U+2581..U+2588 in braille and block style, ".:|#" in ASCII; an
 * unknown value is a space. -EINVAL, or -ENOSPC when buf is too small
 * (cols * 3 + 1 bytes always fit).
 */
int plot_sparkline(const struct sample_ring *r, enum plot_style style,
		   double max, int cols, char *buf, size_t size);

#endif
