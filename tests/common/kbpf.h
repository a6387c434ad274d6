/* The kernel as a reference: thin wrappers over bpf(2) for tests.
 * BPF_PROG_LOAD with the verifier's log, BPF_PROG_TEST_RUN of skb programs. */
#ifndef BPFCAP_TEST_KBPF_H
#define BPFCAP_TEST_KBPF_H

#include <stddef.h>
#include <stdint.h>

#include <linux/bpf.h>

#include "bpfcap.h"
#include "ebpf.h"

/* 1 if this process may load eBPF (CAP_BPF); otherwise 0 and why in why. */
int kbpf_available(char *why, size_t whysz);

/* Load prog as type (BPF_PROG_TYPE_SOCKET_FILTER, _SCHED_CLS, _XDP), license
 * "GPL".  Returns the fd, or -errno with the verifier's log (possibly cut)
 * in log when log is not NULL. */
int kbpf_prog_load(enum bpf_prog_type type, const struct ebpf_insn *prog, size_t len,
		   char *log, size_t logsz);

/* BPF_PROG_TEST_RUN: data[0..len) (14 to 3712 bytes for skb programs), with
 * an optional __sk_buff to set mark, priority, ifindex, cb, tstamp,
 * wire_len.  Returns 0 with *retval, or -errno. */
int kbpf_test_run(int fd, const void *data, size_t len, struct __sk_buff *ctx, uint32_t repeat,
		  uint32_t *retval, uint32_t *duration_ns);

/* BPF_PROG_TEST_RUN's limits for skb programs (net/bpf/test_run.c;
 * MACHINE.md), and where a SCHED_CLS run's network header starts
 * (eth_type_trans pulled the 14-byte Ethernet header). */
#define TEST_RUN_MIN_LEN 14u
#define TEST_RUN_MAX_LEN 3712u
#define TEST_RUN_NET_OFF 14u

/* What a test run gives one packet of a corpus. */
struct kpacket {
	int usable;                 /* 0: left out (reason counted) */
	uint32_t len;               /* bytes run (caplen) */
	struct bpfcap_pkt_meta meta;
	uint32_t mark;
};

#endif
