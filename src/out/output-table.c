/*
 * The field tables as one kind of thing for -o and --list-columns
 * (output.h's struct out_table), and the columns of `nstop list`: a
 * container's state, as data like lsns's infos[], instead of a renderer
 * with its values in a fixed array.
 */
#include "config.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "nstop/output.h"
#include "nstop/net.h"
#include "nstop/runtime.h"
#include "nstop/size.h"

/* ---- nstop list ---------------------------------------------------------- */

static bool list_name(const struct rt_state *st, char *buf, size_t size)
{
	snprintf(buf, size, "%s", st->name);
	return true;
}

static bool list_state(const struct rt_state *st, char *buf, size_t size)
{
	snprintf(buf, size, "%s", rt_status_name(st->status));
	return true;
}

static bool list_pid(const struct rt_state *st, char *buf, size_t size)
{
	return st->pid > 0 && snprintf(buf, size, "%d", (int)st->pid) > 0;
}

static bool list_created(const struct rt_state *st, char *buf, size_t size)
{
	time_t t = st->created.tv_sec;
	struct tm tm;

	return t && localtime_r(&t, &tm) && strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm) > 0;
}

static bool list_memory(const struct rt_state *st, char *buf, size_t size)
{
	if (st->limits.memory_bytes <= 0)
		return false;
	nst_format_size(st->limits.memory_bytes, buf, size);
	return true;
}

static bool list_cpus(const struct rt_state *st, char *buf, size_t size)
{
	const struct rt_limits *l = &st->limits;

	return l->cpu_quota_us > 0 && l->cpu_period_us > 0 &&
	       snprintf(buf, size, "%.2f", (double)l->cpu_quota_us / (double)l->cpu_period_us) > 0;
}

static bool list_weight(const struct rt_state *st, char *buf, size_t size)
{
	return st->limits.cpu_weight > 0 &&
	       snprintf(buf, size, "%" PRId64, st->limits.cpu_weight) > 0;
}

static bool list_cpuset(const struct rt_state *st, char *buf, size_t size)
{
	return st->limits.cpuset[0] && snprintf(buf, size, "%s", st->limits.cpuset) > 0;
}

static bool list_pids(const struct rt_state *st, char *buf, size_t size)
{
	return st->limits.pids_max > 0 &&
	       snprintf(buf, size, "%" PRId64, st->limits.pids_max) > 0;
}

static bool list_command(const struct rt_state *st, char *buf, size_t size)
{
	return st->command[0] && snprintf(buf, size, "%s", st->command) > 0;
}

static bool list_exit(const struct rt_state *st, char *buf, size_t size)
{
	return st->status == RT_EXITED && st->exit_code >= 0 &&
	       snprintf(buf, size, "%d", st->exit_code) > 0;
}

static bool list_rootfs(const struct rt_state *st, char *buf, size_t size)
{
	snprintf(buf, size, "%s", st->rootfs[0] ? st->rootfs : "/ (host, read-only)");
	return true;
}

static bool list_hostname(const struct rt_state *st, char *buf, size_t size)
{
	return st->hostname[0] && snprintf(buf, size, "%s", st->hostname) > 0;
}

static bool list_net(const struct rt_state *st, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", rt_net_name(st->net), st->net_name[0] ? ":" : "",
		 st->net_name);
	return true;
}

void out_ctr_net_read(const struct eng_ctr *c, struct out_ctr_net *n)
{
	const struct rt_state *st = c->own;

	n->addrs[0] = n->veth[0] = '\0';
	/* read inside its namespace (net-state.c): running ones only */
	if (!st || (st->status != RT_RUNNING && st->status != RT_FROZEN))
		return;
	net_state_text(st, n->addrs, sizeof(n->addrs), n->veth, sizeof(n->veth));
	if (st->net != RT_NET_BRIDGE)
		n->veth[0] = '\0';
}

static bool list_addresses(const struct rt_state *st, char *buf, size_t size)
{
	struct eng_ctr c = { .kind = ENG_NSTOP, .own = st };
	struct out_ctr_net n;

	out_ctr_net_read(&c, &n);
	return n.addrs[0] && snprintf(buf, size, "%s", n.addrs) > 0;
}

static bool list_veth(const struct rt_state *st, char *buf, size_t size)
{
	struct eng_ctr c = { .kind = ENG_NSTOP, .own = st };
	struct out_ctr_net n;

	out_ctr_net_read(&c, &n);
	return n.veth[0] && snprintf(buf, size, "%s", n.veth) > 0;
}

