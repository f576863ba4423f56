#include "config.h"

#include <curses.h>
#include <langinfo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "nstop/plot.h"
#include "ui-impl.h"

/* Columns of text the last column keeps at the least. */
#define UI_LAST_MIN 20

#define UI_DEFAULT_COLUMNS "pid,user,state,cpu,rss,container,pidns,mntns,netns,cgroup,cmdline"

static const char *const ns_columns[] = { "TYPE", "NS", "NPROCS", "PID", "USER", "COMMAND" };
static const char *const cg_columns[] = { "NPROCS", "CPU%", "MEM", "MEMLIMIT", "PIDS",
					  "PIDSLIMIT", "FROZEN", "PATH" };

const char *ui_view_name(enum ui_view v)
{
	static const char *const names[] = { "processes", "namespaces", "cgroups", "containers" };
	return v < UI_NVIEWS ? names[v] : "?";
}

/* ---- small sets -------------------------------------------------------- */

void ui_strset_clear(struct ui_strset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static ssize_t strset_find(const struct ui_strset *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], key) == 0)
			return (ssize_t)i;
	return -1;
}

bool ui_strset_has(const struct ui_strset *s, const char *key)
{
	return s->n && strset_find(s, key) >= 0;
}

void ui_strset_toggle(struct ui_strset *s, const char *key, bool on)
{
	ssize_t i = strset_find(s, key);

	if (!on && i >= 0) {
		free(s->v[i]);
		s->v[i] = s->v[--s->n];
	} else if (on && i < 0) {
		char *k = strdup(key);
		if (!k)
			return;
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 16;
			char **v = realloc(s->v, cap * sizeof(*v));
			if (!v) {
				free(k);
				return;
			}
			s->v = v;
			s->cap = cap;
		}
		s->v[s->n++] = k;
	}
}

bool ui_tagged(const struct ui_state *ui, pid_t pid)
{
	for (size_t i = 0; i < ui->ntags; i++)
		if (ui->tags[i] == pid)
			return true;
	return false;
}

/* ---- columns ----------------------------------------------------------- */

static int ns_width(const char *name)
{
	if (strcmp(name, "NS") == 0)
		return 10;
	if (strcmp(name, "TYPE") == 0)
		return 6;
	if (strcmp(name, "USER") == 0)
		return 9;
	return 7;
}

static int cg_width(const char *name)
{
	int w = (int)strlen(name);
	return w < 7 ? 7 : w;
}

static void proc_columns(struct ui_state *ui, const char *spec)
{
	const struct out_proc_field *pf[UI_MAXCOLS];
	struct nst_err err;
	int n;

	nst_err_clear(&err);
	n = out_proc_fields_parse(spec && *spec ? spec : UI_DEFAULT_COLUMNS, pf,
				  UI_MAXCOLS, &err);
	if (n <= 0) {
		ui_message(ui, THEME_ERROR, "config columns: %s; the defaults instead", err.msg);
		n = out_proc_fields_parse(UI_DEFAULT_COLUMNS, pf, UI_MAXCOLS, &err);
	}
	for (int i = 0; i < n; i++) {
		struct ui_col *c = &ui->cols[UI_VIEW_PROCS][i];
		memset(c, 0, sizeof(*c));
		c->pf = pf[i];
		c->header = pf[i]->header;
		c->width = pf[i]->width;
		c->right = pf[i]->align == OUT_RIGHT;
		c->number = c->right;
		c->tree = strcmp(pf[i]->name, "cmdline") == 0 || strcmp(pf[i]->name, "comm") == 0;
	}
	ui->ncols[UI_VIEW_PROCS] = n;
	/* The tree goes in the command; without one, in the last column. */
	bool tree = false;
	for (int i = 0; i < n; i++) {
		if (ui->cols[UI_VIEW_PROCS][i].tree && !tree)
			tree = true;
		else
			ui->cols[UI_VIEW_PROCS][i].tree = false;
	}
	if (!tree && n)
		ui->cols[UI_VIEW_PROCS][n - 1].tree = true;
	if (n && ui->cols[UI_VIEW_PROCS][n - 1].width == 0)
		return;
	if (n)	/* the last column takes the rest of the line */
		ui->cols[UI_VIEW_PROCS][n - 1].width = 0;
}

