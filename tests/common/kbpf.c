/* bpf(2) wrappers for tests: see kbpf.h. */
#include "kbpf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

int kbpf_available(char *why, size_t whysz)
{
	static const struct ebpf_insn ret0[] = { EBPF_MOV64_IMM(EBPF_REG_0, 0), EBPF_EXIT_INSN() };
	int fd = kbpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2, NULL, 0);
	if (fd < 0) {
		snprintf(why, whysz, "BPF_PROG_LOAD failed: %s (needs root / CAP_BPF)", strerror(-fd));
		return 0;
	}
	close(fd);
	return 1;
}

int kbpf_prog_load(enum bpf_prog_type type, const struct ebpf_insn *prog, size_t len,
		   char *log, size_t logsz)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.insns = (uint64_t)(uintptr_t)prog;
	a.insn_cnt = (uint32_t)len;
	a.license = (uint64_t)(uintptr_t)"GPL";
	if (log && logsz) {
		log[0] = 0;
		a.log_buf = (uint64_t)(uintptr_t)log;
		a.log_size = (uint32_t)logsz;
		a.log_level = 1;
	}
	int fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
	if (fd < 0 && log && logsz && errno == ENOSPC) {
		/* The log was too small for the whole verifier trace; the load
		 * itself may have succeeded without a log: retry silently. */
		a.log_buf = 0, a.log_size = 0, a.log_level = 0;
		fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
	}
	return fd < 0 ? -errno : fd;
}

int kbpf_test_run(int fd, const void *data, size_t len, struct __sk_buff *ctx, uint32_t repeat,
		  uint32_t *retval, uint32_t *duration_ns)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)fd;
	a.test.data_in = (uint64_t)(uintptr_t)data;
	a.test.data_size_in = (uint32_t)len;
	a.test.repeat = repeat;
	if (ctx) {
		a.test.ctx_in = (uint64_t)(uintptr_t)ctx;
		a.test.ctx_size_in = sizeof(*ctx);
	}
	if (sys_bpf(BPF_PROG_TEST_RUN, &a) < 0)
		return -errno;
	if (retval)
		*retval = a.test.retval;
	if (duration_ns)
		*duration_ns = a.test.duration;
	return 0;
}
