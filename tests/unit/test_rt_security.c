/*
 * The container's hardening (rt-security.c): the seccomp filter the build
 * generated, against the policy compiled again here with libseccomp
 * (rt-seccomp-policy.c is built into this test); a cgroup2 host's device
 * program (rt-cgroup.c), run here over every device number that matters
 * and loaded into the kernel's verifier; and what rt_security_apply()
 * leaves a process able
 * to do, checked in a child against the kernel itself (as root; without
 * root the capability steps cannot run, which is said, and a failure where
 * NSTOP_TESTS_MUST_RUN is set).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt-internal.h"
#include "rt-launch.h"
#include "rt-seccomp.h"
#include "seccomp_table.h"

/* Runs fn in a child; its exit status is the number of the first check
 * that failed, 0 when all passed. */
static int in_child(int (*fn)(void))
{
	pid_t pid = fork();
	int ws;

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(fn());
	assert_int_equal(waitpid(pid, &ws, 0), pid);
	assert_true(WIFEXITED(ws));
	return WEXITSTATUS(ws);
}

/* The first instruction where two programs differ, or -1. */
static long first_difference(const struct sock_filter *a, size_t na,
			     const struct sock_filter *b, size_t nb)
{
	for (size_t i = 0; i < na && i < nb; i++)
		if (a[i].code != b[i].code || a[i].jt != b[i].jt || a[i].jf != b[i].jf ||
		    a[i].k != b[i].k) {
			printf("# instruction %zu: { 0x%02x, %u, %u, 0x%08x } where the policy "
			       "compiles to { 0x%02x, %u, %u, 0x%08x }\n", i, a[i].code, a[i].jt,
			       a[i].jf, a[i].k, b[i].code, b[i].jt, b[i].jf, b[i].k);
			return (long)i;
		}
	return na == nb ? -1 : (long)(na < nb ? na : nb);
}

/* What the build generated (rt-seccomp-filter.c), and what a container's
 * init loads, is the program the policy compiles to with this libseccomp,
 * instruction for instruction. */
static void test_filter_is_the_policy_compiled(void **state)
{
	static struct sock_filter want[RT_SECCOMP_MAX];
	const struct sock_fprog *loaded = rt_security_filter();
	size_t nwant = 0;

	assert_int_equal(rt_seccomp_compile(want, &nwant), 0);
	printf("# the policy compiles to %zu instructions, the build generated %u\n",
	       nwant, (unsigned)rt_seccomp_filter_len);
	assert_int_equal(rt_seccomp_filter_len, nwant);
	assert_int_equal(first_difference(rt_seccomp_filter, rt_seccomp_filter_len, want, nwant), -1);
	assert_int_equal(loaded->len, nwant);
	assert_int_equal(first_difference(loaded->filter, loaded->len, want, nwant), -1);
}

static void report_mismatch(const char *what, const char *got, const char *want)
{
	printf("# %s: %s, the table says %s\n", what, got, want);
}

/* The filter a container's init loads, every syscall number of both
 * architectures and the argument cases, against the table in
 * seccomp_table.h. */
static void test_filter_matches_the_table(void **state)
{
	const struct sock_fprog *prog = rt_security_filter();

#if !defined(__x86_64__)
	printf("# the table is x86-64's (and i386's): not checked here\n");
	return;
#endif
	printf("# the filter: %u instructions\n", (unsigned)prog->len);
	assert_int_equal(sc_check_all(prog->filter, prog->len, report_mismatch), 0);
}

