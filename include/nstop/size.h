/*
 * Sizes in bytes as people write them (64M, 1.5G, 4096: binary units), read
 * and written in one place, so what a limit is shown as is what the parser
 * takes back; and the durations and times shown beside them.
 */
#ifndef NSTOP_SIZE_H
#define NSTOP_SIZE_H

#include <stddef.h>
#include <stdint.h>

#include "nstop/err.h"

/*
 * A decimal number "D[.F]" of at most 18 integer digits: *whole and the
 * fraction scaled to 10^9 in *nano (digits past the ninth dropped). Returns
 * the end, or NULL when s does not begin with one.
 */
const char *nst_parse_decimal(const char *s, int64_t *whole, int64_t *nano);
/* A size of more than 0 bytes: 4096, 64M, 1.5G, 2GiB (K M G T P, optional B
 * or iB). Returns 0 or -errno with the value and the rule in err. */
int nst_parse_size(const char *s, int64_t *bytes, struct nst_err *err);

/* A limit exactly, as nst_parse_size reads it back: 64M, 1.5G, 1280M, 4097;
 * "-" when negative (no limit). */
void nst_format_size(int64_t bytes, char *buf, size_t size);
/* A measured amount the way top shows it (one decimal under 10: 4.0K, 304K,
 * 1.5G); "-" when negative (unknown). */
void nst_format_bytes(long long bytes, char *buf, size_t size);
/* A cpu time in microseconds as systemd-cgtop and ps show one: 0.35s,
 * 12.3s, 3m12s, 1h02m, 3d04h; "-" when negative (unknown). */
void nst_format_duration(long long usec, char *buf, size_t size);
/* A cpu quota per period as docker's --cpus writes it ("0.50"); "-" when
 * either is negative (unknown; the caller says "max" for no quota). */
void nst_format_cpus(long long quota_usec, long long period_usec, char *buf, size_t size);
/* The UTC time t (seconds since the epoch) as ISO 8601:
 * 2026-12-05T19:40:02Z, or with msec >= 0 2026-12-05T19:40:02.123Z. 0, or
 * -1 with buf empty outside the years 0000-9999 or where size is too
 * small. Not gmtime_r(): glibc reads /etc/localtime at its first call, 40
 * microseconds of a launch that writes one such time. */
int nst_format_utc(int64_t t, int msec, char *buf, size_t size);
/* v to the nearest 1/scale, halves away from zero, as round(v * scale) /
 * scale: nstop links no libm (its load alone was 1.7% of a launch). */
double nst_round_to(double v, double scale);

#endif
