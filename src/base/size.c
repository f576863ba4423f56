/* Sizes read and written in one place; see size.h. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "nstop/size.h"

const char *nst_parse_decimal(const char *s, int64_t *whole, int64_t *nano)
{
	const char *p = s;
	int64_t w = 0, f = 0, scale = 100000000;
	int digits = 0;

	while (isdigit((unsigned char)*p)) {
		if (++digits > 18)
			return NULL;
		w = w * 10 + (*p++ - '0');
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return NULL;
		while (isdigit((unsigned char)*p)) {
			f += (*p++ - '0') * scale;
			scale /= 10;
		}
	}
	if (digits == 0)
		return NULL;
	*whole = w;
	*nano = f;
	return p;
}

int nst_parse_size(const char *s, int64_t *bytes, struct nst_err *err)
{
	static const char units[] = "KMGTP";
	int64_t whole, nano, mult = 1, v;
	const char *p = s;
	bool fraction;

	if (*p == '-')
		return nst_err_set(err, EINVAL, "size '%s' is negative", s);
	if (*p == '+')
		p++;
	if (strspn(p, "0123456789") > 18)
		return nst_err_set(err, ERANGE, "size '%s' is too large", s);
	p = nst_parse_decimal(p, &whole, &nano);
	if (!p)
		return nst_err_set(err, EINVAL,
				   "size '%s' is not a number with an optional K, M, G, T or P suffix",
				   s);
	fraction = strchr(s, '.') != NULL;
	if (*p) {
		const char *u = strchr(units, toupper((unsigned char)*p));
		if (u) {
			for (const char *q = units; q <= u; q++)
				mult *= 1024;
			p++;
			if (*p == 'i' && (p[1] == 'B' || p[1] == 'b'))
				p += 2;
			else if (*p == 'B' || *p == 'b')
				p++;
		} else if (*p == 'B' || *p == 'b') {
			p++;
		}
	}
	if (*p)
		return nst_err_set(err, EINVAL,
				   "size '%s' has '%s' after the number: the suffixes are K, M, G, T and P (binary, optional B or iB)",
				   s, p);
	if (fraction && mult == 1)
		return nst_err_set(err, EINVAL,
				   "size '%s' is a fraction of a byte: give whole bytes or a suffix",
				   s);
	if (__builtin_mul_overflow(whole, mult, &v) ||
	    __builtin_add_overflow(v, (int64_t)(((__int128)nano * mult) / 1000000000), &v))
		return nst_err_set(err, ERANGE, "size '%s' is too large", s);
	if (v <= 0)
		return nst_err_set(err, EINVAL, "size '%s' is not more than 0 bytes", s);
	*bytes = v;
	return 0;
}

void nst_format_size(int64_t bytes, char *buf, size_t size)
{
	static const char units[] = "PTGMK";
	int64_t m = (int64_t)1 << 50;

	if (bytes < 0) {
		snprintf(buf, size, "-");
		return;
	}
	/* the largest unit that holds it whole, or with a half (2^n * 0.5 is
	 * the only one-decimal fraction of a binary unit that is exact) */
	for (const char *u = units; *u; u++, m >>= 10) {
		if (bytes < m)
			continue;
		if (bytes % m == 0) {
			snprintf(buf, size, "%" PRId64 "%c", bytes / m, *u);
			return;
		}
		if (bytes % (m / 2) == 0) {
			snprintf(buf, size, "%" PRId64 ".5%c", bytes / m, *u);
			return;
		}
	}
	snprintf(buf, size, "%" PRId64, bytes);
}

void nst_format_bytes(long long bytes, char *buf, size_t size)
{
	static const char units[] = "KMGTP";
	double v = (double)bytes;
	int u = -1;

	if (bytes < 0) {
		snprintf(buf, size, "-");
		return;
	}
	while (v >= 1024.0 && u < 4) {
		v /= 1024.0;
		u++;
	}
	if (u < 0)
		snprintf(buf, size, "%lld", bytes);
	else
		snprintf(buf, size, v < 10 ? "%.1f%c" : "%.0f%c", v, units[u]);
}

void nst_format_duration(long long usec, char *buf, size_t size)
{
	long long s = usec / 1000000;

	if (usec < 0)
		snprintf(buf, size, "-");
	else if (s < 60)
		snprintf(buf, size, s < 10 ? "%.2fs" : "%.1fs", (double)usec / 1e6);
	else if (s < 3600)
		snprintf(buf, size, "%lldm%02llds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, size, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, size, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
}

void nst_format_cpus(long long quota_usec, long long period_usec, char *buf, size_t size)
{
	if (quota_usec < 0 || period_usec <= 0)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.2f", (double)quota_usec / (double)period_usec);
}

double nst_round_to(double v, double scale)
{
	double x = v * scale;

	/* past 2^62 a double holds no fraction; NaN and infinities as they are */
	if (!(x > -4.6e18 && x < 4.6e18))
		return v;
	return (double)(x < 0 ? -(long long)(-x + 0.5) : (long long)(x + 0.5)) / scale;
}
