/*
 * A container's state directory RT_STATE_DIR/NAME/: state.json (written
 * atomically, changed only under the lock RT_STATE_DIR/NAME.lock), and
 * whatever run keeps there (the log, an overlay's upper and work layers).
 * What the file says is refreshed from the kernel on load, so a container
 * whose processes are gone never shows as running.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "nstop/procstat.h"
#include "nstop/size.h"
#include "nstop/utf8.h"
#include "rt-internal.h"

#define RT_STATE_FILE "state.json"
/* Deeper than any overlay upper layer a container writes in practice; a
 * bound on the fds the removal holds open. */
#define RT_RM_DEPTH 128

const char *rt_status_name(enum rt_status status)
{
	switch (status) {
	case RT_CREATED: return "created";
	case RT_RUNNING: return "running";
	case RT_FROZEN: return "frozen";
	case RT_EXITED: return "exited";
	case RT_CREATING: return "creating";
	case RT_BROKEN: return "broken";
	}
	return "unknown";
}

static int status_from_name(const char *s, enum rt_status *out)
{
	for (int i = RT_CREATED; i <= RT_EXITED; i++)
		if (strcmp(s, rt_status_name(i)) == 0) {
			*out = i;
			return 0;
		}
	return -EINVAL;
}

void rt_state_init(struct rt_state *st)
{
	memset(st, 0, sizeof(*st));
	st->exit_code = -1;
	st->net = RT_NET_NONE;
	rt_limits_init(&st->limits);
}

const char *rt_state_path(const struct rt_ctx *ctx, const char *name, const char *file,
			  char *buf, size_t size)
{
	if (file)
		snprintf(buf, size, "%s/%s/%s", ctx->state_dir, name, file);
	else
		snprintf(buf, size, "%s/%s", ctx->state_dir, name);
	return buf;
}

int rt_proc_start_time(pid_t pid, unsigned long long *start)
{
	struct nst_stat st;
	char path[64];
	int n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	n = nst_stat_read(AT_FDCWD, path, &st);
	if (n < 0)
		return n;
	if (n < 22)
		return -EINVAL;
	*start = st.starttime;
	return 0;
}

/* The state letter of pid ('R', 'S', 'Z', ...), or 0 when it is gone. */
static char proc_state(pid_t pid)
{
	struct nst_stat st;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	return nst_stat_read(AT_FDCWD, path, &st) >= 3 ? st.state : 0;
}

bool rt_proc_alive(pid_t pid, unsigned long long start)
{
	unsigned long long now;
	char state;

	if (pid <= 0)
		return false;
	/* A zombie has ended: only its parent has not looked yet. */
	state = proc_state(pid);
	if (state == 0 || state == 'Z' || state == 'X')
		return false;
	if (start && (rt_proc_start_time(pid, &now) < 0 || now != start))
		return false;
	return true;
}

/* ---- the lock ---------------------------------------------------------- */

static int state_dir_make(const struct rt_ctx *ctx, struct nst_err *err)
{
	if (mkdir(ctx->state_dir, 0700) < 0 && errno != EEXIST)
		return nst_err_sys(err, errno, "%s", ctx->state_dir);
	return 0;
}

/* 0 when the state directory of name is there, else -errno said in err:
 * not there is "no such container"; not readable is not the same. */
static int state_dir_check(const struct rt_ctx *ctx, const char *name, const char *path,
			   struct nst_err *err)
{
	struct stat sb;

	if (lstat(path, &sb) == 0)
		return S_ISDIR(sb.st_mode) ? 0 :
		       nst_err_set(err, ENOTDIR, "%s is not a directory", path);
	if (errno == ENOENT)
		return nst_err_set(err, ENOENT, "no such container: %s", name);
	if (errno == EACCES || errno == EPERM)
		return nst_err_set(err, errno, "container %s: %s: permission denied (containers need root)",
				   name, ctx->state_dir);
	return nst_err_sys(err, errno, "%s", path);
}