void ui_columns_init(struct ui_state *ui)
{
	int n = 0;

	proc_columns(ui, ui->cfg.columns);
	for (size_t i = 0; i < sizeof(ns_columns) / sizeof(ns_columns[0]); i++) {
		const struct out_ns_field *f = out_ns_field_find(ns_columns[i]);
		struct ui_col *c = &ui->cols[UI_VIEW_NS][n];
		if (!f)
			continue;
		memset(c, 0, sizeof(*c));
		c->nf = f;
		c->header = f->name;
		c->width = ns_width(f->name);
		c->right = f->align == OUT_RIGHT;
		c->number = f->number;
		n++;
	}
	ui->cols[UI_VIEW_NS][n - 1].width = 0;
	ui->cols[UI_VIEW_NS][n - 1].tree = true;
	ui->ncols[UI_VIEW_NS] = n;

	n = 0;
	for (size_t i = 0; i < sizeof(cg_columns) / sizeof(cg_columns[0]); i++) {
		const struct out_cg_field *f = out_cg_field_find(cg_columns[i]);
		struct ui_col *c = &ui->cols[UI_VIEW_CGROUPS][n];
		if (!f)
			continue;
		memset(c, 0, sizeof(*c));
		c->cf = f;
		c->header = f->name;
		c->width = cg_width(f->name);
		c->right = f->align == OUT_RIGHT;
		c->number = f->number;
		n++;
	}
	ui->cols[UI_VIEW_CGROUPS][n - 1].width = 0;
	ui->cols[UI_VIEW_CGROUPS][n - 1].tree = true;
	ui->ncols[UI_VIEW_CGROUPS] = n;
	ui->ncols[UI_VIEW_CONTAINERS] = 0;
}

/* Every cgroup column of the Processes view shows the given form. */
void ui_columns_cgform(struct ui_state *ui, int form)
{
	static const char *const names[] = { [OUT_CG_HOST] = "cgroup",
		[OUT_CG_OWN] = "nscgroup", [OUT_CG_VIEW] = "viewcgroup" };
	const struct out_proc_field *f = out_proc_field_find(names[form]);

	ui->cg_form = form;
	for (int i = 0; i < ui->ncols[UI_VIEW_PROCS]; i++) {
		struct ui_col *c = &ui->cols[UI_VIEW_PROCS][i];
		if (!f || c->pf->value != f->value)
			continue;
		c->pf = f;
		c->header = f->header;
	}
}

int ui_sort_by_name(struct ui_state *ui, const char *name)
{
	for (int i = 0; i < ui->ncols[UI_VIEW_PROCS]; i++)
		if (strcasecmp(ui->cols[UI_VIEW_PROCS][i].pf->name, name) == 0)
			return i;
	return -1;
}

/* ---- rows -------------------------------------------------------------- */

const struct scan_proc *ui_row_proc(const struct ui_state *ui, const struct ui_row *r)
{
	if (!r || r->kind != UI_ROW_PROC)
		return NULL;
	return &ui->snap->procs[r->idx];
}

const struct scan_cgroup *ui_row_cgroup(const struct ui_state *ui, const struct ui_row *r)
{
	if (!r || r->kind != UI_ROW_CG)
		return NULL;
	return &ui->snap->cgroups[r->idx];
}

void ui_row_key(const struct ui_state *ui, const struct ui_row *r, char *buf, size_t size)
{
	const struct snapshot *s = ui->snap;

	switch (r->kind) {
	case UI_ROW_PROC:
		snprintf(buf, size, "p:%d", (int)s->procs[r->idx].pid);
		break;
	case UI_ROW_NS:
		snprintf(buf, size, "n:%d:%lu", (int)s->ns[r->idx].type,
			 (unsigned long)s->ns[r->idx].inode);
		break;
	case UI_ROW_CG:
		snprintf(buf, size, "c:%d:%s", s->cgroups[r->idx].hier, s->cgroups[r->idx].path);
		break;
	case UI_ROW_CONTAINER:
		snprintf(buf, size, "o:%s", ui->containers[r->idx].name);
		break;
	}
}

static bool contains(const char *hay, const char *needle)
{
	return hay && strcasestr(hay, needle);
}

bool ui_row_matches(const struct ui_state *ui, const struct ui_row *r, const char *text)
{
	const struct snapshot *s = ui->snap;
	char num[32];

	if (!text[0])
		return true;
	switch (r->kind) {
	case UI_ROW_PROC: {
		const struct scan_proc *p = &s->procs[r->idx];
		int h = out_primary_hier(&s->layout);
		snprintf(num, sizeof(num), "%d", (int)p->pid);
		char label[320] = "";
		if (p->ctr)
			eng_ctr_label(p->ctr, label, sizeof(label));
		return strcmp(num, text) == 0 || contains(p->comm, text) ||
		       contains(p->cmdline, text) || contains(p->user, text) ||
		       (p->ctr && contains(label, text)) ||
		       (h >= 0 && (contains(p->cg[h].path, text) ||
				   contains(p->cg[h].view_path, text)));
	}
	case UI_ROW_NS: {
		const struct scan_ns *n = &s->ns[r->idx];
		const struct scan_proc *p = snapshot_find_proc(s, n->first);
		snprintf(num, sizeof(num), "%lu", (unsigned long)n->inode);
		return strstr(num, text) || contains(ns_type_name(n->type), text) ||
		       (p && (contains(p->comm, text) || contains(p->cmdline, text)));
	}
	case UI_ROW_CG: {
		const struct scan_cgroup *c = &s->cgroups[r->idx];
		return contains(c->path, text) || contains(c->view_path, text) ||
		       contains(s->layout.h[c->hier].controllers, text);
	}
	case UI_ROW_CONTAINER:
		return contains(ui->containers[r->idx].name, text);
	}
	return false;
}

