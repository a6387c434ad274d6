/* Packet builders for the corpus generator: one put_* function per protocol
 * header, appending to a packet buffer.
 *
 * Headers whose fields depend on what follows them (IPv4 total length and
 * checksum, IPv6 payload length, UDP length, transport checksums, PPPoE
 * length) are recorded as "layers" when put, and pkt_finish() fills those
 * fields in once the packet is complete, innermost layer first, so an outer
 * UDP checksum covers the already-finished inner packet of a tunnel.  Every
 * layer is taken to extend to the end of the buffer. */
#ifndef BPFCAP_CORPUS_BUILD_H
#define BPFCAP_CORPUS_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "protocols.h"

#define PKT_MAX     10000
#define PKT_LAYERS  16

enum layer_kind {
	L_IPV4, L_IPV6, L_UDP, L_TCP, L_SCTP,
	L_CSUM,      /* Internet checksum over the rest of the packet, no pseudo header */
	L_ICMP6,     /* Internet checksum with the IPv6 pseudo header */
	L_PPPOE,     /* 16-bit length of the rest at offset 4 */
};

struct layer {
	enum layer_kind kind;
	size_t off;
	size_t csum_off;   /* L_CSUM: where the checksum field is, from off */
};

struct pkt {
	uint8_t b[PKT_MAX];
	size_t len;
	struct layer lay[PKT_LAYERS];
	int nlay;
};

struct ip6addr { uint8_t a[16]; };

static inline void pkt_init(struct pkt *p) { p->len = 0; p->nlay = 0; }

static inline void put_u8(struct pkt *p, uint8_t v)
{
	if (p->len < PKT_MAX)
		p->b[p->len++] = v;
}

static inline void put_be16(struct pkt *p, uint16_t v) { put_u8(p, v >> 8); put_u8(p, v & 0xff); }
static inline void put_be32(struct pkt *p, uint32_t v) { put_be16(p, v >> 16); put_be16(p, v & 0xffff); }

/* Byte by byte rather than memcpy: bounds are checked in put_u8, and SRC
 * may be NULL when N is 0 (an empty option list). */
static inline void put_bytes(struct pkt *p, const void *src, size_t n)
{
	const uint8_t *s = src;
	for (size_t i = 0; i < n; i++)
		put_u8(p, s[i]);
}

static inline void put_zeros(struct pkt *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_u8(p, 0);
}

/* Payload bytes: a fixed pattern, cheap and deterministic. */
static inline void put_filler(struct pkt *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		put_u8(p, (uint8_t)(seed + i * 7));
}

static inline void set_be16(struct pkt *p, size_t off, uint16_t v)
{
	p->b[off] = v >> 8;
	p->b[off + 1] = v & 0xff;
}

static inline void push_layer(struct pkt *p, enum layer_kind k, size_t off, size_t csum_off)
{
	if (p->nlay < PKT_LAYERS)
		p->lay[p->nlay++] = (struct layer){ k, off, csum_off };
}

/* ---- link and shim headers ------------------------------------------- */

/* Ethernet II / IEEE 802.3 clause 3.1.1: destination, source, type-or-length. */
static inline void put_eth(struct pkt *p, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	put_bytes(p, dst, ETHER_ADDR_LEN);
	put_bytes(p, src, ETHER_ADDR_LEN);
	put_be16(p, type);
}

/* IEEE 802.1Q-2018 clause 9.6: the TPID is the preceding type field; the tag
 * body is PCP(3) DEI(1) VID(12), then the encapsulated type. */
static inline void put_vlan(struct pkt *p, unsigned pcp, unsigned dei, unsigned vid, uint16_t next_type)
{
	put_be16(p, (uint16_t)((pcp & 7) << 13 | (dei & 1) << 12 | (vid & 0xfff)));
	put_be16(p, next_type);
}

