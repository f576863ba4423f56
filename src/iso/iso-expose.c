/*
 * Isolation: from facts to exposures (stable ids, one sentence each), a
 * container's union, and the report as JSON and text.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nstop/iso.h"
#include "nstop/ns.h"

const struct iso_exposure iso_exposures[ISO_NX] = {
	[ISO_X_PRIVILEGED] = { "privileged", "it holds every capability in the host's user namespace: nothing the kernel guards by capability is closed to it", ISO_HIGH },
	[ISO_X_ENGINE_SOCKET] = { "engine-socket", "a container engine's API socket is reachable in its mount namespace: whoever can connect can start a privileged container on the host", ISO_HIGH },
	[ISO_X_HOST_ROOT] = { "host-root", "the host's root filesystem is mounted in its mount namespace: it reads (and, when read-write, changes) the host's files", ISO_MEDIUM },
	[ISO_X_CAP_SYS_MODULE] = { "cap-sys-module", "it holds CAP_SYS_MODULE in the host's user namespace: it can load code into the host's kernel", ISO_HIGH },
	[ISO_X_CAP_SYS_ADMIN] = { "cap-sys-admin", "it holds CAP_SYS_ADMIN in the host's user namespace: mount, namespaces, bpf and much more; most escapes start here", ISO_HIGH },
	[ISO_X_WRITABLE_SYS] = { "writable-sys", "/sys is mounted read-write and root inside is root outside: it can change the host's devices and kernel settings", ISO_HIGH },
	[ISO_X_WRITABLE_PROC_SYS] = { "writable-proc-sys", "/proc/sys is mounted read-write and root inside is root outside: it can change the host kernel's sysctls", ISO_HIGH },
	[ISO_X_ALL_DEVICES] = { "all-devices", "its devices cgroup lets it open every device, the host's disks and memory included", ISO_HIGH },
	[ISO_X_HOST_PID] = { "host-pid", "it shares the host's pid namespace: it sees every process and may signal or trace those its capabilities reach", ISO_MEDIUM },
	[ISO_X_CAP_SYS_PTRACE] = { "cap-sys-ptrace", "it holds CAP_SYS_PTRACE in the host's user namespace: it can trace and read the memory of every process it sees", ISO_MEDIUM },
	[ISO_X_HOST_NET] = { "host-net", "it shares the host's network namespace: it sees every interface and can bind host ports", ISO_MEDIUM },
	[ISO_X_CAP_DAC_READ_SEARCH] = { "cap-dac-read-search", "it holds CAP_DAC_READ_SEARCH in the host's user namespace: it reads any file and can open host files by handle (the shocker escape)", ISO_MEDIUM },
	[ISO_X_CAP_NET_ADMIN] = { "cap-net-admin", "it holds CAP_NET_ADMIN in the host's user namespace: it can reconfigure interfaces, routes and firewall rules of its network namespace", ISO_MEDIUM },
	[ISO_X_HOST_MNT] = { "host-mnt", "it shares the host's mount namespace: it sees every mount of the host", ISO_MEDIUM },
	[ISO_X_HOST_USER] = { "host-user", "it has no user namespace of its own: root inside is root outside, and any escape is an escape as host root", ISO_LOW },
	[ISO_X_HOST_IPC] = { "host-ipc", "it shares the host's IPC namespace: it can reach the host's System V IPC and POSIX message queues", ISO_LOW },
	[ISO_X_NO_SECCOMP] = { "no-seccomp", "no seccomp filter: every system call of the kernel is open to it", ISO_LOW },
	[ISO_X_HOST_CGROUP] = { "host-cgroup", "it shares the host's cgroup namespace: it sees the host's cgroup paths", ISO_LOW },
	[ISO_X_HOST_UTS] = { "host-uts", "it shares the host's UTS namespace: it sees, and with CAP_SYS_ADMIN sets, the host's name", ISO_LOW },
	[ISO_X_NO_NEW_PRIVS_OFF] = { "no-new-privs-off", "no_new_privs is off: set-uid programs and file capabilities can raise its privileges", ISO_LOW },
};

int iso_exposure_find(const char *id)
{
	for (int e = 0; e < ISO_NX; e++)
		if (strcmp(iso_exposures[e].id, id) == 0)
			return e;
	return -1;
}

#define HOST(f, t) (((f)->ns_known & (1u << (t))) && ((f)->host_ns & (1u << (t))))
#define X(e) (1u << (e))

void iso_expose(struct iso_facts *f)
{
	static const struct { enum ns_type t; enum iso_x x; } ns_x[] = {
		{ NS_NET, ISO_X_HOST_NET }, { NS_PID, ISO_X_HOST_PID },
		{ NS_IPC, ISO_X_HOST_IPC }, { NS_UTS, ISO_X_HOST_UTS },
		{ NS_MNT, ISO_X_HOST_MNT }, { NS_CGROUP, ISO_X_HOST_CGROUP },
		{ NS_USER, ISO_X_HOST_USER },
	};
	static const struct { int cap; enum iso_x x; } cap_x[] = {
		{ 21, ISO_X_CAP_SYS_ADMIN }, { 19, ISO_X_CAP_SYS_PTRACE },
		{ 16, ISO_X_CAP_SYS_MODULE }, { 12, ISO_X_CAP_NET_ADMIN },
		{ 2, ISO_X_CAP_DAC_READ_SEARCH },
	};
	/* Capabilities, /proc/sys, /sys and devices count when root inside
	 * is root outside: in a user namespace of its own they act only on
	 * what that namespace owns, and the host's sysctls, sysfs files and
	 * device nodes are not among it. */
	bool host_user = HOST(f, NS_USER);
	uint32_t x = 0;

	for (size_t i = 0; i < sizeof(ns_x) / sizeof(ns_x[0]); i++)
		if (HOST(f, ns_x[i].t))
			x |= X(ns_x[i].x);
	if (f->status_known && host_user) {
		uint64_t all = iso_caps_all();
		if ((f->cap_eff & all) == all) {
			/* It implies every cap-* one, which are then not listed. */
			x |= X(ISO_X_PRIVILEGED);
		} else {
			for (size_t i = 0; i < sizeof(cap_x) / sizeof(cap_x[0]); i++)
				if (f->cap_eff & (1ULL << cap_x[i].cap))
					x |= X(cap_x[i].x);
		}
	}
	if (f->seccomp == 0)
		x |= X(ISO_X_NO_SECCOMP);
	if (f->no_new_privs == 0)
		x |= X(ISO_X_NO_NEW_PRIVS_OFF);
	if (f->mnt.known) {
		if (f->mnt.socket[0])
			x |= X(ISO_X_ENGINE_SOCKET);
		if (f->mnt.host_root)
			x |= X(ISO_X_HOST_ROOT);
		if (f->mnt.proc_sys_rw == 1 && host_user)
			x |= X(ISO_X_WRITABLE_PROC_SYS);
		if (f->mnt.sys_rw == 1 && host_user)
			x |= X(ISO_X_WRITABLE_SYS);
	}
	if (f->devices == ISO_DEV_ALL && host_user)
		x |= X(ISO_X_ALL_DEVICES);
	f->x = x;
}

