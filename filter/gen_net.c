/* Network-layer primitives: protocol abbreviations, "proto", and hosts
 * and networks of IPv4, IPv6, ARP and RARP.
 *
 * Operand order follows libpcap's generator wherever two loads are
 * or-ed: a load past the captured length ends the program with 0, so
 * the order decides the verdict on truncated packets. */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cg.h"
#include "names.h"
#include "protocols.h"

static const char *proto_name(int proto)
{
	return ast_proto_name((enum ast_proto)proto);
}

/* ---- "proto" ---------------------------------------------------------- */

/* IPv6 next header v, directly or behind one fragment header (libpcap
 * looks exactly that far: RFC 8200 section 4.5). */
static struct cg_pred ip6_nexthdr_is(struct cg *cg, uint32_t v)
{
	struct cg_pred direct = cg_cmp_eq(cg, CB_NET, IPV6_NXT_OFF, 1, v);
	struct cg_pred frag = cg_and(cg, cg_cmp_eq(cg, CB_NET, IPV6_NXT_OFF, 1, IPPROTO_NUM_FRAGMENT),
				     cg_cmp_eq(cg, CB_NET, IPV6_HDR_LEN, 1, v));
	return cg_or(cg, direct, frag);
}

static struct cg_pred gen_proto(struct cg *cg, uint32_t v, int proto, int dir, int col, int len)
{
	if (dir != AD_DEFAULT)
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "direction applied to 'proto'");
	switch (proto) {
	case AP_DEFAULT:
		return cg_or(cg, gen_proto(cg, v, AP_IP, dir, col, len),
			     gen_proto(cg, v, AP_IP6, dir, col, len));
	case AP_LINK:
		return gen_linktype(cg, v);
	case AP_IP:
		return cg_and(cg, gen_linktype(cg, ETYPE_IP),
			      cg_cmp_eq(cg, CB_NET, IPV4_PROTO_OFF, 1, v));
	case AP_IP6:
		return cg_and(cg, gen_linktype(cg, ETYPE_IPV6), ip6_nexthdr_is(cg, v));
	case AP_ARP:
	case AP_RARP:
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len,
				"%s does not encapsulate another protocol", proto_name(proto));
	/* OSI over 802.2 (SAP 0xFE): the network layer protocol identifier is
	 * the first byte after the LLC header (ISO/IEC TR 9577); IS-IS's PDU
	 * type is its fifth byte (ISO/IEC 10589 clause 9.5). */
	case AP_ISO:
		return cg_and(cg, gen_linktype(cg, LLCSAP_ISONS),
			      cg_cmp_eq(cg, CB_NET_NOSNAP, 0, 1, v));
	case AP_ISIS:
		return cg_and(cg, gen_proto(cg, ISO_NLPID_ISIS, AP_ISO, dir, col, len),
			      cg_cmp_eq(cg, CB_NET_NOSNAP, 4, 1, v));
	default:
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "'%s proto' is bogus",
				proto_name(proto));
	}
}

/* IS-IS PDU-type groups, or-ed in libpcap's order (each later type
 * tested before the ones already collected). */
static struct cg_pred isis_types(struct cg *cg, const uint8_t *types, size_t n, int col, int len)
{
	struct cg_pred acc = gen_proto(cg, types[0], AP_ISIS, AD_DEFAULT, col, len);
	if (n > 1)
		acc = cg_or(cg, acc, gen_proto(cg, types[1], AP_ISIS, AD_DEFAULT, col, len));
	for (size_t i = 2; i < n; i++)
		acc = cg_or(cg, gen_proto(cg, types[i], AP_ISIS, AD_DEFAULT, col, len), acc);
	return acc;
}