struct sort_key {
	bool known;
	double num;
	char *str;
};

static void key_from_json(struct sort_key *k, json_t *v)
{
	k->known = v && !json_is_null(v);
	k->num = 0;
	k->str = NULL;
	if (!k->known)
		;
	else if (json_is_number(v))
		k->num = json_number_value(v);
	else if (json_is_string(v))
		k->str = strdup(json_string_value(v));
	else if (json_is_object(v)) {	/* a container: by engine:name */
		char label[320];
		out_value_text(json_incref(v), label, sizeof(label));
		k->str = strdup(label);
	} else if (json_is_boolean(v))
		k->num = json_is_true(v);
	json_decref(v);
}

struct sort_ctx {
	struct sort_key *keys;
	bool descending;
};

static int cmp_keyed(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *c = arg;
	int ia = *(const int *)a, ib = *(const int *)b;
	const struct sort_key *ka = &c->keys[ia], *kb = &c->keys[ib];
	int r = 0;

	/* Unknown values go last whichever the direction. */
	if (ka->known != kb->known)
		return ka->known ? -1 : 1;
	if (ka->known) {
		if (ka->str || kb->str)
			r = strcmp(ka->str ? ka->str : "", kb->str ? kb->str : "");
		else
			r = (ka->num > kb->num) - (ka->num < kb->num);
		if (c->descending)
			r = -r;
	}
	return r ? r : (ia > ib) - (ia < ib);
}

static size_t view_nitems(const struct ui_state *ui, enum ui_view v)
{
	switch (v) {
	case UI_VIEW_PROCS: return ui->snap->nprocs;
	case UI_VIEW_NS: return ui->snap->nns;
	case UI_VIEW_CGROUPS: return ui->snap->ncgroups;
	default: return ui->ncontainers;
	}
}

static enum ui_row_kind view_kind(enum ui_view v)
{
	static const enum ui_row_kind k[] = { UI_ROW_PROC, UI_ROW_NS, UI_ROW_CG,
					      UI_ROW_CONTAINER };
	return k[v];
}

static void item_key(const struct ui_state *ui, const struct ui_col *c, int i,
		     struct sort_key *k)
{
	const struct snapshot *s = ui->snap;

	if (c->pf)
		key_from_json(k, c->pf->value(s, &s->procs[i], c->pf->arg));
	else if (c->nf)
		key_from_json(k, c->nf->value(s, &s->ns[i]));
	else if (c->cf && c->tree)	/* the path, whichever way it is shown */
		key_from_json(k, json_string(s->cgroups[i].view_path ?
					     s->cgroups[i].view_path : s->cgroups[i].path));
	else if (c->cf)
		key_from_json(k, c->cf->value(s, &s->cgroups[i]));
}

/* The parent item of item i in the view's tree, or -1. */
static int item_parent(const struct ui_state *ui, int i, const int *cg_parent)
{
	const struct snapshot *s = ui->snap;

	switch (ui->view) {
	case UI_VIEW_PROCS: {
		const struct scan_proc *p = snapshot_find_proc(s, s->procs[i].ppid);
		return p && p != &s->procs[i] ? (int)(p - s->procs) : -1;
	}
	case UI_VIEW_NS: {
		const struct scan_ns *n = &s->ns[i], *pn;
		if (!n->parent || (n->type != NS_USER && n->type != NS_PID))
			return -1;
		pn = snapshot_find_ns(s, n->type, n->parent);
		return pn ? (int)(pn - s->ns) : -1;
	}
	case UI_VIEW_CGROUPS:
		return cg_parent[i];
	default:
		return -1;
	}
}

static int rows_push(struct ui_state *ui, const struct ui_row *r)
{
	if (ui->nrows == ui->rowcap) {
		size_t cap = ui->rowcap ? ui->rowcap * 2 : 1024;
		struct ui_row *v = realloc(ui->rows, cap * sizeof(*v));
		if (!v)
			return -1;
		ui->rows = v;
		ui->rowcap = cap;
	}
	ui->rows[ui->nrows++] = *r;
	return 0;
}

