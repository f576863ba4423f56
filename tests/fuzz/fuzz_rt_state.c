/*
 * state.json, which anyone who can write /run/nstop/NAME/ could have
 * forged: parsed from a buffer exactly as rt_state_read parses the file
 * (never touching /run/nstop), written back as rt_state_write would, and
 * read again: the second read must succeed and give the same state, and
 * the listing's JSON (nstop list -J) must be buildable from it.
 */
#include "config.h"

#include <stdio.h>

#include <jansson.h>

#include "fuzz.h"
#include "rt-internal.h"
#include "nstop/runtime.h"

#define SAME(f) (a->f == b->f)
/* Numbers written as null when negative ("unset", "not exited") read back
 * as -1: any negative one means the same. */
#define SAME_OPT(f) (a->f == b->f || (a->f < 0 && b->f == -1))
#define SAME_STR(f) (strcmp(a->f, b->f) == 0)

static void must_match(const struct rt_state *a, const struct rt_state *b, const char *text)
{
	const char *bad = NULL;

	if (!SAME_STR(name)) bad = "name";
	else if (!SAME(status)) bad = "status";
	else if (!SAME(pid) || !SAME(pid_start)) bad = "pid";
	else if (!SAME(monitor) || !SAME(monitor_start)) bad = "monitor";
	else if (!SAME(created.tv_sec) || !SAME(created.tv_nsec)) bad = "created";
	else if (!SAME(finished.tv_sec) || !SAME(finished.tv_nsec)) bad = "finished";
	else if (!SAME_OPT(exit_code)) bad = "exit_code";
	else if (!SAME_STR(rootfs) || !SAME(overlay)) bad = "rootfs";
	else if (!SAME(detached) || !SAME(remove) || !SAME(userns) || !SAME(net)) bad = "flags";
	else if (!SAME_STR(hostname) || !SAME_STR(cgroup) || !SAME_STR(command)) bad = "strings";
	else if (!SAME_OPT(limits.memory_bytes) || !SAME_OPT(limits.cpu_quota_us) ||
		 !SAME_OPT(limits.cpu_period_us) || !SAME_OPT(limits.cpu_weight) ||
		 !SAME_OPT(limits.pids_max) || !SAME_STR(limits.cpuset)) bad = "limits";
	else if (!SAME_STR(mounts)) bad = "mounts";
	if (bad) {
		fprintf(stderr, "state.json round trip changed %s; written as:\n%s\n", bad, text);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rt_state *st = malloc(sizeof(*st)), *again = malloc(sizeof(*again));
	struct nst_err err;
	json_error_t jerr;
	json_t *doc = NULL, *out = NULL, *back = NULL, *list = NULL;
	char *text = NULL;

	if (!st || !again)
		goto done;
	doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		goto done;
	nst_err_clear(&err);
	if (rt_state_from_json(doc, st, &err) < 0)
		goto done;
	/* What a listing shows of a state that was accepted. */
	if (!(list = rt_state_json(st)))
		abort();
	if (!(out = rt_state_file_json(st)))
		abort();
	if (!(text = json_dumps(out, JSON_COMPACT)))
		abort();
	if (!(back = json_loads(text, JSON_REJECT_DUPLICATES, &jerr))) {
		fprintf(stderr, "state.json written unreadable: %s\n%s\n", jerr.text, text);
		abort();
	}
	if (rt_state_from_json(back, again, &err) < 0) {
		fprintf(stderr, "state.json written refused: %s\n%s\n", err.msg, text);
		abort();
	}
	must_match(st, again, text);
done:
	free(text);
	json_decref(doc);
	json_decref(out);
	json_decref(back);
	json_decref(list);
	free(st);
	free(again);
	return 0;
}
