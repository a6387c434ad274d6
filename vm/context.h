/* What a translated filter runs against: the two targets, their contexts,
 * and the packet metadata behind cBPF's Linux ancillary loads.
 *
 * socket  The context (r1 at entry) is a struct __sk_buff; packet bytes are
 *         read with the legacy LD_ABS/LD_IND, which take r6 = context.  The
 *         kernel accepts this as BPF_PROG_TYPE_SOCKET_FILTER (and SCHED_CLS).
 *         In userspace the interpreter and JIT get the packet beside the
 *         context (struct ebpf_run_env's pkt/pkt_len/net_off) and an
 *         __sk_buff image filled by ebpf_skb_fill.
 * direct  The context is a struct ebpf_direct_ctx: the packet as a
 *         (data, data_end) pair of host addresses, plus wire length and
 *         metadata.  Packet bytes are read with LDX after an explicit
 *         bounds check against data_end, as XDP and tc programs do.
 * xdp     The context is the kernel's struct xdp_md: data and data_end are
 *         u32 fields at offsets 0 and 4 that the kernel's ctx rewrite
 *         (net/core/filter.c, xdp_convert_ctx_access) turns into packet
 *         pointers.  The direct translation with those two loads narrowed
 *         and no metadata (an XDP frame has no skb: no VLAN offload, no
 *         pkt_type, no mark), for objects written by --emit-elf; userspace
 *         does not run it (a 32-bit field cannot hold a host address).
 */
#ifndef BPFCAP_VM_CONTEXT_H
#define BPFCAP_VM_CONTEXT_H

#include <stddef.h>
#include <stdint.h>

#include <linux/bpf.h> /* struct __sk_buff: the socket target's context layout */

#include "bpfcap.h"

enum ebpf_target {
	EBPF_TARGET_SOCKET = 0,
	EBPF_TARGET_DIRECT = 1,
	EBPF_TARGET_XDP = 2,
};

const char *ebpf_target_name(enum ebpf_target t);

/* Packet metadata (what the ancillary loads and SKF_NET_OFF read) is the
 * public struct bpfcap_pkt_meta of bpfcap.h. */

/* The direct target's context.  Fields are read with LDX of their own
 * size; data and data_end are 64-bit host addresses. */
struct ebpf_direct_ctx {
	uint64_t data;         /* first captured byte */
	uint64_t data_end;     /* data + caplen */
	uint32_t wire_len;     /* cBPF's `len` */
	uint32_t pad;
	struct bpfcap_pkt_meta meta;
};

#define EBPF_DCTX_OFF(field) ((int16_t)offsetof(struct ebpf_direct_ctx, field))
#define EBPF_DCTX_META_OFF(field) \
	((int16_t)(offsetof(struct ebpf_direct_ctx, meta) + offsetof(struct bpfcap_pkt_meta, field)))
#define EBPF_SKB_OFF(field) ((int16_t)offsetof(struct __sk_buff, field))
#define EBPF_XDP_OFF(field) ((int16_t)offsetof(struct xdp_md, field))

/* Fill an __sk_buff image as the kernel shows it to a socket filter:
 * len = wire_len, protocol and vlan_proto in network byte order (the
 * kernel's ctx rewrite loads the raw __be16), other fields from meta. */
void ebpf_skb_fill(struct __sk_buff *skb, uint32_t wire_len, const struct bpfcap_pkt_meta *meta);

/* Fill a direct context for pkt[0..caplen). */
void ebpf_direct_fill(struct ebpf_direct_ctx *ctx, const uint8_t *pkt, uint32_t caplen,
		      uint32_t wire_len, const struct bpfcap_pkt_meta *meta);

/* Helper numbers the translator calls (uapi enum bpf_func_id). */
#define EBPF_HELPER_GET_PRANDOM_U32     7
#define EBPF_HELPER_GET_SMP_PROCESSOR_ID 8

#endif