/* A namespace row's processes, below it when it is expanded. */
static void push_ns_procs(struct ui_state *ui, const struct scan_ns *n, int depth,
			  unsigned long long more)
{
	for (size_t j = 0; j < n->nprocs; j++) {
		const struct scan_proc *p = snapshot_find_proc(ui->snap, n->pids[j]);
		struct ui_row r = { .kind = UI_ROW_PROC, .depth = depth, .more = more,
				    .last = j + 1 == n->nprocs };
		if (!p)
			continue;
		r.idx = (int)(p - ui->snap->procs);
		rows_push(ui, &r);
	}
}

static void push_item(struct ui_state *ui, int i, int depth, unsigned long long more,
		      bool last, bool children)
{
	struct ui_row r = { .kind = view_kind(ui->view), .idx = i, .depth = depth,
			    .more = more, .last = last };
	char key[CG_PATH_MAX + 32];

	ui_row_key(ui, &r, key, sizeof(key));
	if (r.kind == UI_ROW_NS) {
		const struct scan_ns *n = &ui->snap->ns[i];
		r.children = children || n->nprocs > 0;
		r.expanded = ui_strset_has(&ui->expanded, key);
		rows_push(ui, &r);
		if (r.expanded)
			push_ns_procs(ui, n, depth + 1,
				      more | (!last && depth < 64 ? 1ULL << depth : 0));
		return;
	}
	r.children = children;
	r.expanded = children && !ui_strset_has(&ui->collapsed, key);
	rows_push(ui, &r);
}

/* Depth first from each root, children in the sorted order. */
static void emit_tree(struct ui_state *ui, const int *order, size_t n, const int *parent)
{
	size_t nitems = view_nitems(ui, ui->view);
	int *first = malloc(nitems * sizeof(int)), *next = malloc(nitems * sizeof(int));
	int *stack = malloc((nitems + 1) * sizeof(int));
	int *depthv = malloc((nitems + 1) * sizeof(int));
	unsigned long long *morev = malloc((nitems + 1) * sizeof(*morev));
	int roots = -1, sp = 0;

	if (!first || !next || !stack || !depthv || !morev)
		goto out;
	for (size_t i = 0; i < nitems; i++)
		first[i] = next[i] = -1;
	/* Prepending in reverse keeps the sorted order among siblings. */
	for (size_t k = n; k-- > 0;) {
		int i = order[k], p = parent[i];
		if (p >= 0) {
			next[i] = first[p];
			first[p] = i;
		} else {
			next[i] = roots;
			roots = i;
		}
	}
	/* Push the roots reversed so the first is popped first. */
	for (int i = roots; i >= 0; i = next[i])
		sp++;
	{
		int k = sp;
		for (int i = roots; i >= 0; i = next[i]) {
			k--;
			stack[k] = i;
			depthv[k] = 0;
			morev[k] = 0;
		}
	}
	while (sp > 0) {
		int i, d, cnt = 0, k;
		unsigned long long m;
		char key[CG_PATH_MAX + 32];
		struct ui_row probe = { .kind = view_kind(ui->view) };
		bool last;

		sp--;
		i = stack[sp];
		d = depthv[sp];
		m = morev[sp];
		last = next[i] < 0;
		push_item(ui, i, d, m, last, first[i] >= 0);
		probe.idx = i;
		ui_row_key(ui, &probe, key, sizeof(key));
		if (first[i] < 0 || ui_strset_has(&ui->collapsed, key))
			continue;
		if (!last && d < 64)
			m |= 1ULL << d;
		for (int c = first[i]; c >= 0; c = next[c])
			cnt++;
		k = sp + cnt;
		for (int c = first[i]; c >= 0; c = next[c]) {
			k--;
			stack[k] = c;
			depthv[k] = d + 1;
			morev[k] = m;
		}
		sp += cnt;
	}
out:
	free(first);
	free(next);
	free(stack);
	free(depthv);
	free(morev);
}

/* The cgroups are depth first per hierarchy: a parent is the last one
 * seen one level up in the same hierarchy. */
static int *cgroup_parents(const struct snapshot *s)
{
	int *parent = malloc((s->ncgroups + 1) * sizeof(int));
	int last[CG_MAX_HIER][128];

	if (!parent)
		return NULL;
	for (size_t i = 0; i < s->ncgroups; i++) {
		const struct scan_cgroup *c = &s->cgroups[i];
		int d = c->depth;

		parent[i] = d > 0 && d <= 128 ? last[c->hier][d - 1] : -1;
		if (d < 128)
			last[c->hier][d] = (int)i;
	}
	return parent;
}

