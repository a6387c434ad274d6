/* A ring frame made into what libpcap hands tcpdump: the link-layer
 * header the kernel did not put in the ring rebuilt in the frame's
 * headroom, and the packet's metadata for userspace filters. */
#ifndef BPFCAP_CAPTURE_FRAME_H
#define BPFCAP_CAPTURE_FRAME_H

#include <stdint.h>

#include "bpfcap.h"
#include "ring.h"

/* Cooked mode: writes the LINUX_SLL2 header (libpcap's layout, from the
 * frame's sockaddr_ll) into the 20 bytes of headroom before f->data and
 * moves f->data, f->caplen and f->wirelen to include it. */
void frame_put_sll2(struct ring_frame *f);

/* The kernel moved a received frame's outer VLAN tag into metadata; puts
 * it back after the MAC addresses, in the 4 bytes of headroom, as libpcap
 * does (when the tag is valid and the frame holds both addresses). */
void frame_put_vlan_tag(struct ring_frame *f);

/* The metadata cBPF's ancillary loads read, from the frame's descriptor.
 * net_off: where the network header starts in the frame as it is now. */
void frame_meta(const struct ring_frame *f, uint32_t net_off, struct bpfcap_pkt_meta *meta);

#endif
