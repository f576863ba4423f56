/*
 * What the container's init hands the reaper (src/reaper/reaper.c) when it
 * becomes it: the init execs the reaper from a sealed memfd with the
 * command line nstop was started with (for ps) and the payload's
 * environment, and with these fds open:
 *
 *   NST_REAPER_FD_ARGS    a memfd: struct nst_reaper_args, then argc
 *                          NUL-terminated strings (the payload's argv)
 *   NST_REAPER_FD_REPORT  the report pipe to nstop (struct nst_err)
 *   NST_REAPER_FD_SLAVE   the pty's slave, when slave_fds is not 0
 *
 * Freestanding: the reaper includes this without a C library.
 */
#ifndef NSTOP_REAPER_H
#define NSTOP_REAPER_H

#include <stdint.h>

#define NST_REAPER_FD_ARGS	3
#define NST_REAPER_FD_REPORT	4
#define NST_REAPER_FD_SLAVE	5

#define NST_REAPER_MAGIC	0x6e73746f70726561ULL	/* "nstoprea" */
#define NST_REAPER_IDLE		0x1U	/* no payload: reap until a signal ends it */
#define NST_REAPER_NULL_STDIN	0x2U	/* the payload's stdin is /dev/null */

/* The most the block may hold: the kernel's own limit on an argv. */
#define NST_REAPER_ARGS_MAX	(2U << 20)

struct nst_reaper_args {
	uint64_t magic;
	uint32_t size;		/* of the whole block, strings included */
	uint32_t flags;		/* NST_REAPER_* */
	uint32_t slave_fds;	/* bit i: the payload's fd i is the slave */
	uint32_t argc;		/* strings that follow; 0 when idle */
};

#endif
