/*
 * Plots into character cells: braille (2x4 dots a cell), eighth blocks,
 * or four ASCII heights a cell. Pure arithmetic on a ring, so the unit
 * tests check exact cells.
 */
#include "config.h"

#include <errno.h>
#include <langinfo.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "nstop/plot.h"

bool plot_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}

enum plot_style plot_style_for_locale(void)
{
	return plot_locale_utf8() ? PLOT_BRAILLE : PLOT_ASCII;
}

/* The powers come from multiplying exact ones, not from libm's frexp, pow
 * and log10: nstop links no libm, whose load alone was 1.7% of a launch. */
double plot_nice_max(double v, bool bytes)
{
	double p = 1;

	if (!(v > 0) || !isfinite(v))
		return 1;
	if (bytes) {
		/* the least power of two at or above v */
		while (p < v)
			p *= 2;
		while (p / 2 >= v)
			p /= 2;
		return p;
	}
	/* p = 10^floor(log10(v)); below 1 as 1 / 10^k, which rounds once */
	if (v >= 1) {
		while (p * 10 <= v)
			p *= 10;
	} else {
		double d = 1;

		while (1 / d > v)
			d *= 10;
		p = 1 / d;
	}
	if (v <= p)
		return p;
	if (v <= 2 * p)
		return 2 * p;
	if (v <= 5 * p)
		return 5 * p;
	return 10 * p;
}

static int utf8_put(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		out[1] = '\0';
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		out[2] = '\0';
		return 2;
	}
	out[0] = (char)(0xe0 | (cp >> 12));
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[2] = (char)(0x80 | (cp & 0x3f));
	out[3] = '\0';
	return 3;
}

/* Braille dot bits by column (0 left, 1 right) and dot row from the top. */
static const unsigned char braille_bit[2][4] = {
	{ 0x01, 0x02, 0x04, 0x40 },
	{ 0x08, 0x10, 0x20, 0x80 },
};

static const char ascii_level[] = " .:|#";

/* How many of h sub-rows a value fills: at least one above the bottom. */
static int level_of(double v, double min, double max, int h)
{
	double f = (v - min) / (max - min) * h;
	int l;

	if (!(f > 0))
		return 0;
	if (f >= h)
		return h;
	l = (int)(f + 0.5);	/* f > 0: lround's half away from zero */
	return l < 1 ? 1 : l;
}

/* The sub-row (from the bottom) the limit line sits on, or -1 out of range. */
static int limit_row(double v, double min, double max, int h)
{
	double f;
	int l;

	if (isnan(v) || v < min || v > max)
		return -1;
	f = (v - min) / (max - min) * h;
	l = (int)ceil(f) - 1;
	if (l < 0)
		l = 0;
	if (l > h - 1)
		l = h - 1;
	return l;
}