void iso_union_of(const struct iso_facts **members, size_t n, struct iso_union *u)
{
	memset(u, 0, sizeof(*u));
	u->members = members;
	u->n = n;
	u->all = n ? ~0u : 0;
	for (size_t i = 0; i < n; i++) {
		u->x |= members[i]->x;
		u->all &= members[i]->x;
	}
	u->main = n ? members[0] : NULL;
}

/* ---- output ------------------------------------------------------------- */

static const char *seccomp_name(int mode)
{
	static const char *const names[] = { "disabled", "strict", "filter" };
	return mode >= 0 && mode <= 2 ? names[mode] : NULL;
}

static const char *devices_name(enum iso_devices d)
{
	switch (d) {
	case ISO_DEV_ALL: return "all";
	case ISO_DEV_LIST: return "allow-list";
	case ISO_DEV_BPF: return "bpf";
	default: return NULL;
	}
}

/* Where an exposure has more to say than its sentence. */
static void exposure_detail(const struct iso_facts *f, int e, char *buf, size_t size)
{
	buf[0] = '\0';
	if (e == ISO_X_HOST_ROOT)
		snprintf(buf, size, "%s at %s", f->mnt.host_root_rw ? "read-write" : "read-only",
			 f->mnt.host_root_at);
	else if (e == ISO_X_ENGINE_SOCKET)
		snprintf(buf, size, "%s", f->mnt.socket);
}

static json_t *exposure_json(const struct iso_facts *f, int e)
{
	char detail[300];
	json_t *o = json_pack("{s:s,s:s}", "id", iso_exposures[e].id, "why", iso_exposures[e].why);

	exposure_detail(f, e, detail, sizeof(detail));
	if (detail[0])
		json_object_set_new(o, "detail", json_string(detail));
	return o;
}

