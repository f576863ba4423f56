/*
 * /proc/PID/mountinfo: the record parser, the cgroup hierarchies found in
 * it, and the cgroup-namespace roots learnt from two views of it (the text
 * a process inside a namespace and the host show; a container's root can
 * mount and name what it likes, so both are hostile).
 * Input: MOUNTINFO [NUL OUTSIDE-VIEW].
 */
#include "config.h"

#include "fuzz.h"
#include "nstop/cgns.h"
#include "nstop/cgroup.h"
#include "nstop/mountinfo.h"

static int touch_entry(const struct mi_entry *e, void *arg)
{
	size_t *sum = arg;

	*sum += fuzz_touch(e->root) + fuzz_touch(e->mount) + fuzz_touch(e->fstype) +
		fuzz_touch(e->source) + fuzz_touch(e->superopts) + (size_t)e->id;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *d = data;
	size_t n = size, sum = 0;
	char *text = fuzz_part(&d, &n), *outside = fuzz_part(&d, &n);
	char *copy = text ? strdup(text) : NULL, *copy2 = text ? strdup(text) : NULL;
	struct cgns_entry e = { 0 };
	struct cg_layout *layout = malloc(sizeof(*layout));

	if (!text || !outside || !copy || !copy2 || !layout)
		goto out;
	mi_foreach(copy, touch_entry, &sum);
	cg_layout_from_mountinfo(copy2, "/sys/fs/cgroup", layout);
	if (layout->n < 0 || layout->n > CG_MAX_HIER)
		abort();
	for (int i = 0; i < layout->n; i++) {
		const struct cg_hier *h = &layout->h[i];
		/* every string NUL-terminated within its array */
		if (strnlen(h->controllers, sizeof(h->controllers)) == sizeof(h->controllers) ||
		    strnlen(h->mount, sizeof(h->mount)) == sizeof(h->mount) ||
		    strnlen(h->dir, sizeof(h->dir)) == sizeof(h->dir) ||
		    strnlen(h->mnt_root, sizeof(h->mnt_root)) == sizeof(h->mnt_root))
			abort();
	}
	/* The same text as the view inside a namespace, against the other
	 * part as the host's. */
	cgns_learn_from_mounts(&e, layout, text, outside);
	for (int i = 0; i < CG_MAX_HIER; i++) {
		sum += fuzz_touch(e.root[i]);
		free(e.root[i]);
	}
out:
	free(text);
	free(outside);
	free(copy);
	free(copy2);
	free(layout);
	return sum == (size_t)-1;
}
