/* The translated filter's contexts: names, and filling them for a packet. */
#include <arpa/inet.h>
#include <string.h>

#include "context.h"

const char *ebpf_target_name(enum ebpf_target t)
{
	switch (t) {
	case EBPF_TARGET_SOCKET: return "socket";
	case EBPF_TARGET_DIRECT: return "direct";
	case EBPF_TARGET_XDP: return "xdp";
	}
	return "unknown";
}

/* What a socket filter reads through __sk_buff (net/core/filter.c,
 * bpf_convert_ctx_access): len is skb->len; protocol and vlan_proto are
 * the raw __be16 of the skb, loaded as they are, so the image holds them
 * in network byte order; the others are host-order integers. */
void ebpf_skb_fill(struct __sk_buff *skb, uint32_t wire_len, const struct bpfcap_pkt_meta *meta)
{
	static const struct bpfcap_pkt_meta none;
	const struct bpfcap_pkt_meta *m = meta ? meta : &none;
	memset(skb, 0, sizeof *skb);
	skb->len = wire_len;
	skb->pkt_type = m->pkt_type;
	skb->mark = m->mark;
	skb->queue_mapping = m->queue;
	skb->protocol = htons((uint16_t)m->protocol);
	skb->vlan_present = m->vlan_present ? 1 : 0;
	skb->vlan_tci = (uint16_t)m->vlan_tci;
	skb->vlan_proto = htons((uint16_t)m->vlan_tpid);
	skb->ifindex = m->ifindex;
	skb->ingress_ifindex = m->ifindex;
	skb->hash = m->hash;
}

void ebpf_direct_fill(struct ebpf_direct_ctx *ctx, const uint8_t *pkt, uint32_t caplen,
		      uint32_t wire_len, const struct bpfcap_pkt_meta *meta)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->data = (uint64_t)(uintptr_t)pkt;
	ctx->data_end = ctx->data + caplen;
	ctx->wire_len = wire_len;
	if (meta)
		ctx->meta = *meta;
}
