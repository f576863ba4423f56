/*
 * The container's syscall filter, as the kernel runs it: every syscall
 * number of x86-64 and of its i386 entry (int 0x80), from 0 to past the
 * highest a 6.18 kernel knows, put through a classic-BPF evaluator and
 * compared with the table below, which says for each number what nstop(1)
 * promises: A allowed, P refused with EPERM (the dangerous ones), N refused
 * with ENOSYS (known, not needed, so that a C library falls back), and a
 * or p: allowed or EPERM where the build's libseccomp knows the name, and
 * ENOSYS where it is too old to (the default action). A number the table
 * does not hold must get ENOSYS: that is how the filter meets syscalls
 * newer than itself. Calls of the x32 ABI and of any other architecture
 * must kill the process. Then the cases where the arguments decide.
 *
 * Shared by tests/unit/test_rt_security.c (the filter nstop was built
 * with) and tests/system/probes/seccomp-get.c (the filter a container's
 * init holds).
 * The table was made from the kernel's syscall tables (arch/x86/entry/
 * syscalls) and is edited by hand: a change of the filter's policy is a
 * change here too.
 */
#ifndef NSTOP_TEST_SECCOMP_TABLE_H
#define NSTOP_TEST_SECCOMP_TABLE_H

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

struct want {
	int nr;
	const char *name;
	char what;
};

#define R(n, name, w) { n, #name, #w[0] }

