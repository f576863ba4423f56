/* nstop run, nstop exec. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include <unistd.h>

#include "nstop/image.h"
#include "nstop/runtime.h"

#define CLI_MAX_ENV 256

/* -e NAME=VALUE or -e NAME, collected NULL-terminated into env. */
static int add_env(const char *verb, char **env, size_t *n, char *arg)
{
	if (arg[0] == '\0' || arg[0] == '=') {
		cli_usage_error(verb, "-e: not NAME=VALUE or NAME: '%s'", arg);
		return -1;
	}
	if (*n == CLI_MAX_ENV) {
		cli_usage_error(verb, "-e: at most %d", CLI_MAX_ENV);
		return -1;
	}
	env[(*n)++] = arg;
	env[*n] = NULL;
	return 0;
}

static void run_usage(FILE *f)
{
	fprintf(f,
"Usage:\n"
"  nstop run [options] [--] <command> [<argument>...]\n"
"  nstop run -d [options]\n"
"\n"
"Run a command in a new container: its own cgroup in every hierarchy, new\n"
"mount, pid, uts, ipc, net and cgroup namespaces, nstop's init as pid 1, and\n"
"by default the host's / read-only with a fresh /proc, /dev and /tmp.\n"
"Hardened: a small capability set, no_new_privs, a seccomp filter, masked\n"
"and read-only /proc and /sys paths (see HARDENING in nstop(1)).\n"
"\n"
"Options:\n"
"      --name <name>          the container's name (default: made up)\n"
"      --rootfs <dir>         this directory as the root instead of the host's /\n"
"      --rootfs <a>:<b>:...   directories stacked as overlay layers, <a> on top\n"
"                             (read-only unless --overlay)\n"
"      --overlay              a writable layer over --rootfs; <dir> is untouched\n"
"      --image <path>         run an image: an OCI layout (a directory or its tar)\n"
"                             or a docker save tarball; its Entrypoint, Cmd, Env,\n"
"                             WorkingDir and User apply, the command replaces Cmd\n"
"  -v, --volume <dst>[:ro]    a new anonymous volume at <dst>, removed with the\n"
"                             container (may be repeated, as the next two)\n"
"  -v, --volume <name>:<dst>[:ro]  the volume <name>, made on first use and kept\n"
"                             until nstop volume rm <name>\n"
"  -v, --volume <src>:<dst>[:ro]  bind-mount a host path (<src> begins with /)\n"
"  -e, --env <name>=<value>   set a variable (or -e <name>: the caller's value);\n"
"                             over a clean PATH, HOME, HOSTNAME, TERM, container\n"
"      --hostname <name>      the hostname inside (default: the name)\n"
"      --memory <size>        memory limit: 64M, 1.5G, 4096\n"
"      --cpus <n>             cpu limit in cpus: 0.5, 2\n"
"      --cpu-weight <w>       relative cpu weight, 1..10000\n"
"      --cpuset <cpus>        the cpus it may use: 0-1,3\n"
"      --pids <n>             the most processes it may have\n"
"      --net none|host        only a loopback (default), or the host's network\n"
"      --net bridge[:NAME]    eth0 on a veth pair to bridge NAME (default nstop0)\n"
"      --net netns:NAME       the network namespace `ip netns add NAME` made\n"
"      --net container:NAME   the network namespace of the running container NAME\n"
"      --nat                  with --net bridge: masquerading for the bridge's subnet\n"
"      --userns <uid>:<gid>[:<count>]  a user namespace whose root is this\n"
"                             host uid and gid (count: 65536)\n"
"  -d, --detach               run in the background; output to its log\n"
"      --rm                   remove the container when it ends\n"
"  -h, --help                 display this help\n"
"\n"
"In the foreground the exit status is the command's (128 + signal when a\n"
"signal ended it); with -d the name is printed once the command runs.\n"
"With -d and no command the container is idle: its init runs nothing and\n"
"waits (enter it with nstop exec) until it is killed or removed.\n");
}