static json_t *facts_json(const struct iso_facts *f)
{
	json_t *o = json_object(), *host = json_array();

	json_object_set_new(o, "caps", f->status_known ? iso_caps_json(f->cap_eff) : json_null());
	json_object_set_new(o, "caps_bounding", f->status_known ? iso_caps_json(f->cap_bnd) : json_null());
	json_object_set_new(o, "no_new_privs", f->no_new_privs < 0 ? json_null() :
			    json_boolean(f->no_new_privs));
	json_object_set_new(o, "seccomp", seccomp_name(f->seccomp) ?
			    json_string(seccomp_name(f->seccomp)) : json_null());
	json_object_set_new(o, "seccomp_filters", f->seccomp_filters < 0 ? json_null() :
			    json_integer(f->seccomp_filters));
	json_object_set_new(o, "lsm", f->lsm_known ? json_string(f->lsm) : json_null());
	json_object_set_new(o, "root_outside", f->root_outside < 0 ? json_null() :
			    json_integer(f->root_outside));
	for (int t = 0; t < NS_NTYPES; t++)
		if (HOST(f, t))
			json_array_append_new(host, json_string(ns_type_name((enum ns_type)t)));
	json_object_set_new(o, "host_namespaces", host);
	json_object_set_new(o, "devices", devices_name(f->devices) ?
			    json_string(devices_name(f->devices)) : json_null());
	return o;
}

json_t *iso_json(const struct iso_facts *f)
{
	json_t *o, *xs;

	if (!f)
		return json_null();
	o = facts_json(f);
	xs = json_array();
	for (int e = 0; e < ISO_NX; e++)
		if (f->x & X(e))
			json_array_append_new(xs, exposure_json(f, e));
	json_object_set_new(o, "exposures", xs);
	return o;
}

/* The first member that holds e: where its detail comes from. */
static const struct iso_facts *holder(const struct iso_union *u, int e)
{
	for (size_t i = 0; i < u->n; i++)
		if (u->members[i]->x & X(e))
			return u->members[i];
	return u->main;
}

json_t *iso_union_json(const struct iso_union *u)
{
	json_t *o, *xs;

	if (!u || !u->n)
		return json_null();
	o = facts_json(u->main);
	xs = json_array();
	for (int e = 0; e < ISO_NX; e++) {
		json_t *ex, *pids;
		if (!(u->x & X(e)))
			continue;
		ex = exposure_json(holder(u, e), e);
		if (!(u->all & X(e))) {
			pids = json_array();
			for (size_t i = 0; i < u->n; i++)
				if (u->members[i]->x & X(e))
					json_array_append_new(pids, json_integer(u->members[i]->pid));
			json_object_set_new(ex, "pids", pids);
		}
		json_array_append_new(xs, ex);
	}
	json_object_set_new(o, "exposures", xs);
	json_object_set_new(o, "nprocs", json_integer((json_int_t)u->n));
	return o;
}

void iso_summary(uint32_t x, bool known, char *buf, size_t size, int *sev)
{
	int n = 0, worst = -1;

	*sev = -1;
	if (!known) {
		snprintf(buf, size, "-");
		return;
	}
	for (int e = 0; e < ISO_NX; e++)
		if (x & X(e)) {
			n++;
			if (worst < 0)
				worst = e;
		}
	if (worst < 0) {
		snprintf(buf, size, "0");
		return;
	}
	*sev = (int)iso_exposures[worst].severity;
	snprintf(buf, size, "%d %s", n, iso_exposures[worst].id);
}

/* ---- text ---------------------------------------------------------------- */

