/*
 * A threaded program for rt-seccomp.sh, run inside a container under the
 * syscall filter: threads (clone with CLONE_THREAD, futexes, robust lists,
 * rseq), a mutex and a condition, a child by fork and one by posix_spawn,
 * as an ordinary program makes them. Static, so that it runs in any root.
 * Prints "threads=ok" and exits 0, or names what failed.
 */
#include <errno.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define NTHREADS 8
#define ROUNDS 2000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int started;

static void *work(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	started++;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		if (i % 500 == 0)
			sched_yield();
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[NTHREADS];
	extern char **environ;
	pid_t pid;
	int rc, ws;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "child"))
		return 42;
	for (int i = 0; i < NTHREADS; i++) {
		rc = pthread_create(&t[i], NULL, work, NULL);
		if (rc != 0) {
			printf("threads=pthread_create: %s\n", strerror(rc));
			return 1;
		}
	}
	pthread_mutex_lock(&lock);
	while (started < NTHREADS)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	if (counter != (long)NTHREADS * ROUNDS) {
		printf("threads=counted %ld\n", counter);
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		printf("threads=fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0)
		_exit(7);
	if (waitpid(pid, &ws, 0) != pid || !WIFEXITED(ws) || WEXITSTATUS(ws) != 7) {
		printf("threads=fork's child did not exit 7\n");
		return 1;
	}
	{
		char *const cargv[] = { argv[0], "child", NULL };
		rc = posix_spawn(&pid, "/proc/self/exe", NULL, NULL, cargv, environ);
	}
	if (rc != 0) {
		printf("threads=posix_spawn: %s\n", strerror(rc));
		return 1;
	}
	if (waitpid(pid, &ws, 0) != pid || !WIFEXITED(ws) || WEXITSTATUS(ws) != 42) {
		printf("threads=posix_spawn's child did not exit 42\n");
		return 1;
	}
	puts("threads=ok");
	return 0;
}
