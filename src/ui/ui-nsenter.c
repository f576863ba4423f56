/*
 * E: a shell in any process's namespaces (rt_nsenter), chosen in a dialog
 * that says what the shell will see of the target and what it will not
 * share with it - the point of entering a container nstop did not make is
 * to debug its isolation, so the difference must be plain.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "nstop/runtime.h"
#include "ui-impl.h"
#include "ui-keymap.h"
#include "ui-curses.h"

#define NSD_LINES 24	/* of explanation, at most */
#define NSD_PIDNS 2	/* RT_NS_PID's bit position */
#define NSD_PROC_MAGIC 0x9fa0	/* procfs's f_type */

enum { NSD_PROC_OWN, NSD_PROC_HOST, NSD_PROC_NONE };

struct nsd {
	pid_t pid;
	char comm[64];
	char container[64];	/* "" none */
	struct rt_ns_id self[RT_NS_NTYPES], target[RT_NS_NTYPES];
	unsigned differ;	/* where the target's namespace is not ours */
	unsigned chosen;
	int sel;
	char hostname[65];	/* the target's */
	size_t pidns_procs;	/* in the target's pid namespace, 0 unknown */
	int root_proc;		/* its root's /proc: NSD_PROC_* */
	char lines[NSD_LINES][160];
	int nlines;
	int not_at;		/* the first line of what it will not share */
};

/* Whether ps in pid's root would list its pid namespace: a procfs there of
 * another instance than nstop's /proc (one per pid namespace). */
static int nsd_root_proc(pid_t pid)
{
	struct stat in, ours;
	struct statfs fs;
	char path[48];

	snprintf(path, sizeof(path), "/proc/%d/root/proc", (int)pid);
	if (statfs(path, &fs) < 0 || fs.f_type != NSD_PROC_MAGIC || stat(path, &in) < 0)
		return NSD_PROC_NONE;
	if (stat("/proc", &ours) == 0 && in.st_dev == ours.st_dev)
		return NSD_PROC_HOST;
	return NSD_PROC_OWN;
}

static void nsd_close(struct ui_state *ui)
{
	free(ui->modal_data);
}

/* "mnt,uts" of types; "none" when empty. */
static void nsd_names(unsigned types, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < RT_NS_NTYPES; i++)
		if (types & (1U << i))
			len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s",
						len ? "," : "", rt_ns_name(i));
	if (!len)
		snprintf(buf, size, "none");
}

