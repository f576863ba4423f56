/*
 * The detail pane of a net namespace in the Namespaces view: its interfaces
 * (name, kind, state, addresses) and, for a veth, the name of its peer and
 * the namespace that holds it, with that namespace's bind mounts and first
 * process: the topology `ip link` in one namespace cannot show.
 *
 * Reading them enters the namespace (net-topo.c, through out_ns_interfaces_json,
 * as nstop -b -J does), and for a veth whose peer is elsewhere asks every
 * other net namespace for its id: that is done for the one namespace the
 * pane shows, at most once a snapshot, and never while no pane shows one.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ui-impl.h"
#include "ui-curses.h"

#define NSNET_KIND_MAX 12	/* "wireguard" fits; longer kinds are cut */

static json_t *nsnet_ifs(struct ui_state *ui, const struct scan_ns *ns)
{
	struct ui_nsnet *c = &ui->nsnet;

	if (!c->read || c->refresh != ui->refreshes || c->inode != ns->inode) {
		json_decref(c->ifs);
		c->ifs = out_ns_interfaces_json(ui->snap, ns);
		c->refresh = ui->refreshes;
		c->inode = ns->inode;
		c->read = true;
	}
	return c->ifs;
}

void ui_nsnet_free(struct ui_state *ui)
{
	json_decref(ui->nsnet.ifs);
	memset(&ui->nsnet, 0, sizeof(ui->nsnet));
}

/* An interface name is the kernel's, yet may hold any byte but '/', ':'
 * and blanks: control bytes are shown as '?' so the terminal never gets
 * them and the columns stay aligned. */
static void nsnet_text(const char *in, char *out, size_t size)
{
	size_t i = 0;

	for (; in && in[i] && i + 1 < size; i++)
		out[i] = (unsigned char)in[i] < 0x20 || in[i] == 0x7f ? '?' : in[i];
	out[i] = '\0';
}

static const char *nsnet_str(json_t *o, const char *key, char *buf, size_t size)
{
	const char *v = json_string_value(json_object_get(o, key));

	nsnet_text(v ? v : "-", buf, size);
	return buf;
}

static const struct scan_ns *nsnet_find(const struct snapshot *s, ino_t inode)
{
	for (size_t i = 0; i < s->nns; i++)
		if (s->ns[i].type == NS_NET && s->ns[i].inode == inode)
			return &s->ns[i];
	return NULL;
}

/* How an operator knows a namespace: "@ /run/netns/blue" where it is bound,
 * then (with_proc) "pid 1234 sleep" for its first process; "" when neither. */
static void nsnet_label(const struct snapshot *s, const struct scan_ns *ns, bool with_proc,
			char *buf, size_t size)
{
	const struct scan_proc *p = ns && with_proc ? snapshot_find_proc(s, ns->first) : NULL;
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; ns && i < ns->nnames && n + 1 < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "@ ", ns->names[i]);
	if (p && n + 1 < size)
		snprintf(buf + n, size - n, "%spid %d %s", n ? ", " : "", (int)p->pid, p->comm);
}

static void nsnet_put(struct ui_state *ui, int y, int x, int right, int elem, const char *text)
{
	if (x >= right)
		return;
	attron(ui->attr[elem]);
	mvaddnstr(y, x, text, right - x);
	attroff(ui->attr[elem]);
}

/* A veth's peer: "peer NAME in net:INODE (LABEL)". */
static void nsnet_peer(const struct snapshot *s, const struct scan_ns *self, json_t *peer,
		       char *buf, size_t size)
{
	json_t *netns = json_object_get(peer, "netns");
	char name[64], label[256];
	ino_t inode;

	if (!json_is_integer(netns)) {
		snprintf(buf, size, "peer in a namespace nstop does not see");
		return;
	}
	inode = (ino_t)json_integer_value(netns);
	nsnet_str(peer, "name", name, sizeof(name));
	if (inode == self->inode) {
		snprintf(buf, size, "peer %s in this namespace", name);
		return;
	}
	nsnet_label(s, nsnet_find(s, inode), true, label, sizeof(label));
	snprintf(buf, size, label[0] ? "peer %s in net:%lu (%s)" : "peer %s in net:%lu%s", name,
		 (unsigned long)inode, label);
}

