/* The eight namespace types, their /proc/PID/ns links, and their parents. */
#ifndef NSTOP_NS_H
#define NSTOP_NS_H

#include <stdbool.h>
#include <sys/types.h>

/* In the order of the JSON "ns" object's keys. */
enum ns_type {
	NS_CGROUP, NS_IPC, NS_MNT, NS_NET, NS_PID, NS_TIME, NS_USER, NS_UTS,
	NS_NTYPES
};

/*
 * The one table of the kinds, by ns_type (as util-linux nsenter's
 * namespace_files[]): the name /proc/PID/ns, lsns and the JSON give each,
 * and the CLONE_NEW* flag clone, unshare and setns take.
 */
struct ns_kind {
	const char *name;
	int clone_flag;
};
const struct ns_kind *ns_kind(enum ns_type t);
/* The order to setns() into several at once: user first (entering it may
 * give the rights the others need), mnt late (it changes what the paths
 * mean), as nsenter does. */
extern const enum ns_type ns_setns_order[NS_NTYPES];

/* "cgroup", "ipc", ... as /proc/PID/ns names them. */
const char *ns_type_name(enum ns_type t);
/* The type named by s, or -1. */
int ns_type_parse(const char *s);

/* Parses a link target such as "net:[4026531840]" of type t. Returns the
 * inode, or 0 when the text is not such a target. */
ino_t ns_parse_link(const char *target, enum ns_type t);

/* Reads the namespace inode of type t of the process directory pid_fd.
 * Returns the inode, or 0 when unreadable (permission, a zombie, gone). */
ino_t ns_read(int pid_fd, enum ns_type t);

/*
 * The parent (NS_GET_PARENT) of a user or pid namespace, and the owning user
 * namespace (NS_GET_USERNS) of any, opened through pid_fd's ns/ link.
 * 0 when the kernel will not say (the parent lies outside our view).
 */
ino_t ns_parent(int pid_fd, enum ns_type t);
ino_t ns_owner(int pid_fd, enum ns_type t);

#endif
