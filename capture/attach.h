/* Putting a filter into the kernel in front of a packet socket.
 *
 * kernel: our verified eBPF (socket target) loaded with BPF_PROG_LOAD as
 *         BPF_PROG_TYPE_SOCKET_FILTER and attached with SO_ATTACH_BPF;
 * cbpf:   our classic program attached with SO_ATTACH_FILTER (at most
 *         4,096 instructions, no CAP_BPF needed).
 * The filter's return value is the snap length, so the kernel copies at
 * most that many bytes of a matching packet into the ring. */
#ifndef BPFCAP_CAPTURE_ATTACH_H
#define BPFCAP_CAPTURE_ATTACH_H

#include <stddef.h>

#include "bpfcap.h"

struct ebpf_prog; /* vm/translate.h; not included here: its <linux/bpf.h>
		   * clashes with <pcap/pcap.h>'s struct bpf_insn */

/* Loads ep (socket target, verified) and attaches it to fd.  Returns 0, or
 * -1 with errno and a message (the kernel verifier's last line when it
 * refused the program). */
int attach_ebpf(int fd, const struct ebpf_prog *ep, char *err, size_t errsz);
/* SO_ATTACH_BPF of a program already loaded (its fd stays the caller's). */
int attach_prog_fd(int fd, int prog_fd, char *err, size_t errsz);
int attach_cbpf(int fd, const struct bpfcap_prog *prog, char *err, size_t errsz);
/* Replaces the filter with one that rejects everything (the stop dance:
 * nothing new enters the ring while the open block retires). */
int attach_reject_all(int fd);

#endif
