/*
 * The parsers and validators of the runtime's inputs, shared by the command
 * line and the TUI's forms. Each error is one line naming the value and the
 * rule it broke, so a front end can print it as it is.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <net/if.h>

#include "nstop/size.h"
#include "rt-internal.h"

void rt_limits_init(struct rt_limits *l)
{
	l->memory_bytes = -1;
	l->cpu_quota_us = -1;
	l->cpu_period_us = -1;
	l->cpu_weight = -1;
	l->cpuset[0] = '\0';
	l->pids_max = -1;
}

/*
 * The name becomes a directory under RT_STATE_DIR and a cgroup in every
 * hierarchy, so anything that could climb out of either ("/", ".."), hide
 * (a leading '.'), pass for an option (a leading '-') or garble a terminal
 * is refused.
 */
int rt_name_check(const char *name, struct nst_err *err)
{
	size_t len = strlen(name);

	if (len == 0)
		return nst_err_usage(err, EINVAL, "container name is empty");
	if (len > RT_NAME_MAX)
		return nst_err_usage(err, EINVAL,
				   "container name is %zu characters long, at most %d allowed",
				   len, RT_NAME_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c >= 0x7f)
			return nst_err_usage(err, EINVAL,
					   "container name has a non-printable character (0x%02x) at %zu",
					   c, i);
	}
	if (strchr(name, '/'))
		return nst_err_usage(err, EINVAL, "container name '%s' contains '/'", name);
	if (strstr(name, ".."))
		return nst_err_usage(err, EINVAL, "container name '%s' contains '..'", name);
	if (name[0] == '-' || name[0] == '.')
		return nst_err_usage(err, EINVAL,
				   "container name '%s' must not begin with '%c'", name, name[0]);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (!isalnum(c) && c != '_' && c != '.' && c != '-')
			return nst_err_usage(err, EINVAL,
					   "container name '%s' has '%c': only letters, digits, '_', '.' and '-' are allowed",
					   name, c);
	}
	return 0;
}

static long online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? n : 1;
}

int rt_parse_cpus(const char *s, int64_t *quota_us, int64_t *period_us,
		  struct nst_err *err)
{
	/* The kernel's default period; the quota carries the fraction. */
	const int64_t period = 100000;
	long ncpu = online_cpus();
	int64_t whole, nano, quota;
	const char *p = s;

	if (*p == '-')
		return nst_err_set(err, EINVAL, "cpu count '%s' is negative", s);
	p = nst_parse_decimal(p, &whole, &nano);
	if (!p || *p)
		return nst_err_set(err, EINVAL,
				   "cpu count '%s' is not a decimal number such as 0.5 or 2", s);
	if (whole > ncpu || (whole == ncpu && nano > 0))
		return nst_err_set(err, ERANGE,
				   "cpu count '%s' is more than the %ld cpus online", s, ncpu);
	quota = whole * period + nano / (1000000000 / period);
	/* The kernel refuses a quota under 1 ms. */
	if (quota < 1000)
		return nst_err_set(err, ERANGE,
				   "cpu count '%s' is less than the smallest, 0.01", s);
	*quota_us = quota;
	*period_us = period;
	return 0;
}

/* A whole number in [min, max]; rule names what is parsed. */
static int parse_int_range(const char *s, int64_t min, int64_t max,
			   const char *what, int64_t *out, struct nst_err *err)
{
	char *end;
	long long v;

	if (!isdigit((unsigned char)s[0]) && s[0] != '-')
		return nst_err_set(err, EINVAL, "%s '%s' is not a whole number", what, s);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end)
		return nst_err_set(err, EINVAL, "%s '%s' is not a whole number", what, s);
	if (errno == ERANGE || v < min || v > max)
		return nst_err_set(err, ERANGE, "%s '%s' is not in %lld..%lld", what, s,
				   (long long)min, (long long)max);
	*out = v;
	return 0;
}

int rt_parse_cpu_weight(const char *s, int64_t *weight, struct nst_err *err)
{
	return parse_int_range(s, 1, 10000, "cpu weight", weight, err);
}

int rt_parse_pids(const char *s, int64_t *pids, struct nst_err *err)
{
	/* PID_MAX_LIMIT: pids.max takes nothing larger. */
	return parse_int_range(s, 1, 4194304, "pid limit", pids, err);
}

