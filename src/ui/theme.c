/*
 * Themes: the built-in default and monochrome, and the parser of
 * themes/NAME.theme files (the format is nstop-theme(5)).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nstop/root.h"
#include "nstop/theme.h"
#include "nstop/kvfile.h"

static const char *const elem_names[THEME_NELEM] = {
	[THEME_NORMAL] = "normal",
	[THEME_HEADER] = "header",
	[THEME_HEADER_VALUE] = "header.value",
	[THEME_TAB] = "tab",
	[THEME_TAB_ACTIVE] = "tab.active",
	[THEME_COLUMNS] = "columns",
	[THEME_COLUMN_SORTED] = "columns.sorted",
	[THEME_SELECTED] = "selected",
	[THEME_TAGGED] = "tagged",
	[THEME_TREE] = "tree",
	[THEME_UNKNOWN] = "unknown",
	[THEME_VIEW_FROM] = "view-from",
	[THEME_STATUS] = "status",
	[THEME_KEY] = "key",
	[THEME_ERROR] = "error",
	[THEME_PLOT_CPU] = "plot.cpu",
	[THEME_PLOT_MEMORY] = "plot.memory",
	[THEME_PLOT_LIMIT] = "plot.limit",
	[THEME_PLOT_AXIS] = "plot.axis",
	[THEME_FROZEN] = "frozen",
};

static const char *const color_names[16] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright-black", "bright-red", "bright-green", "bright-yellow",
	"bright-blue", "bright-magenta", "bright-cyan", "bright-white",
};

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
	{ "bold", THEME_A_BOLD },
	{ "dim", THEME_A_DIM },
	{ "underline", THEME_A_UNDERLINE },
	{ "reverse", THEME_A_REVERSE },
	{ "italic", THEME_A_ITALIC },
};

const char *theme_elem_name(enum theme_elem e)
{
	return (unsigned)e < THEME_NELEM ? elem_names[e] : NULL;
}

int theme_elem_lookup(const char *name)
{
	for (int i = 0; i < THEME_NELEM; i++)
		if (!strcmp(elem_names[i], name))
			return i;
	return -1;
}

const char *theme_color_name(int c)
{
	if (c == THEME_COLOR_DEFAULT)
		return "default";
	return c >= 0 && c < 16 ? color_names[c] : NULL;
}

/* A colour by name or number; -2 when it is neither. */
static int color_lookup(const char *s)
{
	char *end;
	long v;

	if (!strcmp(s, "default"))
		return THEME_COLOR_DEFAULT;
	for (int i = 0; i < 16; i++)
		if (!strcmp(color_names[i], s))
			return i;
	if (!isdigit((unsigned char)*s))
		return -2;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end || errno || v > 255)
		return -2;
	return (int)v;
}

static void set(struct theme *t, enum theme_elem e, int fg, int bg, unsigned attrs)
{
	t->s[e].fg = fg;
	t->s[e].bg = bg;
	t->s[e].attrs = attrs;
}

#define D THEME_COLOR_DEFAULT
enum { BLACK, RED, GREEN, YELLOW, BLUE, MAGENTA, CYAN, WHITE, BRIGHT_BLACK };

/* Must stay identical to themes/default.theme: test_theme compares them. */
void theme_default(struct theme *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "default");
	set(t, THEME_NORMAL, D, D, 0);
	set(t, THEME_HEADER, CYAN, D, 0);
	set(t, THEME_HEADER_VALUE, D, D, THEME_A_BOLD);
	set(t, THEME_TAB, D, D, 0);
	set(t, THEME_TAB_ACTIVE, BLACK, GREEN, THEME_A_BOLD);
	set(t, THEME_COLUMNS, BLACK, GREEN, 0);
	set(t, THEME_COLUMN_SORTED, BLACK, CYAN, THEME_A_BOLD);
	set(t, THEME_SELECTED, BLACK, CYAN, 0);
	set(t, THEME_TAGGED, YELLOW, D, THEME_A_BOLD);
	set(t, THEME_TREE, CYAN, D, 0);
	set(t, THEME_UNKNOWN, D, D, THEME_A_DIM);
	set(t, THEME_VIEW_FROM, BLACK, YELLOW, THEME_A_BOLD);
	set(t, THEME_STATUS, BLACK, CYAN, 0);
	set(t, THEME_KEY, D, D, THEME_A_BOLD);
	set(t, THEME_ERROR, WHITE, RED, THEME_A_BOLD);
	set(t, THEME_PLOT_CPU, GREEN, D, 0);
	set(t, THEME_PLOT_MEMORY, CYAN, D, 0);
	set(t, THEME_PLOT_LIMIT, RED, D, THEME_A_BOLD);
	set(t, THEME_PLOT_AXIS, D, D, THEME_A_DIM);
	set(t, THEME_FROZEN, BLUE, D, THEME_A_BOLD);
}

