/* The table drawn: column titles, each row's cells clipped to their width
 * (names by characters where the locale is UTF-8), the tree's branches,
 * and the Containers view's rows with their sparklines. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nstop/plot.h"
#include "nstop/size.h"
#include "ui-impl.h"
#include "ui-curses.h"

/* Columns of text the last column keeps at the least. */
#define UI_LAST_MIN 20

static bool utf8_locale(void)
{
	static int utf8 = -1;

	if (utf8 < 0)
		utf8 = plot_locale_utf8();
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

/* A bind-mounted namespace (ip netns add) is named where its row shows it:
 * after its command, or alone when no process is in it. */
static bool ui_ns_cell(const struct ui_col *c, const struct snapshot *s,
		       const struct scan_ns *ns, char *buf, size_t size)
{
	bool known = out_ns_text(c->nf, s, ns, buf, size);
	size_t n;

	if (!ns->nnames || strcmp(c->nf->name, "COMMAND") != 0)
		return known;
	n = known ? strlen(buf) : 0;
	if (!known)
		buf[0] = '\0';
	for (size_t i = 0; i < ns->nnames && n + 1 < size; i++) {
		snprintf(buf + n, size - n, "%s%s", n ? (i ? ", " : "  @ ") : "@ ", ns->names[i]);
		n += strlen(buf + n);
	}
	return true;
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
		return ui_ns_cell(c, s, &s->ns[r->idx], buf, size);
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
			/* cgroup2's "controllers" are whatever it holds (on a
			 * hybrid host often just hugetlb), not its name. */
			const struct cg_hier *h = &s->layout.h[cg->hier];
			snprintf(buf, size, "[%s] %s", h->v2 ? "cgroup2" : h->controllers, path);
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

/* The cpu history of a container's cgroup, as a sparkline: cpu% lives
 * where the cpu accounting is (cpuacct on v1). */
static void ctr_plot(struct ui_state *ui, const struct eng_ctr *c, char *buf, size_t size)
{
	const char *cgroup = eng_ctr_cgroup(c);
	const struct sample_series *ser = NULL;
	int hp = out_primary_hier(&ui->snap->layout);

	buf[0] = '\0';
	for (int k = 0; cgroup[0] && k < ui->snap->layout.n; k++) {
		const struct sample_series *t = sample_store_cgroup(ui->samples, k, cgroup);
		if (t && !isnan(sample_ring_last(&t->cpu_percent))) {
			ser = t;
			break;
		}
	}
	if (!ser && hp >= 0 && cgroup[0])
		ser = sample_store_cgroup(ui->samples, hp, cgroup);
	if (ser)
		plot_sparkline(&ser->cpu_percent, utf8_locale() ? PLOT_BLOCK : PLOT_ASCII,
			       NAN, 20, buf, size);
}

/* Row i's network, read once a snapshot (it enters the container's
 * namespace), and only once a column shows it. */
static const struct out_ctr_net *ctr_net(struct ui_state *ui, size_t i)
{
	struct ui_ctr_net *n = ui->ctr_net ? &ui->ctr_net[i] : NULL;

	if (!n)
		return NULL;
	if (!n->read) {
		out_ctr_net_read(ui->containers[i], &n->n);
		n->read = true;
	}
	return &n->n;
}

/* What stands before a field: nothing before the first, two spaces before
 * the last (the rest of the line), one before the others. */
static const char *ctr_gap(const struct out_ctr_field *f)
{
	return f == out_ctr_fields ? "" : f->width ? " " : "  ";
}

/* One cell: a field's text in its width, free text cut to it, numbers
 * never. */
static void ctr_cell(char *cell, size_t size, const struct out_ctr_field *f, int width,
		     const char *text)
{
	if (!f->width)
		snprintf(cell, size, "%s", text);
	else if (f->align == OUT_RIGHT)
		snprintf(cell, size, "%*s", width, text);
	else
		snprintf(cell, size, "%-*.*s", width, width, text);
}

/* The Containers view: one column per field of out_ctr_fields, as data;
 * the isolation cell in its own colour, so that it stays in sight at 120
 * columns, and the cpu plot, are the view's own. */
static void draw_containers(struct ui_state *ui, int y, int h, int w)
{
	const char *l1 = "No containers are running (of nstop, Docker, containerd, podman, LXC, nspawn, runc, crun).";
	const char *l2 = "Start one with:  r (the launch form), or  nstop run -d --name NAME -- CMD";
	int width[UI_MAXCOLS], x = 2;
	size_t nf = out_ctr_nfields < UI_MAXCOLS ? out_ctr_nfields : UI_MAXCOLS;
	char line[1024], text[512];
	size_t used;

	if (!ui->ncontainers) {
		mvaddnstr(y + 1, x, l1, w - x);
		attron(ui->attr[THEME_KEY]);
		mvaddnstr(y + 3, x, l2, w - x);
		attroff(ui->attr[THEME_KEY]);
		return;
	}
	/* A fitted column (the names) is as wide as its widest value, up to
	 * a third of the line, so the rest line up under their titles. */
	for (size_t k = 0; k < nf; k++) {
		const struct out_ctr_field *f = &out_ctr_fields[k];

		width[k] = f->width;
		if (!(f->flags & OUT_CTR_FIT))
			continue;
		for (size_t i = 0; i < ui->ncontainers; i++) {
			struct out_ctr_row row = { .c = ui->containers[i] };
			out_ctr_text(f, &row, text, sizeof(text));
			if ((int)strlen(text) > width[k])
				width[k] = (int)strlen(text);
		}
		if (width[k] > w / 3)
			width[k] = w / 3 > f->width ? w / 3 : f->width;
	}
	used = 0;
	for (size_t k = 0; k < nf && used < sizeof(line); k++) {
		const struct out_ctr_field *f = &out_ctr_fields[k];
		/* titles are not cut: the widths are made for them */
		used += (size_t)snprintf(line + used, sizeof(line) - used,
					 f->align == OUT_RIGHT ? "%s%*s" : "%s%-*s", ctr_gap(f),
					 f->width ? width[k] : 0, f->header);
	}
	attron(ui->attr[THEME_COLUMNS]);
	mvaddnstr(y, 0, line, w);
	for (int x2 = getcurx(stdscr); x2 < w; x2++)
		addch(' ');
	attroff(ui->attr[THEME_COLUMNS]);
	ui->title_y = y;
	for (int i = 0; i + 1 < h && ui->top[UI_VIEW_CONTAINERS] + i < (int)ui->nrows; i++) {
		const struct ui_row *r = &ui->rows[ui->top[UI_VIEW_CONTAINERS] + i];
		const struct eng_ctr *c = ui->containers[r->idx];
		struct out_ctr_row row = { .c = c };
		bool sel = ui->top[UI_VIEW_CONTAINERS] + i == ui->sel[UI_VIEW_CONTAINERS];
		int attr = sel ? ui->attr[THEME_SELECTED] :
			   eng_ctr_frozen(c) ? ui->attr[THEME_FROZEN] : ui->attr[THEME_NORMAL];
		int cx = 0;

		move(y + 1 + i, 0);
		attron(attr);
		for (int x2 = 0; x2 < w; x2++)
			addch(' ');
		attroff(attr);
		move(y + 1 + i, 0);
		for (size_t k = 0; k < nf && cx < w; k++) {
			const struct out_ctr_field *f = &out_ctr_fields[k];
			int cattr = attr;

			if (f->flags & OUT_CTR_NET)
				row.net = ctr_net(ui, (size_t)r->idx);
			if (f->flags & OUT_CTR_ISO) {
				char ref[128];
				ui_iso_container_cell(ui, eng_ctr_ref(c, ref, sizeof(ref)), text,
						      sizeof(text), &cattr, attr);
				cattr = sel ? attr : cattr;
			} else if (f->flags & OUT_CTR_PLOT) {
				ctr_plot(ui, c, text, sizeof(text));
			} else {
				out_ctr_text(f, &row, text, sizeof(text));
			}
			ctr_cell(line, sizeof(line), f, width[k], text);
			cx += put_clip(ctr_gap(f), w - cx, attr);
			cx += put_clip(line, w - cx, cattr);
		}
	}
}

/* The bytes of the first cols characters of s (whole UTF-8 sequences). */
static size_t scroll_skip(const char *s, int cols)
{
	size_t i = 0;

	while (s[i] && cols > 0) {
		i++;
		while ((s[i] & 0xc0) == 0x80)
			i++;
		cols--;
	}
	return i;
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
			else if (!is_sel)
				a = ui_iso_cell_attr(ui, r, c, a);
			move(y + 1 + i, x);
			/* Left/Right scroll the last column (the command line,
			 * the path), the one cut at the screen's edge. */
			if (!cwid[k] && ui->hscroll > 0)
				memmove(text, text + scroll_skip(text, ui->hscroll),
					strlen(text + scroll_skip(text, ui->hscroll)) + 1);
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
