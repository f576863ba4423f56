/*
 * floor — the least work any "processes by namespace and cgroup" scan must do.
 *
 * Lists /proc with getdents64 and, for every process, reads the eight
 * /proc/PID/ns/ links with readlinkat and does one open+read+close each of
 * /proc/PID/cgroup and /proc/PID/stat. It parses nothing beyond the directory
 * names, keeps nothing, and prints only how many processes it saw (with -q,
 * nothing). This is the floor the snapshot benchmark compares nstop with.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct linux_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static const char *const ns_names[] = {
	"cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts",
};

static char buf[1 << 16];

static void slurp(int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	(void)!read(fd, buf, sizeof(buf));
	close(fd);
}

int main(int argc, char **argv)
{
	static char dents[1 << 16];
	int quiet = argc > 1 && !strcmp(argv[1], "-q");
	int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long n, count = 0;

	if (proc < 0) {
		perror("floor: /proc");
		return 1;
	}
	while ((n = syscall(SYS_getdents64, proc, dents, sizeof(dents))) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (void *)(dents + off);
			char path[64], link[64];
			size_t len;

			off += d->d_reclen;
			if (d->d_name[0] < '1' || d->d_name[0] > '9')
				continue;
			len = strlen(d->d_name);
			if (len > 20)
				continue;
			memcpy(path, d->d_name, len);
			for (size_t i = 0; i < sizeof(ns_names) / sizeof(ns_names[0]); i++) {
				strcpy(path + len, "/ns/");
				strcpy(path + len + 4, ns_names[i]);
				(void)!readlinkat(proc, path, link, sizeof(link));
			}
			strcpy(path + len, "/cgroup");
			slurp(proc, path);
			strcpy(path + len, "/stat");
			slurp(proc, path);
			count++;
		}
	}
	close(proc);
	if (!quiet)
		printf("%ld\n", count);
	return 0;
}
