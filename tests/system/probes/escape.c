/*
 * The classic chroot escape for rt-isolation.sh, run inside a container:
 * chroot into a subdirectory, climb out with "..", chroot ".". It works when
 * a runtime only chroot()s into the root directory, not when it pivot_root()s
 * and detaches the old root. Static, since a busybox rootfs has no libraries.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
	int i;

	mkdir("/tmp/nstop-escape", 0700);
	if (chroot("/tmp/nstop-escape") != 0) {
		puts("chroot_escape=no-chroot");
		return 0;
	}
	for (i = 0; i < 256; i++)
		if (chdir("..") != 0)
			break;
	if (chroot(".") != 0) {
		puts("chroot_escape=no-chroot");
		return 0;
	}
	printf("chroot_escape=%s\n",
	       access("/etc/nstop-rootfs", F_OK) == 0 ? "contained" : "escaped");
	return 0;
}
