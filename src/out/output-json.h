/*
 * The snapshot document written as a stream through yajl's generator (as
 * crun writes its JSON): no tree of values per process. The bytes are those
 * jansson's json_dump gave with JSON_COMPACT | JSON_REAL_PRECISION(6)
 * (tests/unit/test_json_golden.c holds them): reals as jansson prints them,
 * and a string that is not valid UTF-8, which jansson refuses to hold, is
 * left out together with its key, as json_object_set_new left it out.
 */
#ifndef NSTOP_OUTPUT_JSON_H
#define NSTOP_OUTPUT_JSON_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>
#include <yajl_gen.h>

struct out_js {
	yajl_gen g;
	FILE *f;
	char point;	/* the locale's decimal point, as snprintf writes it */
	int err;	/* the first failure, -errno */
};

/* Starts a document on f; out_js_end flushes it and says whether all of
 * it was written (0 or -errno), and lets go of the generator. */
int out_js_begin(struct out_js *js, FILE *f);
int out_js_end(struct out_js *js);
/* The value written since the start or the last take, as text of its own
 * (malloc'd, *len bytes, not NUL-terminated), and the generator ready for
 * another value: for values made once and put in many times (out_js_raw).
 * A writer used so (begun with f NULL) is never flushed. 0 or -errno. */
int out_js_take(struct out_js *js, char **text, size_t *len);
/* Hands what is buffered to f once it is large. */
void out_js_flush(struct out_js *js, bool always);

void out_js_map_open(struct out_js *js);
void out_js_map_close(struct out_js *js);
void out_js_array_open(struct out_js *js);
void out_js_array_close(struct out_js *js);
void out_js_key(struct out_js *js, const char *key);
void out_js_null(struct out_js *js);
void out_js_int(struct out_js *js, long long v);
/* What jansson printed for json_real(v); false (nothing written) where
 * json_real refused the value (not finite). */
bool out_js_real_ok(double v);
void out_js_real(struct out_js *js, double v);
/* A string known to be valid UTF-8. */
void out_js_str(struct out_js *js, const char *s);
/* Whether jansson's json_string would take s. */
bool out_js_utf8_ok(const char *s);

/* "key": value, left out where jansson's object left it out: s invalid
 * UTF-8, or v NULL. Null for s == NULL. Takes v's reference. */
void out_js_kv_str(struct out_js *js, const char *key, const char *s);
void out_js_kv_json(struct out_js *js, const char *key, json_t *v);
void out_js_kv_int(struct out_js *js, const char *key, long long v);
/* A value already written as JSON text (by out_js_dumps), put in as it is:
 * yajl takes a number's text verbatim, with its separators around it. */
void out_js_raw(struct out_js *js, const char *text, size_t len);
/* v as the writer would write it, in a malloc'd string (jansson's own
 * dump with the same flags); NULL when v is NULL or memory ran out. Takes
 * v's reference. */
char *out_js_dumps(json_t *v);
/* Writes a jansson value (its objects' keys in their order); takes v's
 * reference. -EIO for NULL. */
int out_js_json(struct out_js *js, json_t *v);

#endif
