/* The table of the interactive view: columns from the field tables, rows per
 * view (processes, namespaces, cgroups, containers), sorting and filtering;
 * ui-table-draw.c draws it. No curses here. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui-impl.h"

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

void ui_tag_add(struct ui_state *ui, pid_t pid)
{
	if (ui_tagged(ui, pid))
		return;
	if (ui->ntags == ui->tagcap) {
		size_t cap = ui->tagcap ? ui->tagcap * 2 : 16;
		pid_t *t = realloc(ui->tags, cap * sizeof(*t));
		if (!t)
			return;
		ui->tags = t;
		ui->tagcap = cap;
	}
	ui->tags[ui->ntags++] = pid;
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

/* The Processes view's columns from spec; on a bad one, the defaults and
 * err says why. */
static void proc_columns(struct ui_state *ui, const char *spec, struct nst_err *err)
{
	const struct out_proc_field *pf[UI_MAXCOLS];
	struct nst_err dflt;
	int n;

	n = out_proc_fields_parse(spec && *spec ? spec : UI_DEFAULT_COLUMNS, pf,
				  UI_MAXCOLS, err);
	if (n <= 0) {
		nst_err_prefix(err, "config columns");
		nst_err_clear(&dflt);
		n = out_proc_fields_parse(UI_DEFAULT_COLUMNS, pf, UI_MAXCOLS, &dflt);
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

int ui_columns_init(struct ui_state *ui, struct nst_err *err)
{
	int n = 0;

	proc_columns(ui, ui->cfg.columns, err);
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
	return err->code ? -err->code : 0;
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
		snprintf(buf, size, "o:%s", eng_ctr_name(ui->containers[r->idx]));
		break;
	}
}

int ui_row_find(const struct ui_state *ui, const char *key)
{
	char k[CG_PATH_MAX + 32];

	for (size_t i = 0; key[0] && i < ui->nrows; i++) {
		ui_row_key(ui, &ui->rows[i], k, sizeof(k));
		if (strcmp(k, key) == 0)
			return (int)i;
	}
	return -1;
}

static bool contains(const char *hay, const char *needle)
{
	return hay && strcasestr(hay, needle);
}

bool ui_row_matches(const struct ui_state *ui, const struct ui_row *r, const char *text)
{
	const struct snapshot *s = ui->snap;
	char num[32];
	bool iso_match;

	if (!text[0])
		return true;
	if (ui_iso_filter(ui, r, text, &iso_match))
		return iso_match;
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
		for (size_t k = 0; k < n->nnames; k++)
			if (contains(n->names[k], text))
				return true;
		return strstr(num, text) || contains(ns_type_name(n->type), text) ||
		       (p && (contains(p->comm, text) || contains(p->cmdline, text)));
	}
	case UI_ROW_CG: {
		const struct scan_cgroup *c = &s->cgroups[r->idx];
		return contains(c->path, text) || contains(c->view_path, text) ||
		       contains(s->layout.h[c->hier].controllers, text);
	}
	case UI_ROW_CONTAINER:
		return contains(eng_ctr_name(ui->containers[r->idx]), text);
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

/* htop's filter: "a|b" keeps rows that match either; and the row filters
 * of the keys u (one user) and K (no kernel threads). */
static bool row_shown(const struct ui_state *ui, const struct ui_row *r)
{
	char alt[sizeof(ui->filter)], *save = NULL, *tok;
	bool any = false;

	if (r->kind == UI_ROW_PROC) {
		const struct scan_proc *p = &ui->snap->procs[r->idx];
		if (ui->hide_kthreads && ui_proc_is_kthread(p))
			return false;
		if (ui->user_only && p->uid != ui->user_uid)
			return false;
	}
	if (!strchr(ui->filter, '|'))
		return ui_row_matches(ui, r, ui->filter);
	snprintf(alt, sizeof(alt), "%s", ui->filter);
	for (tok = strtok_r(alt, "|", &save); tok && !any; tok = strtok_r(NULL, "|", &save))
		any = tok[0] && ui_row_matches(ui, r, tok);
	return any;
}

bool ui_proc_is_kthread(const struct scan_proc *p)
{
	/* kthreadd (2) and its children, as htop's Process_isKernelThread. */
	return p->pid == 2 || p->ppid == 2;
}

/* T: by the cpu time used, most first (htop's TIME+); no column shows it. */
static int cmp_time(const void *a, const void *b, void *arg)
{
	const struct ui_state *ui = arg;
	const struct scan_proc *pa = &ui->snap->procs[*(const int *)a];
	const struct scan_proc *pb = &ui->snap->procs[*(const int *)b];
	int r = (pa->tics < pb->tics) - (pa->tics > pb->tics);

	return ui->invert[UI_VIEW_PROCS] ? -r : r;
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
			if (row_shown(ui, &r))
				rows_push(ui, &r);
		}
		goto select;
	}
	order = malloc((nitems + 1) * sizeof(int));
	if (!order)
		goto select;
	for (size_t i = 0; i < nitems; i++) {
		struct ui_row r = { .kind = view_kind(v), .idx = (int)i };
		if (row_shown(ui, &r))
			order[n++] = (int)i;
	}
	if (v == UI_VIEW_PROCS && sc < 0 && ui->sort_time)
		qsort_r(order, n, sizeof(int), cmp_time, ui);
	else if (sc >= 0 && sc < ui->ncols[v] && n > 1) {
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
	if (ui->follow[v]) {
		int i = ui_row_find(ui, ui->sel_key[v]);

		if (i >= 0) {
			ui->sel[v] = i;
			return;
		}
	}
	if (ui->sel[v] >= (int)ui->nrows)
		ui->sel[v] = ui->nrows ? (int)ui->nrows - 1 : 0;
	if (ui->sel[v] < 0)
		ui->sel[v] = 0;
}
