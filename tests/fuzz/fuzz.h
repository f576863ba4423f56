/*
 * What every harness shares. libFuzzer's input is not NUL-terminated and
 * may hold NULs; the parsers take C strings. So each harness copies it into
 * a buffer of exactly the right size (ASan then sees a read one byte past
 * the string's end), and splits it where a parser takes more than one
 * string.
 */
#ifndef NSTOP_FUZZ_H
#define NSTOP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* data as a malloc'd C string (up to its first NUL); NULL only on ENOMEM. */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	size_t n = strnlen((const char *)data, size);
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, data, n);
		s[n] = '\0';
	}
	return s;
}

/*
 * The next part of the input: up to the next NUL (or the end), as a
 * malloc'd string; *data and *size move past it. Several calls give the
 * parts of an input such as "a\0b\0c". Never NULL but on ENOMEM.
 */
static inline char *fuzz_part(const uint8_t **data, size_t *size)
{
	size_t n = strnlen((const char *)*data, *size);
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, *data, n);
		s[n] = '\0';
	}
	n = n < *size ? n + 1 : n;
	*data += n;
	*size -= n;
	return s;
}

/* Every byte of s read, so that a pointer into freed or foreign memory
 * shows under ASan here rather than never. */
static inline size_t fuzz_touch(const char *s)
{
	return s ? strlen(s) : 0;
}

#endif
