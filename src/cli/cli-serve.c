/*
 * nstop serve [--listen ADDR:PORT] [--cgroup PATH]... [--processes]
 *     every container, namespace and exposure of this host for Prometheus;
 * nstop metrics [--openmetrics] [--cgroup PATH]... [--processes] [-o FILE]
 *     the same once, for node_exporter's textfile collector.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "nstop/iso.h"
#include "nstop/serve.h"
#include "../serve/serve-http.h"

/* Loopback unless told otherwise: what the metrics name (containers, their
 * exposures) is for whoever runs Prometheus, not for the network. 9188 lies
 * in the range Prometheus keeps for exporters. */
#define SERVE_DEFAULT_LISTEN "127.0.0.1:9188"
#define SERVE_MAX_CGROUPS 64

struct source {
	const struct nst_root *root;	/* the runtime context's */
	struct scan_ctx *scan;
	struct iso_ctx *iso;
	struct serve_opts opts;
	bool incremental;
};

static int source_open(struct source *src)
{
	struct nst_err err;

	if (cli_scan_open(&src->scan) < 0)
		return -1;
	src->root = &cli_runtime()->root;
	/* Without isolation (an unprivileged run) the exposures are absent. */
	nst_err_clear(&err);
	if (iso_ctx_new(src->root, &src->iso, &err) < 0)
		src->iso = NULL;
	return 0;
}

static void source_close(struct source *src)
{
	iso_ctx_free(src->iso);
	scan_ctx_free(src->scan);
}

/* One scan (the incremental one the TUI takes, in serve), written in fmt
 * into a malloc'd buffer. Neither cgroup-namespace paths nor the cgroup
 * tree: the containers' usage comes from their own cgroups. */
static int render(void *arg, enum serve_format fmt, char **buf, size_t *len)
{
	struct source *src = arg;
	struct scan_opts o = { .incremental = src->incremental };
	struct snapshot *snap = NULL;
	struct serve_model m;
	struct nst_err err;
	FILE *f;
	int rc;

	*buf = NULL;
	*len = 0;
	nst_err_clear(&err);
	if ((rc = scan_snapshot(src->scan, &o, &snap, &err)) < 0) {
		cli_error("%s", err.msg);
		return rc;
	}
	snap->iso = src->iso;
	if (src->iso)
		iso_ctx_begin(src->iso, 0);
	rc = serve_model_build(src->root, snap, &src->opts, &m, &err);
	if (rc < 0) {
		cli_error("%s", err.msg);
		snapshot_free(snap);
		return rc;
	}
	f = open_memstream(buf, len);
	rc = f ? serve_write(&m, fmt, f) : -errno;
	if (f && fclose(f) == EOF && rc == 0)
		rc = -errno;
	serve_model_free(&m);
	snapshot_free(snap);
	if (rc < 0) {
		cli_error("writing the metrics: %s", strerror(-rc));
		free(*buf);
		*buf = NULL;
	}
	return rc;
}

/*
 * Threat: nstop serve answers the network as root for as long as it runs;
 * a flaw in the HTTP library or the writer would hand that root to whoever
 * reaches the port. Before the first request, everything but reading is
 * given up: the capabilities that let root read any process's /proc files
 * and any file (CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH) are all that stays, in
 * every set and the bounding set, with no_new_privs so no exec gets more.
 * Capabilities are per thread: this runs before the server's thread starts,
 * which inherits them. Fails closed: serve does not start when it fails.
 */
static int serve_drop_privileges(struct nst_err *err)
{
	static const cap_value_t keep[] = { CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH };
	cap_t caps;
	int rc = 0;

	if (geteuid() != 0)
		goto nnp;	/* nothing to give up but what exec could add */
	for (int c = 0; c <= (int)cap_max_bits() - 1; c++) {
		if (c == CAP_SYS_PTRACE || c == CAP_DAC_READ_SEARCH || c == CAP_SETPCAP)
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			return nst_err_sys(err, errno, "serve: dropping capability %d", c);
	}
	/* Last, the capability that let the others go. */
	if (prctl(PR_CAPBSET_DROP, CAP_SETPCAP, 0, 0, 0) < 0 && errno != EINVAL)
		return nst_err_sys(err, errno, "serve: dropping CAP_SETPCAP");
	caps = cap_init();
	if (!caps)
		return nst_err_sys(err, ENOMEM, "serve: capabilities");
	if (cap_set_flag(caps, CAP_EFFECTIVE, 2, keep, CAP_SET) < 0 ||
	    cap_set_flag(caps, CAP_PERMITTED, 2, keep, CAP_SET) < 0 ||
	    cap_set_proc(caps) < 0)
		rc = nst_err_sys(err, errno, "serve: dropping capabilities");
	cap_free(caps);
	if (rc < 0)
		return rc;
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
nnp:
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return nst_err_sys(err, errno, "serve: no_new_privs");
	return 0;
}

