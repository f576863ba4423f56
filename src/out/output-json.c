/* The streaming writer of output-json.h: yajl's generator, with numbers
 * formatted here so that they read as jansson printed them. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nstop/dl.h"
#include "nstop/output.h"
#include "nstop/utf8.h"
#include "output-json.h"

/* yajl's generator, loaded where a document is written: js_yajl.gen_map_open()
 * is js_yajl.gen_map_open(), and so on. Linked, it was mapped by every start
 * of nstop, a container's launch twice. */
#define JS_YAJL_FN(fn) __typeof__(yajl_gen_##fn) *gen_##fn
static struct {
	JS_YAJL_FN(alloc);
	JS_YAJL_FN(free);
	JS_YAJL_FN(get_buf);
	JS_YAJL_FN(clear);
	JS_YAJL_FN(reset);
	JS_YAJL_FN(map_open);
	JS_YAJL_FN(map_close);
	JS_YAJL_FN(array_open);
	JS_YAJL_FN(array_close);
	JS_YAJL_FN(null);
	JS_YAJL_FN(string);
	JS_YAJL_FN(number);
	JS_YAJL_FN(bool);
} js_yajl;

int out_json_load(struct nst_err *err)
{
#define JS_YAJL_SYM(fn) { "yajl_gen_" #fn, (void **)&js_yajl.gen_##fn }
	static const struct nst_dl_sym syms[] = {
		JS_YAJL_SYM(alloc),
		JS_YAJL_SYM(free),
		JS_YAJL_SYM(get_buf),
		JS_YAJL_SYM(clear),
		JS_YAJL_SYM(reset),
		JS_YAJL_SYM(map_open),
		JS_YAJL_SYM(map_close),
		JS_YAJL_SYM(array_open),
		JS_YAJL_SYM(array_close),
		JS_YAJL_SYM(null),
		JS_YAJL_SYM(string),
		JS_YAJL_SYM(number),
		JS_YAJL_SYM(bool),
	};
#undef JS_YAJL_SYM

	if (js_yajl.gen_alloc)
		return 0;
	return nst_dl_load(NST_YAJL_SONAME, "libyajl, JSON snapshots", syms,
			   sizeof(syms) / sizeof(syms[0]), err);
}

/* Beyond this much, the generator's buffer goes to the stream. */
#define OUT_JS_CHUNK 65536

static void js_check(struct out_js *js, yajl_gen_status st)
{
	if (st != yajl_gen_status_ok && !js->err)
		js->err = st == yajl_gen_invalid_string ? -EILSEQ : -EINVAL;
}

int out_js_begin(struct out_js *js, FILE *f)
{
	const struct lconv *lc = localeconv();

	js->f = f;
	js->err = 0;
	js->point = lc && lc->decimal_point && lc->decimal_point[0] ?
		    lc->decimal_point[0] : '.';
	struct nst_err err;

	nst_err_clear(&err);
	if (out_json_load(&err) < 0)
		return -ENOENT;
	js->g = js_yajl.gen_alloc(NULL);
	return js->g ? 0 : -ENOMEM;
}

void out_js_flush(struct out_js *js, bool always)
{
	const unsigned char *buf;
	size_t len;

	if (!js->f || js_yajl.gen_get_buf(js->g, &buf, &len) != yajl_gen_status_ok ||
	    (!always && len < OUT_JS_CHUNK) || len == 0)
		return;
	if (fwrite(buf, 1, len, js->f) != len && !js->err)
		js->err = -EIO;
	js_yajl.gen_clear(js->g);
}

int out_js_take(struct out_js *js, char **text, size_t *len)
{
	const unsigned char *buf;
	size_t n;

	*text = NULL;
	*len = 0;
	if (js->err)
		return js->err;
	if (js_yajl.gen_get_buf(js->g, &buf, &n) != yajl_gen_status_ok || n == 0)
		return -EINVAL;
	if (!(*text = malloc(n)))
		return -ENOMEM;
	memcpy(*text, buf, n);
	*len = n;
	js_yajl.gen_clear(js->g);
	js_yajl.gen_reset(js->g, NULL);
	return 0;
}

int out_js_end(struct out_js *js)
{
	out_js_flush(js, true);
	js_yajl.gen_free(js->g);
	js->g = NULL;
	return js->err;
}

void out_js_map_open(struct out_js *js) { js_check(js, js_yajl.gen_map_open(js->g)); }
void out_js_map_close(struct out_js *js) { js_check(js, js_yajl.gen_map_close(js->g)); }
void out_js_array_open(struct out_js *js) { js_check(js, js_yajl.gen_array_open(js->g)); }
void out_js_array_close(struct out_js *js) { js_check(js, js_yajl.gen_array_close(js->g)); }
void out_js_null(struct out_js *js) { js_check(js, js_yajl.gen_null(js->g)); }