#define RT_CPU_LIMIT 8192

/* "0-3,8" into a bitmap of RT_CPU_LIMIT bits; what names it in errors. */
static int cpulist_parse(const char *s, const char *what, unsigned char *map,
			 struct nst_err *err)
{
	const char *p = s;

	memset(map, 0, RT_CPU_LIMIT / 8);
	if (!*p)
		return nst_err_set(err, EINVAL, "%s is empty", what);
	for (;;) {
		char *end;
		long a, b;

		if (!isdigit((unsigned char)*p))
			goto bad;
		a = strtol(p, &end, 10);
		b = a;
		p = end;
		if (*p == '-') {
			p++;
			if (!isdigit((unsigned char)*p))
				goto bad;
			b = strtol(p, &end, 10);
			p = end;
		}
		if (a > b)
			return nst_err_set(err, EINVAL, "%s '%s': range %ld-%ld runs backwards",
					   what, s, a, b);
		if (b >= RT_CPU_LIMIT)
			return nst_err_set(err, ERANGE, "%s '%s': cpu %ld does not exist",
					   what, s, b);
		for (long c = a; c <= b; c++)
			map[c / 8] |= (unsigned char)(1u << (c % 8));
		if (*p == '\0')
			return 0;
		if (*p++ != ',')
			goto bad;
	}
bad:
	return nst_err_set(err, EINVAL,
			   "%s '%s' is not a list of cpus such as 0-1,3", what, s);
}

int rt_parse_cpuset_in(const char *s, const char *online, char *out, size_t size,
		       struct nst_err *err)
{
	unsigned char want[RT_CPU_LIMIT / 8], have[RT_CPU_LIMIT / 8];
	char on[256];
	size_t len;
	int rc;

	rc = cpulist_parse(s, "cpuset", want, err);
	if (rc < 0)
		return rc;
	snprintf(on, sizeof(on), "%s", online);
	len = strlen(on);
	while (len && isspace((unsigned char)on[len - 1]))
		on[--len] = '\0';
	rc = cpulist_parse(on, "the online cpus", have, err);
	if (rc < 0)
		return rc;
	for (int c = 0; c < RT_CPU_LIMIT; c++)
		if ((want[c / 8] & (1u << (c % 8))) && !(have[c / 8] & (1u << (c % 8))))
			return nst_err_set(err, EINVAL,
					   "cpuset '%s': cpu %d is not online (online: %s)",
					   s, c, on);
	if (strlen(s) >= size)
		return nst_err_set(err, ERANGE, "cpuset '%s' is too long", s);
	snprintf(out, size, "%s", s);
	return 0;
}

int rt_parse_cpuset(const char *s, char *out, size_t size, struct nst_err *err)
{
	char online[256];
	long n = nst_read_at(AT_FDCWD, "/sys/devices/system/cpu/online",
			     online, sizeof(online));

	if (n < 0)
		return nst_err_sys(err, (int)-n, "/sys/devices/system/cpu/online");
	return rt_parse_cpuset_in(s, online, out, size, err);
}

int rt_limits_parse(struct rt_limits *l, const char *name, const char *s, struct nst_err *err)
{
	if (strcmp(name, "memory") == 0)
		return nst_parse_size(s, &l->memory_bytes, err);
	if (strcmp(name, "cpus") == 0)
		return rt_parse_cpus(s, &l->cpu_quota_us, &l->cpu_period_us, err);
	if (strcmp(name, "cpu-weight") == 0)
		return rt_parse_cpu_weight(s, &l->cpu_weight, err);
	if (strcmp(name, "cpuset") == 0)
		return rt_parse_cpuset(s, l->cpuset, sizeof(l->cpuset), err);
	if (strcmp(name, "pids") == 0)
		return rt_parse_pids(s, &l->pids_max, err);
	return nst_err_usage(err, EINVAL, "no limit named '%s'", name);
}

