/*
 * Field tables: one entry per column, giving its name for -o, its header,
 * its JSON key, its width and how to format it. The same table drives the
 * text columns, the JSON keys and (later) the TUI, as lsns's infos[] does.
 */
#ifndef NSTOP_OUTPUT_H
#define NSTOP_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "nstop/scan.h"

/* How a column is shown as text: right-aligned numbers or free text. */
enum out_align { OUT_RIGHT, OUT_LEFT };

/* Which cgroup path a cgroup column shows. */
enum out_cgform { OUT_CG_HOST, OUT_CG_OWN, OUT_CG_VIEW };

/*
 * Every field gives its value as JSON (NULL or json_null() when the kernel
 * does not give it); text is derived from that value unless the field
 * formats text of its own (sizes, "max").
 */
struct out_js;

struct out_proc_field {
	const char *name;	/* for -o, lower case */
	const char *header;
	const char *json;	/* key in processes[]; NULL: inside "ns"/"cgroups" */
	int width;
	enum out_align align;
	const char *help;
	int arg;		/* the ns type, or the cgroup form */
	json_t *(*value)(const struct snapshot *s, const struct scan_proc *p, int arg);
	bool (*text)(const struct snapshot *s, const struct scan_proc *p, int arg,
		     char *buf, size_t size);
	/* "json": value written straight to the document's stream, as value
	 * would give it, without a jansson value in between (NULL: value's) */
	void (*stream)(struct out_js *js, const char *key, const struct snapshot *s,
		       const struct scan_proc *p);
};

struct out_ns_field {
	const char *name;	/* lsns's column name */
	const char *json;	/* lsns's JSON key */
	enum out_align align;
	bool number;
	const char *help;
	json_t *(*value)(const struct snapshot *s, const struct scan_ns *ns);
};

struct out_cg_field {
	const char *name;
	const char *json;
	enum out_align align;
	bool number;
	const char *help;
	json_t *(*value)(const struct snapshot *s, const struct scan_cgroup *c);
	bool (*text)(const struct snapshot *s, const struct scan_cgroup *c,
		     char *buf, size_t size);
};

/* {engine, id, name} of a container, as processes[].container. */
json_t *out_ctr_ref_json(const struct eng_ctr *c);
/* containers[]: one object per container of any engine, its keys those of
 * out_ctr_fields in their places (output-ctr.c). */
json_t *out_ctr_json(const struct snapshot *s, const struct eng_ctr *c);
/* Human units: a limit (or "max"), cpus as "0.50", a duration as 3m12s,
 * a cpu weight (v1 shares with "sh"). */
void out_human_limit(long long v, char *buf, size_t size);
void out_human_cpus(const struct eng_usage *u, char *buf, size_t size);
void out_human_usec(long long usec, char *buf, size_t size);
void out_ctr_weight_text(const struct eng_usage *u, char *buf, size_t size);
/* Text of a JSON value: numbers as numbers, null as false (shown "-"). */
bool out_value_text(json_t *v, char *buf, size_t size);
bool out_proc_text(const struct out_proc_field *f, const struct snapshot *s,
		   const struct scan_proc *p, char *buf, size_t size);
bool out_cg_text(const struct out_cg_field *f, const struct snapshot *s,
		 const struct scan_cgroup *c, char *buf, size_t size);
bool out_ns_text(const struct out_ns_field *f, const struct snapshot *s,
		 const struct scan_ns *ns, char *buf, size_t size);

extern const struct out_proc_field out_proc_fields[];
extern const size_t out_proc_nfields;
extern const struct out_ns_field out_ns_fields[];
extern const size_t out_ns_nfields;
extern const struct out_cg_field out_cg_fields[];
extern const size_t out_cg_nfields;

const struct out_proc_field *out_proc_field_find(const char *name);
const struct out_ns_field *out_ns_field_find(const char *name);
const struct out_cg_field *out_cg_field_find(const char *name);

/* nstop's own containers as `nstop list` shows them, from their state. */
struct rt_state;
struct out_list_field {
	const char *name;
	const char *json;	/* its key in `nstop list -J` */
	enum out_align align;
	unsigned flags;		/* OUT_LIST_* */
	const char *help;
	/* false: not known ("-") */
	bool (*text)(const struct rt_state *st, char *buf, size_t size);
};
enum {
	OUT_LIST_DEFAULT = 1 << 0,	/* in the default columns */
	OUT_LIST_TRUNC = 1 << 1,	/* the one cut first when the line is full */
};
extern const struct out_list_field out_list_fields[];
extern const size_t out_list_nfields;

/*
 * Every engine's containers as the TUI's Containers view shows them
 * (output-ctr.c), one field each, in the order drawn: the same shape as the
 * other tables, read from the snapshot's one container model.
 */
struct out_ctr_net {		/* a container's network as text; "": none */
	char addrs[256];	/* but lo's and link-local ones, comma-separated */
	char veth[16];		/* --net bridge: the host-side end */
};
/* nstop's own while running or frozen, read inside its namespace (a few
 * netlink requests: read once a snapshot, not once a draw). */
void out_ctr_net_read(const struct eng_ctr *c, struct out_ctr_net *n);
struct out_ctr_row {
	const struct eng_ctr *c;
	const struct out_ctr_net *net;	/* NULL: not read ("-") */
	/* for the JSON values: the snapshot, and an own one's state as
	 * rt_state_json gives it (made once per object) */
	const struct snapshot *s;
	json_t *state;
};
/*
 * A container's field: a column of the Containers view and -o, a key of
 * containers[] in the JSON, or both. The keys are not in the columns'
 * order, and nstop's own keep the order their state file gives (name
 * first), so each key says where it goes in either kind of object.
 */