static struct cg_pred gen_isis_abbrev(struct cg *cg, int proto, int col, int len)
{
	/* ISO/IEC 10589 PDU types: L1/L2 LAN IIH 15/16, point-to-point IIH 17,
	 * L1/L2 LSP 18/20, L1/L2 CSNP 24/25, L1/L2 PSNP 26/27. */
	static const uint8_t l1[] = { 15, 17, 18, 24, 26 }, l2[] = { 16, 17, 20, 25, 27 },
			     iih[] = { 15, 16, 17 }, lsp[] = { 18, 20 }, snp[] = { 24, 25, 26, 27 },
			     csnp[] = { 24, 25 }, psnp[] = { 26, 27 };
	switch (proto) {
	case AP_L1: return isis_types(cg, l1, sizeof l1, col, len);
	case AP_L2: return isis_types(cg, l2, sizeof l2, col, len);
	case AP_IIH: return isis_types(cg, iih, sizeof iih, col, len);
	case AP_LSP: return isis_types(cg, lsp, sizeof lsp, col, len);
	case AP_SNP: return isis_types(cg, snp, sizeof snp, col, len);
	case AP_CSNP: return isis_types(cg, csnp, sizeof csnp, col, len);
	default: return isis_types(cg, psnp, sizeof psnp, col, len);
	}
}

/* Protocol abbreviations standing alone (pcap-filter(7): "tcp" is short
 * for "ip proto tcp or ip6 proto tcp", "icmp" for "ip proto icmp"...). */
struct cg_pred gen_proto_abbrev(struct cg *cg, int proto, int col, int len)
{
	switch (proto) {
	case AP_TCP: return gen_proto(cg, IPPROTO_NUM_TCP, AP_DEFAULT, AD_DEFAULT, col, len);
	case AP_UDP: return gen_proto(cg, IPPROTO_NUM_UDP, AP_DEFAULT, AD_DEFAULT, col, len);
	case AP_SCTP: return gen_proto(cg, IPPROTO_NUM_SCTP, AP_DEFAULT, AD_DEFAULT, col, len);
	case AP_ICMP: return gen_proto(cg, IPPROTO_NUM_ICMP, AP_IP, AD_DEFAULT, col, len);
	case AP_IGMP: return gen_proto(cg, IPPROTO_NUM_IGMP, AP_IP, AD_DEFAULT, col, len);
	case AP_IGRP: return gen_proto(cg, IPPROTO_NUM_IGRP, AP_IP, AD_DEFAULT, col, len);
	case AP_PIM: return gen_proto(cg, IPPROTO_NUM_PIM, AP_DEFAULT, AD_DEFAULT, col, len);
	case AP_VRRP: return gen_proto(cg, IPPROTO_NUM_VRRP, AP_IP, AD_DEFAULT, col, len);
	case AP_CARP: return gen_proto(cg, IPPROTO_NUM_CARP, AP_IP, AD_DEFAULT, col, len);
	case AP_ICMP6: return gen_proto(cg, IPPROTO_NUM_ICMPV6, AP_IP6, AD_DEFAULT, col, len);
	case AP_AH: return gen_proto(cg, IPPROTO_NUM_AH, AP_DEFAULT, AD_DEFAULT, col, len);
	case AP_ESP: return gen_proto(cg, IPPROTO_NUM_ESP, AP_DEFAULT, AD_DEFAULT, col, len);
	case AP_IP: return gen_linktype(cg, ETYPE_IP);
	case AP_IP6: return gen_linktype(cg, ETYPE_IPV6);
	case AP_ARP: return gen_linktype(cg, ETYPE_ARP);
	case AP_RARP: return gen_linktype(cg, ETYPE_REVARP);
	case AP_DECNET: return gen_linktype(cg, ETYPE_DN);
	case AP_LAT: return gen_linktype(cg, ETYPE_LAT);
	case AP_SCA: return gen_linktype(cg, ETYPE_SCA);
	case AP_MOPRC: return gen_linktype(cg, ETYPE_MOPRC);
	case AP_MOPDL: return gen_linktype(cg, ETYPE_MOPDL);
	case AP_ATALK: return gen_linktype(cg, ETYPE_ATALK);
	case AP_AARP: return gen_linktype(cg, ETYPE_AARP);
	case AP_ISO: return gen_linktype(cg, LLCSAP_ISONS);
	case AP_STP: return gen_linktype(cg, LLCSAP_8021D);
	case AP_IPX: return gen_linktype(cg, LLCSAP_IPX);
	case AP_NETBEUI: return gen_linktype(cg, LLCSAP_NETBEUI);
	case AP_ESIS: return gen_proto(cg, ISO_NLPID_ESIS, AP_ISO, AD_DEFAULT, col, len);
	case AP_ISIS: return gen_proto(cg, ISO_NLPID_ISIS, AP_ISO, AD_DEFAULT, col, len);
	case AP_CLNP: return gen_proto(cg, ISO_NLPID_CLNP, AP_ISO, AD_DEFAULT, col, len);
	case AP_L1: case AP_L2: case AP_IIH: case AP_LSP: case AP_SNP: case AP_CSNP: case AP_PSNP:
		return gen_isis_abbrev(cg, proto, col, len);
	case AP_LINK:
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "link layer applied in wrong context");
	default:
		return cg_error(cg, BPFCAP_E_UNSUPPORTED, col, len,
				"'%s' is not compiled by bpfcap", proto_name(proto));
	}
}