/* RFC 3032 section 2.1: label(20) TC(3) S(1) TTL(8). */
static inline void put_mpls(struct pkt *p, uint32_t label, unsigned tc, int bottom, uint8_t ttl)
{
	put_be32(p, (label & 0xfffff) << 12 | (tc & 7) << 9 | (bottom ? 1u : 0u) << 8 | ttl);
}

/* RFC 2516 section 4: ver=1 type=1, code, session id, length of payload. */
static inline void put_pppoe(struct pkt *p, uint8_t code, uint16_t session)
{
	push_layer(p, L_PPPOE, p->len, 0);
	put_u8(p, 0x11);
	put_u8(p, code);
	put_be16(p, session);
	put_be16(p, 0);
}

/* RFC 2516 Appendix A: tag type, tag length, value. */
static inline void put_pppoe_tag(struct pkt *p, uint16_t type, const char *value)
{
	size_t n = strlen(value);
	put_be16(p, type);
	put_be16(p, (uint16_t)n);
	put_bytes(p, value, n);
}

/* RFC 1661 section 2 (PPPoE omits address/control, RFC 2516 section 7). */
static inline void put_ppp(struct pkt *p, uint16_t proto) { put_be16(p, proto); }

/* IEEE 802.2 clause 3.2: DSAP, SSAP, control (1 byte for U format, 2 for
 * I and S formats: the caller passes ctrl_len). */
static inline void put_llc(struct pkt *p, uint8_t dsap, uint8_t ssap, uint16_t ctrl, int ctrl_len)
{
	put_u8(p, dsap);
	put_u8(p, ssap);
	if (ctrl_len == 2)
		put_be16(p, ctrl);
	else
		put_u8(p, (uint8_t)ctrl);
}

/* IEEE 802-2014 clause 10.3 / RFC 1042: LLC AA AA 03, OUI(3), PID(2). */
static inline void put_snap(struct pkt *p, uint32_t oui, uint16_t pid)
{
	put_llc(p, LLCSAP_SNAP, LLCSAP_SNAP, LLC_UI, 1);
	put_u8(p, (oui >> 16) & 0xff);
	put_u8(p, (oui >> 8) & 0xff);
	put_u8(p, oui & 0xff);
	put_be16(p, pid);
}

/* RFC 826 (and RFC 903 for RARP): Ethernet hardware, IPv4 protocol. */
static inline void put_arp(struct pkt *p, uint16_t op, const uint8_t sha[6], uint32_t spa,
			   const uint8_t tha[6], uint32_t tpa)
{
	put_be16(p, ARP_HTYPE_ETHER);
	put_be16(p, ETYPE_IP);
	put_u8(p, ETHER_ADDR_LEN);
	put_u8(p, 4);
	put_be16(p, op);
	put_bytes(p, sha, 6);
	put_be32(p, spa);
	put_bytes(p, tha, 6);
	put_be32(p, tpa);
}

/* ---- network layer ----------------------------------------------------- */

struct ipv4_hdr {
	uint32_t src, dst;
	uint8_t proto;
	uint8_t tos;
	uint8_t ttl;         /* 0 means 64 */
	uint16_t id;
	uint16_t frag;       /* flags(3) + offset(13), RFC 791 3.1 */
	const uint8_t *opt;  /* options, optlen a multiple of 4, at most 40 */
	size_t optlen;
};
#define IPV4_FLAG_DF 0x4000
#define IPV4_FLAG_MF 0x2000

/* RFC 791 section 3.1; total length and checksum set by pkt_finish. */
static inline void put_ipv4(struct pkt *p, const struct ipv4_hdr *h)
{
	push_layer(p, L_IPV4, p->len, 0);
	put_u8(p, (uint8_t)(0x40 | ((IPV4_HDR_LEN_MIN + h->optlen) / 4)));
	put_u8(p, h->tos);
	put_be16(p, 0);
	put_be16(p, h->id);
	put_be16(p, h->frag);
	put_u8(p, h->ttl ? h->ttl : 64);
	put_u8(p, h->proto);
	put_be16(p, 0);
	put_be32(p, h->src);
	put_be32(p, h->dst);
	put_bytes(p, h->opt, h->optlen);
}

