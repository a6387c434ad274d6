/* TPACKET_V3 receive ring: see ring.h. */
#include "ring.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>

#include "protocols.h" /* the SLL2 header and VLAN tag sizes */

/* Blocks are what userspace takes and gives back: large enough that a
 * busy link costs one poll per thousands of frames, and at least
 * RING_MIN_BLOCKS of them so the kernel always has one to fill while
 * userspace works on others.  Each block handed over costs a wakeup, most
 * of the reader's CPU at full rate: 4 blocks of 1 MiB for -B 4096 cost
 * 25-30% less than 8 of 512 KiB (bench_live).  A block must hold the
 * largest frame: 64 KiB GSO packets do reach taps on veth. */
#define RING_MAX_BLOCK_SIZE (1u << 20)
#define RING_MIN_BLOCK_SIZE (128u << 10)
#define RING_MIN_BLOCKS 4u
#define RING_FRAME_SIZE 2048u /* TPACKET_V3 packs frames; this only sizes tp_frame_nr */

struct ring {
	int fd;
	struct ring_opts o;
	uint8_t *map;
	size_t map_len;
	uint32_t block_size, block_nr, cur;
	uint32_t headroom; /* PACKET_RESERVE */
	uint64_t packets, drops;
};

static int fail(char *err, size_t errsz, const char *what)
{
	snprintf(err, errsz, "%s: %s", what, strerror(errno));
	return -1;
}

int ring_open(const struct ring_opts *o, struct ring **out, char *err, size_t errsz)
{
	struct ring *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	r->o = *o;
	if (!r->o.buffer_kib)
		r->o.buffer_kib = 2048;
	if (!r->o.block_tov_ms)
		r->o.block_tov_ms = 10;
	/* Protocol 0: the socket receives nothing until bound with ETH_P_ALL
	 * (packet(7)), after the filter is in place. */
	r->fd = socket(AF_PACKET, o->cooked ? SOCK_DGRAM : SOCK_RAW, 0);
	if (r->fd < 0) {
		int e = errno;
		free(r);
		errno = e;
		if (e == EPERM)
			snprintf(err, errsz, "cannot open a packet socket: "
					     "capturing needs CAP_NET_RAW (run as root)");
		else
			fail(err, errsz, "socket(AF_PACKET)");
		return -1;
	}
	*out = r;
	return 0;
}

int ring_fd(const struct ring *r)
{
	return r->fd;
}

int ring_start(struct ring *r, char *err, size_t errsz)
{
	int v = TPACKET_V3;
	if (setsockopt(r->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v))
		return fail(err, errsz, "PACKET_VERSION TPACKET_V3");
	/* Headroom before each frame, so a header can be put in front of
	 * it in place: a cooked frame's SLL2 header, or the VLAN tag the
	 * kernel moved into metadata (libpcap reserves the same). */
	r->headroom = r->o.cooked ? LINUX_SLL2_HDR_LEN : VLAN_TAG_LEN;
	if (setsockopt(r->fd, SOL_PACKET, PACKET_RESERVE, &r->headroom, sizeof r->headroom))
		return fail(err, errsz, "PACKET_RESERVE");
	uint64_t bytes = (uint64_t)r->o.buffer_kib * 1024;
	r->block_size = RING_MAX_BLOCK_SIZE;
	while (r->block_size > RING_MIN_BLOCK_SIZE && bytes / r->block_size < RING_MIN_BLOCKS)
		r->block_size /= 2;
	r->block_nr = (uint32_t)(bytes / r->block_size);
	if (r->block_nr < RING_MIN_BLOCKS)
		r->block_nr = RING_MIN_BLOCKS;
	struct tpacket_req3 req = {
		.tp_block_size = r->block_size,
		.tp_block_nr = r->block_nr,
		.tp_frame_size = RING_FRAME_SIZE,
		.tp_frame_nr = r->block_size / RING_FRAME_SIZE * r->block_nr,
		.tp_retire_blk_tov = r->o.block_tov_ms,
	};
	if (setsockopt(r->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req))
		return fail(err, errsz, "PACKET_RX_RING");
	r->map_len = (size_t)r->block_size * r->block_nr;
	r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, r->fd, 0);
	if (r->map == MAP_FAILED)
		r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->map == MAP_FAILED) {
		r->map = NULL;
		return fail(err, errsz, "mmap of the packet ring");
	}
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = r->o.ifindex,
	};
	if (bind(r->fd, (struct sockaddr *)&sll, sizeof sll)) {
		if (errno == ENETDOWN)
			snprintf(err, errsz, "the interface is down");
		else
			fail(err, errsz, "bind to the interface");
		return -1;
	}
	/* "any" has no promiscuous mode, as in libpcap. */
	if (r->o.promisc && r->o.ifindex) {
		struct packet_mreq mr = { .mr_ifindex = r->o.ifindex, .mr_type = PACKET_MR_PROMISC };
		if (setsockopt(r->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr))
			return fail(err, errsz, "PACKET_ADD_MEMBERSHIP (promiscuous mode)");
	}
	return 0;
}