static const struct want want_x86_64[] = {
	R(0, read, A), R(1, write, A), R(2, open, A), R(3, close, A), R(4, stat, A),
	R(5, fstat, A), R(6, lstat, A), R(7, poll, A), R(8, lseek, A), R(9, mmap, A),
	R(10, mprotect, A), R(11, munmap, A), R(12, brk, A), R(13, rt_sigaction, A),
	R(14, rt_sigprocmask, A), R(15, rt_sigreturn, A), R(16, ioctl, A), R(17, pread64, A),
	R(18, pwrite64, A), R(19, readv, A), R(20, writev, A), R(21, access, A),
	R(22, pipe, A), R(23, select, A), R(24, sched_yield, A), R(25, mremap, A),
	R(26, msync, A), R(27, mincore, A), R(28, madvise, A), R(29, shmget, A),
	R(30, shmat, A), R(31, shmctl, A), R(32, dup, A), R(33, dup2, A), R(34, pause, A),
	R(35, nanosleep, A), R(36, getitimer, A), R(37, alarm, A), R(38, setitimer, A),
	R(39, getpid, A), R(40, sendfile, A), R(41, socket, A), R(42, connect, A),
	R(43, accept, A), R(44, sendto, A), R(45, recvfrom, A), R(46, sendmsg, A),
	R(47, recvmsg, A), R(48, shutdown, A), R(49, bind, A), R(50, listen, A),
	R(51, getsockname, A), R(52, getpeername, A), R(53, socketpair, A),
	R(54, setsockopt, A), R(55, getsockopt, A), R(56, clone, A), R(57, fork, A),
	R(58, vfork, A), R(59, execve, A), R(60, exit, A), R(61, wait4, A), R(62, kill, A),
	R(63, uname, A), R(64, semget, A), R(65, semop, A), R(66, semctl, A), R(67, shmdt, A),
	R(68, msgget, A), R(69, msgsnd, A), R(70, msgrcv, A), R(71, msgctl, A),
	R(72, fcntl, A), R(73, flock, A), R(74, fsync, A), R(75, fdatasync, A),
	R(76, truncate, A), R(77, ftruncate, A), R(78, getdents, A), R(79, getcwd, A),
	R(80, chdir, A), R(81, fchdir, A), R(82, rename, A), R(83, mkdir, A), R(84, rmdir, A),
	R(85, creat, A), R(86, link, A), R(87, unlink, A), R(88, symlink, A),
	R(89, readlink, A), R(90, chmod, A), R(91, fchmod, A), R(92, chown, A),
	R(93, fchown, A), R(94, lchown, A), R(95, umask, A), R(96, gettimeofday, A),
	R(97, getrlimit, A), R(98, getrusage, A), R(99, sysinfo, A), R(100, times, A),
	R(101, ptrace, A), R(102, getuid, A), R(103, syslog, P), R(104, getgid, A),
	R(105, setuid, A), R(106, setgid, A), R(107, geteuid, A), R(108, getegid, A),
	R(109, setpgid, A), R(110, getppid, A), R(111, getpgrp, A), R(112, setsid, A),
	R(113, setreuid, A), R(114, setregid, A), R(115, getgroups, A), R(116, setgroups, A),
	R(117, setresuid, A), R(118, getresuid, A), R(119, setresgid, A),
	R(120, getresgid, A), R(121, getpgid, A), R(122, setfsuid, A), R(123, setfsgid, A),
	R(124, getsid, A), R(125, capget, A), R(126, capset, A), R(127, rt_sigpending, A),
	R(128, rt_sigtimedwait, A), R(129, rt_sigqueueinfo, A), R(130, rt_sigsuspend, A),
	R(131, sigaltstack, A), R(132, utime, A), R(133, mknod, A), R(134, uselib, P),
	R(135, personality, A), R(136, ustat, N), R(137, statfs, A), R(138, fstatfs, A),
	R(139, sysfs, N), R(140, getpriority, A), R(141, setpriority, A),
	R(142, sched_setparam, A), R(143, sched_getparam, A), R(144, sched_setscheduler, A),
	R(145, sched_getscheduler, A), R(146, sched_get_priority_max, A),
	R(147, sched_get_priority_min, A), R(148, sched_rr_get_interval, A), R(149, mlock, A),
	R(150, munlock, A), R(151, mlockall, A), R(152, munlockall, A), R(153, vhangup, P),
	R(154, modify_ldt, A), R(155, pivot_root, P), R(156, _sysctl, N), R(157, prctl, A),
	R(158, arch_prctl, A), R(159, adjtimex, P), R(160, setrlimit, A), R(161, chroot, A),
	R(162, sync, A), R(163, acct, P), R(164, settimeofday, P), R(165, mount, P),
	R(166, umount2, P), R(167, swapon, P), R(168, swapoff, P), R(169, reboot, P),
	R(170, sethostname, P), R(171, setdomainname, P), R(172, iopl, P), R(173, ioperm, P),
	R(174, create_module, P), R(175, init_module, P), R(176, delete_module, P),
	R(177, get_kernel_syms, N), R(178, query_module, N), R(179, quotactl, P),
	R(180, nfsservctl, P), R(181, getpmsg, N), R(182, putpmsg, N), R(183, afs_syscall, N),
	R(184, tuxcall, N), R(185, security, N), R(186, gettid, A), R(187, readahead, A),
	R(188, setxattr, A), R(189, lsetxattr, A), R(190, fsetxattr, A), R(191, getxattr, A),
	R(192, lgetxattr, A), R(193, fgetxattr, A), R(194, listxattr, A),
	R(195, llistxattr, A), R(196, flistxattr, A), R(197, removexattr, A),
	R(198, lremovexattr, A), R(199, fremovexattr, A), R(200, tkill, A), R(201, time, A),
	R(202, futex, A), R(203, sched_setaffinity, A), R(204, sched_getaffinity, A),
	R(205, set_thread_area, A), R(206, io_setup, A), R(207, io_destroy, A),
	R(208, io_getevents, A), R(209, io_submit, A), R(210, io_cancel, A),
	R(211, get_thread_area, A), R(212, lookup_dcookie, P), R(213, epoll_create, A),
	R(214, epoll_ctl_old, N), R(215, epoll_wait_old, N), R(216, remap_file_pages, A),
	R(217, getdents64, A), R(218, set_tid_address, A), R(219, restart_syscall, A),
	R(220, semtimedop, A), R(221, fadvise64, A), R(222, timer_create, A),
	R(223, timer_settime, A), R(224, timer_gettime, A), R(225, timer_getoverrun, A),
	R(226, timer_delete, A), R(227, clock_settime, P), R(228, clock_gettime, A),
	R(229, clock_getres, A), R(230, clock_nanosleep, A), R(231, exit_group, A),
	R(232, epoll_wait, A), R(233, epoll_ctl, A), R(234, tgkill, A), R(235, utimes, A),
	R(236, vserver, N), R(237, mbind, P), R(238, set_mempolicy, P),
	R(239, get_mempolicy, P), R(240, mq_open, A), R(241, mq_unlink, A),
	R(242, mq_timedsend, A), R(243, mq_timedreceive, A), R(244, mq_notify, A),
	R(245, mq_getsetattr, A), R(246, kexec_load, P), R(247, waitid, A),
	R(248, add_key, P), R(249, request_key, P), R(250, keyctl, P), R(251, ioprio_set, A),
	R(252, ioprio_get, A), R(253, inotify_init, A), R(254, inotify_add_watch, A),
	R(255, inotify_rm_watch, A), R(256, migrate_pages, P), R(257, openat, A),
	R(258, mkdirat, A), R(259, mknodat, A), R(260, fchownat, A), R(261, futimesat, A),
	R(262, newfstatat, A), R(263, unlinkat, A), R(264, renameat, A), R(265, linkat, A),
	R(266, symlinkat, A), R(267, readlinkat, A), R(268, fchmodat, A),
	R(269, faccessat, A), R(270, pselect6, A), R(271, ppoll, A), R(272, unshare, P),
	R(273, set_robust_list, A), R(274, get_robust_list, A), R(275, splice, A),
	R(276, tee, A), R(277, sync_file_range, A), R(278, vmsplice, A),
	R(279, move_pages, P), R(280, utimensat, A), R(281, epoll_pwait, A),
	R(282, signalfd, A), R(283, timerfd_create, A), R(284, eventfd, A),
	R(285, fallocate, A), R(286, timerfd_settime, A), R(287, timerfd_gettime, A),
	R(288, accept4, A), R(289, signalfd4, A), R(290, eventfd2, A),
	R(291, epoll_create1, A), R(292, dup3, A), R(293, pipe2, A), R(294, inotify_init1, A),
	R(295, preadv, A), R(296, pwritev, A), R(297, rt_tgsigqueueinfo, A),
	R(298, perf_event_open, P), R(299, recvmmsg, A), R(300, fanotify_init, P),
	R(301, fanotify_mark, A), R(302, prlimit64, A), R(303, name_to_handle_at, A),
	R(304, open_by_handle_at, P), R(305, clock_adjtime, P), R(306, syncfs, A),
	R(307, sendmmsg, A), R(308, setns, P), R(309, getcpu, A), R(310, process_vm_readv, A),
	R(311, process_vm_writev, A), R(312, kcmp, P), R(313, finit_module, P),
	R(314, sched_setattr, A), R(315, sched_getattr, A), R(316, renameat2, A),
	R(317, seccomp, A), R(318, getrandom, A), R(319, memfd_create, A),
	R(320, kexec_file_load, P), R(321, bpf, P), R(322, execveat, A),
	R(323, userfaultfd, P), R(324, membarrier, A), R(325, mlock2, A),
	R(326, copy_file_range, A), R(327, preadv2, A), R(328, pwritev2, A),
	R(329, pkey_mprotect, A), R(330, pkey_alloc, A), R(331, pkey_free, A),
	R(332, statx, A), R(333, io_pgetevents, A), R(334, rseq, A), R(335, uretprobe, a),
	R(424, pidfd_send_signal, A), R(425, io_uring_setup, P), R(426, io_uring_enter, P),
	R(427, io_uring_register, P), R(428, open_tree, P), R(429, move_mount, P),
	R(430, fsopen, P), R(431, fsconfig, P), R(432, fsmount, P), R(433, fspick, P),
	R(434, pidfd_open, A), R(435, clone3, N), R(436, close_range, A), R(437, openat2, A),
	R(438, pidfd_getfd, P), R(439, faccessat2, A), R(440, process_madvise, P),
	R(441, epoll_pwait2, A), R(442, mount_setattr, P), R(443, quotactl_fd, P),
	R(444, landlock_create_ruleset, A), R(445, landlock_add_rule, A),
	R(446, landlock_restrict_self, A), R(447, memfd_secret, A),
	R(448, process_mrelease, A), R(449, futex_waitv, A),
	R(450, set_mempolicy_home_node, P), R(451, cachestat, A), R(452, fchmodat2, A),
	R(453, map_shadow_stack, A), R(454, futex_wake, A), R(455, futex_wait, A),
	R(456, futex_requeue, A), R(457, statmount, a), R(458, listmount, a),
	R(459, lsm_get_self_attr, a), R(460, lsm_set_self_attr, a),
	R(461, lsm_list_modules, a), R(462, mseal, a), R(463, setxattrat, a),
	R(464, getxattrat, a), R(465, listxattrat, a), R(466, removexattrat, a),
	R(467, open_tree_attr, p), R(468, file_getattr, a), R(469, file_setattr, a),
};

