/*
 * For rt-exe-seal.sh: runs a command under a seccomp filter that answers
 * memfd_create with EPERM, as a host whose policy forbids memfds would, to
 * see nstop refuse to start a container it cannot protect.
 * Built by the test: cc no-memfd.c -lseccomp.
 *
 *   no-memfd COMMAND [ARG...]
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	scmp_filter_ctx ctx;

	if (argc < 2)
		return 2;
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx || seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(memfd_create), 0) < 0 ||
	    seccomp_load(ctx) < 0) {
		fprintf(stderr, "no-memfd: cannot load the filter\n");
		return 1;
	}
	seccomp_release(ctx);
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
