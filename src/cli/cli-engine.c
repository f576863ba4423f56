/*
 * Another engine's containers in the verbs that change containers: nstop
 * does not change them behind their engine's back. A freeze, an update, a
 * kill or a removal of a container another engine keeps, or a move of one
 * of its processes, is refused with one line that says whose it is and the
 * engine's own command; with --force, freeze, thaw and kill act on the
 * kernel objects themselves (the engine's records stay as they were), and
 * move goes ahead. update and rm are never done to another's container:
 * its limits and its records are the engine's to keep consistent.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "nstop/engine.h"
#include "nstop/runtime.h"

/* NAME names it: its name, its full id, or a prefix of the id of 12 or
 * more characters (as docker takes one). */
static bool names(const struct eng_ctr *c, const char *name)
{
	size_t n = strlen(name);

	return (c->name && strcmp(c->name, name) == 0) || strcmp(c->id, name) == 0 ||
	       (n >= 12 && eng_is_hex_id(c->id, strlen(c->id)) && strncmp(c->id, name, n) == 0);
}

static const struct eng_ctr *find_foreign(const struct snapshot *s, const char *name)
{
	for (size_t i = 0; i < s->nctrs; i++)
		if (s->ctrs[i].kind != ENG_NSTOP && names(&s->ctrs[i], name))
			return &s->ctrs[i];
	return NULL;
}

/* One line: whose it is, the engine's own command, and how to insist. */
static void refuse(const char *verb, const char *what, const char *subject,
		   const struct eng_ctr *c, const char *force)
{
	char label[320], hint[320];

	eng_ctr_label(c, label, sizeof(label));
	eng_ctr_hint(c, verb, hint, sizeof(hint));
	cli_error("%s %s: %s %s, %s's container, not nstop's; nstop does not change it "
		  "behind %s's back: %s%s%s%s", verb, what, subject, label,
		  eng_kind_name(c->kind), eng_kind_name(c->kind), hint,
		  force ? " (or: nstop " : "", force ? force : "", force ? ")" : "");
}

/*
 * Threat: freezing a cgroup the engine keeps, with --force, through a path
 * an engine chose. The path is the one the kernel gave for the container's
 * processes (/proc/PID/cgroup), below the hierarchy's mount, and the file
 * is opened without following a symlink.
 */
static int write_freeze(const struct snapshot *s, const struct eng_ctr *c, bool freeze)
{
	int done = 0;

	for (int h = 0; h < s->layout.n; h++) {
		const struct cg_hier *ch = &s->layout.h[h];
		bool v1 = !ch->v2 && strstr(ch->controllers, "freezer");
		char path[CG_PATH_MAX + 600];
		int fd;
		const char *val;

		if (!c->cgroup[h] || (!v1 && !ch->v2) || strstr(c->cgroup[h], "/.."))
			continue;
		snprintf(path, sizeof(path), "%s%s/%s", ch->mount, c->cgroup[h],
			 v1 ? "freezer.state" : "cgroup.freeze");
		fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		val = v1 ? (freeze ? "FROZEN" : "THAWED") : (freeze ? "1" : "0");
		if (write(fd, val, strlen(val)) == (ssize_t)strlen(val))
			done++;
		close(fd);
		if (v1)
			break;	/* the v1 freezer is the one that counts on hybrid */
	}
	return done ? 0 : -ENOENT;
}

static int force_name(const char *verb, const struct snapshot *s,
		      const struct eng_ctr *c, int sig)
{
	if (strcmp(verb, "freeze") == 0 || strcmp(verb, "thaw") == 0) {
		if (write_freeze(s, c, strcmp(verb, "freeze") == 0) < 0) {
			cli_error("%s %s: no freezer of its cgroups could be written", verb, c->name);
			return CLI_FAIL;
		}
		return CLI_OK;
	}
	for (size_t i = 0; i < c->nprocs; i++)
		if (kill(c->pids[i], sig) < 0 && errno != ESRCH) {
			cli_error("%s %s: process %d: %s", verb, c->name, (int)c->pids[i],
				  strerror(errno));
			return CLI_FAIL;
		}
	return CLI_OK;
}

int cli_engine_guard_name(const char *verb, const char *name, bool force, int sig)
{
	struct rt_state st;
	struct nst_err err;
	struct scan_ctx *ctx;
	struct snapshot *snap = NULL;
	const struct eng_ctr *c;
	bool forceable = strcmp(verb, "update") != 0 && strcmp(verb, "rm") != 0;
	int rc = -1;

	/* nstop's own come first: a name it keeps is always its own. */
	nst_err_clear(&err);
	if (!cli_runtime())
		return CLI_FAIL;
	if (rt_state_load(cli_runtime(), name, &st, &err) == 0 || err.code != ENOENT)
		return -1;
	if (cli_scan_open(&ctx) < 0)
		return CLI_FAIL;
	if (cli_snapshot(ctx, 0, false, &snap) < 0) {
		rc = CLI_FAIL;
	} else if ((c = find_foreign(snap, name))) {
		if (force && forceable)
			rc = force_name(verb, snap, c, sig);
		else {
			char force_cmd[300];
			snprintf(force_cmd, sizeof(force_cmd), "%s --force %s", verb, name);
			refuse(verb, name, "it is", c, forceable ? force_cmd : NULL);
			rc = CLI_FAIL;
		}
	}
	snapshot_free(snap);
	scan_ctx_free(ctx);
	return rc;
}

int cli_engine_guard_pid(const char *verb, pid_t pid, bool force)
{
	struct scan_ctx *ctx;
	struct snapshot *snap = NULL;
	const struct scan_proc *p;
	char what[32];
	int rc = -1;

	if (force)
		return -1;
	if (cli_scan_open(&ctx) < 0)
		return CLI_FAIL;
	if (cli_snapshot(ctx, 0, false, &snap) < 0) {
		rc = CLI_FAIL;
	} else if ((p = snapshot_find_proc(snap, pid)) && p->ctr && p->ctr->kind != ENG_NSTOP) {
		char force_cmd[64];
		snprintf(what, sizeof(what), "%d", (int)pid);
		snprintf(force_cmd, sizeof(force_cmd), "%s --force %d NAME", verb, (int)pid);
		refuse(verb, what, "it is a process of", p->ctr, force_cmd);
		rc = CLI_FAIL;
	}
	snapshot_free(snap);
	scan_ctx_free(ctx);
	return rc;
}
