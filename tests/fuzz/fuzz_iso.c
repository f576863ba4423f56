/*
 * The isolation parsers: a process's status, its uid_map, its mount
 * namespace's mountinfo (a container's root mounts and names what it
 * likes) and a devices.list, then the exposures and the report built from
 * what they found. Input: STATUS NUL UID_MAP NUL MOUNTINFO NUL DEVICES.
 */
#include "config.h"

#include "fuzz.h"
#include "nstop/iso.h"

static void sink(const char *line, int sev, void *arg)
{
	*(size_t *)arg += fuzz_touch(line) + (size_t)(sev + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *d = data;
	size_t n = size, sum = 0;
	char *status = fuzz_part(&d, &n), *map = fuzz_part(&d, &n);
	char *mi = fuzz_part(&d, &n), *dev = fuzz_part(&d, &n);
	struct iso_facts f;
	long long out = 0;
	bool identity;
	json_t *j;

	if (!status || !map || !mi || !dev)
		goto out;
	memset(&f, 0, sizeof(f));
	f.root_outside = -1;
	f.ns_known = 0xff;
	f.host_ns = (unsigned)size & 0xff;
	iso_parse_status(status, &f);
	if (iso_parse_uid_map(map, &out, &identity) == 0)
		f.root_outside = out < 0 ? -1 : out;
	iso_parse_mountinfo(mi, "254:0", "/", &f.mnt);
	if (strnlen(f.mnt.host_root_at, sizeof(f.mnt.host_root_at)) == sizeof(f.mnt.host_root_at) ||
	    strnlen(f.mnt.socket, sizeof(f.mnt.socket)) == sizeof(f.mnt.socket))
		abort();
	f.devices = iso_parse_devices_list(dev) ? ISO_DEV_ALL : ISO_DEV_LIST;
	iso_expose(&f);
	iso_lines(&f, sink, &sum);
	j = iso_json(&f);
	sum += json_object_size(j);
	json_decref(j);
out:
	free(status);
	free(map);
	free(mi);
	free(dev);
	return sum == (size_t)-1;
}
