/*
 * What a payload can do to processes outside its container through the
 * session, the process group and the terminal it was given, for
 * rt-signals.sh and tests/tui/signals.sh. Static, since a busybox rootfs has
 * no libraries.
 *
 *   signal ids                      its pid, pgrp and sid as seen inside
 *   signal zero SIG                 kill(0, SIG): its process group
 *   signal all SIG HOSTPIDNS        kill(-1, SIG): all it may signal; refused
 *                                   when its pid namespace's inode is
 *                                   HOSTPIDNS (the host's: it would be all)
 *   signal group SIG N|self         kill(-N, SIG), or kill(-getpgrp(), SIG)
 *   signal steal FILE               later (after its caller has returned):
 *                                   takes its controlling terminal's
 *                                   foreground and reads a line from it
 *                                   into FILE
 *
 * Each prints one line "NAME=RESULT" before the signal can reach itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

static void say(const char *what, int rc)
{
	if (rc == 0)
		printf("%s=ok\n", what);
	else
		printf("%s=%s\n", what, strerror(errno));
	fflush(stdout);
}

static int steal(const char *file)
{
	char line[256];
	FILE *f;
	ssize_t n;
	int tty;

	/* as an attacker would: deaf to the hangup and to job control */
	signal(SIGHUP, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	sleep(2);		/* nstop exec has returned to the operator */
	f = fopen(file, "w");
	if (!f)
		return 1;
	/* its controlling terminal, whatever its stdin is (a shell gives a
	 * background job /dev/null) */
	tty = open("/dev/tty", O_RDWR);
	if (tty < 0) {
		fprintf(f, "tcsetpgrp=/dev/tty: %s\n", strerror(errno));
		fclose(f);
		return 0;
	}
	if (tcsetpgrp(tty, getpgrp()) < 0) {
		fprintf(f, "tcsetpgrp=%s\n", strerror(errno));
		fclose(f);
		return 0;
	}
	fprintf(f, "tcsetpgrp=ok\n");
	fflush(f);
	n = read(tty, line, sizeof(line) - 1);
	if (n < 0) {
		fprintf(f, "read=%s\n", strerror(errno));
	} else {
		line[n] = '\0';
		fprintf(f, "stolen=%s", line);
	}
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	int sig;

	if (argc < 2)
		return 2;
	if (strcmp(argv[1], "ids") == 0) {
		printf("pid=%d pgrp=%d sid=%d\n", (int)getpid(), (int)getpgrp(),
		       (int)getsid(0));
		return 0;
	}
	if (strcmp(argv[1], "steal") == 0)
		return argc == 3 ? steal(argv[2]) : 2;
	if (argc < 3)
		return 2;
	sig = atoi(argv[2]);
	if (strcmp(argv[1], "zero") == 0) {
		printf("kill0=sent\n");
		fflush(stdout);
		say("kill0", kill(0, sig));
	} else if (strcmp(argv[1], "all") == 0) {
		struct stat st;

		if (argc != 4 || stat("/proc/self/ns/pid", &st) < 0 ||
		    st.st_ino == strtoull(argv[3], NULL, 10)) {
			printf("killall=refused (the host's pid namespace)\n");
			return 3;
		}
		say("killall", kill(-1, sig));
	} else if (strcmp(argv[1], "group") == 0 && argc == 4) {
		pid_t g = strcmp(argv[3], "self") == 0 ? getpgrp() : (pid_t)atoi(argv[3]);

		printf("group=%d\n", (int)g);
		fflush(stdout);
		say("killgroup", kill(-g, sig));
	} else {
		return 2;
	}
	return 0;
}