void ui_rows_build(struct ui_state *ui)
{
	enum ui_view v = ui->view;
	size_t nitems, n = 0;
	int *order = NULL, *cg_parent = NULL, *parent = NULL;
	struct sort_key *keys = NULL;
	int sc = ui->sort[v];

	ui->nrows = 0;
	if (!ui->snap)
		return;
	nitems = view_nitems(ui, v);
	if (v == UI_VIEW_CONTAINERS) {
		for (size_t i = 0; i < nitems; i++) {
			struct ui_row r = { .kind = UI_ROW_CONTAINER, .idx = (int)i, .last = true };
			if (ui_row_matches(ui, &r, ui->filter))
				rows_push(ui, &r);
		}
		goto select;
	}
	order = malloc((nitems + 1) * sizeof(int));
	if (!order)
		goto select;
	for (size_t i = 0; i < nitems; i++) {
		struct ui_row r = { .kind = view_kind(v), .idx = (int)i };
		if (ui_row_matches(ui, &r, ui->filter))
			order[n++] = (int)i;
	}
	if (sc >= 0 && sc < ui->ncols[v] && n > 1) {
		const struct ui_col *c = &ui->cols[v][sc];
		struct sort_ctx ctx;

		keys = calloc(nitems, sizeof(*keys));
		if (keys) {
			for (size_t k = 0; k < n; k++)
				item_key(ui, c, order[k], &keys[order[k]]);
			ctx.keys = keys;
			ctx.descending = c->number != ui->invert[v];
			qsort_r(order, n, sizeof(int), cmp_keyed, &ctx);
			for (size_t k = 0; k < n; k++)
				free(keys[order[k]].str);
			free(keys);
		}
	} else if (ui->invert[v]) {
		for (size_t a = 0, b = n ? n - 1 : 0; a < b; a++, b--) {
			int t = order[a];
			order[a] = order[b];
			order[b] = t;
		}
	}
	if (ui->tree[v] && (parent = malloc((nitems + 1) * sizeof(int)))) {
		char *in = calloc(nitems + 1, 1);

		if (v == UI_VIEW_CGROUPS)
			cg_parent = cgroup_parents(ui->snap);
		for (size_t k = 0; k < n && in; k++)
			in[order[k]] = 1;
		for (size_t i = 0; i < nitems; i++) {
			int p = (v != UI_VIEW_CGROUPS || cg_parent) ?
				item_parent(ui, (int)i, cg_parent) : -1;
			/* A parent filtered out leaves its children at the top. */
			parent[i] = p >= 0 && in && in[p] ? p : -1;
		}
		free(in);
		emit_tree(ui, order, n, parent);
	} else {
		for (size_t k = 0; k < n; k++)
			push_item(ui, order[k], 0, 0, true, false);
	}
select:
	free(order);
	free(parent);
	free(cg_parent);
	/* Keep the cursor on the same thing across refreshes. */
	if (ui->follow[v] && ui->sel_key[v][0]) {
		for (size_t i = 0; i < ui->nrows; i++) {
			char key[CG_PATH_MAX + 32];
			ui_row_key(ui, &ui->rows[i], key, sizeof(key));
			if (strcmp(key, ui->sel_key[v]) == 0) {
				ui->sel[v] = (int)i;
				return;
			}
		}
	}
	if (ui->sel[v] >= (int)ui->nrows)
		ui->sel[v] = ui->nrows ? (int)ui->nrows - 1 : 0;
	if (ui->sel[v] < 0)
		ui->sel[v] = 0;
}

/* ---- drawing ----------------------------------------------------------- */

static bool utf8_locale(void)
{
	static int utf8 = -1;

	if (utf8 < 0)
		utf8 = strcasecmp(nl_langinfo(CODESET), "UTF-8") == 0;
	return utf8;
}

/* Puts at most cols columns of s at the cursor; returns the columns used.
 * Multibyte text is counted by characters, which never overflows. */
static int put_clip(const char *s, int cols, int attr)
{
	int used = 0;
	const char *p = s;

	if (cols <= 0)
		return 0;
	attron(attr);
	while (*p && used < cols) {
		int len = 1;
		unsigned char c = (unsigned char)*p;

		if (c >= 0xc0 && utf8_locale())
			len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		else if (c < 0x20 || (c >= 0x7f && !utf8_locale()))
			c = '?';
		if (c == '?' && *p != '?') {
			addch('?');
		} else {
			int k = 0;
			while (k < len && p[k])
				k++;
			addnstr(p, k);
			len = k;
		}
		p += len;
		used++;
	}
	attroff(attr);
	return used;
}

static int tree_prefix(const struct ui_row *r, char *buf, size_t size, int *cols)
{
	bool u = utf8_locale();
	size_t len = 0;

	*cols = 0;
	buf[0] = '\0';
	for (int d = 0; d < r->depth; d++) {
		const char *seg;
		if (d + 1 < r->depth)
			seg = d + 1 < 64 && (r->more >> (d + 1) & 1) ?
			      (u ? "\u2502 " : "| ") : "  ";
		else
			seg = r->last ? (u ? "\u2514\u2500" : "`-") : (u ? "\u251c\u2500" : "|-");
		len += snprintf(buf + len, len < size ? size - len : 0, "%s", seg);
		*cols += 2;
	}
	/* Only a collapsed row is marked, as htop does. */
	if (r->children && !r->expanded) {
		len += snprintf(buf + len, len < size ? size - len : 0, "+ ");
		*cols += 2;
	} else if (r->depth) {
		len += snprintf(buf + len, len < size ? size - len : 0, " ");
		*cols += 1;
	}
	return (int)len;
}

