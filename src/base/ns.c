/* The eight namespace types and the /proc/PID/ns links (ns.h): the link text,
 * and the parent and owner inodes the nsfs ioctls give. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/nsfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nstop/ns.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const struct ns_kind ns_types[NS_NTYPES] = {
	[NS_CGROUP] = { "cgroup", CLONE_NEWCGROUP },
	[NS_IPC] = { "ipc", CLONE_NEWIPC },
	[NS_MNT] = { "mnt", CLONE_NEWNS },
	[NS_NET] = { "net", CLONE_NEWNET },
	[NS_PID] = { "pid", CLONE_NEWPID },
	[NS_TIME] = { "time", CLONE_NEWTIME },
	[NS_USER] = { "user", CLONE_NEWUSER },
	[NS_UTS] = { "uts", CLONE_NEWUTS },
};

const enum ns_type ns_setns_order[NS_NTYPES] = {
	NS_USER, NS_CGROUP, NS_IPC, NS_UTS, NS_NET, NS_PID, NS_MNT, NS_TIME,
};

const struct ns_kind *ns_kind(enum ns_type t)
{
	static const struct ns_kind none = { "?", 0 };

	return t < NS_NTYPES ? &ns_types[t] : &none;
}

const char *ns_type_name(enum ns_type t)
{
	return ns_kind(t)->name;
}

int ns_type_parse(const char *s)
{
	for (int t = 0; t < NS_NTYPES; t++)
		if (strcmp(s, ns_types[t].name) == 0)
			return t;
	return -1;
}

ino_t ns_parse_link(const char *target, enum ns_type t)
{
	const char *name = ns_types[t].name;
	size_t n = strlen(name);
	char *end;

	if (strncmp(target, name, n) != 0 || target[n] != ':' || target[n + 1] != '[')
		return 0;
	/* strtoull would take a sign or leading blanks. */
	if (target[n + 2] < '0' || target[n + 2] > '9')
		return 0;
	errno = 0;
	unsigned long long ino = strtoull(target + n + 2, &end, 10);
	if (errno || end == target + n + 2 || end[0] != ']' || end[1] != '\0')
		return 0;
	return (ino_t)ino;
}

ino_t ns_read(int pid_fd, enum ns_type t)
{
	char path[16], target[64];
	ssize_t n;

	snprintf(path, sizeof(path), "ns/%s", ns_types[t].name);
	n = readlinkat(pid_fd, path, target, sizeof(target) - 1);
	if (n < 0)
		return 0;
	target[n] = '\0';
	return ns_parse_link(target, t);
}

static ino_t ns_ioctl_ino(int pid_fd, enum ns_type t, unsigned long req)
{
	char path[16];
	struct stat st;
	int fd, rel;

	snprintf(path, sizeof(path), "ns/%s", ns_types[t].name);
	fd = openat(pid_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	rel = ioctl(fd, req);
	close(fd);
	if (rel < 0)
		return 0;
	ino_t ino = fstat(rel, &st) == 0 ? st.st_ino : 0;
	close(rel);
	return ino;
}

ino_t ns_parent(int pid_fd, enum ns_type t)
{
	if (t != NS_USER && t != NS_PID)
		return 0;
	return ns_ioctl_ino(pid_fd, t, NS_GET_PARENT);
}

ino_t ns_owner(int pid_fd, enum ns_type t)
{
	return ns_ioctl_ino(pid_fd, t, NS_GET_USERNS);
}
