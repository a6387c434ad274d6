/* The kernel's JIT as a benchmark peer: BPF_PROG_TEST_RUN with `repeat`
 * of a program loaded as SCHED_CLS (which reads the packet from the
 * Ethernet header, as our socket-target programs do with LD_ABS).
 * Separate from kbpf.h so that a file including <pcap.h> can use it
 * (<linux/bpf.h>'s struct bpf_insn clashes with libpcap's). */
#ifndef BPFCAP_TEST_KBENCH_H
#define BPFCAP_TEST_KBENCH_H

#include <stddef.h>
#include <stdint.h>

#include "ebpf.h"

/* Loads prog as SCHED_CLS; the fd, or -1 with the reason in why. */
int kbench_load(const struct ebpf_insn *prog, size_t len, char *why, size_t whysz);

/* ns per run of repeat runs on pkt (the kernel's own average), with r0 in
 * *retval; -1 on error. */
double kbench_run(int fd, const uint8_t *pkt, size_t len, uint32_t repeat, uint32_t *retval);

void kbench_close(int fd);

#endif
