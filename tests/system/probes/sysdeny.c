/*
 * The syscalls the filter refuses, called from inside a container by
 * rt-seccomp.sh, with arguments that are harmless should a call go through:
 * one "name=ERRNO" line each ("name=0" when it worked). Numbers are x86-64's
 * (the test runs this on x86-64 only), so that it needs no new headers and
 * names calls that are newer than them (open_tree_attr). Static, so that it
 * runs in any root.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static void say(const char *name, long r)
{
	printf("%s=%d\n", name, r == -1 ? errno : 0);
}

int main(void)
{
	char zero[512] = { 0 };
	long r;

	setvbuf(stdout, NULL, _IONBF, 0);
#if defined(__x86_64__)
	errno = 0; say("io_uring_setup", syscall(425, 1, zero));
	errno = 0; say("syslog", syscall(103, 10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0));
	errno = 0; say("personality_addr_no_randomize", syscall(135, 0x0040000));
	errno = 0; r = syscall(135, 0xffffffffUL);
	printf("personality_query=%s\n", r >= 0 ? "ok" : "fail");
	errno = 0; say("personality_linux32", syscall(135, 8));
	syscall(135, 0);
	errno = 0; say("fsopen", syscall(430, "tmpfs", 0));
	errno = 0; say("open_tree", syscall(428, -100, "/", 0));
	errno = 0; say("open_tree_attr", syscall(467, -100, "/", 0, NULL, 0));
	errno = 0; say("unshare_user", syscall(272, 0x10000000));
	/* a size below any version of struct clone_args: EINVAL from the
	 * kernel, so nothing is cloned should it get there */
	errno = 0; say("clone3", syscall(435, zero, 1));
	errno = 0; say("mount", syscall(165, "none", "/nonexistent-nstop-sysdeny", "tmpfs", 0, NULL));
	errno = 0; say("keyctl", syscall(250, 0, -1, 0));
	errno = 0; say("bpf", syscall(321, 0, zero, 0));
	errno = 0; say("vsock", socket(40, SOCK_STREAM, 0));
	errno = 0; say("unknown_1000", syscall(1000));
	puts("done=yes");
	return 0;
#else
	puts("sysdeny=unsupported");
	return 1;
#endif
}