/* ---- IPv4, ARP and RARP hosts and networks ------------------------------ */

/* field (4 bytes at off) & mask == addr; no "and" when mask is all ones. */
static struct cg_pred addr_eq(struct cg *cg, uint32_t off, uint32_t addr, uint32_t mask)
{
	return cg_cmp_field(cg, CB_NET, off, 4, mask, CBPF_JEQ, addr);
}

/* One protocol's host test: its linktype, then the source and/or
 * destination address (libpcap's order: source first). */
static struct cg_pred hostop(struct cg *cg, uint32_t addr, uint32_t mask, int dir,
			     uint32_t etype, uint32_t src_off, uint32_t dst_off, int col, int len)
{
	switch (dir) {
	case AD_SRC:
		return cg_and(cg, gen_linktype(cg, etype), addr_eq(cg, src_off, addr, mask));
	case AD_DST:
		return cg_and(cg, gen_linktype(cg, etype), addr_eq(cg, dst_off, addr, mask));
	case AD_AND:
		return cg_and(cg, hostop(cg, addr, mask, AD_SRC, etype, src_off, dst_off, col, len),
			      hostop(cg, addr, mask, AD_DST, etype, src_off, dst_off, col, len));
	case AD_DEFAULT:
	case AD_OR:
		return cg_or(cg, hostop(cg, addr, mask, AD_SRC, etype, src_off, dst_off, col, len),
			     hostop(cg, addr, mask, AD_DST, etype, src_off, dst_off, col, len));
	default:
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len,
				"802.11 address qualifiers are not valid here");
	}
}

/* An IPv4 host or network under a protocol qualifier: IP's addresses are
 * at 12/16 (RFC 791), ARP's and RARP's sender/target protocol addresses
 * at 14/24 for Ethernet/IPv4 (RFC 826). */
static struct cg_pred gen_host4(struct cg *cg, uint32_t addr, uint32_t mask, int proto, int dir,
				int col, int len)
{
	switch (proto) {
	case AP_DEFAULT:
		/* Under MPLS only IPv4 can be told apart (no protocol field). */
		if (cg->mpls_depth > 0)
			return gen_host4(cg, addr, mask, AP_IP, dir, col, len);
		return cg_or(cg,
			     cg_or(cg, gen_host4(cg, addr, mask, AP_IP, dir, col, len),
				   gen_host4(cg, addr, mask, AP_ARP, dir, col, len)),
			     gen_host4(cg, addr, mask, AP_RARP, dir, col, len));
	case AP_IP:
		return hostop(cg, addr, mask, dir, ETYPE_IP, IPV4_SRC_OFF, IPV4_DST_OFF, col, len);
	case AP_ARP:
		return hostop(cg, addr, mask, dir, ETYPE_ARP, ARP_SPA_OFF, ARP_TPA_OFF, col, len);
	case AP_RARP:
		return hostop(cg, addr, mask, dir, ETYPE_REVARP, ARP_SPA_OFF, ARP_TPA_OFF, col, len);
	case AP_LINK:
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "link-layer modifier applied to host");
	case AP_IP6:
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "'ip6' modifier applied to ip host");
	default:
		if (proto >= AP_TCP && proto <= AP_CARP)
			return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "'%s' modifier applied to host",
					proto_name(proto));
		return cg_error(cg, BPFCAP_E_UNSUPPORTED, col, len,
				"'%s host' is not compiled by bpfcap", proto_name(proto));
	}
}

