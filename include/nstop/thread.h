/*
 * A thread of nstop's own work (the snapshot's parts, the walk of the cgroup
 * trees, a helper's reader): started with every signal blocked, so that the
 * signals nstop handles (the view's SIGWINCH, SIGINT, SIGTERM; a child's end)
 * stay the main thread's.
 */
#ifndef NSTOP_THREAD_H
#define NSTOP_THREAD_H

#include <pthread.h>
#include <stdbool.h>

/* true when the thread runs (*t then to be joined); false when none could
 * start: the caller does the work itself. */
bool nst_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

#endif