void ui_nsnet_detail(struct ui_state *ui, const struct scan_ns *ns, int y, int h, int w)
{
	const struct snapshot *s = ui->snap;
	const struct scan_proc *first = snapshot_find_proc(s, ns->first);
	int bottom = y + h, row = y + 1, right = w - 1;
	int wn = 4, wk = 4, ws = 5, xa;
	char title[512], line[512], a[64], b[64], c[64], label[256];
	json_t *ifs, *e;
	size_t n = 0, i;

	nsnet_label(s, ns, false, label, sizeof(label));
	snprintf(title, sizeof(title), " Detail: net namespace %lu%s%s  d: close",
		 (unsigned long)ns->inode, label[0] ? " " : "", label);
	ui_detail_title(ui, y, w, title);

	if (first)
		n = (size_t)snprintf(line, sizeof(line), "processes %zu, lowest PID %d (%s)",
				     ns->nprocs, (int)first->pid, first->comm);
	else
		n = (size_t)snprintf(line, sizeof(line), "no process in it");
	if (ns->netnsid >= 0 && n < sizeof(line))
		snprintf(line + n, sizeof(line) - n, "  netnsid %d", ns->netnsid);
	nsnet_put(ui, row++, 1, right, THEME_NORMAL, line);

	ifs = nsnet_ifs(ui, ns);
	if (!json_is_array(ifs)) {
		nsnet_put(ui, row, 1, right, THEME_UNKNOWN, s->privileged ?
			  "interfaces: - (the namespace could not be entered)" :
			  "interfaces: - (nstop reads them inside the namespace, as root)");
		return;
	}
	if (!json_array_size(ifs)) {
		nsnet_put(ui, row, 1, right, THEME_NORMAL, "no interfaces");
		return;
	}
	/* the columns as wide as their widest value, as `ip -br link` */
	json_array_foreach(ifs, i, e) {
		int ln = (int)strlen(nsnet_str(e, "name", a, sizeof(a)));
		int lk = (int)strlen(nsnet_str(e, "kind", b, sizeof(b)));
		int ls = (int)strlen(nsnet_str(e, "state", c, sizeof(c)));
		wn = ln > wn ? ln : wn;
		wk = lk > wk ? (lk > NSNET_KIND_MAX ? NSNET_KIND_MAX : lk) : wk;
		ws = ls > ws ? ls : ws;
	}
	xa = 1 + wn + 2 + wk + 2 + ws + 2;
	snprintf(line, sizeof(line), "%-*s  %-*s  %-*s  ADDRESSES", wn, "NAME", wk, "KIND", ws,
		 "STATE");
	nsnet_put(ui, row++, 1, right, THEME_COLUMNS, line);
	json_array_foreach(ifs, i, e) {
		json_t *addrs = json_object_get(e, "addresses"), *ad, *peer;
		size_t k;
		int x = xa;

		if (row >= bottom)
			break;
		if (row == bottom - 1 && i + 1 < json_array_size(ifs)) {
			snprintf(line, sizeof(line), "+ %zu more (nstop -b -J lists them all)",
				 json_array_size(ifs) - i);
			nsnet_put(ui, row, 1, right, THEME_UNKNOWN, line);
			break;
		}
		snprintf(line, sizeof(line), "%-*s  %-*.*s  %-*s", wn, nsnet_str(e, "name", a, sizeof(a)),
			 wk, NSNET_KIND_MAX, nsnet_str(e, "kind", b, sizeof(b)), ws,
			 nsnet_str(e, "state", c, sizeof(c)));
		nsnet_put(ui, row, 1, right, THEME_NORMAL, line);
		/* addresses after one another, the next line under the first
		 * when the line is full */
		json_array_foreach(addrs, k, ad) {
			const char *t = json_string_value(ad);
			int len = t ? (int)strlen(t) : 0;

			if (!t)
				continue;
			if (x > xa && x + 2 + len > right) {
				if (++row >= bottom)
					return;
				x = xa;
			}
			if (x > xa) {
				nsnet_put(ui, row, x, right, THEME_NORMAL, ", ");
				x += 2;
			}
			nsnet_put(ui, row, x, right, THEME_NORMAL, t);
			x += len;
		}
		row++;
		peer = json_object_get(e, "peer");
		if (strcmp(b, "veth") == 0 && row < bottom) {
			nsnet_peer(s, ns, peer, line, sizeof(line));
			nsnet_put(ui, row++, 1 + wn + 2, right, json_is_object(peer) ?
				  THEME_NORMAL : THEME_UNKNOWN, line);
		}
	}
}