int rt_lock(struct rt_ctx *ctx, const char *name, bool create, struct nst_err *err)
{
	char lock[RT_PATH_MAX], dir[RT_PATH_MAX];
	int rc, fd;

	rc = rt_name_check(name, err);
	if (rc < 0)
		return rc;
	rt_state_path(ctx, name, NULL, dir, sizeof(dir));
	snprintf(lock, sizeof(lock), "%s/%s%s", ctx->state_dir, name, RT_LOCK_SUFFIX);
	/* Looking first leaves no lock file behind for a name that is unknown. */
	if (!create && (rc = state_dir_check(ctx, name, dir, err)) < 0)
		return rc;
	rc = state_dir_make(ctx, err);
	if (rc < 0)
		return rc;
	for (;;) {
		struct stat held, now;

		fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0)
			return nst_err_sys(err, errno, "%s", lock);
		while ((rc = flock(fd, LOCK_EX)) < 0 && errno == EINTR)
			;
		if (rc < 0) {
			rc = nst_err_sys(err, errno, "lock %s", lock);
			close(fd);
			return rc;
		}
		/* rm unlinks the lock file under the lock: one who waited on
		 * the old file must take the new one, or two would hold "it". */
		if (fstat(fd, &held) == 0 && stat(lock, &now) == 0 &&
		    held.st_dev == now.st_dev && held.st_ino == now.st_ino)
			break;
		close(fd);
		/* rm took the container away while we waited (a monitor wakes
		 * as rm -f kills its init): make no new lock file for a name
		 * that is gone, or one is left behind after rm returned. */
		if (!create && (rc = state_dir_check(ctx, name, dir, err)) < 0)
			return rc;
	}
	if (create) {
		if (mkdir(dir, 0700) < 0) {
			int e = errno;
			close(fd);
			if (e == EEXIST)
				return nst_err_set(err, EEXIST, "a container named %s exists", name);
			return nst_err_sys(err, e, "%s", dir);
		}
	} else if ((rc = state_dir_check(ctx, name, dir, err)) < 0) {
		/* Removed while we waited: the lock file is ours to take away. */
		unlink(lock);
		close(fd);
		return rc;
	}
	return fd;
}

void rt_unlock(int lockfd)
{
	if (lockfd >= 0)
		close(lockfd);
}

/* ---- state.json ----------------------------------------------------------- */

static json_t *json_time_iso(const struct timespec *ts)
{
	char buf[32];

	if (ts->tv_sec == 0 && ts->tv_nsec == 0)
		return json_null();
	if (nst_format_utc(ts->tv_sec, -1, buf, sizeof(buf)) < 0)
		return json_null();
	return json_string(buf);
}

/*
 * A JSON string of text that may hold any bytes (argv, paths): Linux does
 * not promise UTF-8, jansson refuses anything else, and a state that cannot
 * be written would refuse the container. Bytes outside UTF-8 become the
 * text \xNN.
 */
static json_t *json_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), o = 0;
	json_t *v;
	char *out;

	v = json_stringn(s, len);
	if (v)
		return v;
	out = malloc(len * 4 + 1);
	if (!out)
		return NULL;
	while (*p) {
		size_t n = nst_utf8_len(p);
		if (n) {
			memcpy(out + o, p, n);
			o += n;
			p += n;
		} else {
			o += (size_t)sprintf(out + o, "\\x%02x", *p++);
		}
	}
	v = json_stringn(out, o);
	free(out);
	return v;
}

static json_t *json_opt_int(int64_t v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *limits_json(const struct rt_limits *l)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
			 "memory_bytes", json_opt_int(l->memory_bytes),
			 "cpu_quota_usec", json_opt_int(l->cpu_quota_us),
			 "cpu_period_usec", json_opt_int(l->cpu_period_us),
			 "cpu_weight", json_opt_int(l->cpu_weight),
			 "cpuset", l->cpuset[0] ? json_text(l->cpuset) : json_null(),
			 "pids_max", json_opt_int(l->pids_max));
}

json_t *rt_state_mounts_json(const struct rt_state *st)
{
	json_t *m = st->mounts[0] ? json_loads(st->mounts, 0, NULL) : NULL;

	if (json_is_array(m))
		return m;
	json_decref(m);
	return json_array();
}

