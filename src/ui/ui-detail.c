/* The detail pane under the table: what the selected process, cgroup or
 * container is, with plots of its cpu and memory over time. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nstop/net.h"
#include "nstop/runtime.h"
#include "nstop/plot.h"
#include "nstop/runtime.h"
#include "nstop/size.h"
#include "ui-impl.h"
#include "ui-curses.h"

/* A container's cgroup in the hierarchy whose memory the plots show (its
 * path is the same in every hierarchy); NULL once it is gone. */
static const struct scan_cgroup *container_cgroup(const struct snapshot *s,
						  const struct eng_ctr *ct)
{
	int h = out_primary_hier(&s->layout);

	for (size_t i = 0; h >= 0 && i < s->ncgroups; i++)
		if (s->cgroups[i].hier == h && strcmp(s->cgroups[i].path, eng_ctr_cgroup(ct)) == 0)
			return &s->cgroups[i];
	return NULL;
}

static void info(struct ui_state *ui, int *y, int x, int w, int elem, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void info(struct ui_state *ui, int *y, int x, int w, int elem, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	attron(ui->attr[elem]);
	mvaddnstr(*y, x, buf, w);
	attroff(ui->attr[elem]);
	(*y)++;
}

/* ---- one cgroup across its hierarchies --------------------------------------- */

/* A process's cgroups, or one cgroup path, in every hierarchy at once: on v1
 * each controller's figures live in its own hierarchy, so the memory of a
 * [cpu] row is found under [memory] at the same path. */
struct detail_cgs {
	const char *path[CG_MAX_HIER];			/* NULL: not in it */
	const struct scan_cgroup *cg[CG_MAX_HIER];	/* NULL: not in the tree */
};

static const struct scan_cgroup *find_cgroup(const struct snapshot *s, int h, const char *path)
{
	for (size_t i = 0; path && i < s->ncgroups; i++)
		if (s->cgroups[i].hier == h && strcmp(s->cgroups[i].path, path) == 0)
			return &s->cgroups[i];
	return NULL;
}

static void cgs_of_proc(const struct snapshot *s, const struct scan_proc *p, struct detail_cgs *d)
{
	memset(d, 0, sizeof(*d));
	for (int h = 0; h < s->layout.n; h++) {
		d->path[h] = p->cg[h].path;
		d->cg[h] = find_cgroup(s, h, d->path[h]);
	}
}

/* The cgroup's path in every hierarchy that has it. */
static void cgs_of_path(const struct snapshot *s, const char *path, struct detail_cgs *d)
{
	memset(d, 0, sizeof(*d));
	for (int h = 0; h < s->layout.n; h++)
		if ((d->cg[h] = find_cgroup(s, h, path)))
			d->path[h] = d->cg[h]->path;
}

static const char *hier_label(const struct cg_hier *h)
{
	return h->v2 ? "cgroup2" : h->controllers;
}

/* Each distinct path once, after the hierarchies that hold it, on one line
 * where it fits ("[memory] /web", "[every hierarchy] /nstop/demo"), so a
 * container's ten v1 rows read as one and the pane keeps room below. */
static void draw_hiers(struct ui_state *ui, const struct detail_cgs *d, int *y, int x, int w,
		       int bottom)
{
	const struct cg_layout *l = &ui->snap->layout;
	bool done[CG_MAX_HIER] = { false };

	for (int h = 0; h < l->n && *y < bottom - 1; h++) {
		char lab[512];
		size_t n = 0;
		int in = 0, v1 = 0, v1_all = 0;
		if (done[h] || !d->path[h])
			continue;
		for (int k = 0; k < l->n; k++)
			v1_all += !l->h[k].v2;
		for (int k = h; k < l->n; k++)
			if (!done[k] && d->path[k] && strcmp(d->path[k], d->path[h]) == 0) {
				done[k] = true;
				in++;
				v1 += !l->h[k].v2;
				n += (size_t)snprintf(lab + n, n < sizeof(lab) ? sizeof(lab) - n : 0,
						      "%s%s", n ? " " : "[", hier_label(&l->h[k]));
			}
		if (n < sizeof(lab) - 1)
			snprintf(lab + n, sizeof(lab) - n, "]");
		if (in == l->n && in > 1)
			snprintf(lab, sizeof(lab), "[every hierarchy]");
		else if (v1 == in && v1 == v1_all && v1 > 1)
			snprintf(lab, sizeof(lab), "[every v1 hierarchy]");
		if ((int)(strlen(lab) + 1 + strlen(d->path[h])) <= w) {
			info(ui, y, x, w, THEME_NORMAL, "%s %s", lab, d->path[h]);
		} else {
			info(ui, y, x, w, THEME_NORMAL, "%s", lab);
			info(ui, y, x, w, THEME_NORMAL, "  %s", d->path[h]);
		}
	}
}

/* The first of the hierarchies that gives a figure (v1: the one whose
 * controller it is; v2: the one cgroup2). */
#define FIRST_KNOWN(d, n, field, out)						\
	do {									\
		(out) = NULL;							\
		for (int h_ = 0; h_ < (n) && !(out); h_++)			\
			if ((d)->cg[h_] && (d)->cg[h_]->field != CG_UNKNOWN)	\
				(out) = (d)->cg[h_];				\
	} while (0)

/* What the kernel allows the cgroup, from whichever hierarchy gives it:
 * memory with the effective limit (the smallest over the ancestors, which
 * the snapshot computed), cpus, pids, frozen. */
static void draw_limits(struct ui_state *ui, const struct detail_cgs *d, int *y, int x, int w,
			int bottom)
{
	int n = ui->snap->layout.n;
	const struct scan_cgroup *m, *q, *pl, *fz;
	char a[16], b[16], e[16];

	FIRST_KNOWN(d, n, st.memory_bytes, m);
	FIRST_KNOWN(d, n, st.cpu_quota_usec, q);
	FIRST_KNOWN(d, n, st.pids_current, pl);
	/* Frozen when any freezer says so: on a hybrid host docker pause
	 * freezes in v1 while cgroup2's cgroup.freeze still says 0. */
	fz = NULL;
	for (int h = 0; h < n; h++)
		if (d->cg[h] && d->cg[h]->st.frozen >= 0 && (!fz || d->cg[h]->st.frozen > fz->st.frozen))
			fz = d->cg[h];
	if (m && *y < bottom) {
		nst_format_bytes(m->st.memory_bytes, a, sizeof(a));
		if (m->st.memory_limit_bytes == CG_UNLIMITED)
			snprintf(b, sizeof(b), "max");
		else
			nst_format_bytes(m->st.memory_limit_bytes, b, sizeof(b));
		nst_format_bytes(m->memory_limit_effective, e, sizeof(e));
		info(ui, y, x, w, THEME_NORMAL, "memory %s  limit %s", a, b);
		if (m->memory_limit_effective >= 0 &&
		    m->memory_limit_effective != m->st.memory_limit_bytes && *y < bottom)
			info(ui, y, x, w, THEME_NORMAL, "effective limit %s (an ancestor's)", e);
	}
	/* The rest on one line, each part only where a hierarchy gives it. */
	{
		char line[160];
		size_t k = 0;

		line[0] = '\0';
		if (q) {
			if (q->st.cpu_quota_usec == CG_UNLIMITED)
				snprintf(a, sizeof(a), "max");
			else
				nst_format_cpus(q->st.cpu_quota_usec, q->st.cpu_period_usec, a, sizeof(a));
			k += (size_t)snprintf(line + k, sizeof(line) - k, "cpus %s  ", a);
			if (q->st.cpu_weight >= 0 && k < sizeof(line))
				k += (size_t)snprintf(line + k, sizeof(line) - k, "%s %lld  ",
					ui->snap->layout.h[q->hier].v2 ? "weight" : "shares",
					q->st.cpu_weight);
		}
		if (pl && k < sizeof(line)) {
			if (pl->st.pids_limit == CG_UNLIMITED)
				snprintf(b, sizeof(b), "max");
			else
				snprintf(b, sizeof(b), "%lld", pl->st.pids_limit);
			k += (size_t)snprintf(line + k, sizeof(line) - k, "pids %lld/%s  ",
					      pl->st.pids_current, b);
		}
		if (fz && k < sizeof(line))
			k += (size_t)snprintf(line + k, sizeof(line) - k, "frozen %s  ",
					      fz->st.frozen ? "yes" : "no");
		if (m && m->st.oom_kills > 0 && k < sizeof(line))
			k += (size_t)snprintf(line + k, sizeof(line) - k, "OOM kills %lld",
					      m->st.oom_kills);
		if (line[0] && *y < bottom)
			info(ui, y, x, w, fz && fz->st.frozen ? THEME_FROZEN : THEME_NORMAL, "%s", line);
	}
}

static void draw_plot(struct ui_state *ui, const struct sample_ring *r,
		      const struct sample_ring *limit, int elem, const char *label,
		      bool bytes, int y, int x, int h, int w)
{
	struct plot_opts o = { .style = plot_style_for_locale(), .min = 0, .max = NAN,
			       .limit = limit, .bytes = bytes };
	struct plot_scale sc = { 0, 0 };
	struct plot_cell *cells;
	char top[32], now[32], lim[48] = "";
	double last = r ? sample_ring_last(r) : NAN;
	double cap = limit ? sample_ring_last(limit) : NAN;

	if (h < 2 || w < 12)
		return;
	if (bytes) {
		nst_format_bytes(isnan(last) ? -1 : (long long)last, now, sizeof(now));
	} else if (isnan(last)) {
		snprintf(now, sizeof(now), "-");
	} else {
		snprintf(now, sizeof(now), "%.1f", last);
	}
	cells = r ? calloc((size_t)(h - 1) * (size_t)w, sizeof(*cells)) : NULL;
	if (cells && plot_render(r, &o, h - 1, w, cells, &sc) == 0) {
		for (int i = 0; i < h - 1; i++) {
			move(y + 1 + i, x);
			for (int j = 0; j < w; j++) {
				const struct plot_cell *c = &cells[i * w + j];
				int a = c->kind == PLOT_LIMIT ? ui->attr[THEME_PLOT_LIMIT] :
					c->kind == PLOT_UNKNOWN ? ui->attr[THEME_UNKNOWN] :
					ui->attr[elem];
				attron(a);
				addstr(c->ch[0] ? c->ch : " ");
				attroff(a);
			}
		}
	} else {
		mvaddnstr(y + 1, x, "no samples yet", w);
	}
	free(cells);
	if (bytes)
		nst_format_bytes((long long)sc.max, top, sizeof(top));
	else
		snprintf(top, sizeof(top), "%.0f", sc.max);
	{
		char lab[160];
		/* The limit is the line drawn across the plot. */
		if (!isnan(cap) && cap >= 0) {
			char l[16];
			nst_format_bytes((long long)cap, l, sizeof(l));
			snprintf(lim, sizeof(lim), ", limit %s (the line)", l);
		}
		snprintf(lab, sizeof(lab), "%s now %s%s, top of the scale %s", label, now, lim, top);
		attron(ui->attr[THEME_PLOT_AXIS]);
		mvaddnstr(y, x, lab, w);	/* never wrapped into the next line */
		attroff(ui->attr[THEME_PLOT_AXIS]);
	}
}

static void proc_info(struct ui_state *ui, const struct scan_proc *p, int *y, int x, int w,
		      int bottom)
{
	struct detail_cgs d;
	const struct snapshot *s = ui->snap;
	int h = out_primary_hier(&s->layout);
	char rss[16];

	nst_format_bytes(p->rss_bytes, rss, sizeof(rss));
	info(ui, y, x, w, THEME_NORMAL, "PID %d  PPID %d  user %s  state %c", (int)p->pid,
	     (int)p->ppid, p->user[0] ? p->user : "-", p->state);
	if (p->cpu_percent < 0)
		info(ui, y, x, w, THEME_NORMAL, "cpu - (unknown)  memory %s", rss);
	else
		info(ui, y, x, w, THEME_NORMAL, "cpu %.1f%%  memory %s", p->cpu_percent, rss);
	for (int t = 0; t + 1 < NS_NTYPES; t += 2) {
		char a[24], b[24];
		snprintf(a, sizeof(a), p->ns[t] ? "%lu" : "-", (unsigned long)p->ns[t]);
		snprintf(b, sizeof(b), p->ns[t + 1] ? "%lu" : "-", (unsigned long)p->ns[t + 1]);
		info(ui, y, x, w, THEME_NORMAL, "%-6s %-11s %-6s %s", ns_type_name(t), a,
		     ns_type_name(t + 1), b);
	}
	if (h >= 0) {
		const struct scan_cgref *cg = &p->cg[h];
		info(ui, y, x, w, THEME_NORMAL, "own ns  %s", cg->ns_path ? cg->ns_path : "-");
		if (ui->view_from)
			info(ui, y, x, w, THEME_VIEW_FROM, "view    %s",
			     cg->view_path ? cg->view_path : "-");
	}
	cgs_of_proc(s, p, &d);
	draw_hiers(ui, &d, y, x, w, bottom);
	draw_limits(ui, &d, y, x, w, bottom);
}

/*
 * The cpu history of a cgroup path: on v1 the cpu accounting is in its own
 * hierarchy (cpuacct), not in the one whose memory is plotted, so the same
 * path is looked for there. NULL when no hierarchy has it.
 */
static const struct sample_series *cpu_series(struct ui_state *ui, const struct scan_cgroup *c,
					      const struct sample_series *own)
{
	if (own && !isnan(sample_ring_last(&own->cpu_percent)))
		return own;
	for (int k = 0; k < ui->snap->layout.n; k++) {
		const struct sample_series *t = sample_store_cgroup(ui->samples, k, c->path);
		if (t && !isnan(sample_ring_last(&t->cpu_percent)))
			return t;
	}
	return own;
}

static void cg_info(struct ui_state *ui, const struct scan_cgroup *c, double cpu, int *y, int x,
		    int w, int bottom)
{
	const struct snapshot *s = ui->snap;
	struct detail_cgs d;

	if (ui->view_from)
		info(ui, y, x, w, THEME_VIEW_FROM, "view: %s", c->view_path ? c->view_path : "-");
	if (isnan(cpu) || cpu < 0)
		info(ui, y, x, w, THEME_NORMAL, "processes %zu  cpu -", c->nprocs);
	else
		info(ui, y, x, w, THEME_NORMAL, "processes %zu  cpu %.1f%%", c->nprocs, cpu);
	cgs_of_path(s, c->path, &d);
	draw_hiers(ui, &d, y, x, w, bottom);
	draw_limits(ui, &d, y, x, w, bottom);
	/* Pressure is cgroup2's alone, whichever row was selected. */
	for (int h = 0; h < s->layout.n; h++) {
		const struct cg_psi *psi = d.cg[h] ? &d.cg[h]->st.psi : NULL;
		if (!psi || !psi->available || *y >= bottom - 1)
			continue;
		info(ui, y, x, w, THEME_NORMAL, "PSI some avg10: cpu %.2f mem %.2f io %.2f",
		     psi->cpu_some_avg10, psi->memory_some_avg10, psi->io_some_avg10);
		info(ui, y, x, w, THEME_NORMAL, "PSI full avg10: mem %.2f io %.2f",
		     psi->memory_full_avg10, psi->io_full_avg10);
		break;
	}
}

/* An nstop container's mounts, each with where it comes from: a host
 * path, a named volume or its anonymous one (what list -J says). */
static void own_mounts_info(struct ui_state *ui, const struct eng_ctr *ct, int *y, int x,
			    int w, int bottom)
{
	const struct rt_state *st = ct ? ct->own : NULL;
	json_t *m, *e;
	size_t i;

	if (!st || !st->mounts[0])
		return;
	m = rt_state_mounts_json(st);
	json_array_foreach(m, i, e) {
		const char *type = json_string_value(json_object_get(e, "type"));
		const char *name = json_string_value(json_object_get(e, "name"));
		const char *src = json_string_value(json_object_get(e, "source"));
		const char *dst = json_string_value(json_object_get(e, "destination"));
		const char *ro = json_is_true(json_object_get(e, "ro")) ? " (ro)" : "";

		if (*y >= bottom || !type || !dst)
			break;
		if (strcmp(type, "bind") == 0)
			info(ui, y, x, w, THEME_NORMAL, "mount %s%s: host %s", dst, ro, src ? src : "?");
		else if (strcmp(type, "volume") == 0)
			info(ui, y, x, w, THEME_NORMAL, "mount %s%s: volume %s", dst, ro,
			     name ? name : "?");
		else
			info(ui, y, x, w, THEME_NORMAL, "mount %s%s: anonymous volume %.12s", dst, ro,
			     name ? name : "?");
	}
	json_decref(m);
}

void ui_draw_detail(struct ui_state *ui, int y, int h, int w)
{
	const struct ui_row *r = ui->nrows ? &ui->rows[ui->sel[ui->view]] : NULL;
	const struct scan_proc *p = ui_row_proc(ui, r);
	const struct scan_cgroup *c = ui_row_cgroup(ui, r);
	const struct sample_series *ser = NULL, *cser = NULL;
	int left = w / 2 < 48 ? w / 2 : 48, iy = y + 1, ph;
	char title[300];

	/* A net namespace is its interfaces, which no process's pane shows;
	 * the other kinds show their lowest process. */
	if (r && r->kind == UI_ROW_NS && ui->snap->ns[r->idx].type == NS_NET) {
		ui_nsnet_detail(ui, &ui->snap->ns[r->idx], y, h, w);
		return;
	}
	if (r && r->kind == UI_ROW_NS)
		p = snapshot_find_proc(ui->snap, ui->snap->ns[r->idx].first);
	if (r && r->kind == UI_ROW_CONTAINER)
		c = container_cgroup(ui->snap, ui->containers[r->idx]);
	if (p) {
		snprintf(title, sizeof(title), " Detail: process %d (%s)  d: close", (int)p->pid,
			 p->comm);
		ser = sample_store_proc(ui->samples, p->pid);
	} else if (c) {
		snprintf(title, sizeof(title), " Detail: cgroup %s  d: close", c->path);
		ser = sample_store_cgroup(ui->samples, c->hier, c->path);
		cser = cpu_series(ui, c, ser);
	} else {
		snprintf(title, sizeof(title), " Detail: select a process or a cgroup  d: close");
	}
	ui_detail_title(ui, y, w, title);
	if (!cser)
		cser = ser;
	if (p)
		proc_info(ui, p, &iy, 1, left - 2, y + h);
	else if (c)
		cg_info(ui, c, cser ? sample_ring_last(&cser->cpu_percent) : NAN, &iy, 1, left - 2,
			y + h);
	if (r && r->kind == UI_ROW_CONTAINER)
		own_mounts_info(ui, ui->containers[r->idx], &iy, 1, left - 2, y + h);
	/* nstop's own: its network, read inside its namespace (net-state.c) */
	if (r && r->kind == UI_ROW_CONTAINER && ui->containers[r->idx]->own && iy < y + h) {
		const struct rt_state *st = ui->containers[r->idx]->own;
		char addrs[256] = "", veth[16] = "";

		if (st->status == RT_RUNNING || st->status == RT_FROZEN)
			net_state_text(st, addrs, sizeof(addrs), veth, sizeof(veth));
		mvprintw(iy++, 1, "network %.*s: %.*s%s%.*s", 12, rt_net_name(st->net), left - 30,
			 addrs[0] ? addrs : "no address", veth[0] ? ", veth " : "", 15, veth);
	}
	char ref[160];
	ui_iso_detail(ui, p, r && r->kind == UI_ROW_CONTAINER ?
			     eng_ctr_ref(ui->containers[r->idx], ref, sizeof(ref)) : NULL,
		      &iy, 1, left - 2, y + h);
	ph = (h - 1) / 2;
	draw_plot(ui, cser ? &cser->cpu_percent : NULL, NULL, THEME_PLOT_CPU, "CPU%", false,
		  y + 1, left, ph, w - left - 1);
	draw_plot(ui, ser ? &ser->memory_bytes : NULL,
		  ser ? &ser->memory_limit_effective : NULL, THEME_PLOT_MEMORY,
		  c ? "memory" : "RSS", true,
		  y + 1 + ph, left, h - 1 - ph, w - left - 1);
}