static void serve_usage(FILE *f, const char *verb)
{
	if (strcmp(verb, "serve") == 0)
		fprintf(f,
"Usage: nstop serve [--listen ADDR:PORT] [--cgroup PATH]... [--processes]\n"
"\n"
"Serves every container, namespace and isolation exposure of this host as\n"
"Prometheus metrics at http://ADDR:PORT/metrics (OpenMetrics when asked for),\n"
"read fresh at each scrape, until SIGTERM or SIGINT. Read-only.\n"
"\n"
"Options:\n"
"  -l, --listen ADDR:PORT  where to listen (default " SERVE_DEFAULT_LISTEN ";\n"
"                          :PORT for every address, [ADDR]:PORT for IPv6,\n"
"                          port 0 for any free one)\n"
"  -c, --cgroup PATH       also export this cgroup (as the host names it;\n"
"                          repeatable)\n"
"      --processes         also one series per process (many series)\n"
"  -h, --help              show this help and exit\n");
	else
		fprintf(f,
"Usage: nstop metrics [--openmetrics] [--cgroup PATH]... [--processes] [-o FILE]\n"
"\n"
"Prints nstop serve's metrics once (Prometheus text format), or writes them\n"
"to FILE atomically, for node_exporter's textfile collector.\n"
"\n"
"Options:\n"
"      --openmetrics       OpenMetrics 1.0 instead\n"
"  -o, --output FILE       write FILE (a new file renamed over it)\n"
"  -c, --cgroup PATH       also export this cgroup (repeatable)\n"
"      --processes         also one series per process (many series)\n"
"  -h, --help              show this help and exit\n");
}

/* Threat: FILE's directory is usually node_exporter's, read by a service
 * that must never see half a file; and a file left there by someone else
 * (a link to /etc/shadow) must not be written through. A new file is made
 * with O_EXCL beside FILE and renamed over it: rename replaces a link
 * itself, never its target. */
static int write_atomically(const char *path, const char *buf, size_t len, struct nst_err *err)
{
	char *copy = strdup(path), *tmp = NULL;
	const char *dir, *base;
	int fd = -1, rc = 0;

	if (!copy)
		return nst_err_sys(err, ENOMEM, "%s", path);
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	dir = dirname(copy);
	/* Hidden and without ".prom": the collector skips it meanwhile. */
	if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, base) < 0) {
		tmp = NULL;
		rc = nst_err_sys(err, ENOMEM, "%s", path);
		goto out;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		rc = nst_err_sys(err, errno, "%s: a new file beside it", path);
		goto out;
	}
	/* The collector runs as its own user: the metrics are readable. */
	if (fchmod(fd, 0644) < 0)
		rc = nst_err_sys(err, errno, "%s", tmp);
	for (size_t off = 0; rc == 0 && off < len;) {
		ssize_t n = write(fd, buf + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = nst_err_sys(err, errno, "%s", tmp);
		else
			off += (size_t)n;
	}
	if (rc == 0 && fsync(fd) < 0)
		rc = nst_err_sys(err, errno, "%s", tmp);
	if (close(fd) < 0 && rc == 0)
		rc = nst_err_sys(err, errno, "%s", tmp);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = nst_err_sys(err, errno, "%s", path);
	if (rc < 0)
		unlink(tmp);
out:
	free(tmp);
	free(copy);
	return rc;
}

