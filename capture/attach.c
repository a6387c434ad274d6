/* Kernel filters for packet sockets: see attach.h. */
#include "attach.h"
#include "translate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <linux/filter.h>

#ifndef SO_ATTACH_BPF
#define SO_ATTACH_BPF 50
#endif

/* The last non-empty line of the verifier's log: the reason it refused. */
static const char *last_line(char *log)
{
	size_t n = strlen(log);
	while (n && (log[n - 1] == '\n' || log[n - 1] == ' '))
		log[--n] = 0;
	char *nl = strrchr(log, '\n');
	return nl ? nl + 1 : log;
}

#define VERIFIER_LOG_SIZE (1u << 20)

/* BPF_PROG_LOAD as a socket filter: the program fd, or -1 with errno and
 * a message (the kernel verifier's last line when it refused).  The first
 * attempt asks for no log; only a refusal is loaded again with one. */
static int load_socket_filter(const struct ebpf_prog *ep, char *err, size_t errsz)
{
	union bpf_attr a;
	memset(&a, 0, sizeof a);
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uint64_t)(uintptr_t)ep->insns;
	a.insn_cnt = (uint32_t)ep->len;
	a.license = (uint64_t)(uintptr_t)"GPL";
	int prog = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &a, sizeof a);
	if (prog >= 0)
		return prog;
	int e = errno;
	char *log = e == EPERM ? NULL : calloc(1, VERIFIER_LOG_SIZE);
	if (log) {
		a.log_buf = (uint64_t)(uintptr_t)log;
		a.log_size = VERIFIER_LOG_SIZE;
		a.log_level = 1;
		int again = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &a, sizeof a);
		if (again >= 0) { /* accepted the second time (a transient failure) */
			free(log);
			return again;
		}
	}
	snprintf(err, errsz, "BPF_PROG_LOAD: %s%s%s", strerror(e), log && log[0] ? ": " : "",
		 log && log[0] ? last_line(log) : "");
	free(log);
	errno = e;
	return -1;
}

int attach_prog_fd(int fd, int prog_fd, char *err, size_t errsz)
{
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_BPF, &prog_fd, sizeof prog_fd)) {
		snprintf(err, errsz, "SO_ATTACH_BPF: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int attach_ebpf(int fd, const struct ebpf_prog *ep, char *err, size_t errsz)
{
	int prog = load_socket_filter(ep, err, errsz);
	if (prog < 0)
		return -1;
	int rc = attach_prog_fd(fd, prog, err, errsz);
	int e = errno;
	close(prog); /* the socket holds its own reference */
	errno = e;
	return rc;
}

int attach_cbpf(int fd, const struct bpfcap_prog *prog, char *err, size_t errsz)
{
	struct sock_fprog fp = {
		.len = (unsigned short)prog->len,
		.filter = (struct sock_filter *)(void *)prog->insns,
	};
	if (prog->len > 4096) {
		snprintf(err, errsz, "a classic filter has at most 4096 instructions, this one %zu",
			 prog->len);
		errno = E2BIG;
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof fp)) {
		snprintf(err, errsz, "SO_ATTACH_FILTER: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int attach_reject_all(int fd)
{
	struct sock_filter ret0 = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog fp = { .len = 1, .filter = &ret0 };
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof fp);
}