int plot_render(const struct sample_ring *r, const struct plot_opts *o,
		int rows, int cols, struct plot_cell *cells, struct plot_scale *scale)
{
	int per = o->style == PLOT_BRAILLE ? 2 : 1;
	int sub = o->style == PLOT_BRAILLE ? 4 : o->style == PLOT_BLOCK ? 8 : 4;
	int h = rows * sub;
	size_t npts = (size_t)cols * (size_t)per;
	double min = isnan(o->min) ? 0 : o->min, max = o->max;

	if (!r || rows <= 0 || cols <= 0 || !cells || rows > 10000 || cols > 10000)
		return -EINVAL;
	if (isnan(max)) {
		double m = sample_ring_max_last(r, npts);

		if (o->limit) {
			double lm = sample_ring_max_last(o->limit, npts);

			if (!isnan(lm) && (isnan(m) || lm > m))
				m = lm;
		}
		max = isnan(m) || m <= min ? min + 1 : min + plot_nice_max(m - min, o->bytes);
	}
	if (!(max > min))
		return -EINVAL;
	if (scale) {
		scale->min = min;
		scale->max = max;
	}

	for (int c = 0; c < cols; c++) {
		int lev[2], lim[2];
		bool known[2], present[2];

		for (int k = 0; k < per; k++) {
			/* x position j of npts; the newest sample is at npts - 1. */
			size_t j = (size_t)c * per + k;
			size_t back = npts - 1 - j;
			double v = NAN, l = NAN;

			present[k] = back < r->len;
			if (present[k])
				v = sample_ring_at(r, r->len - 1 - back);
			if (o->limit && back < o->limit->len)
				l = sample_ring_at(o->limit, o->limit->len - 1 - back);
			known[k] = present[k] && !isnan(v);
			lev[k] = known[k] ? level_of(v, min, max, h) : 0;
			lim[k] = limit_row(l, min, max, h);
		}
		for (int row = 0; row < rows; row++) {
			struct plot_cell *cell = &cells[row * cols + c];
			int base = (rows - 1 - row) * sub;	/* sub-rows below it */
			bool any_known = false, any_present = false, is_limit = false;

			cell->kind = PLOT_EMPTY;
			strcpy(cell->ch, " ");
			for (int k = 0; k < per; k++) {
				any_known |= known[k];
				any_present |= present[k];
				is_limit |= lim[k] >= base && lim[k] < base + sub;
			}
			if (o->style == PLOT_BRAILLE) {
				unsigned bits = 0, dbits = 0;

				for (int k = 0; k < 2; k++) {
					for (int d = 0; d < 4; d++) {
						int s = base + d;	/* d from the bottom */
						unsigned b = braille_bit[k][3 - d];

						if (s < lev[k])
							dbits |= b;
						if (s == lim[k])
							bits |= b;
					}
				}
				bits |= dbits;
				if (bits)
					utf8_put(cell->ch, 0x2800 + bits);
			} else {
				int fill = lev[0] - base;

				if (fill > sub)
					fill = sub;
				if (is_limit && fill < sub)
					utf8_put(cell->ch, o->style == PLOT_BLOCK ? 0x2500 : '-');
				else if (fill > 0 && o->style == PLOT_BLOCK)
					utf8_put(cell->ch, 0x2580 + fill);
				else if (fill > 0)
					utf8_put(cell->ch, (unsigned char)ascii_level[fill]);
			}
			if (is_limit)
				cell->kind = PLOT_LIMIT;
			else if (any_known)
				cell->kind = PLOT_DATA;
			else if (any_present)
				cell->kind = PLOT_UNKNOWN;
		}
	}
	return 0;
}

int plot_sparkline(const struct sample_ring *r, enum plot_style style,
		   double max, int cols, char *buf, size_t size)
{
	size_t pos = 0;

	if (!r || !buf || !size || cols < 0)
		return -EINVAL;
	buf[0] = '\0';
	if (isnan(max) || max <= 0) {
		max = sample_ring_max_last(r, (size_t)cols);
		if (isnan(max) || max <= 0)
			max = 1;
	}
	for (int c = 0; c < cols; c++) {
		size_t back = (size_t)(cols - 1 - c);
		double v = back < r->len ? sample_ring_at(r, r->len - 1 - back) : NAN;
		char ch[8];
		size_t n;

		if (isnan(v)) {
			strcpy(ch, " ");
		} else {
			double f = v / max;

			f = f < 0 ? 0 : f > 1 ? 1 : f;
			if (style == PLOT_ASCII)
				utf8_put(ch, (unsigned char)ascii_level[1 + (int)(f * 3 + 0.5)]);
			else
				utf8_put(ch, 0x2581 + (unsigned)(f * 7 + 0.5));
		}
		n = strlen(ch);
		if (pos + n + 1 > size) {
			buf[pos] = '\0';
			return -ENOSPC;
		}
		memcpy(buf + pos, ch, n + 1);
		pos += n;
	}
	return 0;
}