json_t *rt_state_json(const struct rt_state *st)
{
	return json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "name", json_text(st->name),
			 "state", rt_status_name(st->status),
			 "pid", st->pid > 0 ? json_integer(st->pid) : json_null(),
			 "created", json_time_iso(&st->created),
			 "rootfs", st->rootfs[0] ? json_text(st->rootfs) : json_null(),
			 "limits", limits_json(&st->limits),
			 "exit_code", st->exit_code >= 0 ? json_integer(st->exit_code) : json_null(),
			 "command", json_text(st->command),
			 "hostname", json_text(st->hostname),
			 "cgroup", json_text(st->cgroup),
			 "finished", json_time_iso(&st->finished),
			 "mounts", rt_state_mounts_json(st));
}

json_t *rt_state_file_json(const struct rt_state *st)
{
	json_t *doc = rt_state_json(st);

	if (!doc)
		return NULL;
	/* What the listing leaves out but the next nstop needs: exact times,
	 * the monitor, and how the container was made. */
	if (json_object_update_new(doc, json_pack(
		"{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:b, s:b, s:b, s:s}",
		"pid_start", (json_int_t)st->pid_start,
		"monitor", (json_int_t)st->monitor,
		"monitor_start", (json_int_t)st->monitor_start,
		"created_sec", (json_int_t)st->created.tv_sec,
		"created_nsec", (json_int_t)st->created.tv_nsec,
		"finished_sec", (json_int_t)st->finished.tv_sec,
		"finished_nsec", (json_int_t)st->finished.tv_nsec,
		"overlay", st->overlay, "detached", st->detached,
		"remove", st->remove, "userns", st->userns,
		"net", rt_net_name(st->net))) < 0 ||
	    (st->net_name[0] && json_object_set_new(doc, "net_name",
						    json_string(st->net_name)) < 0)) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/*
 * A number member within lo..hi into *out, dflt when absent; false when it
 * is there but not an integer in range. Threat: a state file's numbers
 * (written by a crash, a forger, another build) cut to fit an int or a
 * pid_t: 2^40 would read as exit code 0, a huge pid as some other one.
 */
static bool get_int(json_t *o, const char *key, int64_t lo, int64_t hi, int64_t dflt,
		    int64_t *out)
{
	json_t *v = json_object_get(o, key);

	*out = dflt;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return false;
	*out = (int64_t)json_integer_value(v);
	return true;
}

static bool get_bool(json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

/* Copies a string member; false when it is there but does not fit. */
static bool get_str(json_t *o, const char *key, char *out, size_t size)
{
	json_t *v = json_object_get(o, key);

	out[0] = '\0';
	if (!json_is_string(v))
		return true;
	if (json_string_length(v) >= size || strlen(json_string_value(v)) != json_string_length(v))
		return false;
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	return true;
}

/*
 * The state's "mounts" into st->mounts as compact text, each entry checked
 * for its shape. Threat: a forged entry taken for a volume to remove or a
 * path to show; its names are checked again where they are used.
 */
static int mounts_from_json(json_t *m, struct rt_state *st, struct nst_err *err)
{
	static const char *const types[] = { "bind", "volume", "anonymous" };
	json_t *e;
	char *text;
	size_t i;

	st->mounts[0] = '\0';
	if (!m || json_is_null(m) || (json_is_array(m) && json_array_size(m) == 0))
		return 0;
	if (!json_is_array(m) || json_array_size(m) > RT_MAX_VOLUMES)
		return nst_err_set(err, EINVAL, "state of %s has mounts that are not valid", st->name);
	json_array_foreach(m, i, e) {
		const char *type = json_string_value(json_object_get(e, "type"));
		json_t *name = json_object_get(e, "name");
		bool known = false;

		for (size_t t = 0; type && t < 3; t++)
			known |= strcmp(type, types[t]) == 0;
		if (!known || !json_is_string(json_object_get(e, "source")) ||
		    !json_is_string(json_object_get(e, "destination")) ||
		    !json_is_boolean(json_object_get(e, "ro")) ||
		    (strcmp(type, "bind") == 0 ? !json_is_null(name) :
		     (!json_is_string(name) || rt_volume_name_check(json_string_value(name), NULL) < 0)))
			return nst_err_set(err, EINVAL, "state of %s has a mount that is not valid",
					   st->name);
	}
	text = json_dumps(m, JSON_COMPACT);
	if (!text)
		return nst_err_set(err, ENOMEM, "state of %s: out of memory", st->name);
	if (strlen(text) >= sizeof(st->mounts)) {
		free(text);
		return nst_err_set(err, EINVAL, "state of %s has mounts too long", st->name);
	}
	memcpy(st->mounts, text, strlen(text) + 1);
	free(text);
	return 0;
}

int rt_state_from_json(json_t *doc, struct rt_state *st, struct nst_err *err)
{
	json_t *limits;
	char status[16];

	rt_state_init(st);
	if (!json_is_object(doc))
		return nst_err_set(err, EINVAL, "state is not a JSON object");
	if (!get_str(doc, "name", st->name, sizeof(st->name)) ||
	    rt_name_check(st->name, NULL) < 0)
		return nst_err_set(err, EINVAL, "state has no valid name");
	if (!get_str(doc, "state", status, sizeof(status)) ||
	    status_from_name(status, &st->status) < 0)
		return nst_err_set(err, EINVAL, "state of %s has an unknown status '%s'",
				   st->name, status);
	if (!get_str(doc, "rootfs", st->rootfs, sizeof(st->rootfs)) ||
	    !get_str(doc, "hostname", st->hostname, sizeof(st->hostname)) ||
	    !get_str(doc, "cgroup", st->cgroup, sizeof(st->cgroup)) ||
	    !get_str(doc, "command", st->command, sizeof(st->command)) ||
	    !get_str(doc, "net", status, sizeof(status)) ||
	    !get_str(doc, "net_name", st->net_name, sizeof(st->net_name)))
		return nst_err_set(err, EINVAL, "state of %s has a string too long", st->name);
	st->net = RT_NET_NONE;
	for (enum rt_net m = RT_NET_NONE; m <= RT_NET_LAST; m++)
		if (strcmp(status, rt_net_name(m)) == 0)
			st->net = m;
	{
		/* pids to the kernel's PID_MAX_LIMIT; exit codes as a shell
		 * shows them (0..255, 128 + signal) */
		int64_t pid, mon, ps, ms, cs, cn, fs, fn, code;
		if (!get_int(doc, "pid", 0, 4194304, 0, &pid) ||
		    !get_int(doc, "pid_start", 0, INT64_MAX, 0, &ps) ||
		    !get_int(doc, "monitor", 0, 4194304, 0, &mon) ||
		    !get_int(doc, "monitor_start", 0, INT64_MAX, 0, &ms) ||
		    !get_int(doc, "created_sec", 0, INT64_MAX, 0, &cs) ||
		    !get_int(doc, "created_nsec", 0, 999999999, 0, &cn) ||
		    !get_int(doc, "finished_sec", 0, INT64_MAX, 0, &fs) ||
		    !get_int(doc, "finished_nsec", 0, 999999999, 0, &fn) ||
		    !get_int(doc, "exit_code", -1, 255, -1, &code))
			return nst_err_set(err, ERANGE, "state of %s has a number out of range",
					   st->name);
		st->pid = (pid_t)pid;
		st->pid_start = (unsigned long long)ps;
		st->monitor = (pid_t)mon;
		st->monitor_start = (unsigned long long)ms;
		st->created.tv_sec = (time_t)cs;
		st->created.tv_nsec = (long)cn;
		st->finished.tv_sec = (time_t)fs;
		st->finished.tv_nsec = (long)fn;
		st->exit_code = (int)code;
	}
	st->overlay = get_bool(doc, "overlay");
	st->detached = get_bool(doc, "detached");
	st->remove = get_bool(doc, "remove");
	st->userns = get_bool(doc, "userns");
	if (mounts_from_json(json_object_get(doc, "mounts"), st, err) < 0)
		return -err->code;
	limits = json_object_get(doc, "limits");
	/* one spelling for one unit, as cgroups[] and DESIGN's contract
	 * (cpu_usage_usec); a state written before says cpu_quota_us */
	if (json_is_object(limits)) {
		struct rt_limits *l = &st->limits;
		if (!get_int(limits, "memory_bytes", -1, INT64_MAX, -1, &l->memory_bytes) ||
		    !get_int(limits, json_object_get(limits, "cpu_quota_usec") ? "cpu_quota_usec" :
			     "cpu_quota_us", -1, INT64_MAX, -1, &l->cpu_quota_us) ||
		    !get_int(limits, json_object_get(limits, "cpu_period_usec") ? "cpu_period_usec" :
			     "cpu_period_us", -1, INT64_MAX, -1, &l->cpu_period_us) ||
		    !get_int(limits, "cpu_weight", -1, 10000, -1, &l->cpu_weight) ||
		    !get_int(limits, "pids_max", -1, INT64_MAX, -1, &l->pids_max))
			return nst_err_set(err, ERANGE, "state of %s has a limit out of range",
					   st->name);
		if (!get_str(limits, "cpuset", st->limits.cpuset, sizeof(st->limits.cpuset)))
			return nst_err_set(err, EINVAL, "state of %s has a cpuset too long",
					   st->name);
	}
	return 0;
}

int rt_state_write(struct rt_ctx *ctx, const struct rt_state *st, struct nst_err *err)
{
	char path[RT_PATH_MAX], tmp[RT_PATH_MAX];
	char *text;
	json_t *doc;
	int fd, rc = 0;

	rt_state_path(ctx, st->name, RT_STATE_FILE, path, sizeof(path));
	rt_state_path(ctx, st->name, RT_STATE_FILE ".tmp", tmp, sizeof(tmp));
	doc = rt_state_file_json(st);
	if (!doc)
		return nst_err_set(err, ENOMEM, "state of %s: cannot build JSON", st->name);
	/* The directory is never made here: a container removed meanwhile
	 * stays removed. */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		rc = errno == ENOENT ?
		     nst_err_set(err, ENOENT, "no such container: %s", st->name) :
		     nst_err_sys(err, errno, "%s", tmp);
		json_decref(doc);
		return rc;
	}
	/* One write: json_dumpfd would make a syscall per token. */
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!text) {
		rc = nst_err_set(err, ENOMEM, "state of %s: cannot build JSON", st->name);
	} else {
		size_t len = strlen(text);
		text[len] = '\n';	/* over the NUL; the length is known */
		errno = 0;
		if (write(fd, text, len + 1) != (ssize_t)(len + 1))
			rc = nst_err_sys(err, errno ? errno : EIO, "write %s", tmp);
		free(text);
	}
	/*
	 * No fsync: the rename alone shows readers a whole file, old or new,
	 * and what the file describes (processes, cgroups) does not outlive a
	 * crash, so making it durable would keep nothing true. On a /run that
	 * is not a tmpfs it cost a launch up to 5 ms. A file a crash left
	 * empty lists as exited and rm -f removes it.
	 */
	if (close(fd) < 0 && rc == 0)
		rc = nst_err_sys(err, errno, "close %s", tmp);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = nst_err_sys(err, errno, "rename %s", tmp);
	if (rc < 0)
		unlink(tmp);
	return rc;
}

