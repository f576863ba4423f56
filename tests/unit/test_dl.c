/*
 * The library loader's guard (src/base/dl.c): a load where the process
 * started works; once the process has a mount namespace or a root of its
 * own (as nstop's helpers have inside a container), every loader refuses
 * and nothing is mapped. Each refusal runs in a forked child, which moves
 * with unshare(CLONE_NEWNS) or chroot: as root directly, otherwise in a user
 * namespace of its own; where neither is allowed the case is skipped.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nstop/dl.h"
#include "scan-proc2.h"

#define CHILD_SKIP 77

/* A library nstop loads and the test program does not link. */
static void *(*mnl_open_fn)(int bus);

static int load_mnl(struct nst_err *err)
{
	const struct nst_dl_sym syms[] = { { "mnl_socket_open", (void **)&mnl_open_fn } };

	return nst_dl_load(NST_MNL_SONAME, "libmnl, a test", syms, 1, err);
}

/* In a child: the privilege to move (root, or a user namespace of its own). */
static int child_privileged(void)
{
	return geteuid() == 0 || unshare(CLONE_NEWUSER) == 0;
}

/* The checks every refusal shares, in the child; its exit status says. */
static int child_refuses(const char *want)
{
	struct nst_err err;
	int rc;

	nst_err_clear(&err);
	mnl_open_fn = NULL;
	rc = load_mnl(&err);
	if (rc != -EPERM || !strstr(err.msg, want) || mnl_open_fn) {
		fprintf(stderr, "# nst_dl_load: %d (%s)\n", rc, err.msg);
		return 1;
	}
	/* not loaded at all: the refusal comes before dlopen */
	if (dlopen(NST_MNL_SONAME, RTLD_NOW | RTLD_NOLOAD)) {
		fprintf(stderr, "# %s was mapped all the same\n", NST_MNL_SONAME);
		return 2;
	}
	nst_err_clear(&err);
	if (scan_proc2_load(&err) != -EPERM || !strstr(err.msg, want)) {
		fprintf(stderr, "# scan_proc2_load: %s\n", err.msg);
		return 3;
	}
	return 0;
}

static void run_child(int (*body)(void));

/* (in a child too: what it maps, the other children must not inherit) */
static int loads_where_started(void)
{
	struct nst_err err;

	nst_err_clear(&err);
	if (nst_dl_where_started("x.so", "a test", &err) < 0 || load_mnl(&err) < 0 ||
	    !mnl_open_fn) {
		fprintf(stderr, "# %s\n", err.msg);
		return 1;
	}
	return 0;
}

static void test_loads_where_started(void **state)
{
	(void)state;
	run_child(loads_where_started);
}

static void run_child(int (*body)(void))
{
	int ws = 0;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(body());
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_true(WIFEXITED(ws));
	if (WEXITSTATUS(ws) == CHILD_SKIP)
		skip();
	assert_int_equal(WEXITSTATUS(ws), 0);
}

static int in_new_mount_ns(void)
{
	if (!child_privileged() || unshare(CLONE_NEWNS) < 0)
		return CHILD_SKIP;
	return child_refuses("mount namespace");
}

static void test_refused_in_new_mount_ns(void **state)
{
	(void)state;
	run_child(in_new_mount_ns);
}

/* made by the parent, so that it can remove it after the child */
static char chroot_dir[] = "/tmp/nstop-test-dl-XXXXXX";

static int in_chroot(void)
{
	if (!child_privileged() || chroot(chroot_dir) < 0 || chdir("/") < 0)
		return CHILD_SKIP;
	return child_refuses("root");
}

static void test_refused_after_chroot(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(chroot_dir));
	run_child(in_chroot);
	rmdir(chroot_dir);
}

/* After nst_dl_leave_host the thread's messages are C's, whatever the
 * process's locale: gettext has nothing to look up. */
static int leave_host(void)
{
	struct nst_err err;

	if (!setlocale(LC_ALL, "C.UTF-8"))
		return CHILD_SKIP;
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		return 1;
	nst_err_clear(&err);
	if (nst_dl_leave_host(&err) < 0)
		return 2;
	if (strcmp(nl_langinfo(_NL_LOCALE_NAME(LC_MESSAGES)), "C") != 0 ||
	    strcmp(nl_langinfo(CODESET), "ANSI_X3.4-1968") != 0)
		return 3;
	return 0;
}

static void test_leave_host_takes_c(void **state)
{
	(void)state;
	run_child(leave_host);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads_where_started),
		cmocka_unit_test(test_refused_in_new_mount_ns),
		cmocka_unit_test(test_refused_after_chroot),
		cmocka_unit_test(test_leave_host_takes_c),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
