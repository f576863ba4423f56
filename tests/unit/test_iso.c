/* The isolation parsers and exposures on literal buffers: status lines,
 * uid_map, mountinfo (a docker.sock bind, the host's / read-only, /proc/sys
 * and /sys), devices.list, and a container's union. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nstop/iso.h"
#include "nstop/ns.h"

#define X(e) (1u << (e))

/* Docker's default: the 14 capabilities, no_new_privs off, a filter. */
static const char docker_status[] =
	"Name:\tsh\nUmask:\t0022\nState:\tS (sleeping)\n"
	"CapInh:\t0000000000000000\nCapPrm:\t00000000a80425fb\n"
	"CapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb\nCapAmb:\t0000000000000000\n"
	"NoNewPrivs:\t0\nSeccomp:\t2\nSeccomp_filters:\t1\n"
	"Speculation_Store_Bypass:\tthread force mitigated\n";

static void test_status_docker_default(void **state)
{
	struct iso_facts f;
	char text[256];

	memset(&f, 0, sizeof(f));
	assert_int_equal(iso_parse_status(docker_status, &f), 0);
	assert_true(f.status_known);
	assert_int_equal(f.cap_eff, 0xa80425fbULL);
	assert_int_equal(f.no_new_privs, 0);
	assert_int_equal(f.seccomp, 2);
	assert_int_equal(f.seccomp_filters, 1);
	iso_caps_text(f.cap_eff, text, sizeof(text));
	assert_string_equal(text, "docker-default");
	assert_int_equal(f.cap_eff, iso_caps_docker());
}

static void test_status_lines_missing(void **state)
{
	struct iso_facts f;

	memset(&f, 0, sizeof(f));
	/* No Cap lines: not a status file. */
	assert_int_equal(iso_parse_status("Name:\tx\nNoNewPrivs:\t1\n", &f), -EINVAL);
	/* An old kernel without NoNewPrivs or Seccomp lines: unknown, not off. */
	assert_int_equal(iso_parse_status("CapEff:\t0000000000000000\nCapBnd:\t0000000000000000\n", &f), 0);
	assert_int_equal(f.no_new_privs, -1);
	assert_int_equal(f.seccomp, -1);
	assert_int_equal(f.seccomp_filters, -1);
	/* "CapEffX:" is another key. */
	assert_int_equal(iso_parse_status("CapEffX:\t1\nCapBnd:\t0\n", &f), -EINVAL);
}

static void test_caps_names(void **state)
{
	char text[512];
	json_t *a;

	iso_caps_text(0, text, sizeof(text));
	assert_string_equal(text, "none");
	iso_caps_text(iso_caps_all(), text, sizeof(text));
	assert_string_equal(text, "all");
	iso_caps_text((1ULL << 21) | (1ULL << 12), text, sizeof(text));
	assert_string_equal(text, "net_admin,sys_admin");
	a = iso_caps_json((1ULL << 21) | 1);
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(json_string_value(json_array_get(a, 0)), "chown");
	assert_string_equal(json_string_value(json_array_get(a, 1)), "sys_admin");
	json_decref(a);
}

static void test_uid_map(void **state)
{
	long long out = -5;
	bool identity;

	assert_int_equal(iso_parse_uid_map("         0          0 4294967295\n", &out, &identity), 0);
	assert_int_equal(out, 0);
	assert_true(identity);
	assert_int_equal(iso_parse_uid_map("         0     100000      65536\n", &out, &identity), 0);
	assert_int_equal(out, 100000);
	assert_false(identity);
	/* root not mapped: only 1000 is. */
	assert_int_equal(iso_parse_uid_map("      1000       1000          1\n", &out, &identity), -ENOENT);
	/* several ranges, 0 in the second */
	assert_int_equal(iso_parse_uid_map("1 200001 999\n0 200000 1\n", &out, &identity), 0);
	assert_int_equal(out, 200000);
	assert_int_equal(iso_parse_uid_map("", &out, &identity), -ENOENT);
}

static const char docker_mountinfo[] =
	"600 500 0:52 / / rw,relatime master:300 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/A,upperdir=/var/lib/docker/overlay2/x/diff\n"
	"601 600 0:55 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
	"602 600 0:56 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755\n"
	"605 600 0:57 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro\n"
	"610 600 254:0 /var/lib/docker/containers/abc/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/vda rw\n"
	"611 600 0:25 /docker.sock /run/docker.sock rw,nosuid,nodev - tmpfs tmpfs rw,size=2468380k,mode=755\n"
	"620 601 0:55 /bus /proc/bus ro,nosuid,nodev,noexec,relatime - proc proc rw\n"
	"621 601 0:55 /sys /proc/sys ro,nosuid,nodev,noexec,relatime - proc proc rw\n";

