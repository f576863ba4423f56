/*
 * A process's user and command line read here rather than through libproc2,
 * where the bytes are bound to be the ones libproc2 would give: libproc2's
 * pass read each process's stat a second time (the scan has read it), its
 * status, its cmdline and a stat() of its directory, a quarter of a
 * snapshot's time at 1,000 processes. Here: status and cmdline, one read
 * each.
 *
 * libproc2 stays for what it does well and is hard to repeat: a command
 * line with anything but printable ASCII (its escaping follows the locale:
 * mbrtowc, iswprint, wcwidth), one of 128 KiB or more, an empty one whose
 * comm is not printable ASCII. Those processes are left to its pass, and
 * libproc2 is loaded the first time there is one (scan-procs.c): a host
 * with none never maps it and the six libraries behind it.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nstop/root.h"
#include "scan-internal.h"

/* libproc2's P_G_SZ: a longer name is shown as the number. */
#define SCAN_USER_SZ 33

/* The parts of a snapshot's process scan run in threads (scan-procs.c):
 * the cache grows, and getpwuid is not reentrant. */
static pthread_mutex_t user_lock = PTHREAD_MUTEX_INITIALIZER;

/* As libproc2's pwcache_get_user: the name, or the number when there is
 * none, it is empty or too long. Remembered per uid for the context. */
static int user_name_locked(struct scan_ctx *ctx, uid_t uid, char *buf, size_t size)
{
	struct scan_user *u;
	struct passwd *pw;

	for (size_t i = 0; i < ctx->nusers; i++)
		if (ctx->users[i].uid == uid) {
			snprintf(buf, size, "%s", ctx->users[i].name);
			return 0;
		}
	u = realloc(ctx->users, (ctx->nusers + 1) * sizeof(*u));
	if (!u)
		return -ENOMEM;
	ctx->users = u;
	u = &ctx->users[ctx->nusers++];
	u->uid = uid;
	pw = getpwuid(uid);
	if (!pw || !pw->pw_name[0] || strlen(pw->pw_name) >= SCAN_USER_SZ)
		snprintf(u->name, sizeof(u->name), "%u", (unsigned)uid);
	else
		snprintf(u->name, sizeof(u->name), "%s", pw->pw_name);
	snprintf(buf, size, "%s", u->name);
	return 0;
}

static int user_name(struct scan_ctx *ctx, uid_t uid, char *buf, size_t size)
{
	int rc;

	pthread_mutex_lock(&user_lock);
	rc = user_name_locked(ctx, uid, buf, size);
	pthread_mutex_unlock(&user_lock);
	return rc;
}

/* The effective uid: the second number of status's Uid: line. */
static bool status_euid(const char *buf, uid_t *uid)
{
	const char *l = strstr(buf, "\nUid:");
	char *end;
	unsigned long v;

	if (!l)
		return false;
	strtoul(l + 5, &end, 10);
	if (end == l + 5)
		return false;
	v = strtoul(end, &end, 10);
	if (*end != '\t' && *end != ' ' && *end != '\n')
		return false;
	*uid = (uid_t)v;
	return true;
}

/*
 * libproc2's read_unvectored with ' ': the trailing NULs end it, the NULs
 * and newlines inside become spaces, and a last byte read that is a space
 * goes. False where its escaping could change a byte (anything but
 * printable ASCII), where it would make a placeholder (nothing read) and
 * where nothing is left (it shows "?").
 */
static bool cmdline_plain(char *buf, long n)
{
	long i = n;

	if (n <= 0)
		return false;
	while (i && buf[i - 1] == '\0')
		i--;
	for (long k = 0; k < i; k++) {
		if (buf[k] == '\0' || buf[k] == '\n')
			buf[k] = ' ';
		else if ((unsigned char)buf[k] < 0x20 || (unsigned char)buf[k] > 0x7e)
			return false;
	}
	if (buf[n - 1] == ' ')
		buf[n - 1] = '\0';
	/* nothing left: libproc2 says "?" */
	return buf[0] != '\0';
}

