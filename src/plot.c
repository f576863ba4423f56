/* plot: first cut (every function exists; the drawing comes next). */
#include "config.h"

#include <errno.h>
#include <langinfo.h>
#include <string.h>

#include "nstop/plot.h"

enum plot_style plot_style_for_locale(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && !strcmp(cs, "UTF-8") ? PLOT_BRAILLE : PLOT_ASCII;
}

int plot_render(const struct sample_ring *r, const struct plot_opts *o,
		int rows, int cols, struct plot_cell *cells, struct plot_scale *scale)
{
	if (rows <= 0 || cols <= 0)
		return -EINVAL;
	for (int i = 0; i < rows * cols; i++) {
		strcpy(cells[i].ch, " ");
		cells[i].kind = PLOT_EMPTY;
	}
	if (scale) {
		scale->min = 0;
		scale->max = 1;
	}
	return 0;
}

int plot_sparkline(const struct sample_ring *r, enum plot_style style,
		   double max, int cols, char *buf, size_t size)
{
	if (!size)
		return -EINVAL;
	buf[0] = '\0';
	return 0;
}