static int parse_userns(const char *s, struct rt_spec *spec)
{
	unsigned long v[3] = { 0, 0, 65536 };
	const char *p = s;
	int n = 0;

	while (n < 3) {
		char *end;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		errno = 0;
		v[n++] = strtoul(p, &end, 10);
		if (errno || v[n - 1] > 4294967294UL)
			return -EINVAL;
		if (*end == '\0')
			break;
		if (*end != ':')
			return -EINVAL;
		p = end + 1;
	}
	if (n < 2 || v[2] == 0)
		return -EINVAL;
	spec->userns = true;
	spec->userns_uid = (uid_t)v[0];
	spec->userns_gid = (gid_t)v[1];
	spec->userns_count = (unsigned)v[2];
	return 0;
}

/* --image: the image into the store (progress on a terminal), its config
 * over the spec, then the run. */
static int cli_run_image(const char *path, struct rt_spec *spec, int *status, char *name,
			 struct nst_err *err)
{
	struct img_image img;
	struct img_run keep;
	int rc;

	if (geteuid() != 0)
		return nst_err_set(err, EPERM, "containers need root");
	if ((rc = img_load(path, isatty(2), &img, err)) < 0)
		return rc;
	if ((rc = img_apply(&img, spec, &keep, err)) == 0) {
		rc = rt_run(cli_runtime(), spec, status, name, err);
		img_run_free(&keep);
	}
	img_image_free(&img);
	return rc;
}

int cli_run(int argc, char **argv)
{
	enum { OPT_NAME = 256, OPT_ROOTFS, OPT_OVERLAY, OPT_HOSTNAME, OPT_LIMIT, OPT_NET,
	       OPT_NAT, OPT_USERNS, OPT_RM, OPT_IMAGE };
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, OPT_NAME },
		{ "rootfs", required_argument, NULL, OPT_ROOTFS },
		{ "overlay", no_argument, NULL, OPT_OVERLAY },
		{ "image", required_argument, NULL, OPT_IMAGE },
		{ "volume", required_argument, NULL, 'v' },
		{ "env", required_argument, NULL, 'e' },
		{ "hostname", required_argument, NULL, OPT_HOSTNAME },
		CLI_LIMIT_OPTIONS(OPT_LIMIT),
		{ "net", required_argument, NULL, OPT_NET },
		{ "nat", no_argument, NULL, OPT_NAT },
		{ "userns", required_argument, NULL, OPT_USERNS },
		{ "detach", no_argument, NULL, 'd' },
		{ "rm", no_argument, NULL, OPT_RM },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rt_spec spec;
	struct nst_err err;
	char name[RT_NAME_MAX + 1];
	char *env[CLI_MAX_ENV + 1] = { NULL };
	size_t nenv = 0;
	const char *image = NULL;
	int c, idx = 0, rc, status;

	rt_spec_init(&spec);
	nst_err_clear(&err);
	/* '+': the command's own options are not ours */
	while ((c = getopt_long(argc, argv, "+:v:e:dh", longopts, &idx)) != -1) {
		rc = 0;
		switch (c) {
		case OPT_NAME: spec.name = optarg; rc = rt_name_check(optarg, &err); break;
		case OPT_ROOTFS: spec.rootfs = optarg; break;
		case OPT_OVERLAY: spec.overlay = true; break;
		case OPT_IMAGE: image = optarg; break;
		case OPT_HOSTNAME: spec.hostname = optarg; break;
		case 'd': spec.detach = true; break;
		case OPT_RM: spec.remove = true; break;
		case 'e':
			if (add_env("run", env, &nenv, optarg) < 0)
				return CLI_USAGE;
			break;
		case 'v':
			if (spec.nvolumes == RT_MAX_VOLUMES)
				return cli_usage_error("run", "-v: at most %d volumes", RT_MAX_VOLUMES);
			rc = rt_parse_volume(optarg, &spec.volumes[spec.nvolumes++], &err);
			break;
		case OPT_LIMIT:
			rc = rt_limits_parse(&spec.limits, longopts[idx].name, optarg, &err);
			break;
		case OPT_NET:
			if (rt_parse_net(optarg, &spec.net, &spec.net_name, &err) < 0)
				return cli_usage_error("run", "--net: %s", err.msg);
			break;
		case OPT_NAT:
			spec.nat = true;
			break;
		case OPT_USERNS:
			if (parse_userns(optarg, &spec) < 0)
				return cli_usage_error("run", "--userns: not UID:GID[:COUNT]: %s", optarg);
			break;
		case 'h':
			run_usage(stdout);
			return CLI_OK;
		default:
			return cli_option_error("run", c, argv);
		}
		if (rc < 0) {
			/* the option as given: "--memory=1x", "--memory 1x", "-v..." */
			const char *tok = optarg == argv[optind - 1] && optind >= 2 ?
					  argv[optind - 2] : argv[optind - 1];
			char label[32];
			if (strncmp(tok, "--", 2) == 0)
				snprintf(label, sizeof(label), "%.*s", (int)strcspn(tok, "="), tok);
			else
				snprintf(label, sizeof(label), "-%c", c);
			return cli_usage_error("run", "%s: %s", label, err.msg);
		}
	}
	/* -d with no command: an idle container, to enter with nstop exec;
	 * the runtime's rules say what else is wrong (err.usage: exit 2) */
	/* before an image is loaded for nothing */
	if (rt_check_nat(spec.net, spec.nat, &err) < 0)
		return cli_usage_error("run", "%s", err.msg);
	if (image && spec.rootfs)
		return cli_usage_error("run", "--image and --rootfs: one root, not both");
	if (image && spec.userns)
		return cli_usage_error("run", "--image with --userns is not supported (the image's owners are not mapped)");
	spec.argv = optind < argc ? argv + optind : NULL;
	spec.env = env;
	/* No sealed copy of nstop: no process of the container ever runs
	 * nstop's binary, its init becomes the sealed reaper (rt-reaper.c). */
	fflush(stdout);
	if (!cli_runtime())
		return CLI_FAIL;
	if (image)
		rc = cli_run_image(image, &spec, &status, name, &err);
	else
		rc = rt_run(cli_runtime(), &spec, &status, name, &err);
	if (rc < 0 && err.usage)
		return cli_usage_error("run", "%s", err.msg);
	if (rc < 0) {
		cli_error("run: %s", err.msg);
		return CLI_FAIL;
	}
	if (spec.detach) {
		printf("%s\n", name);
		return CLI_OK;
	}
	return status;
}

