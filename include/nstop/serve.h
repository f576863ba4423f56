/*
 * Metrics for Prometheus: the snapshot the scan builds, as the Prometheus
 * text format 0.0.4 or OpenMetrics 1.0, with cAdvisor's names where they
 * mean the same thing (container_*) and nstop_* for what only nstop reads
 * (namespaces, pressure, freezing, isolation exposures).
 *
 * The model (serve_model) is taken from a snapshot and a few cgroup files;
 * the writer is pure, so tests feed it literal models. Every label value is
 * untrusted text (a container name is whatever its engine recorded).
 */
#ifndef NSTOP_SERVE_H
#define NSTOP_SERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nstop/engine.h"
#include "nstop/err.h"
#include "nstop/scan.h"

enum serve_format { SERVE_PROMETHEUS, SERVE_OPENMETRICS };

/* The Content-Type header of a format. */
const char *serve_content_type(enum serve_format fmt);
/* The format an Accept header asks for (NULL: none): OpenMetrics when it
 * weighs application/openmetrics-text above text/plain (q-values), else
 * the Prometheus text format, as Prometheus's own negotiation does. */
enum serve_format serve_negotiate(const char *accept);

enum serve_psi_res { SERVE_PSI_CPU, SERVE_PSI_MEMORY, SERVE_PSI_IO, SERVE_PSI_NRES };

/* A PSI file's "total=" counters (microseconds stalled); -1 unknown. */
struct serve_psi {
	long long some_usec, full_usec;
};
/* Parses one cpu/memory/io.pressure buffer; -EINVAL when "some" is not there. */
int serve_parse_psi(const char *buf, struct serve_psi *out);

/* One exported cgroup: a container of any engine, or one the user named. */
struct serve_cg {
	char *id;		/* the host's cgroup path */
	char *name;		/* container name; "" for a cgroup the user named */
	const char *engine;	/* eng_kind_name; "" for a cgroup the user named */
	struct eng_usage u;
	long long nprocs;	/* -1 unknown */
	long long oom_kills;	/* -1 unknown */
	struct serve_psi psi[SERVE_PSI_NRES];
	bool x_known;		/* isolation read */
	uint32_t x;		/* exposures held by any member (bit: enum iso_x) */
};

struct serve_proc {
	pid_t pid;
	char comm[64];
	char *container;	/* engine:name, NULL none */
	long long cpu_usec;	/* -1 unknown */
	long long rss_bytes;	/* -1 unknown */
};

struct serve_ns {
	int type;		/* enum ns_type */
	unsigned long long inode;
	size_t nprocs;
};

struct serve_model {
	size_t ncgs;
	struct serve_cg *cgs;
	size_t nns;
	struct serve_ns *ns;
	size_t nprocs;		/* processes on the host */
	size_t ncontainers;	/* containers of any engine */
	bool per_process;	/* with procs[]: nstop_process_* series */
	size_t nproc;
	struct serve_proc *procs;
};

void serve_model_free(struct serve_model *m);

/* What to export besides every engine's containers. */
struct serve_opts {
	size_t ncgroups;
	const char *const *cgroups;	/* host cgroup paths, checked by serve_cgroup_ok */
	bool per_process;
};

/* A --cgroup argument: absolute, no "." or ".." component, no empty one,
 * printable; false otherwise. */
bool serve_cgroup_ok(const char *path);

/*
 * The model of a snapshot: its containers (usage from the snapshot, OOM
 * kills and PSI read from their cgroups), the cgroups opts names, the
 * namespaces, and each container's exposures when s->iso is attached.
 */
int serve_model_build(const struct nst_root *root, const struct snapshot *s,
		      const struct serve_opts *opts, struct serve_model *m,
		      struct nst_err *err);

/* Writes the model in fmt. 0 or -errno (the stream's error). */
int serve_write(const struct serve_model *m, enum serve_format fmt, FILE *f);

/* Writes a label value as the formats escape it: \\, \" and \n; a byte that
 * is not UTF-8, and any other control character, as the text \xNN. */
void serve_label_value(const char *s, FILE *f);

#endif