/* Must stay identical to themes/monochrome.theme. */
void theme_monochrome(struct theme *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "monochrome");
	for (int i = 0; i < THEME_NELEM; i++)
		set(t, i, D, D, 0);
	t->s[THEME_HEADER_VALUE].attrs = THEME_A_BOLD;
	t->s[THEME_TAB_ACTIVE].attrs = THEME_A_REVERSE | THEME_A_BOLD;
	t->s[THEME_COLUMNS].attrs = THEME_A_REVERSE;
	t->s[THEME_COLUMN_SORTED].attrs = THEME_A_REVERSE | THEME_A_BOLD;
	t->s[THEME_SELECTED].attrs = THEME_A_REVERSE;
	t->s[THEME_TAGGED].attrs = THEME_A_BOLD | THEME_A_UNDERLINE;
	t->s[THEME_UNKNOWN].attrs = THEME_A_DIM;
	t->s[THEME_VIEW_FROM].attrs = THEME_A_REVERSE | THEME_A_BOLD;
	t->s[THEME_STATUS].attrs = THEME_A_REVERSE;
	t->s[THEME_KEY].attrs = THEME_A_BOLD;
	t->s[THEME_ERROR].attrs = THEME_A_REVERSE | THEME_A_BOLD;
	t->s[THEME_PLOT_LIMIT].attrs = THEME_A_BOLD;
	t->s[THEME_PLOT_AXIS].attrs = THEME_A_DIM;
	t->s[THEME_FROZEN].attrs = THEME_A_UNDERLINE;
}
#undef D

/* "FG [on BG] [ATTR]..." (FG may be left out when attributes follow). */
static int parse_style(char *s, const char *fname, int line,
		       struct theme_style *out, struct nst_err *err)
{
	struct theme_style st = { THEME_COLOR_DEFAULT, THEME_COLOR_DEFAULT, 0 };
	bool first = true, have_bg = false, any = false;
	char *save = NULL;