struct out_ctr_field {
	const char *name;	/* for -o */
	const char *header;
	const char *json;	/* its key in containers[] (a.b: inside another's) */
	int width;		/* a hint; 0: the rest of the line */
	enum out_align align;
	unsigned flags;		/* OUT_CTR_* */
	const char *help;
	/* false: not known ("-"); NULL: drawn by the front end (OUT_CTR_ISO,
	 * OUT_CTR_PLOT: what it reads beyond the snapshot) */
	bool (*text)(const struct out_ctr_row *r, char *buf, size_t size);
	/* NULL for a column whose key another field writes (OUT_CTR_NOKEY);
	 * a NULL result: no such key in this object */
	json_t *(*value)(const struct out_ctr_field *f, const struct out_ctr_row *r);
	/* the key's place, from 1: in nstop's own, in another engine's; 0 not there */
	unsigned char at_own, at_other;
};
enum {
	OUT_CTR_FIT = 1 << 0,	/* as wide as its widest value, at least width */
	OUT_CTR_NET = 1 << 1,	/* reads out_ctr_net */
	OUT_CTR_ISO = 1 << 2,	/* the isolation summary */
	OUT_CTR_PLOT = 1 << 3,	/* the cpu history */
	OUT_CTR_NOKEY = 1 << 4,	/* a column without a key of its own */
	OUT_CTR_NOCOL = 1 << 5,	/* a key without a column */
};
/* The first out_ctr_nfields are the columns, in their order; the
 * OUT_CTR_NOCOL keys follow, to out_ctr_nkeys. */
extern const struct out_ctr_field out_ctr_fields[];
extern const size_t out_ctr_nfields, out_ctr_nkeys;
/* Its text, "-" (and false) when not known or drawn by the front end. */
bool out_ctr_text(const struct out_ctr_field *f, const struct out_ctr_row *r, char *buf,
		  size_t size);

/*
 * Any of those tables as -o and --list-columns take it (output-table.c):
 * n entries of size bytes, each with its name and help at these offsets,
 * names matched without regard to case. One finder and one column lister
 * instead of one copy per table and verb.
 */
struct out_table {
	const void *fields;
	const size_t *n;	/* the table's own count */
	size_t size, name_off, help_off;
	int list_width;		/* the name column of --list-columns */
};
extern const struct out_table out_proc_table, out_ns_table, out_cg_table, out_list_table,
	out_ctr_table;
const void *out_table_find(const struct out_table *t, const char *name);
const char *out_table_name(const struct out_table *t, size_t i);
const char *out_table_help(const struct out_table *t, size_t i);

/* The hierarchy the single CGROUP column shows: the unified one on v2,
 * else the first v1 hierarchy with memory, else name=systemd, else the
 * first. -1 when there is none. */
int out_primary_hier(const struct cg_layout *layout);

/* Which processes nstop -b shows (-p, -u): NULL or all empty, every one. */
struct out_select {
	const pid_t *pids;	/* any of these */
	size_t npids;
	const char *user;	/* non-NULL: only effective uid uid */
	uid_t uid;
};
bool out_proc_selected(const struct out_select *sel, const struct scan_proc *p);

/* How nstop -b's rows are laid out. */
struct out_text_opts {
	int width;				/* of a row, in columns */
	const struct out_proc_field *sort;	/* NULL: by pid */
	bool ascending;				/* else high to low, as top */
	const struct out_select *sel;
};

/* Writes the snapshot as one line of JSON, keys as in nstop(1), with the
 * processes sel selects (NULL: all). Returns 0 or -errno. */
/* Loads libyajl, whose generator writes the document (dlopen): 0, or
 * -errno with err naming the soname. The writers load it too; a verb calls
 * it first to fail in one line. */
int out_json_load(struct nst_err *err);
int out_snapshot_json_write(const struct snapshot *s, FILE *f);
int out_snapshot_json_write_sel(const struct snapshot *s, const struct out_select *sel,
				FILE *f);
/* Writes the snapshot as text, like one frame of top -b: a summary, then
 * one row per process with the given columns (libsmartcols, aligned, cut
 * to o->width). Returns 0 or -errno. */
int out_snapshot_text_write(const struct snapshot *s,
			    const struct out_proc_field *const *cols, size_t ncols,
			    const struct out_text_opts *o, FILE *f);
/* The rows alone (output-rows.c). */
int out_proc_table_write(const struct snapshot *s,
			 const struct out_proc_field *const *cols, size_t ncols,
			 const struct out_text_opts *o, FILE *f);
/*
 * Parses an -o list into cols (at most max): "A,B" names the columns, "+A,B"
 * adds them to defaults (also a comma-separated list), names looked up in
 * table t (out_table_find: any case). Returns the count, or -EINVAL with the bad name in err.
 */
int out_columns_parse(const char *spec, const char *defaults,
		      const struct out_table *t, const void **cols, size_t max,
		      struct nst_err *err);
/* The same for process fields, without defaults. */
int out_proc_fields_parse(const char *list, const struct out_proc_field **cols,
			  size_t max, struct nst_err *err);

/* The JSON objects of the parts, shared by the verbs. */
json_t *out_proc_json(const struct snapshot *s, const struct scan_proc *p);
json_t *out_ns_json(const struct snapshot *s, const struct scan_ns *ns);
/* A net namespace's interfaces[] (net_topo_json, peers looked for among the
 * snapshot's net namespaces): entered and read each call; null when it
 * cannot be (not privileged, no way in). */
json_t *out_ns_interfaces_json(const struct snapshot *s, const struct scan_ns *ns);
json_t *out_cgroup_json(const struct snapshot *s, const struct scan_cgroup *c);
json_t *out_host_json(const struct snapshot *s);

#endif