static void emit(void (*fn)(const char *, int, void *), void *arg, int sev,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void emit(void (*fn)(const char *, int, void *), void *arg, int sev,
		 const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fn(line, sev, arg);
}

static void facts_lines(const struct iso_facts *f,
			void (*fn)(const char *, int, void *), void *arg)
{
	char eff[512], bnd[512], hostns[128] = "", owns[128] = "";

	if (f->status_known) {
		iso_caps_text(f->cap_eff, eff, sizeof(eff));
		iso_caps_text(f->cap_bnd, bnd, sizeof(bnd));
		emit(fn, arg, -1, "capabilities   %s", eff);
		emit(fn, arg, -1, "bounding set   %s", bnd);
	} else {
		emit(fn, arg, -1, "capabilities   unknown");
	}
	emit(fn, arg, -1, "no_new_privs   %s", f->no_new_privs < 0 ? "unknown" :
	     f->no_new_privs ? "on" : "off");
	if (seccomp_name(f->seccomp))
		emit(fn, arg, -1, "seccomp        %s (%d filters)", seccomp_name(f->seccomp),
		     f->seccomp_filters < 0 ? 0 : f->seccomp_filters);
	else
		emit(fn, arg, -1, "seccomp        unknown");
	emit(fn, arg, -1, "lsm            %s", f->lsm_known ? f->lsm : "none");
	if (f->root_outside >= 0)
		emit(fn, arg, -1, "root inside    host uid %lld (user namespace)", f->root_outside);
	else if (f->root_unmapped)
		emit(fn, arg, -1, "root inside    not mapped (user namespace)");
	else if (HOST(f, NS_USER))
		emit(fn, arg, -1, "root inside    host root (no user namespace)");
	else
		emit(fn, arg, -1, "root inside    unknown");
	for (int t = 0; t < NS_NTYPES; t++) {
		char *d = HOST(f, t) ? hostns : (f->ns_known & (1u << t)) ? owns : NULL;
		if (d)
			snprintf(d + strlen(d), 128 - strlen(d), "%s%s", d[0] ? " " : "",
				 ns_type_name((enum ns_type)t));
	}
	emit(fn, arg, -1, "host's ns      %s", hostns[0] ? hostns : "none");
	emit(fn, arg, -1, "own ns         %s", owns[0] ? owns : "none");
	if (f->mnt.known) {
		if (f->mnt.host_root)
			emit(fn, arg, -1, "host's /       visible at %s (%s)", f->mnt.host_root_at,
			     f->mnt.host_root_rw ? "read-write" : "read-only");
		else
			emit(fn, arg, -1, "host's /       not visible");
		emit(fn, arg, -1, "engine socket  %s", f->mnt.socket[0] ? f->mnt.socket : "none");
		emit(fn, arg, -1, "/proc/sys      %s", f->mnt.proc_sys_rw == 1 ? "read-write" : "read-only or absent");
		emit(fn, arg, -1, "/sys           %s", f->mnt.sys_rw == 1 ? "read-write" : "read-only or absent");
	} else {
		emit(fn, arg, -1, "mounts         unknown (mountinfo unreadable)");
	}
	emit(fn, arg, -1, "devices        %s", f->devices == ISO_DEV_ALL ? "all (no device filter)" :
	     f->devices == ISO_DEV_LIST ? "allow-list (devices.list)" :
	     f->devices == ISO_DEV_BPF ? "a BPF device program decides (its rules are not read)" :
	     "unknown");
}

static void exposure_line(const struct iso_facts *f, int e, const char *extra,
			  void (*fn)(const char *, int, void *), void *arg)
{
	char detail[300];

	exposure_detail(f, e, detail, sizeof(detail));
	emit(fn, arg, (int)iso_exposures[e].severity, "%-20s %s%s%s%s%s", iso_exposures[e].id,
	     detail[0] ? "(" : "", detail, detail[0] ? ") " : "", iso_exposures[e].why, extra);
}

void iso_lines(const struct iso_facts *f,
	       void (*fn)(const char *line, int sev, void *arg), void *arg)
{
	int n = 0;

	/* The exposures first: a short pane shows them before the facts. */
	for (int e = 0; e < ISO_NX; e++)
		n += !!(f->x & X(e));
	emit(fn, arg, -1, "exposures      %d", n);
	for (int e = 0; e < ISO_NX; e++)
		if (f->x & X(e))
			exposure_line(f, e, "", fn, arg);
	facts_lines(f, fn, arg);
}

static void put_line(const char *line, int sev, void *arg)
{
	FILE *out = arg;

	fprintf(out, "%s%s\n", sev >= 0 ? "  " : "", line);
}

void iso_text_write(const struct iso_facts *f, FILE *out)
{
	fprintf(out, "process %d (%s)\n", (int)f->pid, f->comm);
	iso_lines(f, put_line, out);
}

void iso_union_text_write(const struct iso_union *u, FILE *out)
{
	int n = 0;

	if (!u->n)
		return;
	fprintf(out, "processes      %zu; facts of pid %d (%s)\n", u->n, (int)u->main->pid,
		u->main->comm);
	facts_lines(u->main, put_line, out);
	for (int e = 0; e < ISO_NX; e++)
		n += !!(u->x & X(e));
	fprintf(out, "exposures      %d\n", n);
	for (int e = 0; e < ISO_NX; e++) {
		char only[512] = "";
		size_t len = 0;
		if (!(u->x & X(e)))
			continue;
		if (!(u->all & X(e))) {
			len = (size_t)snprintf(only, sizeof(only), " [only:");
			for (size_t i = 0; i < u->n && len + 1 < sizeof(only); i++)
				if (u->members[i]->x & X(e))
					len += (size_t)snprintf(only + len, sizeof(only) - len, " %d (%s)",
								(int)u->members[i]->pid,
								u->members[i]->comm);
			if (len + 1 < sizeof(only))
				snprintf(only + len, sizeof(only) - len, "]");
		}
		exposure_line(holder(u, e), e, only, put_line, out);
	}
}
