/*
 * The container's seccomp filter, compiled when nstop is built. The policy
 * and the emitter (rt-seccomp-policy.c) run in a small program of the
 * build, rt-seccomp-gen.c, linked with libseccomp for its syscall tables;
 * it writes the finished program as src/rt/rt-seccomp-filter.c in the
 * build tree, and nstop holds only that array (rt-security.c hands it
 * out): no launch compiles a filter, and no process of nstop maps
 * libseccomp. The unit tests compile the policy again and compare.
 */
#ifndef NSTOP_RT_SECCOMP_H
#define NSTOP_RT_SECCOMP_H

#include <linux/filter.h>
#include <stddef.h>

/* BPF_MAXINSNS: the most the kernel takes in one classic filter. */
#define RT_SECCOMP_MAX 4096

/* The generated program (rt-seccomp-filter.c), for the architecture the
 * build ran on, which configure makes sure is the one nstop runs on. */
extern const struct sock_filter rt_seccomp_filter[];
extern const unsigned short rt_seccomp_filter_len;

/* rt-seccomp-policy.c (built into the generator and the unit tests, never
 * into nstop): the whole program for libseccomp's native architecture into
 * ins (RT_SECCOMP_MAX long), its length in *len. 0, or -E2BIG where it
 * would not fit. */
int rt_seccomp_compile(struct sock_filter *ins, size_t *len);

#endif
