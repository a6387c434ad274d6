/* An AF_PACKET TPACKET_V3 receive ring, consumed a whole block at a time.
 *
 * Order of setup (issue 6, and why): the socket is opened with protocol 0,
 * so it receives nothing; the caller attaches the filter to ring_fd(); only
 * then ring_start() sets TPACKET_V3, reserves 4 bytes of headroom per
 * frame (for putting a VLAN tag the kernel moved to metadata back into the
 * frame), maps the ring and binds to ETH_P_ALL and the interface.  No
 * unfiltered packet can reach the ring. */
#ifndef BPFCAP_CAPTURE_RING_H
#define BPFCAP_CAPTURE_RING_H

#include <stddef.h>
#include <stdint.h>

#include <linux/if_packet.h>

struct ring_opts {
	int ifindex;            /* 0: every interface ("any") */
	int cooked;             /* SOCK_DGRAM: the packet from the network header */
	uint32_t buffer_kib;    /* -B: ring memory (tcpdump's meaning); 0: 2048 */
	uint32_t block_tov_ms;  /* block retire timeout; 0: 10 */
	int promisc;            /* PACKET_MR_PROMISC on ifindex */
};

/* One captured frame as the kernel described it. */
struct ring_frame {
	uint8_t *data;          /* the link-layer header (cooked: the network header) */
	uint32_t caplen, wirelen;
	uint32_t ts_sec, ts_nsec;
	uint16_t vlan_tci, vlan_tpid;
	int vlan_valid;         /* TP_STATUS_VLAN_VALID: the tag was moved to metadata */
	const struct sockaddr_ll *sll; /* pkttype, ifindex, protocol, hatype */
	uint32_t status;        /* tp_status */
	/* The ring reserved headroom before data: VLAN_TAG_LEN bytes, or
	 * LINUX_SLL2_HDR_LEN when cooked (PACKET_RESERVE). */
};

struct ring_block {
	struct tpacket_block_desc *desc;
	uint32_t num_pkts;
	struct tpacket3_hdr *next; /* the next frame to hand out */
	uint32_t left;
};

struct ring;

/* Opens the socket (nothing is received yet).  0, or -1 with a message. */
int ring_open(const struct ring_opts *o, struct ring **out, char *err, size_t errsz);
int ring_fd(const struct ring *r);
/* Version, headroom, ring, mmap, bind, promiscuous mode. */
int ring_start(struct ring *r, char *err, size_t errsz);
/* The next block the kernel has retired to userspace, waiting up to
 * timeout_ms (-1: forever).  1 with *b, 0 on timeout, -1 on error (errno). */
int ring_next_block(struct ring *r, int timeout_ms, struct ring_block *b);
/* The block's next frame; 0 when it has no more. */
int ring_block_frame(struct ring_block *b, struct ring_frame *f);
/* Gives the block back to the kernel and moves to the next. */
void ring_release(struct ring *r, struct ring_block *b);
/* PACKET_STATISTICS, accumulated (the kernel resets them on every read). */
int ring_stats(struct ring *r, uint64_t *packets, uint64_t *drops);
void ring_close(struct ring *r);

#endif
