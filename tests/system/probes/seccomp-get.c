/*
 * seccomp-get PID: the seccomp filter a process holds, as the kernel holds
 * it (PTRACE_SECCOMP_GET_FILTER, as root), checked against the table in
 * tests/unit/seccomp_table.h like the unit test checks the filter nstop
 * compiles. For rt-seccomp.sh, on the host, on a container's processes.
 * Prints "filters=N", "insns=N", a "mismatch=..." line per difference and
 * "mismatches=N"; exits 0 when it could read the filter.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../unit/seccomp_table.h"

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif

static void report(const char *what, const char *got, const char *want)
{
	printf("mismatch=%s: %s, the table says %s\n", what, got, want);
}

int main(int argc, char **argv)
{
	static struct sock_filter prog[4096];
	pid_t pid;
	long n, nfilters = 0;
	int ws;

	if (argc != 2 || (pid = (pid_t)atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: seccomp-get PID\n");
		return 2;
	}
	/* seize and stop it, so that the kernel hands its filters out */
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0 || ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0) {
		fprintf(stderr, "seccomp-get: ptrace %d: %s\n", (int)pid, strerror(errno));
		return 1;
	}
	if (waitpid(pid, &ws, __WALL) != pid) {
		fprintf(stderr, "seccomp-get: waitpid %d: %s\n", (int)pid, strerror(errno));
		return 1;
	}
	/* filter 0 is the newest; count them all */
	while (ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)nfilters, NULL) > 0)
		nfilters++;
	n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)0, NULL);
	if (n > 0 && n <= 4096)
		n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)0, prog);
	ptrace(PTRACE_DETACH, pid, 0, 0);
	printf("filters=%ld\n", nfilters);
	if (n <= 0 || n > 4096) {
		printf("insns=none\n");
		return 1;
	}
	printf("insns=%ld\n", n);
	printf("mismatches=%d\n", sc_check_all(prog, (size_t)n, report));
	return 0;
}
