/* nstop inspect PID|CONTAINER [-J]: the isolation report of one. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nstop/engine.h"
#include "nstop/iso.h"
#include "nstop/output.h"

static void usage(FILE *f)
{
	fprintf(f,
"Usage:\n"
"  nstop inspect [-J] PID|CONTAINER\n"
"\n"
"How isolated a process, or a container (the union over its processes), is:\n"
"its capabilities, no_new_privs, seccomp, LSM label, user mapping, which\n"
"namespaces are the host's, what its mount namespace shows, its devices, and\n"
"the exposures these add up to (ids and reasons in nstop(1)).\n"
"CONTAINER is an nstop container's name, or any engine's as engine:name\n"
"(docker:web), its name alone, or its id or a unique prefix of it.\n"
"\n"
"Options:\n"
"  -J, --json             one JSON document\n"
"  -h, --help             display this help\n");
}

struct inspect {
	const char *what;
	bool json;
};

/* How inspect names a process's container: nstop's own by name, another
 * engine's as engine:name, which inspect takes back. */
static const char *ctr_ref(const struct eng_ctr *c, char *buf, size_t size)
{
	if (c->kind == ENG_NSTOP)
		snprintf(buf, size, "%s", c->name);
	else
		eng_ctr_label(c, buf, size);
	return buf;
}

static int print_proc(const struct snapshot *s, const struct scan_proc *p, bool json)
{
	struct nst_err err;
	struct iso_facts f;

	char ref[320];

	if (iso_read(s->iso, s, p, &f, &err) < 0) {
		cli_error("inspect: %s", err.msg);
		return CLI_FAIL;
	}
	if (json) {
		json_t *o = json_pack("{s:i,s:s,s:o,s:o}", "pid", (int)p->pid, "comm", p->comm,
				      "container", p->ctr ? json_string(ctr_ref(p->ctr, ref, sizeof(ref))) : json_null(),
				      "isolation", iso_json(&f));
		json_dumpf(o, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(o);
		return CLI_OK;
	}
	iso_text_write(&f, stdout);
	if (p->ctr) {
		char label[320];

		ctr_ref(p->ctr, label, sizeof(label));
		printf("container      %s (nstop inspect %s: all its processes)\n", label, label);
	}
	return CLI_OK;
}

static int print_container(const struct snapshot *s, const char *name, bool json)
{
	const struct eng_ctr *c = iso_container_find(s, name);
	const struct iso_facts **m;
	struct iso_union u;
	pid_t *pids;
	size_t n = iso_container_pids(s, name, &pids), k;
	char label[320];

	if (!n) {
		free(pids);
		cli_error("inspect: %s: no such process or running container", name);
		return CLI_FAIL;
	}
	k = iso_members(s->iso, s, pids, n, &m);
	free(pids);
	if (!k) {
		free(m);
		cli_error("inspect: %s: none of its processes can be read", name);
		return CLI_FAIL;
	}
	iso_union_of(m, k, &u);
	/* What the engine calls it, shown as text only (untrusted). */
	eng_ctr_label(c, label, sizeof(label));
	if (json) {
		json_t *o = json_pack("{s:s,s:s,s:s,s:o}", "container", c->name ? c->name : c->id,
				      "engine", eng_kind_name(c->kind), "id", c->id,
				      "isolation", iso_union_json(&u));
		json_dumpf(o, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(o);
	} else {
		if (c->kind == ENG_NSTOP)
			printf("container %s\n", c->name);
		else
			printf("container %s (id %.12s)\n", label, c->id);
		iso_union_text_write(&u, stdout);
	}
	free(m);
	return CLI_OK;
}

static int print(const struct snapshot *cs, void *arg)
{
	struct inspect *in = arg;
	struct snapshot *s = (struct snapshot *)cs;
	struct nst_root root;
	struct nst_err err;
	pid_t pid;
	int rc;

	if (nst_root_open_live(&root, &err) < 0 || iso_ctx_new(&root, &s->iso, &err) < 0) {
		cli_error("inspect: %s", err.msg);
		return CLI_FAIL;
	}
	iso_ctx_begin(s->iso, 0);
	if (cli_parse_pid(in->what, &pid) == 0) {
		const struct scan_proc *p = snapshot_find_proc(s, pid);
		if (p) {
			rc = print_proc(s, p, in->json);
		} else {
			cli_error("inspect: %d: no such process", (int)pid);
			rc = CLI_FAIL;
		}
	} else {
		rc = print_container(s, in->what, in->json);
	}
	iso_ctx_free(s->iso);
	s->iso = NULL;
	nst_root_clear(&root);
	return rc;
}

int cli_inspect(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct inspect in = { NULL, false };
	int c;

	while ((c = getopt_long(argc, argv, ":Jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': in.json = true; break;
		case 'h': usage(stdout); return CLI_OK;
		default: return cli_option_error("inspect", c, argv);
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("inspect", optind == argc ? "needs a PID or a container name" :
				       "too many arguments");
	in.what = argv[optind];
	return cli_one_snapshot(0, false, print, &in);
}