int rt_parse_signal(const char *s, int *sig, struct nst_err *err)
{
	const char *name = s;
	int64_t v;

	if (isdigit((unsigned char)s[0])) {
		if (parse_int_range(s, 1, SIGRTMAX, "signal", &v, err) < 0)
			return -EINVAL;
		*sig = (int)v;
		return 0;
	}
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (int i = 1; i < SIGRTMIN; i++) {
		const char *abbrev = sigabbrev_np(i);
		if (abbrev && strcasecmp(name, abbrev) == 0) {
			*sig = i;
			return 0;
		}
	}
	/* RTMIN, RTMIN+N, RTMAX, RTMAX-N, as kill(1) takes them. */
	if (strncasecmp(name, "RTMIN", 5) == 0 || strncasecmp(name, "RTMAX", 5) == 0) {
		bool min = toupper((unsigned char)name[4]) == 'N';
		const char *p = name + 5;
		int64_t off = 0;

		if (*p && ((min && *p != '+') || (!min && *p != '-')))
			goto unknown;
		if (*p && parse_int_range(p + 1, 0, SIGRTMAX - SIGRTMIN, "signal offset",
					  &off, err) < 0)
			goto unknown;
		*sig = min ? SIGRTMIN + (int)off : SIGRTMAX - (int)off;
		return 0;
	}
unknown:
	return nst_err_set(err, EINVAL,
			   "signal '%s' is neither a number in 1..%d nor a name such as TERM or SIGKILL",
			   s, SIGRTMAX);
}