static void test_mountinfo_docker_with_socket(void **state)
{
	char buf[sizeof(docker_mountinfo)];
	struct iso_mnt m;

	memcpy(buf, docker_mountinfo, sizeof(buf));
	iso_parse_mountinfo(buf, "254:0", "/", &m);
	assert_true(m.known);
	assert_false(m.host_root);	/* a file of the host's disk is not its root */
	assert_string_equal(m.socket, "/run/docker.sock");
	assert_int_equal(m.proc_sys_rw, 0);
	assert_int_equal(m.sys_rw, 0);
}

/* A socket bound under another name is found by its source's name. */
static void test_mountinfo_socket_renamed(void **state)
{
	char buf[] = "1 0 0:52 / / rw - overlay overlay rw\n"
		     "2 1 0:25 /containerd/containerd.sock /api rw - tmpfs tmpfs rw\n";
	struct iso_mnt m;

	iso_parse_mountinfo(buf, "254:0", "/", &m);
	assert_string_equal(m.socket, "/api");
}

/* nstop's default sandbox: the host's / read-only, /proc/sys read-only
 * over a read-write /proc, /sys read-only. */
static void test_mountinfo_host_root_read_only(void **state)
{
	char buf[] =
		"700 650 254:0 / / ro,relatime - ext4 /dev/vda rw,discard\n"
		"701 700 0:60 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
		"702 701 0:60 /sys /proc/sys ro,relatime - proc proc rw\n"
		"703 700 0:61 / /sys ro,nosuid - sysfs sysfs ro\n"
		"704 700 0:62 / /tmp rw - tmpfs tmpfs rw\n";
	struct iso_mnt m;

	iso_parse_mountinfo(buf, "254:0", "/", &m);
	assert_true(m.host_root);
	assert_false(m.host_root_rw);
	assert_string_equal(m.host_root_at, "/");
	assert_string_equal(m.socket, "");
	assert_int_equal(m.proc_sys_rw, 0);
	assert_int_equal(m.sys_rw, 0);
}

/* --privileged, -v /:/host: the host's / read-write at /host, /proc/sys and
 * /sys read-write; a read-write mount of / on another device is not it. */
static void test_mountinfo_privileged_host_bind(void **state)
{
	char buf[] =
		"800 750 0:70 / / rw - overlay overlay rw\n"
		"801 800 0:71 / /proc rw,nosuid - proc proc rw\n"
		"802 800 0:72 / /sys rw,nosuid - sysfs sysfs rw\n"
		"803 800 254:0 / /host rw,relatime - ext4 /dev/vda rw\n"
		"804 800 254:0 /tmp/bundle/rootfs /data rw - ext4 /dev/vda rw\n";
	struct iso_mnt m;

	iso_parse_mountinfo(buf, "254:0", "/", &m);
	assert_true(m.host_root);
	assert_true(m.host_root_rw);
	assert_string_equal(m.host_root_at, "/host");
	assert_int_equal(m.proc_sys_rw, 1);
	assert_int_equal(m.sys_rw, 1);
}

/* A read-only superblock is read-only whatever the mount says; a later
 * mount on the same point hides the earlier one. */
static void test_mountinfo_superblock_and_overmount(void **state)
{
	char buf[] =
		"1 0 0:70 / / rw - overlay overlay rw\n"
		"2 1 0:72 / /sys rw - sysfs sysfs ro\n"
		"3 1 0:73 / /proc rw - proc proc rw\n"
		"4 3 0:74 / /proc/sys rw - tmpfs tmpfs rw\n";
	struct iso_mnt m;

	iso_parse_mountinfo(buf, "254:0", "/", &m);
	assert_int_equal(m.sys_rw, 0);
	/* /proc/sys is a tmpfs here: no sysctl behind it. */
	assert_int_equal(m.proc_sys_rw, 0);
	assert_false(m.host_root);
}

static void test_devices_list(void **state)
{
	assert_true(iso_parse_devices_list("a *:* rwm\n"));
	assert_false(iso_parse_devices_list("c 1:3 rwm\nc 1:5 rwm\nc 136:* rwm\n"));
	assert_false(iso_parse_devices_list("a *:* rw\n"));
	assert_false(iso_parse_devices_list(""));
}

static void host_facts(struct iso_facts *f, unsigned host_ns)
{
	memset(f, 0, sizeof(*f));
	f->ns_known = 0xff;
	f->host_ns = host_ns;
	f->status_known = true;
	f->root_outside = -1;
	f->no_new_privs = 1;
	f->seccomp = 2;
	f->seccomp_filters = 1;
	f->mnt.known = true;
}

