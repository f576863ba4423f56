/*
 * The i386 entry probe for rt-isolation.sh, run inside a container: int 0x80
 * is the 32-bit ABI with its own syscall numbers (keyctl 288, unshare 310),
 * which a seccomp filter that checks numbers but not the architecture lets
 * through. Unfiltered, keyctl reaches the kernel (-ENOKEY, -126) and
 * unshare(CLONE_NEWUSER) works (0). Static, so that it runs in any root.
 */
#include <stdio.h>

#if defined(__x86_64__) || defined(__i386__)
static long i386_call(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile ("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return ret;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("i386_keyctl=%ld\n", i386_call(288, 0, -1, 0));
	printf("i386_unshare=%ld\n", i386_call(310, 0x10000000, 0, 0));
	return 0;
}
#else
/* No int 0x80 here: the test runs it on x86_64 only. */
int main(void)
{
	puts("i386=unsupported");
	return 1;
}
#endif
