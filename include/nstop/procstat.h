/*
 * /proc/PID/stat, parsed from a buffer in one place: the scan, the
 * runtime's liveness and start-time checks, and the kernel-thread refusals
 * of move and enter all read it through nst_stat_parse.
 */
#ifndef NSTOP_PROCSTAT_H
#define NSTOP_PROCSTAT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Fields as proc(5) numbers them; what a short line lacks stays 0. */
struct nst_stat {
	char comm[64];		/* field 2, control characters shown as '?' */
	char state;		/* 3 */
	pid_t ppid;		/* 4 */
	unsigned long flags;	/* 9: PF_* */
	unsigned long long utime, stime;	/* 14, 15: clock ticks */
	long nthreads;		/* 20 */
	unsigned long long starttime;	/* 22: clock ticks after boot */
	unsigned long long rss_pages;	/* 24 */
};

/* The number of the last field read (3 or more: at least the state), or
 * -EINVAL when buf is no stat line. The fields follow the last ')', since
 * the command name may hold spaces and parentheses. */
int nst_stat_parse(const char *buf, struct nst_stat *st);
/* Reads path below dirfd (AT_FDCWD: as it is) and parses it: the number of
 * the last field read, or -errno. */
int nst_stat_read(int dirfd, const char *path, struct nst_stat *st);
/* A kernel thread (PF_KTHREAD): nothing of a container's, no namespaces of
 * its own to enter; needs field 9. */
bool nst_stat_kthread(const struct nst_stat *st);

/* What the isolation report takes from /proc/PID/status, parsed once: the
 * scan reads status for the user and keeps these, so the report need not
 * read the file a second time. */
struct nst_status {
	uint64_t cap_eff, cap_bnd;
	int no_new_privs;	/* -1 unknown (an older kernel lacks the line) */
	int seccomp;		/* 0 disabled, 1 strict, 2 filter, -1 unknown */
	int seccomp_filters;	/* -1 unknown */
};

/* 0, or -EINVAL when CapEff or CapBnd is missing or not a number (no
 * status file). */
int nst_status_parse(const char *buf, struct nst_status *st);

#endif