/* RFC 8200 section 3: version 6, traffic class, flow label, payload length
 * (set by pkt_finish), next header, hop limit, addresses. */
static inline void put_ipv6(struct pkt *p, const struct ip6addr *src, const struct ip6addr *dst,
			    uint8_t nxt, uint8_t tclass, uint32_t flow, uint8_t hlim)
{
	push_layer(p, L_IPV6, p->len, 0);
	put_be32(p, 6u << 28 | (uint32_t)tclass << 20 | (flow & 0xfffff));
	put_be16(p, 0);
	put_u8(p, nxt);
	put_u8(p, hlim);
	put_bytes(p, src->a, 16);
	put_bytes(p, dst->a, 16);
}

/* RFC 8200 4.3 / 4.6: hop-by-hop or destination options, LEN8 8-octet units
 * beyond the first; filled with one PadN (or a router alert first when asked). */
static inline void put_ip6_opts(struct pkt *p, uint8_t nxt, unsigned len8, int router_alert)
{
	size_t total = 8 * (len8 + 1), used = 2;
	put_u8(p, nxt);
	put_u8(p, (uint8_t)len8);
	if (router_alert) {            /* RFC 2711: type 5, length 2, value 0 = MLD */
		put_u8(p, IPV6_OPT_RA);
		put_u8(p, 2);
		put_be16(p, 0);
		used += 4;
	}
	if (total - used == 1) {
		put_u8(p, IPV6_OPT_PAD1);
	} else {
		put_u8(p, IPV6_OPT_PADN);
		put_u8(p, (uint8_t)(total - used - 2));
		put_zeros(p, total - used - 2);
	}
}

/* RFC 8200 4.4 with a type-0-style address list (RFC 5095 deprecates type 0;
 * types 2 and 4 use the same 8-byte fixed part). NADDR 16-byte addresses. */
static inline void put_ip6_routing(struct pkt *p, uint8_t nxt, uint8_t type, unsigned naddr,
				   const struct ip6addr *addr)
{
	put_u8(p, nxt);
	put_u8(p, (uint8_t)(2 * naddr));
	put_u8(p, type);
	put_u8(p, (uint8_t)naddr);    /* segments left */
	put_be32(p, 0);
	for (unsigned i = 0; i < naddr; i++)
		put_bytes(p, addr->a, 16);
}

/* RFC 8200 4.5: next header, reserved, offset(13) res(2) M(1), identification. */
static inline void put_ip6_frag(struct pkt *p, uint8_t nxt, uint16_t offset8, int more, uint32_t id)
{
	put_u8(p, nxt);
	put_u8(p, 0);
	put_be16(p, (uint16_t)(offset8 << 3 | (more ? 1 : 0)));
	put_be32(p, id);
}

/* RFC 4302 section 2: next header, payload length in 4-octet units minus 2,
 * reserved, SPI, sequence, ICV (ICVLEN bytes, a multiple of 4; IPv6 wants the
 * whole header a multiple of 8, so 4, 12, 20... there and 12 for HMAC-96). */
static inline void put_ah(struct pkt *p, uint8_t nxt, uint32_t spi, uint32_t seq, size_t icvlen)
{
	put_u8(p, nxt);
	put_u8(p, (uint8_t)((12 + icvlen) / 4 - 2));
	put_be16(p, 0);
	put_be32(p, spi);
	put_be32(p, seq);
	put_filler(p, icvlen, (uint8_t)spi);
}

/* RFC 4303 section 2: SPI, sequence, then opaque ciphertext. */
static inline void put_esp(struct pkt *p, uint32_t spi, uint32_t seq, size_t body)
{
	put_be32(p, spi);
	put_be32(p, seq);
	put_filler(p, body, (uint8_t)seq);
}

/* ---- transport and control protocols ----------------------------------- */

/* RFC 9293 3.1: ports, seq, ack, data offset, flags, window, checksum
 * (pkt_finish), urgent pointer, options (OPTLEN a multiple of 4). */
