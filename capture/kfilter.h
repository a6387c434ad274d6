/* The classic program a packet socket runs, prepared from the compiled
 * one: what libpcap's pcap-linux.c does before SO_ATTACH_FILTER, and the
 * direction rules it applies in userspace, which we move into the kernel. */
#ifndef BPFCAP_CAPTURE_KFILTER_H
#define BPFCAP_CAPTURE_KFILTER_H

#include "bpfcap.h"
#include "options.h"

/* Cooked capture (SOCK_DGRAM): the kernel runs the filter on the packet
 * from its network header, with no LINUX_SLL2 header in front.  Rewrites
 * a program compiled for LINUX_SLL2 in place as libpcap's fix_offset does:
 * offsets past the 20-byte header move back by 20; the header's protocol
 * (offset 0), interface index (4) and packet type (10) become the
 * ancillary loads SKF_AD_PROTOCOL, SKF_AD_IFINDEX and SKF_AD_PKTTYPE.
 * Returns 0, or -1 when the program reads another header byte: it must
 * then run in userspace on the rebuilt header. */
int kfilter_rebase_sll2(struct bpfcap_prog *prog);

/* Puts -Q's direction and libpcap's loopback rule (an outgoing packet on
 * the loopback is seen again as incoming: drop the outgoing copy) in
 * front of prog, on SKF_AD_PKTTYPE and SKF_AD_IFINDEX.  lo_ifindex: the
 * loopback's index when the capture can see it (-i lo, -i any), else 0.
 * Nothing changes when there is nothing to test.  0, or -1 (no memory). */
int kfilter_add_direction(struct bpfcap_prog *prog, enum direction dir, int lo_ifindex);

#endif
