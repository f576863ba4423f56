/* nstop serve's HTTP side (serve-http.c): the listening socket and the
 * server, libmicrohttpd loaded on first use. Front end only. */
#ifndef NSTOP_SERVE_HTTP_H
#define NSTOP_SERVE_HTTP_H

#include <stddef.h>

#include "nstop/err.h"
#include "nstop/serve.h"

/* Binds and listens on spec (HOST:PORT, [V6]:PORT, :PORT for every
 * address); *fd is the socket, shown the address it got (the port when
 * spec said 0). */
int serve_listen(const char *spec, int *fd, char *shown, size_t size, struct nst_err *err);

/* The metrics in fmt into a malloc'd *buf; 0 or -errno (said on stderr). */
typedef int (*serve_render_fn)(void *arg, enum serve_format fmt, char **buf, size_t *len);

struct serve_http_limits {
	unsigned max_connections;	/* more are refused at accept */
	size_t memory_per_connection;	/* a request bigger than this gets 431/413 */
	unsigned timeout_seconds;	/* an idle or slow connection is closed */
};

/* Serves on fd (taken over) until SIGTERM or SIGINT; returns the signal,
 * or -errno when the server could not start. */
int serve_http_run(int fd, const struct serve_http_limits *lim, serve_render_fn render,
		   void *arg, struct nst_err *err);

#endif