int rt_state_read(struct rt_ctx *ctx, const char *name, struct rt_state *st,
		  struct nst_err *err)
{
	char path[RT_PATH_MAX], *text;
	struct nst_err e;
	json_error_t jerr;
	json_t *doc;
	long n;
	int rc;

	rc = rt_name_check(name, err);
	if (rc < 0)
		return rc;
	rt_state_path(ctx, name, RT_STATE_FILE, path, sizeof(path));
	/* a state is a few hundred bytes; 1 MiB bounds what a planted file
	 * makes us read */
	n = nst_slurp_regular(AT_FDCWD, path, 1 << 20, &text, &e);
	if (n == -ENOENT)
		return nst_err_set(err, ENOENT, "no such container: %s", name);
	/* anything but a readable regular file is a state that is not valid */
	if (n < 0)
		return nst_err_set(err, n == -ENOMEM ? ENOMEM : EINVAL, "%s", e.msg);
	doc = json_loadb(text, (size_t)n, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (!doc)
		return nst_err_set(err, EINVAL, "%s: %s (line %d)", path, jerr.text,
				   jerr.line);
	rc = rt_state_from_json(doc, st, err);
	json_decref(doc);
	if (rc < 0)
		return rc;
	if (strcmp(st->name, name) != 0)
		return nst_err_set(err, EINVAL, "%s: names container %s", path, st->name);
	return 0;
}

/* ---- refreshed from the kernel ------------------------------------------ */

/* Whether pid sits in the container's cgroups (or below them). */
static bool proc_in_container(pid_t pid, const char *name)
{
	char path[64], buf[4096], want[RT_NAME_MAX + 16];
	size_t wl;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if (nst_read_at(AT_FDCWD, path, buf, sizeof(buf)) < 0)
		return false;
	wl = (size_t)snprintf(want, sizeof(want), ":%s/%s", RT_CGROUP_PARENT, name);
	for (char *p = buf; (p = strstr(p, want)); p += wl)
		if (p[wl] == '\n' || p[wl] == '/' || p[wl] == '\0')
			return true;
	return false;
}

static void state_refresh(struct rt_ctx *ctx, struct rt_state *st)
{
	struct rt_cg cg;
	bool alive;

	if (st->status == RT_EXITED) {
		st->pid = 0;
		return;
	}
	/* Threat: a forged or stale state naming a host process. The pid
	 * counts only while it sits in the container's own cgroups. */
	alive = rt_proc_alive(st->pid, st->pid_start) && proc_in_container(st->pid, st->name);
	if (!alive) {
		/* The monitor records the end; until it does (or when it died
		 * too, a stale state), exited with the code unknown. */
		st->status = RT_EXITED;
		st->pid = 0;
		return;
	}
	if (rt_cg_open(ctx, st->name, &cg, NULL) == 0) {
		if (rt_cg_frozen(&cg))
			st->status = RT_FROZEN;
		else if (st->status == RT_FROZEN)
			st->status = RT_RUNNING;
		rt_cg_close(&cg);
	}
}

/*
 * Threat: kill or exec acting on a pid from a state file that is not the
 * container's (forged, or reused since the init ended): a host process
 * signalled or entered. The pidfd is opened first; the checks after it
 * (alive, the recorded start time, in the container's cgroups) are about
 * the pidfd's process as long as that has not been reaped, which a signal
 * 0 through the pidfd then proves. What is done through the pidfd after
 * that can reach no other process.
 */
int rt_pid_open_verified(const struct rt_state *st, struct nst_err *err)
{
	int pidfd;

	if (st->pid <= 0)
		return nst_err_set(err, ESRCH, "container %s is not running", st->name);
	pidfd = (int)syscall(SYS_pidfd_open, st->pid, 0);
	if (pidfd < 0)
		return errno == ESRCH ?
		       nst_err_set(err, ESRCH, "container %s has exited", st->name) :
		       nst_err_sys(err, errno, "pidfd_open %d", (int)st->pid);
	if (!rt_proc_alive(st->pid, st->pid_start) || !proc_in_container(st->pid, st->name) ||
	    syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0) {
		close(pidfd);
		return nst_err_set(err, ESRCH,
				   "container %s: pid %d is not its init (not in its cgroups)",
				   st->name, (int)st->pid);
	}
	return pidfd;
}

int rt_state_load(struct rt_ctx *ctx, const char *name, struct rt_state *st,
		  struct nst_err *err)
{
	int rc = rt_state_read(ctx, name, st, err);