static int cli_metrics_common(int argc, char **argv, const char *verb)
{
	enum { OPT_PROCESSES = 256, OPT_OPENMETRICS };
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "processes", no_argument, NULL, OPT_PROCESSES },
		{ "openmetrics", no_argument, NULL, OPT_OPENMETRICS },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool serve = strcmp(verb, "serve") == 0;
	const char *cgroups[SERVE_MAX_CGROUPS];
	const char *listen_spec = SERVE_DEFAULT_LISTEN, *output = NULL;
	enum serve_format fmt = SERVE_PROMETHEUS;
	struct source src = { 0 };
	struct nst_err err;
	int c, rc = CLI_FAIL;

	while ((c = getopt_long(argc, argv, serve ? ":l:c:h" : ":c:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (!serve)
				return cli_usage_error(verb, "unknown option: --listen");
			listen_spec = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'c':
			if (!serve_cgroup_ok(optarg))
				return cli_usage_error(verb, "--cgroup: not a cgroup path (absolute, no . or ..): %s", optarg);
			if (src.opts.ncgroups == SERVE_MAX_CGROUPS)
				return cli_usage_error(verb, "--cgroup: at most %d", SERVE_MAX_CGROUPS);
			cgroups[src.opts.ncgroups++] = optarg;
			break;
		case OPT_PROCESSES:
			src.opts.per_process = true;
			break;
		case OPT_OPENMETRICS:
			if (serve)
				return cli_usage_error(verb, "unknown option: --openmetrics (a scraper asks for it)");
			fmt = SERVE_OPENMETRICS;
			break;
		case 'h':
			serve_usage(stdout, verb);
			return CLI_OK;
		default:
			return cli_option_error(verb, c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(verb, "unexpected argument: %s", argv[optind]);
	src.opts.cgroups = cgroups;

	if (!serve) {
		char *buf;
		size_t len;
		if (source_open(&src) < 0)
			return CLI_FAIL;
		if (render(&src, fmt, &buf, &len) == 0) {
			nst_err_clear(&err);
			if (output && write_atomically(output, buf, len, &err) < 0)
				cli_error("metrics: %s", err.msg);
			else if (!output && (fwrite(buf, 1, len, stdout) != len || fflush(stdout) == EOF))
				cli_error("metrics: writing: %s", strerror(errno ? errno : EIO));
			else
				rc = CLI_OK;
			free(buf);
		}
		source_close(&src);
		return rc;
	}

	int fd;
	char shown[128];
	const struct serve_http_limits lim = {
		/* Prometheus keeps one connection per target; a handful of
		 * people with curl fit beside it. */
		.max_connections = 64,
		.memory_per_connection = 16 * 1024,
		.timeout_seconds = 10,
	};
	nst_err_clear(&err);
	if (serve_listen(listen_spec, &fd, shown, sizeof(shown), &err) < 0) {
		cli_error("serve: %s", err.msg);
		return CLI_FAIL;
	}
	src.incremental = true;
	if (source_open(&src) < 0) {
		close(fd);
		return CLI_FAIL;
	}
	if (src.opts.ncgroups) {
		/* A named cgroup that is not there is a typo, said now. */
		struct snapshot *snap;
		struct scan_opts o = { 0 };
		bool missing = false;
		nst_err_clear(&err);
		if (scan_snapshot(src.scan, &o, &snap, &err) < 0) {
			cli_error("serve: %s", err.msg);
			goto out;
		}
		for (size_t i = 0; i < src.opts.ncgroups && !missing; i++) {
			struct serve_model m;
			struct serve_opts one = { .ncgroups = 1, .cgroups = &cgroups[i] };
			if (serve_model_build(src.root, snap, &one, &m, &err) < 0)
				continue;
			missing = m.ncgs == snap->nctrs;
			serve_model_free(&m);
			if (missing)
				cli_error("serve: --cgroup %s: no such cgroup in any hierarchy", cgroups[i]);
		}
		snapshot_free(snap);
		if (missing)
			goto out;
	}
	nst_err_clear(&err);
	if (serve_drop_privileges(&err) < 0) {
		cli_error("%s", err.msg);
		goto out;
	}
	printf("nstop serve: listening on http://%s/metrics\n", shown);
	fflush(stdout);
	int r = serve_http_run(fd, &lim, render, &src, &err);
	fd = -1;
	if (r < 0) {
		cli_error("serve: %s", err.msg);
		goto out;
	}
	rc = CLI_OK;
out:
	if (fd >= 0)
		close(fd);
	source_close(&src);
	return rc;
}

int cli_serve(int argc, char **argv)
{
	return cli_metrics_common(argc, argv, "serve");
}

int cli_metrics(int argc, char **argv)
{
	return cli_metrics_common(argc, argv, "metrics");
}