	for (char *tok = strtok_r(s, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		size_t i;
		int c;

		any = true;
		if (!strcmp(tok, "on")) {
			first = false;
			tok = strtok_r(NULL, " \t", &save);
			if (!tok)
				return nst_err_set(err, EINVAL,
						   "%s:%d: 'on' wants a colour",
						   fname, line);
			if (have_bg)
				return nst_err_set(err, EINVAL,
						   "%s:%d: two backgrounds",
						   fname, line);
			c = color_lookup(tok);
			if (c == -2)
				return nst_err_set(err, EINVAL,
						   "%s:%d: unknown colour '%s'",
						   fname, line, tok);
			st.bg = c;
			have_bg = true;
			continue;
		}
		for (i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
			if (!strcmp(tok, attr_names[i].name))
				break;
		if (i < sizeof(attr_names) / sizeof(attr_names[0])) {
			st.attrs |= attr_names[i].bit;
			first = false;
			continue;
		}
		if (!strcmp(tok, "none")) {
			first = false;
			continue;
		}
		c = color_lookup(tok);
		if (c != -2 && first) {
			st.fg = c;
			first = false;
			continue;
		}
		if (c != -2)
			return nst_err_set(err, EINVAL,
					   "%s:%d: colour '%s' out of place (FG [on BG] [ATTR]...)",
					   fname, line, tok);
		/* The first word is where a colour goes; later ones, attributes. */
		return nst_err_set(err, EINVAL,
				   first || isdigit((unsigned char)*tok) ?
				   "%s:%d: unknown colour '%s'" :
				   "%s:%d: unknown attribute '%s'",
				   fname, line, tok);
	}
	if (!any)
		return nst_err_set(err, EINVAL, "%s:%d: no style given", fname, line);
	*out = st;
	return 0;
}

static int set_line(char *key, char *val, const char *fname, int line, void *arg,
		    struct nst_err *err)
{
	struct theme *nt = arg;
	int e;

	if (!strcmp(key, "name")) {
		if (!*val || strlen(val) >= sizeof(nt->name))
			return nst_err_set(err, EINVAL,
					   "%s:%d: a name of 1 to %zu characters",
					   fname, line, sizeof(nt->name) - 1);
		snprintf(nt->name, sizeof(nt->name), "%s", val);
		return 0;
	}
	e = theme_elem_lookup(key);
	if (e < 0)
		return nst_err_set(err, EINVAL, "%s:%d: unknown element '%s'",
				   fname, line, key);
	return parse_style(val, fname, line, &nt->s[e], err);
}

int theme_parse(const char *text, const char *fname, struct theme *t,
		struct nst_err *err)
{
	struct theme nt = *t;

	if (nst_kv_parse(text, fname ? fname : "theme", true, "ELEMENT = STYLE",
			 set_line, &nt, err) < 0)
		return -EINVAL;
	*t = nt;
	return 0;
}

static int load_file(const char *path, const char *name, struct theme *t,
		     struct nst_err *err)
{
	struct theme nt;
	char *text;
	struct nst_err e;
	/* only a regular file: a FIFO must not hang the start */
	long n = nst_slurp_regular(AT_FDCWD, path, 1 << 20, &text, &e);
	int rc;

	if (n < 0) {
		if (err)
			*err = e;
		return (int)n;
	}
	/* What a theme leaves out looks as in the default. */
	theme_default(&nt);
	snprintf(nt.name, sizeof(nt.name), "%s", name);
	rc = theme_parse(text, path, &nt, err);
	free(text);
	if (rc == 0)
		*t = nt;
	return rc;
}

static bool is_file(const char *path)
{
	return access(path, R_OK) == 0 || errno != ENOENT;
}

int theme_load(const char *name_or_path, const char *themedir, struct theme *t,
	       struct nst_err *err)
{
	char dirs[5][1024], path[4096], base[64];
	const char *slash, *dot;
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int nd = 0;

	if (!name_or_path || !*name_or_path)
		return nst_err_set(err, EINVAL, "theme: no name given");
	slash = strrchr(name_or_path, '/');
	if (slash) {
		const char *b = slash + 1;
		dot = strrchr(b, '.');
		snprintf(base, sizeof(base), "%.*s",
			 (int)(dot && dot != b ? (size_t)(dot - b) : strlen(b)), b);
		return load_file(name_or_path, base, t, err);
	}
	snprintf(base, sizeof(base), "%s", name_or_path);
	if (xdg && *xdg == '/')
		snprintf(dirs[nd++], sizeof(dirs[0]), "%s/nstop/themes", xdg);
	else if (home && *home)
		snprintf(dirs[nd++], sizeof(dirs[0]), "%s/.config/nstop/themes", home);
	if (themedir) {
		snprintf(dirs[nd++], sizeof(dirs[0]), "%s", themedir);
	} else {
		/* The build tree's path is not in the binary (reproducible
		 * builds): a tree's themes are found next to the program run
		 * from it, or where NSTOP_THEMEDIR says (make check). */
		const char *env = getenv("NSTOP_THEMEDIR");
		char exe[1024];
		ssize_t n;

		if (env && *env == '/')
			snprintf(dirs[nd++], sizeof(dirs[0]), "%s", env);
		snprintf(dirs[nd++], sizeof(dirs[0]), "%s", NSTOP_THEMEDIR);
		/* a sealed copy (rt-selfexe.c) runs from a memfd ("/memfd:...
		 * (deleted)"): then the path it was started as, which the
		 * re-exec kept */
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n > 0)
			exe[n] = '\0';
		if ((n <= 0 || exe[0] != '/' || access(exe, X_OK) < 0) &&
		    strchr(program_invocation_name, '/'))
			n = snprintf(exe, sizeof(exe), "%s", program_invocation_name);
		if (n > 0 && (size_t)n < sizeof(exe) && strchr(exe, '/')) {
			char *sl = strrchr(exe, '/');
			if (sl && sl != exe) {
				*sl = '\0';
				snprintf(dirs[nd++], sizeof(dirs[0]), "%.1000s/themes", exe);
			}
		}
	}
	for (int i = 0; i < nd; i++) {
		int n = snprintf(path, sizeof(path), "%s/%s.theme", dirs[i],
				 name_or_path);
		if (n > 0 && (size_t)n < sizeof(path) && is_file(path))
			return load_file(path, base, t, err);
	}
	/* The two built-ins work without any file installed. */
	if (!strcmp(name_or_path, "default")) {
		theme_default(t);
		return 0;
	}
	if (!strcmp(name_or_path, "monochrome")) {
		theme_monochrome(t);
		return 0;
	}
	return nst_err_set(err, ENOENT, "theme '%s' not found in %s%s%s%s%s",
			   name_or_path, dirs[0], nd > 1 ? ", " : "",
			   nd > 1 ? dirs[1] : "", nd > 2 ? ", " : "",
			   nd > 2 ? dirs[2] : "");
}

/* The xterm 256-colour palette's RGB, for theme_color_reduce. */
static void rgb256(int c, int rgb[3])
{
	static const int base16[16][3] = {
		{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
		{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
		{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
		{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
	};
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };

	if (c < 16) {
		memcpy(rgb, base16[c], sizeof(base16[c]));
	} else if (c < 232) {
		c -= 16;
		rgb[0] = level[c / 36];
		rgb[1] = level[(c / 6) % 6];
		rgb[2] = level[c % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
	}
}

/*
 * By hue rather than by RGB distance: the distance sends a mid grey to
 * yellow and solarized's blue to cyan's neighbour; a hue keeps reds red.
 */
int theme_color_reduce(int c, int ncolors)
{
	int rgb[3], mx, mn, hue, i;
	bool bright16;

	if (c < 0 || c < ncolors)
		return c;
	if (ncolors < 8)
		return THEME_COLOR_DEFAULT;
	if (c < 16)
		return c - 8;	/* bright-X -> X on an 8-colour terminal */
	bright16 = ncolors >= 16;
	rgb256(c, rgb);
	mx = rgb[0] > rgb[1] ? rgb[0] : rgb[1];
	mx = mx > rgb[2] ? mx : rgb[2];
	mn = rgb[0] < rgb[1] ? rgb[0] : rgb[1];
	mn = mn < rgb[2] ? mn : rgb[2];
	if (mx < 48 || (mx - mn) * 4 < mx) {
		/* A grey (or near black): by lightness. */
		if (!bright16)
			return mx < 96 ? 0 : 7;
		return mx < 64 ? 0 : mx < 160 ? 8 : mx < 216 ? 7 : 15;
	}
	/* Hue in degrees, 0 red, 120 green, 240 blue. */
	if (mx == rgb[0])
		hue = 60 * (rgb[1] - rgb[2]) / (mx - mn);
	else if (mx == rgb[1])
		hue = 120 + 60 * (rgb[2] - rgb[0]) / (mx - mn);
	else
		hue = 240 + 60 * (rgb[0] - rgb[1]) / (mx - mn);
	hue = (hue + 360 + 30) % 360 / 60;	/* 0 red, 1 yellow, ... 5 magenta */
	{
		static const int by_hue[6] = { 1, 3, 2, 6, 4, 5 };
		i = by_hue[hue];
	}
	return bright16 && mx > 230 ? i + 8 : i;
}
