/*
 * Text that may hold any bytes (argv, paths, command names: Linux does not
 * promise UTF-8) made into UTF-8 for JSON and terminals, by one rule.
 */
#ifndef NSTOP_UTF8_H
#define NSTOP_UTF8_H

#include <stddef.h>

/* The length of the valid UTF-8 sequence at s (1..4), or 0: no overlong
 * forms, no surrogates, nothing past U+10FFFF. */
size_t nst_utf8_len(const unsigned char *s);
/* Appends text to out[len..size) as UTF-8, a byte that is not UTF-8 as the
 * text "\xNN"; stops before a sequence that would not fit. Returns the new
 * length; out stays NUL-terminated. */
size_t nst_utf8_append(char *out, size_t len, size_t size, const char *text);

#endif