/* One explanation paragraph, wrapped to width with a hanging indent. */
static void nsd_say(struct nsd *d, int width, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void nsd_say(struct nsd *d, int width, const char *fmt, ...)
{
	char text[512];
	const char *p = text;
	int indent = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (text[0] == '-' && text[1] == ' ')
		indent = 2;
	if (width > (int)sizeof(d->lines[0]) - 1)
		width = (int)sizeof(d->lines[0]) - 1;
	if (width < 20)
		width = 20;
	while (*p && d->nlines < NSD_LINES) {
		int first = p == text, room = width - (first ? 0 : indent);
		int len = (int)strlen(p), cut = len;

		if (len > room) {
			cut = room;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = room;
		}
		snprintf(d->lines[d->nlines++], sizeof(d->lines[0]), "%*s%.*s",
			 first ? 0 : indent, "", cut, p);
		p += cut;
		while (*p == ' ')
			p++;
	}
}

/* What the shell will and will not share with the target, for the choice. */
static void nsd_explain(struct nsd *d, int width)
{
	unsigned e = d->chosen & d->differ, off = d->differ & ~d->chosen;
	int pid = (int)d->pid;
	char names[80];

	d->nlines = d->not_at = 0;
	if (!e) {
		nsd_say(d, width, "Nothing chosen to enter: the shell would be an ordinary one "
			"of the host. Space picks a type.");
		return;
	}
	nsd_say(d, width, "The shell will see:");
	if (e & RT_NS_MNT)
		nsd_say(d, width, "- PID %d's files: / is its root (the shell is its /bin/sh)", pid);
	else
		nsd_say(d, width, "- the host's files (nstop's /), not PID %d's: no mnt", pid);
	if (e & RT_NS_UTS)
		nsd_say(d, width, "- its hostname: %s", d->hostname[0] ? d->hostname : "?");
	if ((e & RT_NS_PID) && (e & RT_NS_MNT) && d->root_proc == NSD_PROC_HOST) {
		nsd_say(d, width, "- its pid namespace for what it starts, but its root's /proc "
			"is nstop's: ps lists the host's processes");
	} else if ((e & RT_NS_PID) && (e & RT_NS_MNT) && d->root_proc == NSD_PROC_NONE) {
		nsd_say(d, width, "- its pid namespace for what it starts; no /proc in its root: "
			"ps will not work");
	} else if ((e & RT_NS_PID) && (e & RT_NS_MNT)) {
		if (d->pidns_procs)
			nsd_say(d, width, "- its processes: %zu in its pid namespace, in its own /proc",
				d->pidns_procs);
		else
			nsd_say(d, width, "- its processes, in its own /proc");
	} else if (e & RT_NS_PID) {
		nsd_say(d, width, "- its pid namespace for what it starts, but ps reads the "
			"host's /proc (no mnt): it lists the host's processes");
	}
	if (e & RT_NS_NET)
		nsd_say(d, width, "- its network: interfaces, addresses, routes, ports");
	if (e & RT_NS_IPC)
		nsd_say(d, width, "- its System V IPC and POSIX message queues");
	if (e & RT_NS_CGROUP)
		nsd_say(d, width, "- its cgroup namespace: /proc/self/cgroup from its cgroup root");
	if (e & RT_NS_USER)
		nsd_say(d, width, "- its user namespace: uid 0 as it maps it");
	if (e & RT_NS_TIME)
		nsd_say(d, width, "- its clocks' offsets (monotonic, boottime)");
	d->not_at = d->nlines;
	nsd_say(d, width, "It will NOT share with PID %d:", pid);
	if (e & RT_NS_USER)
		nsd_say(d, width, "- its credentials: it is uid 0 with every capability of "
			"that user namespace, no seccomp filter");
	else
		nsd_say(d, width, "- its credentials: it keeps nstop's (root) and all of root's "
			"capabilities, no seccomp filter");
	nsd_say(d, width, "- its cgroup: it stays in nstop's; its environment: nstop's");
	if (d->container[0])
		nsd_say(d, width, "- (e gives a shell inside %s with its confinement, as nstop exec)",
			d->container);
	if (off) {
		nsd_names(off, names, sizeof(names));
		nsd_say(d, width, "- its %s namespace%s (not chosen): nstop's own", names,
			(off & (off - 1)) ? "s" : "");
	}
}

static int nsd_width(int w)
{
	return w < 80 ? w : 80;
}

static void nsd_draw(struct ui_state *ui, int y, int h, int w)
{
	struct nsd *d = ui->modal_data;
	int bw = nsd_width(w), bx = (w - bw) / 2, bh, by, avail, row;
	char title[256];

	nsd_explain(d, bw - 4);
	avail = h - (1 + RT_NS_NTYPES + 1 + 1);
	if (avail < 0)
		avail = 0;
	if (d->nlines > avail) {
		/* a small terminal: what it will not share matters most, the
		 * end of what it will see goes first */
		int cut = d->nlines - avail, keep = d->not_at - cut;
		size_t len;

		if (keep < 1)
			keep = 1;
		if (keep < d->not_at) {
			memmove(d->lines[keep], d->lines[d->not_at],
				(size_t)(d->nlines - d->not_at) * sizeof(d->lines[0]));
			d->nlines -= d->not_at - keep;
			len = strlen(d->lines[keep - 1]);
			snprintf(d->lines[keep - 1] + len, sizeof(d->lines[0]) - len, " ...");
		}
		if (d->nlines > avail)
			d->nlines = avail;
	}
	bh = 1 + RT_NS_NTYPES + 1 + d->nlines + 1;
	if (bh > h)
		bh = h;
	by = y + (h - bh) / 3;
	attron(ui->attr[THEME_NORMAL]);
	for (int r = 0; r < bh; r++)
		mvprintw(by + r, bx, "%*s", bw, "");
	attroff(ui->attr[THEME_NORMAL]);

	if (d->container[0])
		snprintf(title, sizeof(title), "Enter PID %d's namespaces (%s, container %s)",
			 (int)d->pid, d->comm, d->container);
	else
		snprintf(title, sizeof(title), "Enter PID %d's namespaces (%s)", (int)d->pid,
			 d->comm);
	ui_box_line(ui, by, bx, bw, THEME_HEADER, title);
	row = by + 1;
	for (int i = 0; i < RT_NS_NTYPES && row < by + bh; i++, row++) {
		int a = i == d->sel ? ui->attr[THEME_SELECTED] : ui->attr[THEME_NORMAL];
		unsigned bit = 1U << i;
		const char *what;
		char line[200];

		if (!d->self[i].ino)
			what = "not in this kernel";
		else if (!d->target[i].ino)
			what = "unknown";
		else if (d->differ & bit)
			what = "differs from nstop's";
		else
			what = "same as nstop's: nothing to enter";
		snprintf(line, sizeof(line), " [%c] %-7s %-12lu %s",
			 (d->chosen & d->differ & bit) ? 'x' : ' ', rt_ns_name(i),
			 (unsigned long)d->target[i].ino, what);
		attron(a);
		mvprintw(row, bx, "%-*.*s", bw, bw, line);
		attroff(a);
	}
	row++;
	attron(ui->attr[THEME_NORMAL]);
	for (int i = 0; i < d->nlines && row < by + bh - 1; i++, row++)
		mvprintw(row, bx, "  %-*.*s", bw - 2, bw - 2, d->lines[i]);
	attroff(ui->attr[THEME_NORMAL]);
	ui_box_line(ui, by + bh - 1, bx, bw, THEME_STATUS, "Space: toggle  a: all  Up/Down  Enter: a shell there  Esc: cancel");
}

static bool nsd_same(const struct rt_ns_id *a, const struct rt_ns_id *b)
{
	for (int i = 0; i < RT_NS_NTYPES; i++)
		if (a[i].dev != b[i].dev || a[i].ino != b[i].ino)
			return false;
	return true;
}

static void nsd_start(struct ui_state *ui)
{
	struct nsd *d = ui->modal_data;
	unsigned types = d->chosen & d->differ;
	pid_t pid = d->pid;
	struct rt_ns_id now[RT_NS_NTYPES];
	struct nst_err err;
	char names[80];
	int status = 0, rc;

	if (!types) {
		ui_message(ui, THEME_ERROR, "Nothing to enter: Space chooses a namespace");
		return;
	}
	/* what the dialog showed must still be what is entered: PID may have
	 * exited, or exec'd into other namespaces, since it opened */
	nst_err_clear(&err);
	if (rt_ns_ids(pid, now, &err) < 0) {
		ui_modal_close(ui);
		ui_message(ui, THEME_ERROR, "Enter PID %d: %s", (int)pid, err.msg);
		return;
	}
	if (!nsd_same(now, d->target)) {
		ui_modal_close(ui);
		ui_message(ui, THEME_ERROR,
			   "PID %d's namespaces changed since the dialog opened: E shows them again",
			   (int)pid);
		return;
	}
	nsd_names(types, names, sizeof(names));
	ui_modal_close(ui);
	ui_suspend(ui);
	printf("nstop: a shell in PID %d's %s namespaces; exit it to come back\n", (int)pid,
	       names);
	fflush(stdout);
	nst_err_clear(&err);
	rc = rt_nsenter(pid, types, NULL, &status, &err);
	ui_resume(ui);
	if (rc < 0)
		ui_message(ui, THEME_ERROR, "Enter PID %d: %s", (int)pid, err.msg);
	else
		ui_message(ui, THEME_STATUS, "Back from PID %d (the shell exited %d)", (int)pid,
			   status);
}

static void nsd_key(struct ui_state *ui, int key)
{
	struct nsd *d = ui->modal_data;
	unsigned bit = 1U << d->sel;

	switch (key) {
	case UI_KEY_ESC:
	case 'q': {
		pid_t pid = d->pid;
		ui_modal_close(ui);
		ui_message(ui, THEME_STATUS, "Entering PID %d's namespaces: cancelled", (int)pid);
		return;
	}
	case UI_KEY_UP:
	case 'k':
		if (d->sel > 0)
			d->sel--;
		return;
	case UI_KEY_DOWN:
	case 'j':
		if (d->sel + 1 < RT_NS_NTYPES)
			d->sel++;
		return;
	case UI_KEY_HOME:
		d->sel = 0;
		return;
	case UI_KEY_END:
		d->sel = RT_NS_NTYPES - 1;
		return;
	case ' ':
		if (!(d->differ & bit)) {
			ui_message(ui, THEME_ERROR, "%s: same as nstop's, nothing to enter",
				   rt_ns_name(d->sel));
			return;
		}
		d->chosen ^= bit;
		if (d->sel + 1 < RT_NS_NTYPES)
			d->sel++;
		return;
	case 'a':
		d->chosen = (d->chosen & d->differ) == d->differ ? 0 : d->differ;
		return;
	case UI_KEY_ENTER:
		nsd_start(ui);
		return;
	default:
		return;
	}
}

static const struct ui_modal nsd_modal = {
	.name = "nsenter", .key = nsd_key, .draw = nsd_draw, .close = nsd_close,
};

void ui_nsenter_open(struct ui_state *ui)
{
	const struct scan_proc *p = ui_selected_proc(ui);
	const struct eng_ctr *c = ui_selected_container(ui);
	struct nst_err err;
	struct nsd *d;

	if (!p) {
		if (c)
			ui_message(ui, THEME_ERROR, "Enter %s's namespaces: it has no process", eng_ctr_name(c));
		else
			ui_message(ui, THEME_ERROR, "Select a process first (E enters its namespaces)");
		return;
	}
	if (geteuid() != 0) {
		ui_message(ui, THEME_ERROR, "Entering another process's namespaces needs root");
		return;
	}
	if (!(d = calloc(1, sizeof(*d)))) {
		ui_message(ui, THEME_ERROR, "%s", strerror(ENOMEM));
		return;
	}
	d->pid = p->pid;
	snprintf(d->comm, sizeof(d->comm), "%s", p->comm);
	if (c)
		snprintf(d->container, sizeof(d->container), "%s", eng_ctr_name(c));
	else if (p->container)
		snprintf(d->container, sizeof(d->container), "%s", p->container);
	nst_err_clear(&err);
	if (rt_ns_ids(0, d->self, &err) < 0 || rt_ns_ids(d->pid, d->target, &err) < 0 ||
	    rt_ns_differ(d->pid, &d->differ, &err) < 0) {
		ui_message(ui, THEME_ERROR, "Enter PID %d's namespaces: %s", (int)d->pid, err.msg);
		free(d);
		return;
	}
	d->chosen = d->differ;
	if (d->differ & RT_NS_UTS) {
		if (rt_ns_hostname(d->pid, d->hostname, sizeof(d->hostname), &err) < 0)
			d->hostname[0] = '\0';
	} else {
		snprintf(d->hostname, sizeof(d->hostname), "%s", ui->snap ? ui->snap->hostname : "");
	}
	if (ui->snap && d->target[NSD_PIDNS].ino) {
		const struct scan_ns *ns = snapshot_find_ns(ui->snap, NS_PID, d->target[NSD_PIDNS].ino);
		if (ns)
			d->pidns_procs = ns->nprocs;
	}
	d->root_proc = nsd_root_proc(d->pid);
	/* the first one that can be chosen */
	for (d->sel = 0; d->sel < RT_NS_NTYPES - 1 && !(d->differ & (1U << d->sel)); d->sel++)
		;
	if (!d->differ)
		d->sel = 0;
	ui_modal_open(ui, &nsd_modal, d);
	if (!d->differ)
		ui_message(ui, THEME_STATUS, "PID %d shares every namespace with nstop: nothing to enter",
			   (int)d->pid);
}
