/*
 * nstop serve's HTTP side: libmicrohttpd (loaded with dlopen, as libproc2 is:
 * linked, it and its TLS stack were mapped by every verb) on a socket bound
 * here, GET and HEAD of /metrics and of a small index at /, nothing else.
 *
 * Whoever reaches the port is untrusted: every request is bounded by the
 * library (a connection limit, a per-connection memory limit that answers
 * huge headers with an error, an idle timeout), one internal thread answers
 * them one at a time, and nothing reachable changes the host.
 */
#include "config.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "nstop/dl.h"
#include "serve-http.h"

/* ---- libmicrohttpd, loaded ------------------------------------------------ */

static struct {
	struct MHD_Daemon *(*start)(unsigned int flags, uint16_t port,
				    MHD_AcceptPolicyCallback apc, void *apc_cls,
				    MHD_AccessHandlerCallback dh, void *dh_cls, ...);
	void (*stop)(struct MHD_Daemon *d);
	struct MHD_Response *(*from_buffer)(size_t size, void *buffer,
					    enum MHD_ResponseMemoryMode mode);
	enum MHD_Result (*add_header)(struct MHD_Response *r, const char *h, const char *v);
	enum MHD_Result (*queue)(struct MHD_Connection *c, unsigned int status,
				 struct MHD_Response *r);
	void (*destroy)(struct MHD_Response *r);
	const char *(*lookup)(struct MHD_Connection *c, enum MHD_ValueKind kind,
			      const char *key);
} mhd;

/* Searched as DT_NEEDED would be (the soname has no slash: never the
 * working directory); the handle is kept for the process's life. */
static int mhd_load(struct nst_err *err)
{
	void *h;
	const char *why;
	int rc;

	if (mhd.start)
		return 0;
	/* never from a container's root (dl.c says why) */
	if ((rc = nst_dl_where_started(NST_MHD_SONAME, "libmicrohttpd, the HTTP server", err)) < 0)
		return rc;
	dlerror();
	h = dlopen(NST_MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		why = dlerror();
		return nst_err_set(err, ENOENT, "cannot load %s (libmicrohttpd, the HTTP server): %s",
				   NST_MHD_SONAME, why ? why : "unknown error");
	}
	*(void **)&mhd.start = dlsym(h, "MHD_start_daemon");
	*(void **)&mhd.stop = dlsym(h, "MHD_stop_daemon");
	*(void **)&mhd.from_buffer = dlsym(h, "MHD_create_response_from_buffer");
	*(void **)&mhd.add_header = dlsym(h, "MHD_add_response_header");
	*(void **)&mhd.queue = dlsym(h, "MHD_queue_response");
	*(void **)&mhd.destroy = dlsym(h, "MHD_destroy_response");
	*(void **)&mhd.lookup = dlsym(h, "MHD_lookup_connection_value");
	if (!mhd.start || !mhd.stop || !mhd.from_buffer || !mhd.add_header ||
	    !mhd.queue || !mhd.destroy || !mhd.lookup) {
		mhd.start = NULL;
		dlclose(h);
		return nst_err_set(err, ENOSYS, "cannot load %s: a function of libmicrohttpd is missing",
				   NST_MHD_SONAME);
	}
	return 0;
}

/* ---- the listening socket ------------------------------------------------- */

static int parse_port(const char *s, char *out, size_t size)
{
	char *end;
	long v;

	if (!*s || strlen(s) >= size || strspn(s, "0123456789") != strlen(s))
		return -EINVAL;
	v = strtol(s, &end, 10);
	if (v < 0 || v > 65535)
		return -EINVAL;
	snprintf(out, size, "%ld", v);
	return 0;
}

/* "HOST:PORT", "[V6]:PORT" or ":PORT" (every address) into host ("" any)
 * and port. */
static int split_listen(const char *spec, char *host, size_t hsize, char *port, size_t psize)
{
	const char *colon;
	size_t n;

	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');
		if (!close || close[1] != ':')
			return -EINVAL;
		n = (size_t)(close - spec - 1);
		colon = close + 1;
		spec++;
	} else {
		colon = strrchr(spec, ':');
		if (!colon)
			return -EINVAL;
		n = (size_t)(colon - spec);
		if (memchr(spec, ':', n))
			return -EINVAL;	/* a bare IPv6 address: needs [] */
	}
	if (n >= hsize)
		return -EINVAL;
	memcpy(host, spec, n);
	host[n] = '\0';
	return parse_port(colon + 1, port, psize);
}

static int bind_one(const struct addrinfo *ai, bool dual)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	int one = 1, zero = 0;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (dual)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 64) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