/* An IPv6 host or network: the four words compared first to last after
 * the linktype (RFC 8200: addresses at 8 and 24). */
static struct cg_pred hostop6_one(struct cg *cg, uint32_t off, const uint8_t a[16],
				  const uint8_t m[16])
{
	struct cg_pred p = gen_linktype(cg, ETYPE_IPV6);
	for (int w = 0; w < 4; w++) {
		uint32_t av, mv;
		memcpy(&av, a + 4 * w, 4);
		memcpy(&mv, m + 4 * w, 4);
		p = cg_and(cg, p, addr_eq(cg, off + 4 * (uint32_t)w, ntohl(av) & ntohl(mv), ntohl(mv)));
	}
	return p;
}

static struct cg_pred gen_host6(struct cg *cg, const uint8_t a[16], const uint8_t m[16], int proto,
				int dir, int col, int len)
{
	if (proto != AP_DEFAULT && proto != AP_IP6) {
		if (proto == AP_IP || proto == AP_ARP || proto == AP_RARP || proto == AP_LINK ||
		    (proto >= AP_TCP && proto <= AP_CARP))
			return cg_error(cg, BPFCAP_E_SEMANTIC, col, len,
					"'%s' modifier applied to ip6 host", proto_name(proto));
		return cg_error(cg, BPFCAP_E_UNSUPPORTED, col, len,
				"'%s host' is not compiled by bpfcap", proto_name(proto));
	}
	switch (dir) {
	case AD_SRC: return hostop6_one(cg, IPV6_SRC_OFF, a, m);
	case AD_DST: return hostop6_one(cg, IPV6_DST_OFF, a, m);
	case AD_AND:
		return cg_and(cg, hostop6_one(cg, IPV6_SRC_OFF, a, m), hostop6_one(cg, IPV6_DST_OFF, a, m));
	case AD_DEFAULT:
	case AD_OR:
		return cg_or(cg, hostop6_one(cg, IPV6_SRC_OFF, a, m), hostop6_one(cg, IPV6_DST_OFF, a, m));
	default:
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len,
				"802.11 address qualifiers are not valid here");
	}
}

static void mask6_from_len(uint8_t m[16], int bits)
{
	memset(m, 0, 16);
	for (int i = 0; i < 16 && bits > 0; i++, bits -= 8)
		m[i] = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
}

/* ---- DECnet hosts ---------------------------------------------------------- */

/* A DECnet Phase IV routing header after a 2-byte length: flags, then
 * the destination and source addresses, 16-bit little-endian area.node
 * (area << 10 | node).  Four layouts: short or long header, with or
 * without a pad byte (DECnet Phase IV Routing Layer spec, 1983). */
static struct cg_pred dn_layout(struct cg *cg, uint32_t flags_mask, uint32_t flags, int size,
				uint32_t addr_off, uint16_t addr)
{
	struct cg_pred f = cg_cmp_field(cg, CB_NET, 2, size, flags_mask, CBPF_JEQ, flags);
	uint16_t wire = (uint16_t)(addr << 8 | addr >> 8);
	return cg_and(cg, f, cg_cmp_eq(cg, CB_NET, addr_off, 2, wire));
}