/* The text of one cell; false when the kernel did not give it ("-"). */
static bool cell_text(const struct ui_state *ui, const struct ui_row *r,
		      const struct ui_col *c, char *buf, size_t size, bool *blank)
{
	const struct snapshot *s = ui->snap;

	*blank = false;
	if (r->kind == UI_ROW_PROC) {
		const struct scan_proc *p = &s->procs[r->idx];
		const struct out_proc_field *pf = c->pf;

		if (c->nf) {	/* a namespace's process, in the Namespaces view */
			if (strcmp(c->nf->name, "COMMAND") == 0)
				pf = out_proc_field_find("cmdline");
			else if (strcmp(c->nf->name, "TYPE") && strcmp(c->nf->name, "NS") &&
				 strcmp(c->nf->name, "NPROCS"))
				pf = out_proc_field_find(c->nf->name);
		}
		if (!pf) {
			*blank = true;
			buf[0] = '\0';
			return true;
		}
		return out_proc_text(pf, s, p, buf, size);
	}
	if (r->kind == UI_ROW_NS)
		return out_ns_text(c->nf, s, &s->ns[r->idx], buf, size);
	if (r->kind == UI_ROW_CG) {
		const struct scan_cgroup *cg = &s->cgroups[r->idx];
		const char *path = cg->path;

		if (!c->tree)
			return out_cg_text(c->cf, s, cg, buf, size);
		if (ui->view_from) {
			path = cg->view_path;
			if (!path) {
				snprintf(buf, size, "- (%s)", cg->path);
				return false;
			}
		}
		if (cg->depth == 0) {
			snprintf(buf, size, "[%s] %s", s->layout.h[cg->hier].controllers, path);
		} else if (ui->cg_full || ui->view_from || !ui->tree[UI_VIEW_CGROUPS]) {
			snprintf(buf, size, "%s", path);
		} else {
			const char *base = strrchr(path, '/');
			snprintf(buf, size, "%s", base ? base + 1 : path);
		}
		return true;
	}
	buf[0] = '\0';
	return true;
}