/* After rt_security_apply(): each denial as the kernel answers it. */
static int hardened_checks(void)
{
	struct nst_err err;
	char c = 'x';

	nst_err_clear(&err);
	if (rt_security_apply(&err) < 0)
		return 1;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		return 2;
	if (prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0) != 0 ||
	    prctl(PR_CAPBSET_READ, CAP_SYS_PTRACE, 0, 0, 0) != 0 ||
	    prctl(PR_CAPBSET_READ, CAP_MKNOD, 0, 0, 0) != 0 ||
	    prctl(PR_CAPBSET_READ, CAP_SYS_TIME, 0, 0, 0) != 0)
		return 3;
	if (prctl(PR_CAPBSET_READ, CAP_CHOWN, 0, 0, 0) != 1)
		return 4;
	/* the filter, not the capabilities: keyctl and unshare -U need none */
	if (syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -1, 0) != -1 || errno != EPERM)
		return 5;
	if (unshare(CLONE_NEWUSER) != -1 || errno != EPERM)
		return 6;
	if (ioctl(0, TIOCSTI, &c) != -1 || errno != EPERM)
		return 7;
	if (mount("none", "/", NULL, MS_REMOUNT, NULL) != -1 || errno != EPERM)
		return 8;
	if (syscall(SYS_clone3, NULL, 0) != -1 || errno != ENOSYS)
		return 9;
	if (syscall(SYS_bpf, 0, NULL, 0) != -1 || errno != EPERM)
		return 10;
	/* and what a payload needs still works */
	if (getpid() <= 0 || access("/", R_OK) != 0)
		return 11;
	/* the allowlist's refusals, from inside */
	if (syscall(SYS_io_uring_setup, 1, NULL) != -1 || errno != EPERM)
		return 12;
	if (syscall(SYS_syslog, 3 /* SYSLOG_ACTION_READ_ALL */, NULL, 0) != -1 || errno != EPERM)
		return 13;
	if (syscall(SYS_personality, 0x0040000 /* ADDR_NO_RANDOMIZE */) != -1 || errno != EPERM)
		return 14;
	if (syscall(SYS_personality, 0xffffffffUL) < 0)
		return 15;
	if (syscall(SYS_fsopen, "tmpfs", 0) != -1 || errno != EPERM)
		return 16;
	if (syscall(SYS_open_tree, -100, "/", 0) != -1 || errno != EPERM)
		return 17;
	if (socket(40 /* AF_VSOCK */, SOCK_STREAM, 0) != -1 || errno != EPERM)
		return 18;
	/* a number no kernel has yet: ENOSYS, as the kernel itself would say */
	if (syscall(1000) != -1 || errno != ENOSYS)
		return 19;
	return 0;
}

static void test_apply_denies(void **state)
{
	if (geteuid() != 0) {
		/* cmocka's skip() is "not ok # SKIP", a failure to automake's
		 * tap driver: say so, and fail only where it must run (CI) */
		if (getenv("NSTOP_TESTS_MUST_RUN"))
			fail_msg("needs root, and NSTOP_TESTS_MUST_RUN is set");
		printf("# test_apply_denies needs root: not checked\n");
		return;
	}
	assert_int_equal(in_child(hardened_checks), 0);
}

/* The same probes without the hardening get other answers: they reach the
 * kernel, so the test above can fail. */
static int unhardened_checks(void)
{
	if (syscall(SYS_clone3, NULL, 0) != -1 || errno == ENOSYS)
		return 1;
	if (syscall(SYS_keyctl, 0, -1, 0) == -1 && errno == EPERM)
		return 2;
	if (syscall(SYS_io_uring_setup, 1, NULL) != -1 || errno == EPERM)
		return 3;
	if (syscall(SYS_personality, 0x0040000 /* ADDR_NO_RANDOMIZE */) < 0)
		return 4;
	return 0;
}

static void test_probes_reach_the_kernel(void **state)
{
	assert_int_equal(in_child(unhardened_checks), 0);
}

/* ---- the cgroup2 device program -------------------------------------------- */

/* The allow-list as nstop(1) gives it, kept here apart from rt-cgroup.c's
 * table: char devices null, zero, full, random, urandom, tty, console,
 * ptmx, and every pts (-1). */
static const struct { uint32_t major; int minor; } devices_listed[] = {
	{ 1, 3 }, { 1, 5 }, { 1, 7 }, { 1, 8 }, { 1, 9 }, { 5, 0 }, { 5, 1 }, { 5, 2 }, { 136, -1 },
};

static int listed(uint32_t type, uint32_t major, uint32_t minor)
{
	if (type != BPF_DEVCG_DEV_CHAR)
		return 0;
	for (size_t k = 0; k < sizeof(devices_listed) / sizeof(devices_listed[0]); k++)
		if (devices_listed[k].major == major &&
		    (devices_listed[k].minor < 0 || (uint32_t)devices_listed[k].minor == minor))
			return 1;
	return 0;
}

/* What the kernel would return for ctx: the instructions the program may
 * use, as the eBPF instruction set defines them; -1 for any other, a jump
 * backwards or out of the program, or a read outside ctx. */
static int64_t devices_run(const struct bpf_insn *p, size_t n, const struct bpf_cgroup_dev_ctx *ctx)
{
	uint64_t r[MAX_BPF_REG] = { 0 };

	for (size_t pc = 0; pc < n; pc++) {
		const struct bpf_insn *i = &p[pc];
		uint64_t *d = &r[i->dst_reg], imm = (uint64_t)(int64_t)i->imm;
		uint32_t w;
		int jump = 0;

		if (i->dst_reg >= MAX_BPF_REG || i->src_reg >= MAX_BPF_REG)
			return -1;
		switch (i->code) {
		case BPF_LDX | BPF_MEM | BPF_W:
			if (i->src_reg != BPF_REG_1 || i->off < 0 || i->off % 4 ||
			    (size_t)i->off + 4 > sizeof(*ctx))
				return -1;
			memcpy(&w, (const char *)ctx + i->off, 4);
			*d = w;
			break;
		case BPF_ALU | BPF_AND | BPF_K: *d = (uint32_t)(*d & (uint32_t)i->imm); break;
		case BPF_ALU64 | BPF_LSH | BPF_K: *d <<= i->imm & 63; break;
		case BPF_ALU64 | BPF_OR | BPF_X: *d |= r[i->src_reg]; break;
		case BPF_ALU64 | BPF_MOV | BPF_K: *d = imm; break;
		case BPF_JMP | BPF_JNE | BPF_K: jump = *d != imm; break;
		case BPF_JMP | BPF_JEQ | BPF_K: jump = *d == imm; break;
		case BPF_JMP | BPF_JGT | BPF_K: jump = *d > imm; break;
		case BPF_JMP | BPF_EXIT: return (int64_t)r[BPF_REG_0];
		default: return -1;
		}
		if (jump) {
			if (i->off < 0)
				return -1;
			pc += (size_t)i->off;
		}
	}
	return -1;
}