static struct cg_pred dnhostop(struct cg *cg, uint16_t addr, int dir, int col, int len)
{
	uint32_t off_short, off_long;
	switch (dir) {
	case AD_DST: off_short = 1; off_long = 7; break;
	case AD_SRC: off_short = 3; off_long = 15; break;
	case AD_AND:
		return cg_and(cg, dnhostop(cg, addr, AD_SRC, col, len), dnhostop(cg, addr, AD_DST, col, len));
	case AD_DEFAULT:
	case AD_OR:
		return cg_or(cg, dnhostop(cg, addr, AD_SRC, col, len), dnhostop(cg, addr, AD_DST, col, len));
	default:
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len,
				"802.11 address qualifiers are not valid here");
	}
	/* Flags: long header 0x06 (+ pad 0x81 in front), short 0x02 (+ pad). */
	struct cg_pred short0 = dn_layout(cg, 0x7, 0x02, 1, 2 + off_short, addr);
	struct cg_pred short1 = dn_layout(cg, 0xff07, 0x8102, 2, 2 + 1 + off_short, addr);
	struct cg_pred long0 = dn_layout(cg, 0x7, 0x06, 1, 2 + off_long, addr);
	struct cg_pred long1 = dn_layout(cg, 0xff07, 0x8106, 2, 2 + 1 + off_long, addr);
	struct cg_pred any = cg_or(cg, short0, cg_or(cg, short1, cg_or(cg, long0, long1)));
	return cg_and(cg, gen_linktype(cg, ETYPE_DN), any);
}

/* "decnet host A.N": area and node as libpcap reads them (two decimal
 * numbers, masked to 6 and 10 bits); a plain number is the address. */
static struct cg_pred gen_decnet_host(struct cg *cg, const struct ast_node *n)
{
	uint32_t addr;
	if (n->id.kind == AID_NUM) {
		addr = n->id.v4;
	} else {
		unsigned area, node;
		if (!n->id.text || sscanf(n->id.text, "%u.%u", &area, &node) != 2)
			return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len,
					"malformed decnet address '%s'", n->id.text ? n->id.text : "");
		addr = ((area << 10) & 0xfc00) | (node & 0x3ff);
	}
	if (n->q.type == AT_NET)
		return cg_error(cg, BPFCAP_E_UNSUPPORTED, n->col, n->len,
				"'decnet net' is not compiled by bpfcap");
	return dnhostop(cg, (uint16_t)addr, n->q.dir, n->col, n->len);
}

/* ---- host names ---------------------------------------------------------- */

/* "host NAME": every address the resolver gives, or-ed in its order
 * (libpcap resolves with getaddrinfo the same way).  On RAW, without a
 * link-layer protocol field, an unqualified name means IPv4 or IPv6. */
static struct cg_pred gen_host_name(struct cg *cg, const char *name, int proto, int dir, int col,
				    int len)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_protocol = IPPROTO_TCP };
	struct addrinfo *res0 = NULL;
	if (getaddrinfo(name, NULL, &hints, &res0) != 0 || !res0)
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "unknown host '%s'", name);
	int proto4 = proto, proto6 = proto;
	if (cg->off_linktype.k == CG_NO_OFFSET && proto == AP_DEFAULT) {
		proto4 = AP_IP;
		proto6 = AP_IP6;
	}
	static const uint8_t all_ones[16] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct cg_pred result = { 0 };
	for (struct addrinfo *r = res0; r; r = r->ai_next) {
		struct cg_pred one;
		if (r->ai_family == AF_INET && proto4 != AP_IP6) {
			const struct sockaddr_in *sin = (const struct sockaddr_in *)r->ai_addr;
			one = gen_host4(cg, ntohl(sin->sin_addr.s_addr), 0xffffffffu, proto4, dir, col, len);
		} else if (r->ai_family == AF_INET6 && proto6 != AP_IP) {
			const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)r->ai_addr;
			one = gen_host6(cg, sin6->sin6_addr.s6_addr, all_ones, proto6, dir, col, len);
		} else {
			continue;
		}
		result = result.entry ? cg_or(cg, result, one) : one;
		if (!result.entry)
			break;
	}
	freeaddrinfo(res0);
	if (!result.entry && !cg->failed)
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "unknown host '%s'%s", name,
				proto == AP_DEFAULT ? "" : " for specified address family");
	return result;
}

