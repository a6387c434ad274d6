/* A reference classic-BPF interpreter for tests of live-mode programs and
 * of the cBPF → eBPF translator.
 *
 * Without metadata it is libpcap's bpf_filter: offsets are unsigned, an
 * LD IND whose X + k overflows fails, every ancillary load fails.
 * With metadata it is the kernel's classic filter (net/core/filter.c):
 *   - LD ABS at SKF_AD_OFF + n (any size) is an ancillary load, answered
 *     from the metadata (CPU and RANDOM from the caller's values); an
 *     ancillary load the kernel cannot answer from an skb (NLATTR,
 *     NLATTR_NEST, PAY_OFFSET) fails;
 *   - other offsets are signed 32-bit (LD IND: X + k computed in 32 bits),
 *     and a negative one follows bpf_internal_load_pointer_neg_helper:
 *     [SKF_NET_OFF, 0) is relative to the network header (meta.net_off),
 *     [SKF_LL_OFF, SKF_NET_OFF) to the link-layer header (the packet's
 *     first byte), anything lower fails.
 * Both: a failed load, or DIV/MOD by X = 0, ends the run returning 0; a
 * shift by X >= 32 gives 0; A, X and M[] start at 0. */
#ifndef BPFCAP_TEST_CBPF_REF_H
#define BPFCAP_TEST_CBPF_REF_H

#include <stdint.h>

#include <pcap/pcap.h>

#include "bpfcap.h"

struct ref_meta {
	struct bpfcap_pkt_meta m; /* host order; m.net_off for SKF_NET_OFF */
	uint32_t cpu;             /* what SKF_AD_CPU answers */
	uint32_t random;          /* what SKF_AD_RANDOM answers (every time) */
};

/* The program's return value; 0 when a load fails or X is 0 in div/mod. */
uint32_t ref_run(const struct bpf_insn *prog, const uint8_t *pkt, uint32_t caplen,
		 uint32_t wirelen, const struct ref_meta *meta);

/* The same without metadata, reporting whether the run ended on a failed
 * load (a packet too short for it, or an ancillary load): the optimizer's
 * contract, like libpcap's optimizer's, only covers runs that did not. */
uint32_t ref_run_checked(const struct bpf_insn *prog, const uint8_t *pkt, uint32_t caplen,
			 uint32_t wirelen, int *load_failed);

#endif