/* Every type, the majors and minors of the list and all around them, and
 * the numbers where a major and a minor could be taken for another pair
 * (1:3 is 0:259 with the minor's bits shifted in, 0:0x103 too). */
static void test_devices_program_is_the_list(void **state)
{
	static const uint32_t types[] = { 0, BPF_DEVCG_DEV_BLOCK, BPF_DEVCG_DEV_CHAR, 3, 0xffff };
	static const uint32_t access[] = { BPF_DEVCG_ACC_MKNOD, BPF_DEVCG_ACC_READ,
					   BPF_DEVCG_ACC_WRITE, 7 };
	static const uint32_t far[] = { 259, 0x103, 0x1ff, 0x10003, 0x103 << 8, 1u << 20,
					(1u << 20) - 1, 4095, 4096, 0xfffff, 1u << 31,
					0xffffffff, 0xffffff03, 0x80000003 };
	struct bpf_insn p[RT_DEVICES_PROGRAM_MAX];
	size_t n = rt_devices_program(p, RT_DEVICES_PROGRAM_MAX), checked = 0, allowed = 0;
	uint32_t nums[300 + sizeof(far) / sizeof(far[0])];
	size_t nnums = 0;

	assert_true(n > 0);
	assert_int_equal(rt_devices_program(p, n - 1), 0);
	for (uint32_t v = 0; v < 300; v++)
		nums[nnums++] = v;
	for (size_t k = 0; k < sizeof(far) / sizeof(far[0]); k++)
		nums[nnums++] = far[k];
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++)
		for (size_t a = 0; a < sizeof(access) / sizeof(access[0]); a++)
			for (size_t x = 0; x < nnums; x++)
				for (size_t y = 0; y < nnums; y++) {
					struct bpf_cgroup_dev_ctx c = {
						.access_type = access[a] << 16 | types[t],
						.major = nums[x], .minor = nums[y],
					};
					int64_t got = devices_run(p, n, &c);

					if (got != listed(types[t], nums[x], nums[y]))
						fail_msg("type %u access %u %u:%u: the program returns %lld, "
							 "the list says %d", types[t], access[a], nums[x],
							 nums[y], (long long)got,
							 listed(types[t], nums[x], nums[y]));
					allowed += got == 1;
					checked++;
				}
	printf("# %zu instructions; %zu devices checked, %zu allowed\n", n, checked, allowed);
}

/* The kernel's verifier takes the program, and walks each instruction
 * about once (a chain that branched three ways per rule made it walk
 * 500: a quarter of a millisecond of every launch on a cgroup2 host). */
static void test_devices_program_verifies_once(void **state)
{
	struct bpf_insn p[RT_DEVICES_PROGRAM_MAX];
	struct bpf_prog_info info;
	union bpf_attr attr;
	size_t n = rt_devices_program(p, RT_DEVICES_PROGRAM_MAX);
	int fd;

	if (geteuid() != 0) {
		if (getenv("NSTOP_TESTS_MUST_RUN"))
			fail_msg("needs root, and NSTOP_TESTS_MUST_RUN is set");
		printf("# test_devices_program_verifies_once needs root: not checked\n");
		return;
	}
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t)(uintptr_t)p;
	attr.insn_cnt = (uint32_t)n;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		fail_msg("BPF_PROG_LOAD: %s", strerror(errno));
	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (uint64_t)(uintptr_t)&info;
	assert_int_equal(syscall(SYS_bpf, BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)), 0);
	close(fd);
	printf("# the verifier walked %u instructions of %zu\n", info.verified_insns, n);
	assert_true(info.verified_insns > 0);
	assert_true(info.verified_insns <= 2 * n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_is_the_policy_compiled),
		cmocka_unit_test(test_filter_matches_the_table),
		cmocka_unit_test(test_probes_reach_the_kernel),
		cmocka_unit_test(test_apply_denies),
		cmocka_unit_test(test_devices_program_is_the_list),
		cmocka_unit_test(test_devices_program_verifies_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