static inline void put_tcp(struct pkt *p, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
			   uint8_t flags, uint16_t win, uint16_t urp, const uint8_t *opt, size_t optlen)
{
	push_layer(p, L_TCP, p->len, 0);
	put_be16(p, sport);
	put_be16(p, dport);
	put_be32(p, seq);
	put_be32(p, ack);
	put_u8(p, (uint8_t)(((TCP_HDR_LEN_MIN + optlen) / 4) << 4));
	put_u8(p, flags);
	put_be16(p, win);
	put_be16(p, 0);
	put_be16(p, urp);
	put_bytes(p, opt, optlen);
}

/* RFC 768: ports, length and checksum set by pkt_finish. */
static inline void put_udp(struct pkt *p, uint16_t sport, uint16_t dport)
{
	push_layer(p, L_UDP, p->len, 0);
	put_be16(p, sport);
	put_be16(p, dport);
	put_be32(p, 0);
}

/* RFC 792: type, code, checksum (pkt_finish), 4 type-specific bytes. */
static inline void put_icmp(struct pkt *p, uint8_t type, uint8_t code, uint32_t rest)
{
	push_layer(p, L_CSUM, p->len, 2);
	put_u8(p, type);
	put_u8(p, code);
	put_be16(p, 0);
	put_be32(p, rest);
}

/* RFC 4443 section 2.1: as ICMP, checksum includes the IPv6 pseudo header. */
static inline void put_icmp6(struct pkt *p, uint8_t type, uint8_t code, uint32_t rest)
{
	push_layer(p, L_ICMP6, p->len, 0);
	put_u8(p, type);
	put_u8(p, code);
	put_be16(p, 0);
	put_be32(p, rest);
}

/* RFC 2236 section 2 (v1/v2; RFC 3376 4.1 adds fields after the group). */
static inline void put_igmp(struct pkt *p, uint8_t type, uint8_t max_resp, uint32_t group)
{
	push_layer(p, L_CSUM, p->len, 2);
	put_u8(p, type);
	put_u8(p, max_resp);
	put_be16(p, 0);
	put_be32(p, group);
}

/* RFC 7761 section 4.9: PIM version 2, type, reserved, checksum. */
static inline void put_pim(struct pkt *p, uint8_t type)
{
	push_layer(p, L_CSUM, p->len, 2);
	put_u8(p, (uint8_t)(2 << 4 | (type & 0xf)));
	put_u8(p, 0);
	put_be16(p, 0);
}

/* RFC 3768 section 5.1 (VRRPv2): version/type, VRID, priority, address
 * count, auth type, advertisement interval, checksum, addresses, auth data. */
static inline void put_vrrp2(struct pkt *p, uint8_t vrid, uint8_t prio, uint32_t vaddr)
{
	push_layer(p, L_CSUM, p->len, 6);
	put_u8(p, 0x21);
	put_u8(p, vrid);
	put_u8(p, prio);
	put_u8(p, 1);
	put_u8(p, 0);
	put_u8(p, 1);
	put_be16(p, 0);
	put_be32(p, vaddr);
	put_zeros(p, 8);
}

/* RFC 9260 section 3.1: ports, verification tag, CRC32c (pkt_finish). */
static inline void put_sctp(struct pkt *p, uint16_t sport, uint16_t dport, uint32_t vtag)
{
	push_layer(p, L_SCTP, p->len, 0);
	put_be16(p, sport);
	put_be16(p, dport);
	put_be32(p, vtag);
	put_be32(p, 0);
}

/* RFC 9260 section 3.2: chunk type, flags, length, VALUE_LEN bytes, padded to 4. */
static inline void put_sctp_chunk(struct pkt *p, uint8_t type, uint8_t flags, size_t value_len)
{
	put_u8(p, type);
	put_u8(p, flags);
	put_be16(p, (uint16_t)(4 + value_len));
	put_filler(p, value_len, type);
	put_zeros(p, (4 - value_len % 4) % 4);
}