/* True when path has a ".." component. */
static bool has_dotdot(const char *path)
{
	for (const char *p = path; (p = strstr(p, "..")); p += 2)
		if ((p == path || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
			return true;
	return false;
}

/*
 * A volume's name becomes one directory below RT_DATA_DIR/volumes: Docker's
 * rule [a-zA-Z0-9][a-zA-Z0-9_.-]* leaves no '/', no NUL, no leading '.'
 * (so never "." or ".." nor the store's own ".lock" and ".new-*"), and the
 * length is bounded well below NAME_MAX.
 */
int rt_volume_name_check(const char *name, struct nst_err *err)
{
	size_t len = strlen(name);

	if (len == 0)
		return nst_err_set(err, EINVAL, "volume name is empty");
	if (len > RT_VOLUME_NAME_MAX)
		return nst_err_set(err, EINVAL,
				   "volume name is %zu characters long, at most %d allowed",
				   len, RT_VOLUME_NAME_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c >= 0x7f)
			return nst_err_set(err, EINVAL,
					   "volume name has a non-printable character (0x%02x) at %zu",
					   c, i);
		if (!isalnum(c) && (i == 0 || (c != '_' && c != '.' && c != '-')))
			return nst_err_set(err, EINVAL,
					   "volume name '%s' has '%c' at %zu: only [a-zA-Z0-9][a-zA-Z0-9_.-]* (a host directory is an absolute path)",
					   name, c, i);
	}
	return 0;
}

/* The mount's target: absolute, not the root, never climbing out of it. */
static int volume_dst_check(const char *dst, struct nst_err *err)
{
	if (dst[0] != '/')
		return nst_err_set(err, EINVAL,
				   "volume destination '%s' is not an absolute path", dst);
	/* A ".." could lead the bind mount out of the container's root. */
	if (has_dotdot(dst))
		return nst_err_set(err, EINVAL,
				   "volume destination '%s' contains '..'", dst);
	if (strspn(dst, "/") == strlen(dst))
		return nst_err_set(err, EINVAL,
				   "volume destination '%s' is the container's root", dst);
	if (strlen(dst) >= RT_PATH_MAX)
		return nst_err_set(err, ENAMETOOLONG, "volume destination is too long");
	return 0;
}

static int volume_mode(const char *mode, bool *ro, struct nst_err *err)
{
	*ro = false;
	if (!mode)
		return 0;
	if (strcmp(mode, "ro") == 0)
		*ro = true;
	else if (strcmp(mode, "rw") != 0)
		return nst_err_set(err, EINVAL, "volume mode '%s' is neither ro nor rw", mode);
	return 0;
}

int rt_parse_volume(char *s, struct rt_volume *v, struct nst_err *err)
{
	char *dst, *mode;
	struct stat sb;
	int rc;

	v->kind = RT_VOL_BIND;
	v->src = NULL;
	v->ro = false;
	dst = strchr(s, ':');
	/* "/DST" or "/DST:MODE": a volume of its own (Docker's anonymous one) */
	if (s[0] == '/' && (!dst || strcmp(dst + 1, "ro") == 0 || strcmp(dst + 1, "rw") == 0)) {
		mode = dst;
		if (mode)
			*mode++ = '\0';
		v->kind = RT_VOL_ANON;
		v->dst = s;
		if ((rc = volume_mode(mode, &v->ro, err)) < 0)
			return rc;
		return volume_dst_check(s, err);
	}
	if (!dst)
		return nst_err_set(err, EINVAL,
				   "volume '%s' is not /DST, NAME:/DST[:ro] or /SRC:/DST[:ro]", s);
	*dst++ = '\0';
	mode = strchr(dst, ':');
	if (mode)
		*mode++ = '\0';
	v->src = s;
	v->dst = dst;
	/* "/X:Y": the anonymous volume /X with a mode Y, or the host path /X
	 * at Y; neither when Y is no mode and not absolute */
	if (s[0] == '/' && !mode && dst[0] != '/')
		return nst_err_set(err, EINVAL,
				   "volume %s:%s: '%s' is neither a mode (ro, rw) nor an absolute destination",
				   s, dst, dst);
	if ((rc = volume_mode(mode, &v->ro, err)) < 0)
		return rc;
	if (s[0] != '/') {
		v->kind = RT_VOL_NAMED;
		if ((rc = rt_volume_name_check(s, err)) < 0)
			return rc;
		return volume_dst_check(dst, err);
	}
	if ((rc = volume_dst_check(dst, err)) < 0)
		return rc;
	if (strlen(s) >= RT_PATH_MAX)
		return nst_err_set(err, ENAMETOOLONG, "volume source is too long");
	if (stat(s, &sb) < 0)
		return nst_err_sys(err, errno, "volume source %s", s);
	return 0;
}

/* Bridge names become interface names and nft identifiers (net-nat.c): the
 * characters both take, within IFNAMSIZ. */
int rt_bridge_name_check(const char *name, struct nst_err *err)
{
	size_t n = strlen(name);

	if (n == 0 || n >= IFNAMSIZ || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return nst_err_usage(err, EINVAL, "invalid bridge name '%.32s': 1 to %d characters",
				     name, IFNAMSIZ - 1);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("_.-", name[i]))
			return nst_err_usage(err, EINVAL,
					     "invalid bridge name '%.32s': letters, digits, '_', '.', '-'",
					     name);
	return 0;
}

/* A netns name is opened as one component under /run/netns (net-ns.c):
 * no '/', no "." or "..", nothing a terminal would act on. */
int rt_netns_name_check(const char *name, struct nst_err *err)
{
	size_t n = strlen(name);

	if (n == 0 || n > NAME_MAX || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return nst_err_usage(err, EINVAL, "invalid network namespace name '%.64s'", name);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (ch == '/' || ch <= ' ' || ch == 0x7f)
			return nst_err_usage(err, EINVAL,
					     "invalid network namespace name: no '/', space or control character");
	}
	return 0;
}

const char *rt_net_name(enum rt_net mode)
{
	switch (mode) {
	case RT_NET_HOST: return "host";
	case RT_NET_NETNS: return "netns";
	case RT_NET_CONTAINER: return "container";
	case RT_NET_BRIDGE: return "bridge";
	default: return "none";
	}
}

int rt_parse_net(const char *s, enum rt_net *mode, const char **name,
		 struct nst_err *err)
{
	*name = NULL;
	if (strcmp(s, "none") == 0) {
		*mode = RT_NET_NONE;
		return 0;
	}
	if (strcmp(s, "host") == 0) {
		*mode = RT_NET_HOST;
		return 0;
	}
	if (strncmp(s, "netns:", 6) == 0) {
		*mode = RT_NET_NETNS;
		*name = s + 6;
		return rt_netns_name_check(*name, err);
	}
	if (strncmp(s, "container:", 10) == 0) {
		*mode = RT_NET_CONTAINER;
		*name = s + 10;
		return rt_name_check(*name, err);
	}
	if (strcmp(s, "bridge") == 0 || strncmp(s, "bridge:", 7) == 0) {
		*mode = RT_NET_BRIDGE;
		*name = s[6] ? s + 7 : RT_BRIDGE_DEFAULT;
		return rt_bridge_name_check(*name, err);
	}
	return nst_err_set(err, EINVAL,
			   "none, host, bridge[:NAME], netns:NAME or container:NAME, not '%.64s'", s);
}