	if (rc < 0)
		return rc;
	state_refresh(ctx, st);
	return 0;
}

bool rt_container_of_cgroup(const char *path, char *name)
{
	const size_t plen = strlen(RT_CGROUP_PARENT);
	const char *p;
	size_t len;
	char buf[RT_NAME_MAX + 1];

	if (strncmp(path, RT_CGROUP_PARENT, plen) != 0 || path[plen] != '/')
		return false;
	p = path + plen + 1;
	len = strcspn(p, "/");
	if (len == 0 || len > RT_NAME_MAX)
		return false;
	memcpy(buf, p, len);
	buf[len] = '\0';
	if (rt_name_check(buf, NULL) < 0)
		return false;
	memcpy(name, buf, len + 1);
	return true;
}

/* ---- removal ------------------------------------------------------------ */

/*
 * rm -rf of name below parent, never following a symlink and never
 * crossing into another mount: a bind mount left inside (a rootfs, a
 * volume) would otherwise have its contents deleted along with the state.
 */
static int remove_tree(int parent, const char *name, dev_t dev, int depth,
		       const char *top, struct nst_err *err)
{
	struct statx sx;
	struct dirent *de;
	DIR *d;
	int fd, rc = 0;

	if (depth > RT_RM_DEPTH)
		return nst_err_set(err, ELOOP, "%s: more than %d levels deep", top,
				   RT_RM_DEPTH);
	fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return nst_err_sys(err, errno, "%s: %s", top, name);
	if (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx) < 0) {
		rc = nst_err_sys(err, errno, "%s: %s", top, name);
		close(fd);
		return rc;
	}
	if (makedev(sx.stx_dev_major, sx.stx_dev_minor) != dev ||
	    ((sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	     (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT))) {
		close(fd);
		return nst_err_set(err, EBUSY,
				   "%s: %s is a mount point; not removing what is mounted there",
				   top, name);
	}
	d = fdopendir(fd);
	if (!d) {
		rc = nst_err_sys(err, errno, "%s: %s", top, name);
		close(fd);
		return rc;
	}
	while (rc == 0 && (de = readdir(d))) {
		bool isdir = de->d_type == DT_DIR;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (de->d_type == DT_UNKNOWN) {
			struct stat sb;
			if (fstatat(fd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
				continue;
			isdir = S_ISDIR(sb.st_mode);
		}
		if (isdir)
			rc = remove_tree(fd, de->d_name, dev, depth + 1, top, err);
		else if (unlinkat(fd, de->d_name, 0) < 0 && errno != ENOENT)
			rc = nst_err_sys(err, errno, "%s: unlink %s", top, de->d_name);
	}
	closedir(d);
	if (rc == 0 && unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		rc = nst_err_sys(err, errno, "%s: rmdir %s", top, name);
	return rc;
}

bool rt_lock_remove_stale(struct rt_ctx *ctx, const char *name)
{
	char lock[RT_PATH_MAX], dir[RT_PATH_MAX];
	bool gone = false;
	int fd;

	if (rt_name_check(name, NULL) < 0)
		return false;
	snprintf(lock, sizeof(lock), "%s/%s%s", ctx->state_dir, name, RT_LOCK_SUFFIX);
	fd = open(lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return false;
	/* Held by no one and still without its directory: one waiting on it
	 * next sees the file gone (rt_lock compares inodes) and takes a new one. */
	if (flock(fd, LOCK_EX | LOCK_NB) == 0 &&
	    access(rt_state_path(ctx, name, NULL, dir, sizeof(dir)), F_OK) < 0 && errno == ENOENT)
		gone = unlink(lock) == 0;
	close(fd);
	return gone;
}

int rt_state_remove(struct rt_ctx *ctx, const char *name, struct nst_err *err)
{
	char dir[RT_PATH_MAX], lock[RT_PATH_MAX];
	struct stat sb;
	int base, rc = 0;

	rc = rt_name_check(name, err);
	if (rc < 0)
		return rc;
	rt_state_path(ctx, name, NULL, dir, sizeof(dir));
	base = open(ctx->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (base < 0)
		return errno == ENOENT ? 0 : nst_err_sys(err, errno, "%s", ctx->state_dir);
	if (fstat(base, &sb) < 0) {
		rc = nst_err_sys(err, errno, "%s", ctx->state_dir);
	} else if (fstatat(base, name, &(struct stat){0}, AT_SYMLINK_NOFOLLOW) == 0) {
		rc = remove_tree(base, name, sb.st_dev, 0, dir, err);
	}
	if (rc == 0) {
		snprintf(lock, sizeof(lock), "%s%s", name, RT_LOCK_SUFFIX);
		if (unlinkat(base, lock, 0) < 0 && errno != ENOENT)
			rc = nst_err_sys(err, errno, "%s/%s", ctx->state_dir, lock);
	}
	close(base);
	return rc;
}

json_t *rt_json_text(const char *s)
{
	return json_text(s);
}

int rt_remove_tree(int parent, const char *name, dev_t dev, const char *top,
		   struct nst_err *err)
{
	return remove_tree(parent, name, dev, 0, top, err);
}