/* RFC 2784 / RFC 2890: C K S flags, version 0, protocol type, then the
 * optional checksum+reserved, key and sequence words. */
static inline void put_gre(struct pkt *p, uint16_t proto, int with_key, uint32_t key, int with_seq, uint32_t seq)
{
	put_be16(p, (uint16_t)((with_key ? 0x2000 : 0) | (with_seq ? 0x1000 : 0)));
	put_be16(p, proto);
	if (with_key)
		put_be32(p, key);
	if (with_seq)
		put_be32(p, seq);
}

/* RFC 7348 section 5: flags (I bit set), reserved, VNI(24), reserved. */
static inline void put_vxlan(struct pkt *p, uint32_t vni)
{
	put_be32(p, 0x08000000);
	put_be32(p, vni << 8);
}

/* RFC 8926 section 3.4: ver(2) optlen(6, 4-byte units), O C flags, protocol
 * type, VNI(24), reserved; then NOPTS 8-byte options (class, type, len=1). */
static inline void put_geneve(struct pkt *p, uint16_t proto, uint32_t vni, unsigned nopts)
{
	put_u8(p, (uint8_t)(nopts * 2));
	put_u8(p, 0);
	put_be16(p, proto);
	put_be32(p, vni << 8);
	for (unsigned i = 0; i < nopts; i++) {
		put_be16(p, 0x0102);          /* option class */
		put_u8(p, (uint8_t)(0x10 + i)); /* type */
		put_u8(p, 1);                 /* length: one 4-byte word of data */
		put_be32(p, 0xc0ffee00 + i);
	}
}

/* ---- finishing: lengths and checksums ----------------------------------- */

/* RFC 1071 one's-complement sum, folded, starting from SUM. */
static inline uint32_t csum_add(uint32_t sum, const uint8_t *d, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)d[i] << 8 | d[i + 1];
	if (n & 1)
		sum += (uint32_t)d[n - 1] << 8;
	return sum;
}

static inline uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The IP layer carrying layer I: the nearest IPv4/IPv6 layer before it. */
static inline const struct layer *enclosing_ip(const struct pkt *p, int i)
{
	while (--i >= 0)
		if (p->lay[i].kind == L_IPV4 || p->lay[i].kind == L_IPV6)
			return &p->lay[i];
	return NULL;
}

/* The destination a source-routed packet is finally delivered to: the last
 * address of an IPv4 LSRR/SSRR option (RFC 791 3.1), else the header's. */
static inline const uint8_t *ipv4_final_dst(const uint8_t *ip)
{
	size_t hlen = (ip[0] & 0xfu) * 4u, i = IPV4_HDR_LEN_MIN;
	while (i < hlen && ip[i] != IPV4_OPT_EOL) {
		if (ip[i] == IPV4_OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= hlen || ip[i + 1] < 2)
			break;
		if ((ip[i] == IPV4_OPT_LSRR || ip[i] == IPV4_OPT_SSRR) && ip[i + 1] >= 7)
			return ip + i + ip[i + 1] - 4;
		i += ip[i + 1];
	}
	return ip + IPV4_DST_OFF;
}

/* The same for IPv6 (RFC 8200 8.1): the last address of a routing header
 * with segments left, found by walking the chain up to offset END.  A chain
 * should hold one routing header (RFC 8200 4.1); when ours hold several,
 * the first counts, as in the decoders we compare against. */
static inline const uint8_t *ipv6_final_dst(const uint8_t *ip, size_t end)
{
	uint8_t nxt = ip[IPV6_NXT_OFF];
	size_t off = IPV6_HDR_LEN;

	while (off + 8 <= end) {
		const uint8_t *h = ip + off;
		size_t len;
		if (nxt == IPPROTO_NUM_FRAGMENT)
			len = IPV6_FRAG_HDR_LEN;
		else if (nxt == IPPROTO_NUM_AH)
			len = (h[1] + 2u) * 4u;
		else if (nxt == IPPROTO_NUM_HOPOPTS || nxt == IPPROTO_NUM_DSTOPTS || nxt == IPPROTO_NUM_ROUTING)
			len = (h[1] + 1u) * 8u;
		else
			break;
		if (nxt == IPPROTO_NUM_ROUTING && h[3] > 0 && h[1] >= 2)
			return h + len - 16;
		nxt = h[0];
		off += len;
	}
	return ip + IPV6_DST_OFF;
}

