/* A reference classic-BPF interpreter for tests of live-mode programs:
 * libpcap's bpf_filter semantics for packet data, plus the Linux
 * ancillary loads (SKF_AD_*) answered from simulated skb metadata, as the
 * kernel answers them.  libpcap's own bpf_filter fails every ancillary
 * load, so it cannot judge live programs. */
#ifndef BPFCAP_TEST_CBPF_REF_H
#define BPFCAP_TEST_CBPF_REF_H

#include <stdint.h>

#include <pcap/pcap.h>

struct ref_meta {
	int vlan_present;   /* SKF_AD_VLAN_TAG_PRESENT */
	uint16_t vlan_tci;  /* SKF_AD_VLAN_TAG */
	uint16_t vlan_tpid; /* SKF_AD_VLAN_TPID */
	uint32_t pkttype;   /* SKF_AD_PKTTYPE (PACKET_HOST 0 ... PACKET_OUTGOING 4) */
	uint32_t ifindex;   /* SKF_AD_IFINDEX */
	uint16_t protocol;  /* SKF_AD_PROTOCOL, host order */
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