static bool list_cgroup(const struct rt_state *st, char *buf, size_t size)
{
	return st->cgroup[0] && snprintf(buf, size, "%s", st->cgroup) > 0;
}

const struct out_list_field out_list_fields[] = {
	{ "NAME", "name", OUT_LEFT, OUT_LIST_DEFAULT, "container name", list_name },
	{ "STATE", "state", OUT_LEFT, OUT_LIST_DEFAULT, "created, running, frozen, exited, creating or broken", list_state },
	{ "PID", "pid", OUT_RIGHT, OUT_LIST_DEFAULT, "its init's PID on the host", list_pid },
	{ "CREATED", "created", OUT_LEFT, OUT_LIST_DEFAULT, "when it was made (local time)", list_created },
	{ "MEMORY", "limits.memory_bytes", OUT_RIGHT, OUT_LIST_DEFAULT, "memory limit", list_memory },
	{ "CPUS", "limits.cpu_quota_us", OUT_RIGHT, OUT_LIST_DEFAULT, "cpu limit, in cpus", list_cpus },
	{ "PIDS", "limits.pids_max", OUT_RIGHT, OUT_LIST_DEFAULT, "pids limit", list_pids },
	{ "COMMAND", "command", OUT_LEFT, OUT_LIST_DEFAULT | OUT_LIST_TRUNC, "what it runs", list_command },
	{ "EXIT", "exit_code", OUT_RIGHT, OUT_LIST_DEFAULT, "exit status once exited (128+N: signal N)", list_exit },
	{ "WEIGHT", "limits.cpu_weight", OUT_RIGHT, 0, "cpu weight (1-10000)", list_weight },
	{ "CPUSET", "limits.cpuset", OUT_LEFT, 0, "the cpus it may run on", list_cpuset },
	{ "ROOTFS", "rootfs", OUT_LEFT, 0, "its root directory", list_rootfs },
	{ "HOSTNAME", "hostname", OUT_LEFT, 0, "its hostname", list_hostname },
	{ "NET", NULL, OUT_LEFT, 0, "network: none, host, bridge:NAME, netns:NAME, container:NAME", list_net },
	{ "ADDRESSES", NULL, OUT_LEFT, OUT_LIST_DEFAULT, "its addresses but lo's and link-local ones", list_addresses },
	{ "VETH", NULL, OUT_LEFT, OUT_LIST_DEFAULT, "--net bridge: its host-side veth", list_veth },
	{ "CGROUP", "cgroup", OUT_LEFT, 0, "its cgroup in every hierarchy", list_cgroup },
};
const size_t out_list_nfields = sizeof(out_list_fields) / sizeof(out_list_fields[0]);

/* ---- every table, for -o and --list-columns -------------------------------- */

#define OUT_TABLE(arr, n_, type, width) { .fields = (arr), .n = &(n_), .size = sizeof(type), \
	.name_off = offsetof(type, name), .help_off = offsetof(type, help), .list_width = (width) }

const struct out_table out_proc_table =
	OUT_TABLE(out_proc_fields, out_proc_nfields, struct out_proc_field, 12);
const struct out_table out_ns_table =
	OUT_TABLE(out_ns_fields, out_ns_nfields, struct out_ns_field, 10);
const struct out_table out_cg_table =
	OUT_TABLE(out_cg_fields, out_cg_nfields, struct out_cg_field, 12);
const struct out_table out_list_table =
	OUT_TABLE(out_list_fields, out_list_nfields, struct out_list_field, 10);
const struct out_table out_ctr_table =
	OUT_TABLE(out_ctr_fields, out_ctr_nfields, struct out_ctr_field, 10);

static const char *field_str(const struct out_table *t, size_t i, size_t off)
{
	const char *f = (const char *)t->fields + i * t->size;

	return i < *t->n ? *(const char *const *)(f + off) : NULL;
}

const char *out_table_name(const struct out_table *t, size_t i)
{
	return field_str(t, i, t->name_off);
}

const char *out_table_help(const struct out_table *t, size_t i)
{
	return field_str(t, i, t->help_off);
}

const void *out_table_find(const struct out_table *t, const char *name)
{
	for (size_t i = 0; i < *t->n; i++)
		if (strcasecmp(out_table_name(t, i), name) == 0)
			return (const char *)t->fields + i * t->size;
	return NULL;
}