int serve_listen(const char *spec, int *fd, char *shown, size_t size, struct nst_err *err)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
	struct addrinfo *res = NULL;
	char host[256], port[8], h[INET6_ADDRSTRLEN];
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int rc;

	if (split_listen(spec, host, sizeof(host), port, sizeof(port)) < 0)
		return nst_err_set(err, EINVAL, "--listen %s: not ADDR:PORT, [ADDR]:PORT or :PORT", spec);
	if (!host[0]) {
		/* Every address: IPv6 and IPv4 on one socket, or IPv4 alone
		 * where the kernel has no IPv6. */
		hints.ai_family = AF_INET6;
		rc = getaddrinfo(NULL, port, &hints, &res);
		*fd = rc == 0 ? bind_one(res, true) : -EAFNOSUPPORT;
		if (res)
			freeaddrinfo(res);
		res = NULL;
		if (*fd == -EAFNOSUPPORT) {
			hints.ai_family = AF_INET;
			if ((rc = getaddrinfo(NULL, port, &hints, &res)) == 0)
				*fd = bind_one(res, false);
		}
	} else {
		if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
			return nst_err_set(err, EINVAL, "--listen %s: %s", spec, gai_strerror(rc));
		}
		*fd = bind_one(res, false);
	}
	if (res)
		freeaddrinfo(res);
	if (*fd < 0)
		return nst_err_sys(err, -*fd, "--listen %s", spec);
	if (getsockname(*fd, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET6) {
			struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
			inet_ntop(AF_INET6, &a->sin6_addr, h, sizeof(h));
			snprintf(shown, size, "[%s]:%u", h, ntohs(a->sin6_port));
		} else {
			struct sockaddr_in *a = (struct sockaddr_in *)&ss;
			inet_ntop(AF_INET, &a->sin_addr, h, sizeof(h));
			snprintf(shown, size, "%s:%u", h, ntohs(a->sin_port));
		}
	} else {
		snprintf(shown, size, "%s", spec);
	}
	return 0;
}

/* ---- requests ------------------------------------------------------------- */

struct server {
	serve_render_fn render;
	void *arg;
	pthread_mutex_t lock;
};

static const char index_html[] =
	"<!DOCTYPE html>\n<html><head><title>nstop</title></head><body>\n"
	"<h1>nstop serve</h1>\n<p><a href=\"/metrics\">/metrics</a>: every container,"
	" namespace and isolation exposure on this host, for Prometheus (see nstop(1)).</p>\n"
	"</body></html>\n";

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *type,
			     void *body, size_t len, enum MHD_ResponseMemoryMode mode,
			     const char *allow)
{
	struct MHD_Response *r = mhd.from_buffer(len, body, mode);
	enum MHD_Result rc;

	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	mhd.add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	mhd.add_header(r, "X-Content-Type-Options", "nosniff");
	mhd.add_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (allow)
		mhd.add_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	rc = mhd.queue(conn, status, r);
	mhd.destroy(r);
	return rc;
}

static enum MHD_Result text_reply(struct MHD_Connection *conn, unsigned status,
				  const char *msg, const char *allow)
{
	return reply(conn, status, "text/plain; charset=utf-8", (void *)msg, strlen(msg),
		     MHD_RESPMEM_PERSISTENT, allow);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version,
			      const char *upload, size_t *upload_size, void **state)
{
	struct server *s = cls;
	bool get = strcmp(method, MHD_HTTP_METHOD_GET) == 0;
	bool head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
	bool metrics = strcmp(url, "/metrics") == 0;
	enum serve_format fmt;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if (!metrics && strcmp(url, "/") != 0)
		return text_reply(conn, MHD_HTTP_NOT_FOUND, "not found: try /metrics\n", NULL);
	if (!get && !head)
		return text_reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
				  "method not allowed: GET or HEAD\n", "GET, HEAD");
	if (!metrics)
		return reply(conn, MHD_HTTP_OK, "text/html; charset=utf-8", (void *)index_html,
			     sizeof(index_html) - 1, MHD_RESPMEM_PERSISTENT, NULL);
	fmt = serve_negotiate(mhd.lookup(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT));
	/* One scan at a time: the scan context is not shared. */
	pthread_mutex_lock(&s->lock);
	rc = s->render(s->arg, fmt, &buf, &len);
	pthread_mutex_unlock(&s->lock);
	if (rc < 0)
		return text_reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
				  "the scan failed (nstop serve's stderr says why)\n", NULL);
	return reply(conn, MHD_HTTP_OK, serve_content_type(fmt), buf, len,
		     MHD_RESPMEM_MUST_FREE, NULL);
}

int serve_http_run(int fd, const struct serve_http_limits *lim, serve_render_fn render,
		   void *arg, struct nst_err *err)
{
	struct server s = { .render = render, .arg = arg };
	struct MHD_Daemon *d;
	sigset_t set, old;
	int sig = 0, rc;

	if ((rc = mhd_load(err)) < 0) {
		close(fd);
		return rc;
	}
	pthread_mutex_init(&s.lock, NULL);
	/* SIGTERM and SIGINT are waited for here; the library's thread,
	 * started with them blocked, never takes them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	signal(SIGPIPE, SIG_IGN);
	d = mhd.start(MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
		      handle, &s,
		      MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
		      MHD_OPTION_CONNECTION_LIMIT, (unsigned int)lim->max_connections,
		      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)lim->memory_per_connection,
		      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)lim->timeout_seconds,
		      MHD_OPTION_END);
	if (!d) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		pthread_mutex_destroy(&s.lock);
		close(fd);
		return nst_err_set(err, EIO, "libmicrohttpd did not start on the socket");
	}
	while (sigwait(&set, &sig) != 0)
		;
	/* Closes the socket and every connection, after the answer under way. */
	mhd.stop(d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_mutex_destroy(&s.lock);
	return sig;
}
