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
};

/* The y scale a render chose, for the axis labels. */
struct plot_scale {
	double min, max;
};

/*
 * Renders the newest values of r (one x step per sample: 2 a cell in
 * braille, 1 otherwise), right-aligned, into rows * cols cells (row 0 on
 * top). Unknown samples leave a gap. Returns 0 or -EINVAL.
 */
int plot_render(const struct sample_ring *r, const struct plot_opts *o,
		int rows, int cols, struct plot_cell *cells, struct plot_scale *scale);

/* A one-line sparkline of the newest cols values in [0, max] (max NAN:
 * the ring's max) into buf (UTF-8, NUL-terminated). */
int plot_sparkline(const struct sample_ring *r, enum plot_style style,
		   double max, int cols, char *buf, size_t size);

#endif
