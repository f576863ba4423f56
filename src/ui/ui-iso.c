/*
 * The TUI's isolation: the ISOLATION cells (coloured by the worst
 * exposure), the detail pane's section, and filtering by an exposure id.
 * Facts are read only for what is drawn or filtered, each at most every
 * third refresh (iso_ctx_begin's max_age), so the refresh stays as cheap.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "nstop/iso.h"
#include "ui-impl.h"
#include "ui-curses.h"

void ui_iso_attach(struct ui_state *ui)
{
	struct nst_err err;

	if (!ui->snap)
		return;
	if (!ui->iso && !ui->iso_failed && iso_ctx_new(&ui->rt.root, &ui->iso, &err) < 0)
		ui->iso_failed = true;
	ui->snap->iso = ui->iso;
	if (ui->iso)
		iso_ctx_begin(ui->iso, 2);
}

void ui_iso_free(struct ui_state *ui)
{
	iso_ctx_free(ui->iso);
	ui->iso = NULL;
}

static int sev_attr(const struct ui_state *ui, int sev, int base)
{
	switch (sev) {
	case ISO_HIGH: return ui->attr[THEME_ERROR];
	case ISO_MEDIUM: return ui->attr[THEME_KEY];
	default: return base;
	}
}

int ui_iso_cell_attr(const struct ui_state *ui, const struct ui_row *r,
		     const struct ui_col *c, int base)
{
	const struct iso_facts *f;
	char buf[64];
	int sev;

	if (r->kind != UI_ROW_PROC || !c->pf || strcmp(c->pf->name, "isolation") != 0 || !ui->iso)
		return base;
	f = iso_proc(ui->iso, ui->snap, &ui->snap->procs[r->idx]);
	iso_summary(f ? f->x : 0, f != NULL, buf, sizeof(buf), &sev);
	return sev_attr(ui, sev, base);
}

/* The union's exposures of the container named name; false when unknown. */
static bool container_x(const struct ui_state *ui, const char *name, uint32_t *x)
{
	return ui->iso && iso_container_summary(ui->iso, ui->snap, name, x);
}

void ui_iso_container_cell(const struct ui_state *ui, const char *name, char *buf,
			   size_t size, int *attr, int base)
{
	uint32_t x;
	bool known = container_x(ui, name, &x);
	int sev;

	iso_summary(x, known, buf, size, &sev);
	*attr = sev_attr(ui, sev, base);
}

bool ui_iso_filter(const struct ui_state *ui, const struct ui_row *r, const char *text,
		   bool *match)
{
	int e = iso_exposure_find(text);
	uint32_t x = 0;

	if (e < 0 || !ui->iso)
		return false;
	if (r->kind == UI_ROW_PROC) {
		const struct iso_facts *f = iso_proc(ui->iso, ui->snap, &ui->snap->procs[r->idx]);
		x = f ? f->x : 0;
	} else if (r->kind == UI_ROW_CONTAINER) {
		char ref[160];
		container_x(ui, eng_ctr_ref(ui->containers[r->idx], ref, sizeof(ref)), &x);
	} else {
		return false;
	}
	*match = x & (1u << e);
	return true;
}

struct detail_out {
	const struct ui_state *ui;
	int *y, x, w, ymax;
};

static void detail_line(const char *line, int sev, void *arg)
{
	struct detail_out *o = arg;
	int a = sev < 0 ? o->ui->attr[THEME_NORMAL] : sev_attr(o->ui, sev, o->ui->attr[THEME_NORMAL]);
	char id[32];

	if (*o->y >= o->ymax)
		return;
	/* An exposure: its id only, the sentence is nstop inspect's. */
	if (sev >= 0 && sscanf(line, "%31s", id) == 1)
		line = id;
	attron(a);
	mvaddnstr(*o->y, o->x + (sev >= 0 ? 2 : 0), line, o->w - (sev >= 0 ? 2 : 0));
	attroff(a);
	(*o->y)++;
}

void ui_iso_detail(struct ui_state *ui, const struct scan_proc *p, const char *container,
		   int *y, int x, int w, int ymax)
{
	struct detail_out o = { ui, y, x, w, ymax };
	const struct iso_facts *f;

	if (!ui->iso || *y >= ymax)
		return;
	if (container) {
		const struct iso_facts **m;
		struct iso_union u;
		pid_t *pids;
		size_t n = iso_container_pids(ui->snap, container, &pids);
		size_t k = n ? iso_members(ui->iso, ui->snap, pids, n, &m) : 0;

		free(pids);
		if (!k) {
			if (n)
				free(m);
			return;
		}
		iso_union_of(m, k, &u);
		attron(ui->attr[THEME_COLUMNS]);
		mvaddnstr((*y)++, x, "Isolation (all its processes)", w);
		attroff(ui->attr[THEME_COLUMNS]);
		for (int e = 0; e < ISO_NX && *y < ymax; e++) {
			char line[256];
			if (!(u.x & (1u << e)))
				continue;
			snprintf(line, sizeof(line), "%s", iso_exposures[e].id);
			if (!(u.all & (1u << e))) {
				size_t len = strlen(line);
				len += (size_t)snprintf(line + len, sizeof(line) - len, "  only");
				for (size_t i = 0; i < u.n && len + 1 < sizeof(line); i++)
					if (u.members[i]->x & (1u << e))
						len += (size_t)snprintf(line + len, sizeof(line) - len, " %d",
									(int)u.members[i]->pid);
			}
			attron(sev_attr(ui, (int)iso_exposures[e].severity, ui->attr[THEME_NORMAL]));
			mvaddnstr((*y)++, x + 2, line, w - 2);
			attroff(sev_attr(ui, (int)iso_exposures[e].severity, ui->attr[THEME_NORMAL]));
		}
		free(m);
		return;
	}
	if (!p || !(f = iso_proc(ui->iso, ui->snap, p)))
		return;
	attron(ui->attr[THEME_COLUMNS]);
	mvaddnstr((*y)++, x, "Isolation", w);
	attroff(ui->attr[THEME_COLUMNS]);
	iso_lines(f, detail_line, &o);
}