/* Pseudo-header sum for a transport header at offset AT (RFC 9293 3.1 for
 * IPv4, RFC 8200 8.1 for IPv6), using the final destination. */
static inline uint32_t pseudo_sum(const struct pkt *p, const struct layer *ip, size_t at,
				  uint8_t proto, size_t len)
{
	uint32_t sum = proto + (uint32_t)len;
	const uint8_t *h;
	if (!ip)
		return sum;
	h = p->b + ip->off;
	if (ip->kind == L_IPV4)
		return csum_add(csum_add(sum, h + IPV4_SRC_OFF, 4), ipv4_final_dst(h), 4);
	return csum_add(csum_add(sum, h + IPV6_SRC_OFF, 16), ipv6_final_dst(h, at - ip->off), 16);
}

/* CRC-32C (Castagnoli), reflected, as SCTP uses it (RFC 9260 Appendix A). */
static inline uint32_t crc32c(const uint8_t *d, size_t n)
{
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		crc ^= d[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
	}
	return ~crc;
}

static inline void finish_layer(struct pkt *p, int i)
{
	const struct layer *l = &p->lay[i];
	size_t len = p->len - l->off;
	uint8_t *h = p->b + l->off;
	uint16_t c;

	switch (l->kind) {
	case L_IPV4:
		set_be16(p, l->off + 2, (uint16_t)len);
		set_be16(p, l->off + 10, 0);
		set_be16(p, l->off + 10, csum_fold(csum_add(0, h, (h[0] & 0xf) * 4u)));
		break;
	case L_IPV6:
		set_be16(p, l->off + 4, (uint16_t)(len - IPV6_HDR_LEN));
		break;
	case L_UDP:
		set_be16(p, l->off + 4, (uint16_t)len);
		set_be16(p, l->off + 6, 0);
		c = csum_fold(csum_add(pseudo_sum(p, enclosing_ip(p, i), l->off, IPPROTO_NUM_UDP, len), h, len));
		set_be16(p, l->off + 6, c ? c : 0xffff);   /* RFC 768: 0 means "none" */
		break;
	case L_TCP:
		set_be16(p, l->off + 16, 0);
		set_be16(p, l->off + 16, csum_fold(csum_add(pseudo_sum(p, enclosing_ip(p, i), l->off,
									IPPROTO_NUM_TCP, len), h, len)));
		break;
	case L_ICMP6:
		set_be16(p, l->off + 2, 0);
		set_be16(p, l->off + 2, csum_fold(csum_add(pseudo_sum(p, enclosing_ip(p, i), l->off,
								       IPPROTO_NUM_ICMPV6, len), h, len)));
		break;
	case L_CSUM:
		set_be16(p, l->off + l->csum_off, 0);
		set_be16(p, l->off + l->csum_off, csum_fold(csum_add(0, h, len)));
		break;
	case L_SCTP: {
		uint32_t crc;
		memset(h + 8, 0, 4);
		crc = crc32c(h, len);
		h[8] = crc & 0xff;            /* stored least significant byte first */
		h[9] = (crc >> 8) & 0xff;
		h[10] = (crc >> 16) & 0xff;
		h[11] = crc >> 24;
		break;
	}
	case L_PPPOE:
		set_be16(p, l->off + 4, (uint16_t)(len - PPPOE_HDR_LEN));
		break;
	}
}

/* Fill in every length and checksum, innermost first. */
static inline void pkt_finish(struct pkt *p)
{
	for (int i = p->nlay - 1; i >= 0; i--)
		finish_layer(p, i);
}

#endif