static struct tpacket_block_desc *block_at(const struct ring *r, uint32_t i)
{
	return (struct tpacket_block_desc *)(r->map + (size_t)i * r->block_size);
}

static int block_ready(const struct tpacket_block_desc *d)
{
	return (__atomic_load_n(&d->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER) != 0;
}

int ring_next_block(struct ring *r, int timeout_ms, struct ring_block *b)
{
	struct tpacket_block_desc *d = block_at(r, r->cur);
	if (!block_ready(d)) {
		struct pollfd p = { .fd = r->fd, .events = POLLIN | POLLERR };
		int n = poll(&p, 1, timeout_ms);
		if (n < 0)
			return -1;
		if (!block_ready(d))
			return 0;
	}
	b->desc = d;
	b->num_pkts = d->hdr.bh1.num_pkts;
	b->left = b->num_pkts;
	b->next = (struct tpacket3_hdr *)((uint8_t *)d + d->hdr.bh1.offset_to_first_pkt);
	return 1;
}

int ring_block_frame(struct ring_block *b, struct ring_frame *f)
{
	if (!b->left)
		return 0;
	struct tpacket3_hdr *h = b->next;
	f->data = (uint8_t *)h + h->tp_mac;
	f->caplen = h->tp_snaplen;
	f->wirelen = h->tp_len;
	f->ts_sec = h->tp_sec;
	f->ts_nsec = h->tp_nsec;
	f->vlan_valid = (h->tp_status & TP_STATUS_VLAN_VALID) != 0;
	f->vlan_tci = (uint16_t)h->hv1.tp_vlan_tci;
	f->vlan_tpid = (h->tp_status & TP_STATUS_VLAN_TPID_VALID) ? (uint16_t)h->hv1.tp_vlan_tpid
								   : ETH_P_8021Q;
	f->sll = (const struct sockaddr_ll *)((uint8_t *)h + TPACKET_ALIGN(sizeof *h));
	f->status = h->tp_status;
	b->left--;
	b->next = (struct tpacket3_hdr *)((uint8_t *)h + h->tp_next_offset);
	return 1;
}

void ring_release(struct ring *r, struct ring_block *b)
{
	__atomic_store_n(&b->desc->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
	r->cur = (r->cur + 1) % r->block_nr;
}

int ring_stats(struct ring *r, uint64_t *packets, uint64_t *drops)
{
	struct tpacket_stats_v3 st;
	socklen_t len = sizeof st;
	if (getsockopt(r->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len))
		return -1;
	r->packets += st.tp_packets;
	r->drops += st.tp_drops;
	*packets = r->packets;
	*drops = r->drops;
	return 0;
}

void ring_close(struct ring *r)
{
	if (!r)
		return;
	if (r->map)
		munmap(r->map, r->map_len);
	close(r->fd);
	free(r);
}
