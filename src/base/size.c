/* Sizes, durations and times read and written in one place; see size.h. */
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

/*
 * The civil date of a day counted from 1970-01-01, in the proleptic
 * Gregorian calendar: shifted to begin on 0000-03-01, so that a leap day
 * is the last of its year, and counted in eras of 400 years (146,097
 * days), within which the rules of 4, 100 and 400 are plain divisions.
 */
static void civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t z = days + 719468;	/* 0000-03-01 to 1970-01-01 */
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;					/* 0-146096 */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;	/* 0-399 */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);		/* 0-365 */
	int64_t mp = (5 * doy + 2) / 153;				/* 0-11, March first */

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int nst_format_utc(int64_t t, int msec, char *buf, size_t size)
{
	int64_t days = t / 86400, secs = t % 86400, y;
	int m, d, n;

	if (size)
		buf[0] = '\0';
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		return -1;
	n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d", (int)y, m, d,
		     (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
	if (n >= 0 && (size_t)n < size)
		n += msec >= 0 ? snprintf(buf + n, size - (size_t)n, ".%03dZ", msec % 1000) :
				 snprintf(buf + n, size - (size_t)n, "Z");
	if (n < 0 || (size_t)n >= size) {
		if (size)
			buf[0] = '\0';
		return -1;
	}
	return 0;
}
