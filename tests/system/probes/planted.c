/*
 * The attacker's library of rt-planted-libs.sh: planted in a container's
 * root under every name a host process might load from there (the sonames
 * nstop dlopens, an NSS module, a gconv module, libgcc_s). Whoever loads it
 * runs its constructor, which leaves a record of who it ran in (comm, pid,
 * effective capabilities, seccomp mode) where the test looks: /out (a
 * volume from the test's temporary directory) or, failing that, / (the
 * container's root, a directory of the test), and says so on stderr. The
 * gconv and NSS entry points exist so a loader that looks them up finds
 * them; they fail.
 *
 * Built as a control too (-DPLANTED_CONTROL): a program of the container
 * that loads a soname or translates an error the way glibc would, to show
 * the planted root really runs the library when its own code loads it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef PLANTED_CONTROL
static void planted_line(int fd, const char *key, const char *status)
{
	const char *p = strstr(status, key);
	const char *e;

	if (!p)
		return;
	e = strchr(p, '\n');
	if (write(fd, p, e ? (size_t)(e - p + 1) : strlen(p)) < 0)
		return;
}

__attribute__((constructor)) static void planted_ran(void)
{
	static const char *const dirs[] = { "/out", "" };
	char path[128], comm[32] = "?", status[4096] = "";
	ssize_t n;
	int fd;

	fd = open("/proc/self/comm", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, comm, sizeof(comm) - 1);
		comm[n > 0 ? n - 1 : 0] = '\0';
		close(fd);
	}
	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, status, sizeof(status) - 1);
		status[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/planted-ran.%d", dirs[i], (int)getpid());
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0)
			continue;
		dprintf(fd, "comm=%s\n", comm);
		planted_line(fd, "CapEff:", status);
		planted_line(fd, "Seccomp:", status);
		close(fd);
		break;
	}
	dprintf(2, "planted library ran in %s (pid %d)\n", comm, (int)getpid());
}

/* gconv's entry points (a module found through gconv-modules) */
int gconv_init(void *step)
{
	(void)step;
	return 1;	/* __GCONV_NOCONV */
}

int gconv(void *step)
{
	(void)step;
	return 1;
}

/* an NSS module's (passwd: planted) */
int _nss_planted_getpwnam_r(void)
{
	return 0;	/* NSS_STATUS_NOTFOUND */
}
#else
/* control SONAME | control strerror: 0 when the call was made */
int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	if (strcmp(argv[1], "strerror") == 0) {
		setenv("LANGUAGE", "de", 1);
		setlocale(LC_ALL, "C.UTF-8");
		printf("%s\n", strerror(ENOENT));
		return 0;
	}
	return dlopen(argv[1], RTLD_NOW) ? 0 : 1;
}
#endif
