/*
 * runner — time one command as a whole process.
 *
 *   runner CMD [ARG...]
 *
 * Runs CMD with stdin and stdout on /dev/null (stderr is kept), and prints one
 * line to stdout: "WALL_US USER_US SYS_US STATUS". Wall time runs from just
 * before fork to just after wait4 (CLOCK_MONOTONIC); user and sys are the
 * child's rusage from wait4. STATUS is the exit status, or 128+signal.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long us(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000 + t->tv_nsec / 1000;
}

static long long tv_us(const struct timeval *t)
{
	return (long long)t->tv_sec * 1000000 + t->tv_usec;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int st, devnull;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: runner CMD [ARG...]\n");
		return 2;
	}
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0) {
		perror("runner: /dev/null");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("runner: fork");
		return 1;
	}
	if (pid == 0) {
		dup2(devnull, 0);
		dup2(devnull, 1);
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) < 0) {
		perror("runner: wait4");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%lld %lld %lld %d\n", us(&t1) - us(&t0), tv_us(&ru.ru_utime),
	       tv_us(&ru.ru_stime),
	       WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}