static void draw_containers(struct ui_state *ui, int y, int h, int w)
{
	const char *l1 = "No containers are running (of nstop, Docker, containerd, podman, LXC, nspawn, runc, crun).";
	const char *l2 = "Start one with:  r (the launch form), or  nstop run -d --name NAME -- CMD";
	int x = 2;

	if (!ui->ncontainers) {
		mvaddnstr(y + 1, x, l1, w - x);
		attron(ui->attr[THEME_KEY]);
		mvaddnstr(y + 3, x, l2, w - x);
		attroff(ui->attr[THEME_KEY]);
		return;
	}
	/* The names set the first column's width, so the rest line up under
	 * their titles; up to a third of the line. */
	int nw = 16;
	for (size_t i = 0; i < ui->ncontainers; i++)
	{
		int len = (int)strlen(ui->containers[i].name) + (ui->containers[i].foreign ? 12 : 0);
		if (len > nw)
			nw = len;
	}
	if (nw > w / 3)
		nw = w / 3 > 16 ? w / 3 : 16;
	attron(ui->attr[THEME_COLUMNS]);
	mvprintw(y, 0, "%-*s %-10s %7s %8s %5s %5s %5s %5s %6s %6s %-8s %6s %5s  %s", nw, "NAME",
		 "STATE", "PID", "MEMLIMIT", "CPUS", "NPROC", "%CPU", "%THR", "MEM", "PEAK",
		 "CPUSET", "WEIGHT", "PIDS", "CPU%");
	for (int x2 = getcurx(stdscr); x2 < w; x2++)
		addch(' ');
	attroff(ui->attr[THEME_COLUMNS]);
	ui->title_y = y;
	for (int i = 0; i + 1 < h && ui->top[UI_VIEW_CONTAINERS] + i < (int)ui->nrows; i++) {
		const struct ui_row *r = &ui->rows[ui->top[UI_VIEW_CONTAINERS] + i];
		const struct ui_container *c = &ui->containers[r->idx];
		const struct sample_series *ser = NULL;
		char lim[16], line[512], spark[256] = "";
		int hp = out_primary_hier(&ui->snap->layout);
		bool sel = ui->top[UI_VIEW_CONTAINERS] + i == ui->sel[UI_VIEW_CONTAINERS];
		int attr = sel ? ui->attr[THEME_SELECTED] :
			   strcmp(c->state, "frozen") == 0 || strcmp(c->state, "paused") == 0 ?
			   ui->attr[THEME_FROZEN] :
			   ui->attr[THEME_NORMAL];

		out_human_bytes(c->memory_limit, lim, sizeof(lim));
		/* cpu% lives where the cpu accounting is (cpuacct on v1). */
		for (int k = 0; c->cgroup[0] && k < ui->snap->layout.n; k++) {
			const struct sample_series *t = sample_store_cgroup(ui->samples, k, c->cgroup);
			if (t && !isnan(sample_ring_last(&t->cpu_percent))) {
				ser = t;
				break;
			}
		}
		if (!ser && hp >= 0 && c->cgroup[0])
			ser = sample_store_cgroup(ui->samples, hp, c->cgroup);
		if (ser)
			plot_sparkline(&ser->cpu_percent, utf8_locale() ? PLOT_BLOCK : PLOT_ASCII,
				       NAN, 20, spark, sizeof(spark));
		char pid[16] = "-", cpus[16] = "max";
		if (c->pid > 0)
			snprintf(pid, sizeof(pid), "%d", (int)c->pid);
		if (c->cpus > 0)
			snprintf(cpus, sizeof(cpus), "%.2f", c->cpus);
		char state[40];
		/* how it ended, as nstop list's EXIT */
		if (c->exit_code >= 0)
			snprintf(state, sizeof(state), "%s %d", c->state, c->exit_code);
		else
			snprintf(state, sizeof(state), "%s", c->state);
		/* Another engine's by engine:name (nstop's own by their name, as
		 * their controls take it); the figures as the kernel gives them. */
		char label[128], nproc[16] = "-", pcpu[16] = "-", thr[16] = "-", mem[16], peak[16],
		     pidl[24] = "-";
		if (c->foreign)
			snprintf(label, sizeof(label), "%s:%s", eng_kind_label((enum eng_kind)c->kind), c->name);
		else
			snprintf(label, sizeof(label), "%s", c->name);
		if (c->nprocs || c->pid > 0)
			snprintf(nproc, sizeof(nproc), "%zu", c->nprocs);
		if (c->cpu_percent >= 0)
			snprintf(pcpu, sizeof(pcpu), "%.1f", c->cpu_percent);
		if (c->throttled_percent >= 0)
			snprintf(thr, sizeof(thr), "%.0f", c->throttled_percent);
		out_human_bytes(c->memory, mem, sizeof(mem));
		out_human_bytes(c->memory_peak, peak, sizeof(peak));
		if (c->pids_limit == CG_UNLIMITED)
			snprintf(pidl, sizeof(pidl), "max");
		else if (c->pids_limit >= 0)
			snprintf(pidl, sizeof(pidl), "%lld", c->pids_limit);
		snprintf(line, sizeof(line), "%-*.*s %-10s %7s %8s %5s %5s %5s %5s %6s %6s %-8.8s %6s %5s  %s",
			 nw, nw, label, state, pid, c->memory_limit < 0 ? "max" : lim, cpus, nproc,
			 pcpu, thr, mem, peak, c->cpuset[0] ? c->cpuset : "-",
			 c->weight[0] ? c->weight : "-", pidl, spark);
		move(y + 1 + i, 0);
		attron(attr);
		for (int x2 = 0; x2 < w; x2++)
			addch(' ');
		move(y + 1 + i, 0);
		put_clip(line, w, attr);
		attroff(attr);
	}
}