/* libproc2 fills an empty command line (kernel threads, zombies) with
 * "[comm]" or "-"; nstop keeps that unknown rather than invent one. */
bool scan_cmdline_is_placeholder(const char *cmdline, const char *comm)
{
	size_t n = strlen(comm);

	if (!cmdline || !*cmdline || strcmp(cmdline, "-") == 0)
		return true;
	return cmdline[0] == '[' && strncmp(cmdline + 1, comm, n) == 0 &&
	       cmdline[n + 1] == ']' && cmdline[n + 2] == '\0';
}

/* comm as libproc2's escaping leaves it: printable ASCII. */
static bool comm_plain(const struct scan_proc *p)
{
	if (!p->comm[0])
		return false;
	for (const char *c = p->comm; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
			return false;
	return true;
}

/*
 * An empty command line (a kernel thread, a process that cleared its argv,
 * a zombie): libproc2's escape_command puts "[comm]" in its place, which the
 * scan takes for unknown, and "[comm] <defunct>" for a zombie, which it
 * keeps. Ours to make where comm is printable ASCII. A host's kernel threads
 * were most of what went through libproc2's pass; a zombie loaded it.
 */
static bool cmdline_empty_plain(long n, const struct scan_proc *p, char *buf, size_t size)
{
	if (n != 0 || !comm_plain(p))
		return false;
	if (p->state == 'Z')
		snprintf(buf, size, "[%s] <defunct>", p->comm);
	else
		buf[0] = '\0';
	return true;
}

/* libproc2's MAX_BUFSZ: it reads a command line into that much and cuts
 * one that fills it. One that does is left to it. */
#define SCAN_CMDLINE_MAX (128 * 1024)

/* A command line longer than the first read's buffer (a 14 KB java one):
 * read again into one of libproc2's size. 0 with *line set (malloc'd), 1
 * when it is libproc2's to read, -ENOMEM. */
static int cmdline_long(struct scan_ctx *ctx, const char *path, char **line)
{
	char *big = malloc(SCAN_CMDLINE_MAX);
	long n;

	if (!big)
		return -ENOMEM;
	n = nst_read_at(ctx->root->proc_fd, path, big, SCAN_CMDLINE_MAX);
	if (cmdline_plain(big, n)) {
		*line = big;
		return 0;
	}
	free(big);
	return 1;
}

int scan_proc_own_full(struct scan_ctx *ctx, struct scan_proc *p)
{
	char path[48], buf[4096], *line = buf;
	uid_t uid;
	long n;

	snprintf(path, sizeof(path), "%d/status", (int)p->pid);
	if (nst_read_at(ctx->root->proc_fd, path, buf, sizeof(buf)) <= 0 ||
	    !status_euid(buf, &uid))
		return 1;
	p->status_known = nst_status_parse(buf, &p->status) == 0;
	snprintf(path, sizeof(path), "%d/cmdline", (int)p->pid);
	n = nst_read_at(ctx->root->proc_fd, path, buf, sizeof(buf));
	if (n == -EFBIG) {
		int rc = cmdline_long(ctx, path, &line);
		if (rc != 0)
			return rc;
	} else if (!cmdline_empty_plain(n, p, buf, sizeof(buf)) && !cmdline_plain(buf, n)) {
		return 1;
	}
	if (user_name(ctx, uid, p->user, sizeof(p->user)) < 0) {
		if (line != buf)
			free(line);
		return -ENOMEM;
	}
	p->uid = uid;
	free(p->cmdline);
	p->cmdline = NULL;
	if (!scan_cmdline_is_placeholder(line, p->comm)) {
		if (line != buf)
			p->cmdline = line;	/* as read, a long one's block */
		else if (!(p->cmdline = strdup(line)))
			return -ENOMEM;
	} else if (line != buf) {
		free(line);
	}
	return 0;
}