static const struct want want_i386[] = {
	R(0, restart_syscall, A), R(1, exit, A), R(2, fork, A), R(3, read, A), R(4, write, A),
	R(5, open, A), R(6, close, A), R(7, waitpid, A), R(8, creat, A), R(9, link, A),
	R(10, unlink, A), R(11, execve, A), R(12, chdir, A), R(13, time, A), R(14, mknod, A),
	R(15, chmod, A), R(16, lchown, A), R(17, break, N), R(18, oldstat, N),
	R(19, lseek, A), R(20, getpid, A), R(21, mount, P), R(22, umount, P),
	R(23, setuid, A), R(24, getuid, A), R(25, stime, P), R(26, ptrace, A),
	R(27, alarm, A), R(28, oldfstat, N), R(29, pause, A), R(30, utime, A), R(31, stty, N),
	R(32, gtty, N), R(33, access, A), R(34, nice, N), R(35, ftime, N), R(36, sync, A),
	R(37, kill, A), R(38, rename, A), R(39, mkdir, A), R(40, rmdir, A), R(41, dup, A),
	R(42, pipe, A), R(43, times, A), R(44, prof, N), R(45, brk, A), R(46, setgid, A),
	R(47, getgid, A), R(48, signal, N), R(49, geteuid, A), R(50, getegid, A),
	R(51, acct, P), R(52, umount2, P), R(53, lock, N), R(54, ioctl, A), R(55, fcntl, A),
	R(56, mpx, N), R(57, setpgid, A), R(58, ulimit, N), R(59, oldolduname, N),
	R(60, umask, A), R(61, chroot, A), R(62, ustat, N), R(63, dup2, A), R(64, getppid, A),
	R(65, getpgrp, A), R(66, setsid, A), R(67, sigaction, N), R(68, sgetmask, N),
	R(69, ssetmask, N), R(70, setreuid, A), R(71, setregid, A), R(72, sigsuspend, N),
	R(73, sigpending, N), R(74, sethostname, P), R(75, setrlimit, A), R(76, getrlimit, A),
	R(77, getrusage, A), R(78, gettimeofday, A), R(79, settimeofday, P),
	R(80, getgroups, A), R(81, setgroups, A), R(82, select, A), R(83, symlink, A),
	R(84, oldlstat, N), R(85, readlink, A), R(86, uselib, P), R(87, swapon, P),
	R(88, reboot, P), R(89, readdir, N), R(90, mmap, A), R(91, munmap, A),
	R(92, truncate, A), R(93, ftruncate, A), R(94, fchmod, A), R(95, fchown, A),
	R(96, getpriority, A), R(97, setpriority, A), R(98, profil, N), R(99, statfs, A),
	R(100, fstatfs, A), R(101, ioperm, P), R(102, socketcall, A), R(103, syslog, P),
	R(104, setitimer, A), R(105, getitimer, A), R(106, stat, A), R(107, lstat, A),
	R(108, fstat, A), R(109, olduname, N), R(110, iopl, P), R(111, vhangup, P),
	R(112, idle, N), R(113, vm86old, P), R(114, wait4, A), R(115, swapoff, P),
	R(116, sysinfo, A), R(117, ipc, A), R(118, fsync, A), R(119, sigreturn, A),
	R(120, clone, A), R(121, setdomainname, P), R(122, uname, A), R(123, modify_ldt, A),
	R(124, adjtimex, P), R(125, mprotect, A), R(126, sigprocmask, A),
	R(127, create_module, P), R(128, init_module, P), R(129, delete_module, P),
	R(130, get_kernel_syms, N), R(131, quotactl, P), R(132, getpgid, A),
	R(133, fchdir, A), R(134, bdflush, N), R(135, sysfs, N), R(136, personality, A),
	R(137, afs_syscall, N), R(138, setfsuid, A), R(139, setfsgid, A), R(140, _llseek, A),
	R(141, getdents, A), R(142, _newselect, A), R(143, flock, A), R(144, msync, A),
	R(145, readv, A), R(146, writev, A), R(147, getsid, A), R(148, fdatasync, A),
	R(149, _sysctl, N), R(150, mlock, A), R(151, munlock, A), R(152, mlockall, A),
	R(153, munlockall, A), R(154, sched_setparam, A), R(155, sched_getparam, A),
	R(156, sched_setscheduler, A), R(157, sched_getscheduler, A), R(158, sched_yield, A),
	R(159, sched_get_priority_max, A), R(160, sched_get_priority_min, A),
	R(161, sched_rr_get_interval, A), R(162, nanosleep, A), R(163, mremap, A),
	R(164, setresuid, A), R(165, getresuid, A), R(166, vm86, P), R(167, query_module, N),
	R(168, poll, A), R(169, nfsservctl, P), R(170, setresgid, A), R(171, getresgid, A),
	R(172, prctl, A), R(173, rt_sigreturn, A), R(174, rt_sigaction, A),
	R(175, rt_sigprocmask, A), R(176, rt_sigpending, A), R(177, rt_sigtimedwait, A),
	R(178, rt_sigqueueinfo, A), R(179, rt_sigsuspend, A), R(180, pread64, A),
	R(181, pwrite64, A), R(182, chown, A), R(183, getcwd, A), R(184, capget, A),
	R(185, capset, A), R(186, sigaltstack, A), R(187, sendfile, A), R(188, getpmsg, N),
	R(189, putpmsg, N), R(190, vfork, A), R(191, ugetrlimit, A), R(192, mmap2, A),
	R(193, truncate64, A), R(194, ftruncate64, A), R(195, stat64, A), R(196, lstat64, A),
	R(197, fstat64, A), R(198, lchown32, A), R(199, getuid32, A), R(200, getgid32, A),
	R(201, geteuid32, A), R(202, getegid32, A), R(203, setreuid32, A),
	R(204, setregid32, A), R(205, getgroups32, A), R(206, setgroups32, A),
	R(207, fchown32, A), R(208, setresuid32, A), R(209, getresuid32, A),
	R(210, setresgid32, A), R(211, getresgid32, A), R(212, chown32, A),
	R(213, setuid32, A), R(214, setgid32, A), R(215, setfsuid32, A),
	R(216, setfsgid32, A), R(217, pivot_root, P), R(218, mincore, A), R(219, madvise, A),
	R(220, getdents64, A), R(221, fcntl64, A), R(224, gettid, A), R(225, readahead, A),
	R(226, setxattr, A), R(227, lsetxattr, A), R(228, fsetxattr, A), R(229, getxattr, A),
	R(230, lgetxattr, A), R(231, fgetxattr, A), R(232, listxattr, A),
	R(233, llistxattr, A), R(234, flistxattr, A), R(235, removexattr, A),
	R(236, lremovexattr, A), R(237, fremovexattr, A), R(238, tkill, A),
	R(239, sendfile64, A), R(240, futex, A), R(241, sched_setaffinity, A),
	R(242, sched_getaffinity, A), R(243, set_thread_area, A), R(244, get_thread_area, A),
	R(245, io_setup, A), R(246, io_destroy, A), R(247, io_getevents, A),
	R(248, io_submit, A), R(249, io_cancel, A), R(250, fadvise64, A),
	R(252, exit_group, A), R(253, lookup_dcookie, P), R(254, epoll_create, A),
	R(255, epoll_ctl, A), R(256, epoll_wait, A), R(257, remap_file_pages, A),
	R(258, set_tid_address, A), R(259, timer_create, A), R(260, timer_settime, A),
	R(261, timer_gettime, A), R(262, timer_getoverrun, A), R(263, timer_delete, A),
	R(264, clock_settime, P), R(265, clock_gettime, A), R(266, clock_getres, A),
	R(267, clock_nanosleep, A), R(268, statfs64, A), R(269, fstatfs64, A),
	R(270, tgkill, A), R(271, utimes, A), R(272, fadvise64_64, A), R(273, vserver, N),
	R(274, mbind, P), R(275, get_mempolicy, P), R(276, set_mempolicy, P),
	R(277, mq_open, A), R(278, mq_unlink, A), R(279, mq_timedsend, A),
	R(280, mq_timedreceive, A), R(281, mq_notify, A), R(282, mq_getsetattr, A),
	R(283, kexec_load, P), R(284, waitid, A), R(286, add_key, P), R(287, request_key, P),
	R(288, keyctl, P), R(289, ioprio_set, A), R(290, ioprio_get, A),
	R(291, inotify_init, A), R(292, inotify_add_watch, A), R(293, inotify_rm_watch, A),
	R(294, migrate_pages, P), R(295, openat, A), R(296, mkdirat, A), R(297, mknodat, A),
	R(298, fchownat, A), R(299, futimesat, A), R(300, fstatat64, A), R(301, unlinkat, A),
	R(302, renameat, A), R(303, linkat, A), R(304, symlinkat, A), R(305, readlinkat, A),
	R(306, fchmodat, A), R(307, faccessat, A), R(308, pselect6, A), R(309, ppoll, A),
	R(310, unshare, P), R(311, set_robust_list, A), R(312, get_robust_list, A),
	R(313, splice, A), R(314, sync_file_range, A), R(315, tee, A), R(316, vmsplice, A),
	R(317, move_pages, P), R(318, getcpu, A), R(319, epoll_pwait, A),
	R(320, utimensat, A), R(321, signalfd, A), R(322, timerfd_create, A),
	R(323, eventfd, A), R(324, fallocate, A), R(325, timerfd_settime, A),
	R(326, timerfd_gettime, A), R(327, signalfd4, A), R(328, eventfd2, A),
	R(329, epoll_create1, A), R(330, dup3, A), R(331, pipe2, A), R(332, inotify_init1, A),
	R(333, preadv, A), R(334, pwritev, A), R(335, rt_tgsigqueueinfo, A),
	R(336, perf_event_open, P), R(337, recvmmsg, A), R(338, fanotify_init, P),
	R(339, fanotify_mark, A), R(340, prlimit64, A), R(341, name_to_handle_at, A),
	R(342, open_by_handle_at, P), R(343, clock_adjtime, P), R(344, syncfs, A),
	R(345, sendmmsg, A), R(346, setns, P), R(347, process_vm_readv, A),
	R(348, process_vm_writev, A), R(349, kcmp, P), R(350, finit_module, P),
	R(351, sched_setattr, A), R(352, sched_getattr, A), R(353, renameat2, A),
	R(354, seccomp, A), R(355, getrandom, A), R(356, memfd_create, A), R(357, bpf, P),
	R(358, execveat, A), R(359, socket, A), R(360, socketpair, A), R(361, bind, A),
	R(362, connect, A), R(363, listen, A), R(364, accept4, A), R(365, getsockopt, A),
	R(366, setsockopt, A), R(367, getsockname, A), R(368, getpeername, A),
	R(369, sendto, A), R(370, sendmsg, A), R(371, recvfrom, A), R(372, recvmsg, A),
	R(373, shutdown, A), R(374, userfaultfd, P), R(375, membarrier, A), R(376, mlock2, A),
	R(377, copy_file_range, A), R(378, preadv2, A), R(379, pwritev2, A),
	R(380, pkey_mprotect, A), R(381, pkey_alloc, A), R(382, pkey_free, A),
	R(383, statx, A), R(384, arch_prctl, A), R(385, io_pgetevents, A), R(386, rseq, A),
	R(393, semget, A), R(394, semctl, A), R(395, shmget, A), R(396, shmctl, A),
	R(397, shmat, A), R(398, shmdt, A), R(399, msgget, A), R(400, msgsnd, A),
	R(401, msgrcv, A), R(402, msgctl, A), R(403, clock_gettime64, A),
	R(404, clock_settime64, P), R(405, clock_adjtime64, P),
	R(406, clock_getres_time64, A), R(407, clock_nanosleep_time64, A),
	R(408, timer_gettime64, A), R(409, timer_settime64, A), R(410, timerfd_gettime64, A),
	R(411, timerfd_settime64, A), R(412, utimensat_time64, A), R(413, pselect6_time64, A),
	R(414, ppoll_time64, A), R(416, io_pgetevents_time64, A), R(417, recvmmsg_time64, A),
	R(418, mq_timedsend_time64, A), R(419, mq_timedreceive_time64, A),
	R(420, semtimedop_time64, A), R(421, rt_sigtimedwait_time64, A),
	R(422, futex_time64, A), R(423, sched_rr_get_interval_time64, A),
	R(424, pidfd_send_signal, A), R(425, io_uring_setup, P), R(426, io_uring_enter, P),
	R(427, io_uring_register, P), R(428, open_tree, P), R(429, move_mount, P),
	R(430, fsopen, P), R(431, fsconfig, P), R(432, fsmount, P), R(433, fspick, P),
	R(434, pidfd_open, A), R(435, clone3, N), R(436, close_range, A), R(437, openat2, A),
	R(438, pidfd_getfd, P), R(439, faccessat2, A), R(440, process_madvise, P),
	R(441, epoll_pwait2, A), R(442, mount_setattr, P), R(443, quotactl_fd, P),
	R(444, landlock_create_ruleset, A), R(445, landlock_add_rule, A),
	R(446, landlock_restrict_self, A), R(447, memfd_secret, A),
	R(448, process_mrelease, A), R(449, futex_waitv, A),
	R(450, set_mempolicy_home_node, P), R(451, cachestat, A), R(452, fchmodat2, A),
	R(453, map_shadow_stack, A), R(454, futex_wake, A), R(455, futex_wait, A),
	R(456, futex_requeue, A), R(457, statmount, a), R(458, listmount, a),
	R(459, lsm_get_self_attr, a), R(460, lsm_set_self_attr, a),
	R(461, lsm_list_modules, a), R(462, mseal, a), R(463, setxattrat, a),
	R(464, getxattrat, a), R(465, listxattrat, a), R(466, removexattrat, a),
	R(467, open_tree_attr, p), R(468, file_getattr, a), R(469, file_setattr, a),
};