/* ---- dispatch of "[proto] [dir] [type] id" -------------------------------- */

static int is_transport(int proto)
{
	return proto == AP_TCP || proto == AP_UDP || proto == AP_SCTP;
}

/* An IPv4 id as libpcap widens it: a dotted id with fewer than four parts
 * names the leading bytes ("10.1" is 10.1.0.0 with mask 255.255.0.0); a
 * plain number under "net" is widened the same way ("net 10"), under
 * "host" it is the whole address. */
static void ipv4_id_value(const struct ast_node *n, uint32_t *addr, uint32_t *mask)
{
	const struct ast_id *id = &n->id;
	if (id->kind == AID_NUM) {
		uint32_t v = id->v4, m = 0xffffffffu;
		if (n->q.type == AT_NET)
			while (v && (v & 0xff000000u) == 0) {
				v <<= 8;
				m <<= 8;
			}
		*addr = v;
		*mask = m;
		return;
	}
	unsigned shift = 32 - 8u * id->v4_parts;
	*addr = names_ipv4_left_aligned(id);
	*mask = shift >= 32 ? 0 : 0xffffffffu << shift;
}

static struct cg_pred gen_addr_id(struct cg *cg, const struct ast_node *n)
{
	const struct ast_id *id = &n->id;
	int proto = n->q.proto, dir = n->q.dir, col = n->col, len = n->len;
	uint32_t addr, mask;
	uint8_t m6[16];

	if (proto == AP_DECNET && (id->kind == AID_NUM || id->kind == AID_IPV4))
		return gen_decnet_host(cg, n);
	switch (id->kind) {
	case AID_NUM:
	case AID_IPV4:
		if (proto == AP_LINK)
			return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "illegal link layer address");
		ipv4_id_value(n, &addr, &mask);
		return gen_host4(cg, addr, mask, proto, dir, col, len);
	case AID_IPV4_MASK:
	case AID_IPV4_LEN:
		if (id->kind == AID_IPV4_LEN && id->prefix > 32)
			return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "mask length must be <= 32");
		addr = names_ipv4_left_aligned(id);
		mask = id->kind == AID_IPV4_MASK ? id->v4_mask
			: id->prefix == 0 ? 0 : 0xffffffffu << (32 - id->prefix);
		if (addr & ~mask)
			return cg_error(cg, BPFCAP_E_SEMANTIC, col, len,
					"non-network bits set in \"%s\"", id->text);
		if (n->q.type != AT_NET)
			return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "Mask syntax for networks only");
		return gen_host4(cg, addr, mask, proto, dir, col, len);
	case AID_IPV6:
	case AID_IPV6_LEN: {
		int bits = id->kind == AID_IPV6 ? 128 : id->prefix;
		if (bits > 128)
			return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "mask length must be <= 128");
		mask6_from_len(m6, bits);
		for (int i = 0; i < 16; i++)
			if (id->v6[i] & ~m6[i])
				return cg_error(cg, BPFCAP_E_SEMANTIC, col, len,
						"non-network bits set in \"%s\"", id->text);
		if (bits != 128 && n->q.type != AT_NET)
			return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "Mask syntax for networks only");
		return gen_host6(cg, id->v6, m6, proto, dir, col, len);
	}
	case AID_MAC:
		if (proto != AP_LINK || (n->q.type != AT_HOST && n->q.type != AT_DEFAULT))
			return cg_error(cg, BPFCAP_E_SEMANTIC, col, len,
					"ethernet address used in non-ether expression");
		return gen_ether_host(cg, id->mac, dir);
	case AID_NAME:
		if (n->q.type == AT_NET)
			return cg_error(cg, BPFCAP_E_UNSUPPORTED, col, len,
					"network names are not resolved by bpfcap");
		if (proto == AP_LINK)
			return cg_error(cg, BPFCAP_E_UNSUPPORTED, col, len,
					"ethernet host names are not resolved by bpfcap");
		return gen_host_name(cg, id->text, proto, dir, col, len);
	}
	return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "bad address");
}