void out_js_key(struct out_js *js, const char *key)
{
	js_check(js, js_yajl.gen_string(js->g, (const unsigned char *)key, strlen(key)));
}

/*
 * A value string yajl would copy byte for byte (printable ASCII, no quote,
 * no backslash: it escapes nothing else, '/' included) goes in quoted as it
 * is, through yajl_gen_number, which places it as any value (separators,
 * state) without yajl_string_encode's walk of each byte: most of the
 * document's strings, and a fifth of its instructions.
 */
static void js_string(struct out_js *js, const char *s, size_t len)
{
	char buf[256];

	if (len + 2 <= sizeof(buf)) {
		size_t i;

		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c < 0x20 || c > 0x7e || c == '"' || c == '\\')
				break;
		}
		if (i == len) {
			buf[0] = '"';
			memcpy(buf + 1, s, len);
			buf[len + 1] = '"';
			js_check(js, js_yajl.gen_number(js->g, buf, len + 2));
			return;
		}
	}
	js_check(js, js_yajl.gen_string(js->g, (const unsigned char *)s, len));
}

void out_js_str(struct out_js *js, const char *s)
{
	js_string(js, s, strlen(s));
}

/* "%lld" without printf's parsing: the document holds tens of thousands. */
void out_js_int(struct out_js *js, long long v)
{
	char buf[24], *p = buf + sizeof(buf);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	js_check(js, js_yajl.gen_number(js->g, p, (size_t)(buf + sizeof(buf) - p)));
}

bool out_js_real_ok(double v)
{
	return isfinite(v);
}

/*
 * As jansson's jsonp_dtostr with precision 6: "%.6g", the locale's point
 * read as '.', ".0" added when it would read as an integer, and the
 * exponent without '+' and leading zeros (1e-07 is 1e-7, 1.2e+06 1.2e6).
 */
void out_js_real(struct out_js *js, double v)
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf) - 3, "%.6g", v);
	char *e, *start, *end;

	if (n < 0 || (size_t)n >= sizeof(buf) - 3) {
		js->err = js->err ? js->err : -EINVAL;
		return;
	}
	if (js->point != '.') {
		char *pt = strchr(buf, js->point);
		if (pt)
			*pt = '.';
	}
	if (!strchr(buf, '.') && !strchr(buf, 'e')) {
		buf[n++] = '.';
		buf[n++] = '0';
		buf[n] = '\0';
	}
	e = strchr(buf, 'e');
	if (e) {
		start = e + 1;
		end = start + 1;
		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		if (end != start) {
			memmove(start, end, (size_t)n - (size_t)(end - buf) + 1);
			n -= (int)(end - start);
		}
	}
	js_check(js, js_yajl.gen_number(js->g, buf, (size_t)n));
}

/* The one UTF-8 rule (base/utf8.c), which is jansson's utf8_check_string:
 * a string it refuses is left out with its key. ASCII, most of a
 * document, is passed over without a call. */
bool out_js_utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((n = nst_utf8_len(p)) == 0)
			return false;
		p += n;
	}
	return true;
}

void out_js_kv_str(struct out_js *js, const char *key, const char *s)
{
	if (!s) {
		out_js_key(js, key);
		out_js_null(js);
	} else if (out_js_utf8_ok(s)) {
		out_js_key(js, key);
		out_js_str(js, s);
	}
}

void out_js_kv_int(struct out_js *js, const char *key, long long v)
{
	out_js_key(js, key);
	out_js_int(js, v);
}

void out_js_kv_json(struct out_js *js, const char *key, json_t *v)
{
	if (!v)
		return;
	out_js_key(js, key);
	out_js_json(js, v);
}

static void js_walk(struct out_js *js, json_t *v)
{
	const char *key;
	json_t *item;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		out_js_map_open(js);
		json_object_foreach(v, key, item) {
			out_js_key(js, key);
			js_walk(js, item);
		}
		out_js_map_close(js);
		break;
	case JSON_ARRAY:
		out_js_array_open(js);
		json_array_foreach(v, i, item)
			js_walk(js, item);
		out_js_array_close(js);
		break;
	case JSON_STRING:
		js_string(js, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		out_js_int(js, json_integer_value(v));
		break;
	case JSON_REAL:
		out_js_real(js, json_real_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		js_check(js, js_yajl.gen_bool(js->g, json_is_true(v)));
		break;
	case JSON_NULL:
		out_js_null(js);
		break;
	}
}

int out_js_json(struct out_js *js, json_t *v)
{
	if (!v) {
		js->err = js->err ? js->err : -EIO;
		return -EIO;
	}
	js_walk(js, v);
	json_decref(v);
	return 0;
}

void out_js_raw(struct out_js *js, const char *text, size_t len)
{
	js_check(js, js_yajl.gen_number(js->g, text, len));
}

char *out_js_dumps(json_t *v)
{
	char *text = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(6)) : NULL;

	json_decref(v);
	return text;
}
