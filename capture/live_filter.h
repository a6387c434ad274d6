/* Where a live capture's filter runs, and putting it there.
 *
 * --engine=kernel (the default): our eBPF, verified, as a socket filter;
 * if the kernel refuses it, our cBPF with SO_ATTACH_FILTER; if that is
 * refused too (more than 4,096 instructions, say), the userspace JIT.  Each
 * step down prints one line on stderr.  --engine=cbpf starts at the second
 * step; jit and interp filter in userspace.
 *
 * Whatever filters, the kernel always runs a program on the socket: the
 * direction rules (-Q, the loopback's outgoing duplicates) and the snap
 * length are applied there, so nothing unfiltered or untruncated is copied
 * into the ring.  The filter is attached before the ring is bound. */
#ifndef BPFCAP_CAPTURE_LIVE_FILTER_H
#define BPFCAP_CAPTURE_LIVE_FILTER_H

#include <stdint.h>

#include "bpfcap.h"
#include "iface.h"
#include "options.h"

struct ebpf_kcount; /* vm/map_kernel.h (not included: <linux/bpf.h>) */
struct elf_filter;  /* elf_cli.h: --filter-elf */

struct live_filter {
	enum engine_choice engine;  /* what filters in the end */
	struct bpfcap_filter *user; /* the userspace filter; NULL: the kernel's verdict stands */
	struct elf_filter *elf;     /* --filter-elf: the object's program */
	int elf_in_userspace;       /* ... run by us on each frame (the kernel refused it) */
	/* --count / --stats with the kernel engine: the program counts in a
	 * BPF map (vm/map_kernel.h); NULL when nothing counts in the kernel. */
	struct ebpf_kcount *kcount;
	int kcount_only;            /* EBPF_COUNT_ONLY: no packet reaches the ring */
};

/* The userspace verdict on a frame (1 when nothing filters in userspace). */
uint32_t live_filter_run(struct live_filter *lf, const uint8_t *data, uint32_t caplen,
			 uint32_t wirelen, const struct bpfcap_pkt_meta *meta);

/* Compiles o->expression for ifc in live mode and attaches what the kernel
 * runs to the packet socket fd.  0, or 1 with a message printed. */
int live_filter_setup(const struct options *o, const struct iface *ifc, int fd, uint32_t snaplen,
		      struct live_filter *lf);

/* What the kernel runs for a compiled program: rebased for a cooked
 * socket (kfilter_rebase_sll2), behind the direction prologue.  0, or -1
 * when it must run in userspace (a cooked header field the kernel lacks;
 * or no memory). */
int live_kernel_program(const struct options *o, const struct iface *ifc,
			struct bpfcap_prog *prog);

/* The kernel's counters (--count, --stats): 0, or -1 when the kernel does
 * not count (another engine, or the kernel refused the counting program). */
int live_filter_counts(const struct live_filter *lf, struct bpfcap_counts *out);

const char *live_engine_name(enum engine_choice e);

void live_filter_free(struct live_filter *lf);

#endif
