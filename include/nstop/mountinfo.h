/* /proc/PID/mountinfo, parsed from a buffer. */
#ifndef NSTOP_MOUNTINFO_H
#define NSTOP_MOUNTINFO_H

struct mi_entry {
	int id;
	int parent;
	const char *root;	/* field 4: the mount's root within its filesystem */
	const char *mount;	/* field 5: mount point, octal escapes decoded */
	const char *dev;	/* field 3: major:minor */
	const char *opts;	/* field 6: per-mount options ("ro,nosuid...") */
	const char *fstype;
	const char *source;
	const char *superopts;
};

/*
 * Parses one line in place (the line is split and unescaped). Returns 0, or
 * -EINVAL when the line is not a mountinfo record.
 */
int mi_parse_line(char *line, struct mi_entry *e);

/*
 * Calls fn for every record of buf (modified in place), in order. Stops and
 * returns fn's value when it is non-zero. Malformed lines are skipped.
 */
int mi_foreach(char *buf, int (*fn)(const struct mi_entry *e, void *arg),
	       void *arg);

#endif