#undef R

/* Past the highest number either table holds: where future syscalls land. */
#define SC_SWEEP_MAX 1100
#define SC_X32_BIT 0x40000000u

/* One classic-BPF program run over one struct seccomp_data, as the kernel
 * would (the subset libseccomp emits, and the rest of the ALU and jumps);
 * an instruction it does not know, an out-of-range load or jump, or a
 * program that falls off its end gives SC_BAD. */
#define SC_BAD 0xdeadbeefu

static uint32_t sc_run(const struct sock_filter *f, size_t n, const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	const unsigned char *data = (const unsigned char *)d;

	for (size_t pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &f[pc];
		uint32_t src = BPF_SRC(i->code) == BPF_X ? x : i->k;

		switch (BPF_CLASS(i->code)) {
		case BPF_LD:
			if (i->code == (BPF_LD | BPF_W | BPF_ABS)) {
				if (i->k % 4 || i->k + 4 > sizeof(*d))
					return SC_BAD;
				memcpy(&a, data + i->k, 4);
			} else if (i->code == (BPF_LD | BPF_IMM)) {
				a = i->k;
			} else if (i->code == (BPF_LD | BPF_MEM) && i->k < BPF_MEMWORDS) {
				a = mem[i->k];
			} else if (i->code == (BPF_LD | BPF_W | BPF_LEN)) {
				a = sizeof(*d);
			} else {
				return SC_BAD;
			}
			break;
		case BPF_LDX:
			if (i->code == (BPF_LDX | BPF_IMM))
				x = i->k;
			else if (i->code == (BPF_LDX | BPF_MEM) && i->k < BPF_MEMWORDS)
				x = mem[i->k];
			else if (i->code == (BPF_LDX | BPF_W | BPF_LEN))
				x = sizeof(*d);
			else
				return SC_BAD;
			break;
		case BPF_ST:
		case BPF_STX:
			if (i->k >= BPF_MEMWORDS)
				return SC_BAD;
			mem[i->k] = BPF_CLASS(i->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			switch (BPF_OP(i->code)) {
			case BPF_ADD: a += src; break;
			case BPF_SUB: a -= src; break;
			case BPF_MUL: a *= src; break;
			case BPF_DIV: if (!src) return SC_BAD; a /= src; break;
			case BPF_MOD: if (!src) return SC_BAD; a %= src; break;
			case BPF_AND: a &= src; break;
			case BPF_OR: a |= src; break;
			case BPF_XOR: a ^= src; break;
			case BPF_LSH: a = src < 32 ? a << src : 0; break;
			case BPF_RSH: a = src < 32 ? a >> src : 0; break;
			case BPF_NEG: a = -a; break;
			default: return SC_BAD;
			}
			break;
		case BPF_JMP: {
			bool t;

			if (BPF_OP(i->code) == BPF_JA) {
				if (pc + 1 + i->k >= n)
					return SC_BAD;
				pc += i->k;
				continue;
			}
			switch (BPF_OP(i->code)) {
			case BPF_JEQ: t = a == src; break;
			case BPF_JGT: t = a > src; break;
			case BPF_JGE: t = a >= src; break;
			case BPF_JSET: t = (a & src) != 0; break;
			default: return SC_BAD;
			}
			pc += t ? i->jt : i->jf;
			if (pc + 1 >= n)
				return SC_BAD;
			break;
		}
		case BPF_RET:
			if (BPF_RVAL(i->code) == BPF_K)
				return i->k;
			if (BPF_RVAL(i->code) == BPF_A)
				return a;
			return SC_BAD;
		case BPF_MISC:
			if (BPF_MISCOP(i->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			return SC_BAD;
		}
	}
	return SC_BAD;
}

/* What a verdict means, in the words of the table. */
enum sc_verdict { SC_ALLOW, SC_EPERM, SC_ENOSYS, SC_KILL, SC_OTHER };

static enum sc_verdict sc_verdict(uint32_t ret)
{
	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
		return SC_ALLOW;
	case SECCOMP_RET_ERRNO:
		if ((ret & SECCOMP_RET_DATA) == EPERM)
			return SC_EPERM;
		if ((ret & SECCOMP_RET_DATA) == ENOSYS)
			return SC_ENOSYS;
		return SC_OTHER;
	case SECCOMP_RET_KILL_PROCESS:
		return SC_KILL;
	default:
		return SC_OTHER;
	}
}

static const char *const sc_verdict_name[] = { "allowed", "EPERM", "ENOSYS", "killed", "other" };

static enum sc_verdict sc_call(const struct sock_filter *f, size_t n, uint32_t arch, uint32_t nr,
			       const uint64_t args[6])
{
	struct seccomp_data d;

	memset(&d, 0, sizeof(d));
	d.nr = (int)nr;
	d.arch = arch;
	d.instruction_pointer = 0x7f0000001000ull;
	if (args)
		memcpy(d.args, args, sizeof(d.args));
	return sc_verdict(sc_run(f, n, &d));
}

static enum sc_verdict sc_expected(const struct want *w, uint32_t scmp_arch)
{
	bool known;

	switch (w->what) {
	case 'A': return SC_ALLOW;
	case 'P': return SC_EPERM;
	case 'N': return SC_ENOSYS;
	}
	known = seccomp_syscall_resolve_name_arch(scmp_arch, w->name) == w->nr;
	if (w->what == 'a')
		return known ? SC_ALLOW : SC_ENOSYS;
	return known ? SC_EPERM : SC_ENOSYS;
}

/* report(what, got, want) for each mismatch; returns how many. */
typedef void (*sc_report_fn)(const char *what, const char *got, const char *want);

static int sc_sweep(const struct sock_filter *f, size_t n, uint32_t arch, uint32_t scmp_arch,
		    const struct want *tab, size_t ntab, sc_report_fn report)
{
	static const uint64_t zero[6];
	int bad = 0;
	char what[96];

	for (uint32_t nr = 0; nr <= SC_SWEEP_MAX; nr++) {
		const struct want *w = NULL;
		enum sc_verdict want, got;

		for (size_t i = 0; i < ntab; i++)
			if (tab[i].nr == (int)nr)
				w = &tab[i];
		want = w ? sc_expected(w, scmp_arch) : SC_ENOSYS;
		got = sc_call(f, n, arch, nr, zero);
		if (got != want) {
			snprintf(what, sizeof(what), "%s %u (%s)",
				 arch == AUDIT_ARCH_I386 ? "i386" : "x86_64", nr,
				 w ? w->name : "no such syscall");
			report(what, sc_verdict_name[got], sc_verdict_name[want]);
			bad++;
		}
	}
	return bad;
}

/* The table's names are the kernel's; where libseccomp knows a number, it
 * must give it the same name, or the table has a typo. */
static int sc_names_agree(const struct want *tab, size_t ntab, uint32_t scmp_arch,
			  sc_report_fn report)
{
	int bad = 0;

	for (size_t i = 0; i < ntab; i++) {
		char *name = seccomp_syscall_resolve_num_arch(scmp_arch, tab[i].nr);

		if (name && strcmp(name, tab[i].name) != 0) {
			report(tab[i].name, name, "the same name in libseccomp");
			bad++;
		}
		free(name);
	}
	return bad;
}

/* A call whose arguments decide. */
struct sc_argcase {
	const char *what;
	uint32_t arch;		/* AUDIT_ARCH_* */
	uint32_t nr;
	uint64_t a0, a1;
	enum sc_verdict want;
};

#define X64 AUDIT_ARCH_X86_64
#define I386 AUDIT_ARCH_I386
#define NS_FLAGS_CLONE 0x7e020000ull	/* CLONE_NEW{NS,CGROUP,UTS,IPC,USER,PID,NET} */

static const struct sc_argcase sc_argcases[] = {
	/* personality: what Docker allows (PER_LINUX, PER_LINUX32, UNAME26
	 * with either, and the query), nothing else; the kernel reads an
	 * unsigned int, so the upper half of the register does not count */
	{ "personality(PER_LINUX)", X64, 135, 0, 0, SC_ALLOW },
	{ "personality(PER_LINUX32)", X64, 135, 8, 0, SC_ALLOW },
	{ "personality(UNAME26)", X64, 135, 0x20000, 0, SC_ALLOW },
	{ "personality(PER_LINUX32|UNAME26)", X64, 135, 0x20008, 0, SC_ALLOW },
	{ "personality(0xffffffff) (the query)", X64, 135, 0xffffffffull, 0, SC_ALLOW },
	{ "personality(ADDR_NO_RANDOMIZE)", X64, 135, 0x0040000, 0, SC_EPERM },
	{ "personality(PER_LINUX32|ADDR_NO_RANDOMIZE)", X64, 135, 0x0040008, 0, SC_EPERM },
	{ "personality(READ_IMPLIES_EXEC)", X64, 135, 0x0400000, 0, SC_EPERM },
	{ "personality(PER_BSD)", X64, 135, 6, 0, SC_EPERM },
	{ "personality(1<<32 | ADDR_NO_RANDOMIZE)", X64, 135, 0x100040000ull, 0, SC_EPERM },
	{ "personality(-1 as a long)", X64, 135, ~0ull, 0, SC_ALLOW },
	{ "i386 personality(PER_LINUX)", I386, 136, 0, 0, SC_ALLOW },
	{ "i386 personality(0xffffffff)", I386, 136, 0xffffffffull, 0, SC_ALLOW },
	{ "i386 personality(ADDR_NO_RANDOMIZE)", I386, 136, 0x0040000, 0, SC_EPERM },
	/* clone: fork's and pthread_create's flags pass, any namespace flag
	 * is refused (CLONE_NEWTIME is not a clone() flag: 0x80 is part of
	 * the exit signal there) */
	{ "clone(fork's flags)", X64, 56, 0x01200011, 0, SC_ALLOW },
	{ "clone(pthread_create's flags)", X64, 56, 0x003d0f00, 0, SC_ALLOW },
	{ "clone(CLONE_NEWUSER)", X64, 56, 0x10000000 | 17, 0, SC_EPERM },
	{ "clone(CLONE_NEWNS)", X64, 56, 0x00020000 | 17, 0, SC_EPERM },
	{ "clone(CLONE_NEWPID)", X64, 56, 0x20000000 | 17, 0, SC_EPERM },
	{ "clone(CLONE_NEWNET)", X64, 56, 0x40000000 | 17, 0, SC_EPERM },
	{ "clone(CLONE_NEWUTS)", X64, 56, 0x04000000 | 17, 0, SC_EPERM },
	{ "clone(CLONE_NEWIPC)", X64, 56, 0x08000000 | 17, 0, SC_EPERM },
	{ "clone(CLONE_NEWCGROUP)", X64, 56, 0x02000000 | 17, 0, SC_EPERM },
	{ "clone(all of them, upper half set)", X64, 56, 0xffffffff00000000ull | NS_FLAGS_CLONE, 0, SC_EPERM },
	{ "i386 clone(fork's flags)", I386, 120, 0x01200011, 0, SC_ALLOW },
	{ "i386 clone(CLONE_NEWUSER)", I386, 120, 0x10000000 | 17, 0, SC_EPERM },
	{ "i386 clone(CLONE_NEWNET)", I386, 120, 0x40000000 | 17, 0, SC_EPERM },
	/* clone3 passes its flags in memory: ENOSYS, so glibc uses clone() */
	{ "clone3", X64, 435, 0, 0, SC_ENOSYS },
	{ "i386 clone3", I386, 435, 0, 0, SC_ENOSYS },
	/* unshare and setns, whatever the flags */
	{ "unshare(CLONE_NEWUSER)", X64, 272, 0x10000000, 0, SC_EPERM },
	{ "unshare(CLONE_FILES)", X64, 272, 0x00000400, 0, SC_EPERM },
	{ "setns(fd, 0)", X64, 308, 3, 0, SC_EPERM },
	/* ioctl: all but TIOCSTI and TIOCLINUX, whose command the kernel reads
	 * as an unsigned int */
	{ "ioctl(TCGETS)", X64, 16, 0, 0x5401, SC_ALLOW },
	{ "ioctl(TIOCSPGRP)", X64, 16, 0, 0x5410, SC_ALLOW },
	{ "ioctl(FIONREAD)", X64, 16, 0, 0x541b, SC_ALLOW },
	{ "ioctl(TIOCSTI)", X64, 16, 0, 0x5412, SC_EPERM },
	{ "ioctl(TIOCLINUX)", X64, 16, 0, 0x541c, SC_EPERM },
	{ "ioctl(1<<32 | TIOCSTI)", X64, 16, 0, 0x100005412ull, SC_EPERM },
	{ "ioctl(-1<<32 | TIOCLINUX)", X64, 16, 0, 0xffffffff0000541cull, SC_EPERM },
	{ "i386 ioctl(TCGETS)", I386, 54, 0, 0x5401, SC_ALLOW },
	{ "i386 ioctl(TIOCSTI)", I386, 54, 0, 0x5412, SC_EPERM },
	{ "i386 ioctl(TIOCLINUX)", I386, 54, 0, 0x541c, SC_EPERM },
	/* socket: every family but AF_VSOCK (40), which no network namespace
	 * bounds: it reaches the hypervisor or the host */
	{ "socket(AF_UNIX)", X64, 41, 1, 1, SC_ALLOW },
	{ "socket(AF_INET)", X64, 41, 2, 1, SC_ALLOW },
	{ "socket(AF_INET6)", X64, 41, 10, 1, SC_ALLOW },
	{ "socket(AF_NETLINK)", X64, 41, 16, 3, SC_ALLOW },
	{ "socket(AF_VSOCK)", X64, 41, 40, 1, SC_EPERM },
	{ "socket(1<<32 | AF_VSOCK)", X64, 41, 0x100000028ull, 1, SC_EPERM },
	/* i386: socket() is also socketcall(SYS_SOCKET, args), whose family is
	 * in memory, out of a filter's reach; both stay open, as in Docker's
	 * profile (nstop(1) says so) */
	{ "i386 socket(AF_INET)", I386, 359, 2, 1, SC_ALLOW },
	{ "i386 socket(AF_VSOCK)", I386, 359, 40, 1, SC_ALLOW },
	{ "i386 socketcall(SYS_SOCKET)", I386, 102, 1, 0, SC_ALLOW },
};

#undef X64
#undef I386

static int sc_check_args(const struct sock_filter *f, size_t n, sc_report_fn report)
{
	int bad = 0;

	for (size_t i = 0; i < sizeof(sc_argcases) / sizeof(sc_argcases[0]); i++) {
		const struct sc_argcase *c = &sc_argcases[i];
		uint64_t args[6] = { c->a0, c->a1, 0, 0, 0, 0 };
		enum sc_verdict got = sc_call(f, n, c->arch, c->nr, args);

		if (got != c->want) {
			report(c->what, sc_verdict_name[got], sc_verdict_name[c->want]);
			bad++;
		}
	}
	return bad;
}

/* x32 (x86-64's numbers with bit 30) and a foreign architecture: killed.
 * The number -1 (a tracer skipping a call) is no x32 call: ENOSYS. */
static int sc_check_foreign(const struct sock_filter *f, size_t n, sc_report_fn report)
{
	static const uint64_t zero[6];
	int bad = 0;
	char what[64];

	for (int i = 0; i < 2; i++) {
		enum sc_verdict v = sc_call(f, n, i ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64,
					    0xffffffffu, zero);
		if (v != SC_ENOSYS) {
			report(i ? "i386 -1" : "x86_64 -1", sc_verdict_name[v], sc_verdict_name[SC_ENOSYS]);
			bad++;
		}
	}

	for (uint32_t nr = 0; nr <= SC_SWEEP_MAX; nr++) {
		enum sc_verdict x32 = sc_call(f, n, AUDIT_ARCH_X86_64, nr | SC_X32_BIT, zero);
		enum sc_verdict arm = sc_call(f, n, AUDIT_ARCH_AARCH64, nr, zero);

		if (x32 != SC_KILL) {
			snprintf(what, sizeof(what), "x32 %u", nr);
			report(what, sc_verdict_name[x32], sc_verdict_name[SC_KILL]);
			bad++;
		}
		if (arm != SC_KILL) {
			snprintf(what, sizeof(what), "aarch64 %u", nr);
			report(what, sc_verdict_name[arm], sc_verdict_name[SC_KILL]);
			bad++;
		}
	}
	return bad;
}

static int sc_check_all(const struct sock_filter *f, size_t n, sc_report_fn report)
{
	return sc_names_agree(want_x86_64, sizeof(want_x86_64) / sizeof(want_x86_64[0]),
			      SCMP_ARCH_X86_64, report) +
	       sc_names_agree(want_i386, sizeof(want_i386) / sizeof(want_i386[0]),
			      SCMP_ARCH_X86, report) +
	       sc_sweep(f, n, AUDIT_ARCH_X86_64, SCMP_ARCH_X86_64, want_x86_64,
			sizeof(want_x86_64) / sizeof(want_x86_64[0]), report) +
	       sc_sweep(f, n, AUDIT_ARCH_I386, SCMP_ARCH_X86, want_i386,
			sizeof(want_i386) / sizeof(want_i386[0]), report) +
	       sc_check_args(f, n, report) +
	       sc_check_foreign(f, n, report);
}

#endif
