/*
 * What a view shows of a container, read from the snapshot's one model:
 * nstop's own from their state (c->own, what the runtime recorded), every
 * other engine's from the kernel. The TUI's rows, the field tables and the
 * CLI read a container through these, never through c->own directly.
 */
#include "config.h"

#include <stdio.h>

#include "nstop/engine.h"
#include "nstop/runtime.h"

const char *eng_ctr_name(const struct eng_ctr *c)
{
	const struct rt_state *own = c->own;

	return own ? own->name : c->name ? c->name : c->id;
}

bool eng_ctr_foreign(const struct eng_ctr *c)
{
	return c->kind != ENG_NSTOP;
}

pid_t eng_ctr_pid(const struct eng_ctr *c)
{
	const struct rt_state *own = c->own;

	return own ? own->pid : c->init;
}

int eng_ctr_exit_code(const struct eng_ctr *c)
{
	const struct rt_state *own = c->own;

	return own && own->status == RT_EXITED ? own->exit_code : -1;
}

bool eng_ctr_frozen(const struct eng_ctr *c)
{
	const struct rt_state *own = c->own;

	return own ? own->status == RT_FROZEN : c->paused;
}

const char *eng_ctr_cgroup(const struct eng_ctr *c)
{
	const struct rt_state *own = c->own;

	if (own)
		return own->cgroup;
	for (int h = 0; h < CG_MAX_HIER; h++)
		if (c->cgroup[h])
			return c->cgroup[h];
	return "";
}

long long eng_ctr_memory_limit(const struct eng_ctr *c)
{
	const struct rt_state *own = c->own;

	if (own)
		return own->limits.memory_bytes;
	return c->u.memory_limit >= 0 ? c->u.memory_limit : -1;
}

double eng_usage_cpus(const struct eng_usage *u)
{
	if (u->cpu_quota_usec <= 0 || u->cpu_period_usec <= 0)
		return -1;
	return (double)u->cpu_quota_usec / (double)u->cpu_period_usec;
}

double eng_ctr_cpus(const struct eng_ctr *c)
{
	const struct rt_state *own = c->own;
	double cpus;

	if (own)
		return own->limits.cpu_quota_us > 0 && own->limits.cpu_period_us > 0 ?
		       (double)own->limits.cpu_quota_us / (double)own->limits.cpu_period_us : 0;
	cpus = eng_usage_cpus(&c->u);
	return cpus > 0 ? cpus : 0;
}

/* How the snapshot's engine model names a container, as iso_container_find
 * takes it: nstop's own by their name, another engine's as engine:name
 * (names of two engines may be the same); buf holds it when it is made. */
const char *eng_ctr_ref(const struct eng_ctr *c, char *buf, size_t size)
{
	if (!eng_ctr_foreign(c))
		return eng_ctr_name(c);
	snprintf(buf, size, "%s:%s", eng_kind_label(c->kind), eng_ctr_name(c));
	return buf;
}