static void test_expose_user_namespace_gates_caps(void **state)
{
	struct iso_facts f;

	/* Every capability inside a user namespace of its own: none counts. */
	host_facts(&f, 0);
	f.cap_eff = iso_caps_all();
	f.mnt.proc_sys_rw = f.mnt.sys_rw = 1;
	f.devices = ISO_DEV_ALL;
	iso_expose(&f);
	assert_int_equal(f.x, 0);
	/* The same in the host's user namespace: privileged, and the cap-*
	 * ones it implies are not listed again. */
	host_facts(&f, 1u << NS_USER);
	f.cap_eff = iso_caps_all();
	f.mnt.proc_sys_rw = f.mnt.sys_rw = 1;
	f.devices = ISO_DEV_ALL;
	iso_expose(&f);
	assert_int_equal(f.x, X(ISO_X_PRIVILEGED) | X(ISO_X_HOST_USER) | X(ISO_X_WRITABLE_PROC_SYS) |
			 X(ISO_X_WRITABLE_SYS) | X(ISO_X_ALL_DEVICES));
	host_facts(&f, (1u << NS_USER) | (1u << NS_NET));
	f.cap_eff = iso_caps_docker() | (1ULL << 21);
	f.seccomp = 0;
	f.no_new_privs = 0;
	iso_expose(&f);
	assert_int_equal(f.x, X(ISO_X_CAP_SYS_ADMIN) | X(ISO_X_HOST_USER) | X(ISO_X_HOST_NET) |
			 X(ISO_X_NO_SECCOMP) | X(ISO_X_NO_NEW_PRIVS_OFF));
}

static void test_union_names_the_odd_process(void **state)
{
	struct iso_facts a, b, c;
	const struct iso_facts *m[3] = { &a, &b, &c };
	struct iso_union u;
	json_t *o, *xs;
	char sum[64];
	int sev;

	host_facts(&a, 1u << NS_USER);
	a.pid = 10;
	a.cap_eff = iso_caps_docker();
	iso_expose(&a);
	b = a;
	b.pid = 11;
	c = a;
	c.pid = 12;
	c.cap_eff = iso_caps_all();	/* docker exec --privileged */
	iso_expose(&c);
	iso_union_of(m, 3, &u);
	assert_int_equal(u.x, X(ISO_X_HOST_USER) | X(ISO_X_PRIVILEGED));
	assert_int_equal(u.all, X(ISO_X_HOST_USER));
	o = iso_union_json(&u);
	xs = json_object_get(o, "exposures");
	assert_int_equal(json_array_size(xs), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(xs, 0), "id")), "privileged");
	assert_int_equal(json_array_size(json_object_get(json_array_get(xs, 0), "pids")), 1);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(json_array_get(xs, 0), "pids"), 0)), 12);
	assert_null(json_object_get(json_array_get(xs, 1), "pids"));
	json_decref(o);
	iso_summary(u.x, true, sum, sizeof(sum), &sev);
	assert_string_equal(sum, "2 privileged");
	assert_int_equal(sev, ISO_HIGH);
}

static void test_json_contract(void **state)
{
	static const char *const keys[] = { "caps", "caps_bounding", "no_new_privs", "seccomp",
		"seccomp_filters", "lsm", "root_outside", "host_namespaces", "exposures" };
	struct iso_facts f;
	json_t *o;

	host_facts(&f, 0);
	f.root_outside = 100000;
	f.lsm_known = true;
	snprintf(f.lsm, sizeof(f.lsm), "docker-default (enforce)");
	iso_expose(&f);
	o = iso_json(&f);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_non_null(json_object_get(o, keys[i]));
	assert_int_equal(json_integer_value(json_object_get(o, "root_outside")), 100000);
	assert_string_equal(json_string_value(json_object_get(o, "seccomp")), "filter");
	assert_string_equal(json_string_value(json_object_get(o, "lsm")), "docker-default (enforce)");
	assert_int_equal(json_array_size(json_object_get(o, "exposures")), 0);
	json_decref(o);
	f.lsm_known = false;
	f.root_outside = -1;
	f.no_new_privs = -1;
	o = iso_json(&f);
	assert_true(json_is_null(json_object_get(o, "lsm")));
	assert_true(json_is_null(json_object_get(o, "root_outside")));
	assert_true(json_is_null(json_object_get(o, "no_new_privs")));
	json_decref(o);
	for (int e = 0; e < ISO_NX; e++)
		assert_int_equal(iso_exposure_find(iso_exposures[e].id), e);
	assert_int_equal(iso_exposure_find("host-time"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_docker_default),
		cmocka_unit_test(test_status_lines_missing),
		cmocka_unit_test(test_caps_names),
		cmocka_unit_test(test_uid_map),
		cmocka_unit_test(test_mountinfo_docker_with_socket),
		cmocka_unit_test(test_mountinfo_socket_renamed),
		cmocka_unit_test(test_mountinfo_host_root_read_only),
		cmocka_unit_test(test_mountinfo_privileged_host_bind),
		cmocka_unit_test(test_mountinfo_superblock_and_overmount),
		cmocka_unit_test(test_devices_list),
		cmocka_unit_test(test_expose_user_namespace_gates_caps),
		cmocka_unit_test(test_union_names_the_odd_process),
		cmocka_unit_test(test_json_contract),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
