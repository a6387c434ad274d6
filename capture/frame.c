/* See frame.h.  Layouts: LINUX_SLL2 (pcap-linktype(7)); the tag is the
 * 802.1Q TPID and TCI in network order (IEEE 802.1Q). */
#include "frame.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <string.h>

#include "protocols.h"

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

void frame_put_sll2(struct ring_frame *f)
{
	/* Read the descriptor before writing: with a small reserve the two
	 * could be close. */
	struct sockaddr_ll sll = *f->sll;
	uint8_t *h = f->data - LINUX_SLL2_HDR_LEN;
	memset(h, 0, LINUX_SLL2_HDR_LEN);
	memcpy(h + LINUX_SLL2_PROTO_OFF, &sll.sll_protocol, 2); /* already network order */
	put_be32(h + LINUX_SLL2_IFINDEX_OFF, (uint32_t)sll.sll_ifindex);
	put_be16(h + LINUX_SLL2_HATYPE_OFF, sll.sll_hatype);
	h[LINUX_SLL2_PKTTYPE_OFF] = sll.sll_pkttype;
	h[LINUX_SLL2_PKTTYPE_OFF + 1] = sll.sll_halen; /* the address length */
	memcpy(h + LINUX_SLL2_ADDR_OFF, sll.sll_addr,
	       sll.sll_halen < sizeof sll.sll_addr ? sll.sll_halen : sizeof sll.sll_addr);
	f->data = h;
	f->caplen += LINUX_SLL2_HDR_LEN;
	f->wirelen += LINUX_SLL2_HDR_LEN;
}

void frame_put_vlan_tag(struct ring_frame *f)
{
	/* libpcap pcap-linux.c: a tag when the TCI is nonzero or marked
	 * valid, and only if the snapshot reaches the end of the addresses. */
	if (!(f->vlan_tci || f->vlan_valid) || f->caplen < 2 * ETH_ALEN)
		return;
	uint8_t *d = f->data - VLAN_TAG_LEN;
	memmove(d, f->data, 2 * ETH_ALEN);
	put_be16(d + 2 * ETH_ALEN, f->vlan_tpid);
	put_be16(d + 2 * ETH_ALEN + 2, f->vlan_tci);
	f->data = d;
	f->caplen += VLAN_TAG_LEN;
	f->wirelen += VLAN_TAG_LEN;
}

void frame_meta(const struct ring_frame *f, uint32_t net_off, struct bpfcap_pkt_meta *meta)
{
	memset(meta, 0, sizeof *meta);
	meta->pkt_type = f->sll->sll_pkttype;
	meta->ifindex = (uint32_t)f->sll->sll_ifindex;
	meta->protocol = ntohs(f->sll->sll_protocol);
	meta->hatype = f->sll->sll_hatype;
	meta->vlan_present = f->vlan_tci || f->vlan_valid;
	meta->vlan_tci = f->vlan_tci;
	meta->vlan_tpid = meta->vlan_present ? f->vlan_tpid : 0;
	meta->net_off = net_off;
}