void ui_draw_table(struct ui_state *ui, int y, int h, int w)
{
	enum ui_view v = ui->view;
	int ncols = ui->ncols[v];
	int *top = &ui->top[v], sel = ui->sel[v];

	ui->title_y = y;
	ui->table_y = y + 1;
	ui->table_h = h - 1;
	if (h < 2)
		return;
	if (v == UI_VIEW_CONTAINERS) {
		draw_containers(ui, y, h, w);
		return;
	}
	/* Keep the cursor in sight. */
	if (sel < *top)
		*top = sel;
	if (sel >= *top + h - 1)
		*top = sel - (h - 2);
	if (*top > (int)ui->nrows - (h - 1))
		*top = (int)ui->nrows - (h - 1);
	if (*top < 0)
		*top = 0;

	/* The last column (the command, the path) must keep room to be read:
	 * wide text columns before it give up width first. */
	int cwid[UI_MAXCOLS], fixed = 0;
	for (int i = 0; i < ncols; i++) {
		cwid[i] = ui->cols[v][i].width;
		fixed += cwid[i] ? cwid[i] + 1 : 0;
	}
	/* First the wide text columns (CGROUP, CONTAINER) narrow to 12. */
	for (int i = ncols - 1; i >= 0 && w - fixed < UI_LAST_MIN; i--) {
		const struct ui_col *c = &ui->cols[v][i];
		int give;

		if (cwid[i] <= 0 || c->right || cwid[i] <= 12)
			continue;
		give = UI_LAST_MIN - (w - fixed);
		if (give > cwid[i] - 12)
			give = cwid[i] - 12;
		cwid[i] -= give;
		fixed -= give;
	}

	/* Then the namespace inode columns, from the right, keeping one. */
	for (int i = ncols - 2; i >= 0 && w - fixed < UI_LAST_MIN; i--) {
		const struct ui_col *c = &ui->cols[v][i];
		size_t hl = strlen(c->header);
		bool nscol = c->pf && hl > 2 && strcmp(c->header + hl - 2, "NS") == 0;
		bool kept = false;

		if (!nscol)
			continue;
		for (int j = 0; j < i; j++) {
			const char *hd = ui->cols[v][j].header;
			size_t l = strlen(hd);
			if (ui->cols[v][j].pf && l > 2 && strcmp(hd + l - 2, "NS") == 0)
				kept = true;
		}
		if (!kept)
			break;
		fixed -= cwid[i] + 1;
		cwid[i] = -1;
	}
	move(y, 0);
	attron(ui->attr[THEME_COLUMNS]);
	for (int x = 0; x < w; x++)
		addch(' ');
	attroff(ui->attr[THEME_COLUMNS]);
	int x = 0;
	for (int i = 0; i < ncols && x < w; i++) {
		struct ui_col *c = &ui->cols[v][i];
		int cw = cwid[i] ? cwid[i] : w - x;

		if (cwid[i] < 0) {	/* no room for it */
			c->x = -1;
			continue;
		}
		int a = i == ui->sort[v] ? ui->attr[THEME_COLUMN_SORTED] : ui->attr[THEME_COLUMNS];
		char buf[64];

		c->x = x;
		if (!cwid[i])
			snprintf(buf, sizeof(buf), "%s", c->header);
		else if (c->right)
			snprintf(buf, sizeof(buf), "%*s", cw, c->header);
		else
			snprintf(buf, sizeof(buf), "%-*.*s", cw, cw, c->header);
		move(y, x);
		put_clip(buf, w - x, a);
		x += cw + 1;
	}

	for (int i = 0; i < h - 1; i++) {
		int ri = *top + i;
		const struct ui_row *r;
		bool is_sel, tagged = false;
		int base;

		if (ri >= (int)ui->nrows)
			break;
		r = &ui->rows[ri];
		is_sel = ri == sel;
		if (r->kind == UI_ROW_PROC)
			tagged = ui_tagged(ui, ui->snap->procs[r->idx].pid);
		base = ui->attr[THEME_NORMAL];
		if (r->kind == UI_ROW_CG && ui->snap->cgroups[r->idx].st.frozen == 1)
			base = ui->attr[THEME_FROZEN];
		if (tagged)
			base = ui->attr[THEME_TAGGED];
		if (is_sel)
			base = ui->attr[THEME_SELECTED];
		move(y + 1 + i, 0);
		attron(base);
		for (int k = 0; k < w; k++)
			addch(' ');
		attroff(base);
		x = 0;
		for (int k = 0; k < ncols && x < w; k++) {
			const struct ui_col *c = &ui->cols[v][k];
			int cw = cwid[k] ? cwid[k] : w - x;

			if (cwid[k] < 0)
				continue;
			char text[1024], cell[1200];
			bool blank, known = cell_text(ui, r, c, text, sizeof(text), &blank);
			int a = base;

			if (cw > w - x)
				cw = w - x;
			if (!known && !is_sel)
				a = ui->attr[THEME_UNKNOWN];
			else if (!is_sel && ui->view_from &&
				 ((c->pf && strcmp(c->pf->name, "viewcgroup") == 0) ||
				  (r->kind == UI_ROW_CG && c->tree)))
				a = ui->attr[THEME_VIEW_FROM];
			move(y + 1 + i, x);
			if (c->tree && (ui->tree[v] || r->depth)) {
				char pre[300];
				int pc;
				tree_prefix(r, pre, sizeof(pre), &pc);
				int used = put_clip(pre, cw, is_sel ? base : ui->attr[THEME_TREE]);
				put_clip(text, cw - used, a);
			} else {
				snprintf(cell, sizeof(cell), c->right ? "%*s" : "%-*s",
					 cwid[k], text);
				put_clip(cell, cw, a);
			}
			x += (cwid[k] ? cwid[k] : cw) + 1;
		}
	}
	if (!ui->nrows) {
		const char *msg = ui->filter[0] ? "Nothing matches the filter (F4 or \\ to change it)."
						: "Nothing to show.";
		mvaddnstr(y + 2, 2, msg, w - 2);
	}
}