/* "proto N" / "proto NAME": names are IP protocols (/etc/protocols) or,
 * under "ether", EtherType and LLC SAP names. */
static struct cg_pred gen_proto_id(struct cg *cg, const struct ast_node *n)
{
	const struct ast_id *id = &n->id;
	int proto = n->q.proto;
	if (id->kind == AID_NUM)
		return gen_proto(cg, id->v4, proto, n->q.dir, n->col, n->len);
	if (id->kind != AID_NAME)
		return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len, "illegal protocol");
	int64_t v;
	if (proto == AP_LINK) {
		v = names_ether_proto(id->text);
		if (v < 0)
			return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len,
					"unknown ether proto '%s'", id->text);
	} else if (proto == AP_ISO) {
		v = names_iso_proto(id->text);
		if (v < 0)
			return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len,
					"unknown osi proto '%s'", id->text);
	} else if (proto == AP_DEFAULT || proto == AP_IP || proto == AP_IP6) {
		v = names_ip_proto(id->text);
		if (v < 0)
			return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len,
					"unknown ip proto '%s'", id->text);
	} else {
		return gen_proto(cg, 0, proto, n->q.dir, n->col, n->len);
	}
	return gen_proto(cg, (uint32_t)v, proto, n->q.dir, n->col, n->len);
}

struct cg_pred gen_qualified(struct cg *cg, const struct ast_node *n)
{
	switch (n->q.type) {
	case AT_DEFAULT:
	case AT_HOST:
	case AT_NET:
		if (is_transport(n->q.proto) && n->q.type != AT_DEFAULT)
			return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len,
					"'%s' modifier applied to %s", proto_name(n->q.proto),
					n->q.type == AT_NET ? "net" : "host");
		return gen_addr_id(cg, n);
	case AT_PORT:
		return gen_port_id(cg, n);
	case AT_PORTRANGE:
		return gen_portrange_id(cg, n);
	case AT_PROTO:
		return gen_proto_id(cg, n);
	case AT_PROTOCHAIN:
		return gen_protochain_id(cg, n);
	case AT_GATEWAY:
		return cg_error(cg, BPFCAP_E_UNSUPPORTED, n->col, n->len,
				"'gateway' is not compiled by bpfcap");
	}
	return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len, "bad qualifier");
}

/* ---- IP broadcast and multicast ----------------------------------------- */

/* "ip broadcast": the destination's host part all zeros or all ones
 * under the netmask (RFC 919), which must be known. */
struct cg_pred gen_ip_broadcast(struct cg *cg, int col, int len)
{
	if (!cg->netmask_known)
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len,
				"netmask not known, so 'ip broadcast' not supported");
	uint32_t hostmask = ~cg->netmask;
	struct cg_pred zeros = addr_eq(cg, IPV4_DST_OFF, 0, hostmask);
	struct cg_pred ones = addr_eq(cg, IPV4_DST_OFF, hostmask, hostmask);
	return cg_and(cg, gen_linktype(cg, ETYPE_IP), cg_or(cg, zeros, ones));
}

/* "ip multicast": class D (RFC 5771: 224.0.0.0/4, first byte >= 224);
 * "ip6 multicast": ff00::/8 (RFC 4291 section 2.7). */
struct cg_pred gen_ip_multicast(struct cg *cg, int proto)
{
	if (proto == AP_IP)
		return cg_and(cg, gen_linktype(cg, ETYPE_IP),
			      cg_cmp_field(cg, CB_NET, IPV4_DST_OFF, 1, 0xffffffffu, CBPF_JGE, 224));
	return cg_and(cg, gen_linktype(cg, ETYPE_IPV6), cg_cmp_eq(cg, CB_NET, IPV6_DST_OFF, 1, 0xff));
}