static void exec_usage(FILE *f)
{
	fprintf(f,
"Usage:\n"
"  nstop exec [options] <name> [--] [<command> [<argument>...]]\n"
"\n"
"Run a command in a running container: in its cgroups and every one of its\n"
"namespaces, in its root, with its capabilities and seccomp filter, on this\n"
"terminal. The default command is /bin/sh. The exit status is the command's.\n"
"\n"
"Options:\n"
"  -e, --env <name>=<value>   set a variable (or -e <name>: the caller's value);\n"
"                             over a clean PATH, HOME, HOSTNAME, TERM, container\n"
"  -h, --help                 display this help\n");
}

int cli_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "env", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nst_err err;
	const char *name;
	char *env[CLI_MAX_ENV + 1] = { NULL };
	size_t nenv = 0;
	int c, status;

	nst_err_clear(&err);
	while ((c = getopt_long(argc, argv, "+:e:h", longopts, NULL)) != -1) {
		if (c == 'h') {
			exec_usage(stdout);
			return CLI_OK;
		}
		if (c == 'e') {
			if (add_env("exec", env, &nenv, optarg) < 0)
				return CLI_USAGE;
			continue;
		}
		return cli_option_error("exec", c, argv);
	}
	if (optind >= argc)
		return cli_usage_error("exec", "no container name");
	name = argv[optind++];
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	/* the runtime checks NAME first (err.usage: exit 2) */
	if (cli_seal("exec") != CLI_OK)
		return CLI_FAIL;
	fflush(stdout);
	if (!cli_runtime())
		return CLI_FAIL;
	if (rt_exec_env(cli_runtime(), name, optind < argc ? argv + optind : NULL, env,
			&status, &err) < 0) {
		if (err.usage)
			return cli_usage_error("exec", "%s", err.msg);
		cli_error("exec: %s", err.msg);
		return CLI_FAIL;
	}
	return status;
}
