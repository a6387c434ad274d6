/* Link-layer primitives: the protocol-type test every higher primitive
 * starts with, MAC addresses, broadcast/multicast, LLC, packet length,
 * direction and interface index.
 *
 * Where a primitive is an "or" of loads, the order of the loads is
 * libpcap's: a load past the captured length ends the program with 0, so
 * the order decides the verdict on truncated packets. */
#include "cg.h"
#include "protocols.h"

static struct cg_pred eq16_linktype(struct cg *cg, uint32_t v)
{
	return cg_cmp_eq(cg, CB_LINKTYPE, 0, 2, v);
}

/* "type/length field > 1500": an Ethernet II frame, not 802.3 (IEEE
 * 802.3 clause 3.2.6: values up to 1500 are lengths). */
static struct cg_pred ether_is_ethernet2(struct cg *cg)
{
	return cg_cmp_field(cg, CB_LINKTYPE, 0, 2, 0xffffffffu, CBPF_JGT, ETYPE_MAX_LEN);
}

/* 802.2 SNAP header: AA AA 03 + OUI, then the EtherType (RFC 1042). */
static struct cg_pred snap_check(struct cg *cg, uint32_t oui, uint32_t etype)
{
	struct cg_pred type = cg_cmp_eq(cg, CB_LINKPL, 4, 4, (oui & 0xff) << 24 | etype);
	return cg_and(cg, type, cg_cmp_eq(cg, CB_LINKPL, 0, 4, 0xaaaa0300u | (oui >> 16)));
}


/* EN10MB (libpcap's Ethernet linktype test).  Values up to 1500 name an
 * 802.2 LLC SAP, tested in 802.3 frames; IPX and AppleTalk also appear
 * in their SNAP and "raw 802.3" forms. */
static struct cg_pred ether_linktype(struct cg *cg, uint32_t proto)
{
	switch (proto) {
	case LLCSAP_ISONS:
	case LLCSAP_IP:
	case LLCSAP_NETBEUI:
		/* DSAP and SSAP both equal the SAP. */
		return cg_and(cg, cg_not(ether_is_ethernet2(cg)),
			      cg_cmp_eq(cg, CB_LINKPL, 0, 2, proto << 8 | proto));
	case LLCSAP_IPX: {
		/* Ethernet II 0x8137; or 802.3 with the IPX SAP, SNAP, or the
		 * "raw" 0xFFFF checksum Novell used. */
		struct cg_pred raw = cg_cmp_eq(cg, CB_LINKPL, 0, 2, 0xffff);
		struct cg_pred sap = cg_cmp_eq(cg, CB_LINKPL, 0, 1, LLCSAP_IPX);
		struct cg_pred snap = snap_check(cg, SNAP_OUI_ENCAP_ETHER, ETYPE_IPX);
		struct cg_pred llc = cg_or(cg, snap, cg_or(cg, sap, raw));
		llc = cg_and(cg, cg_not(ether_is_ethernet2(cg)), llc);
		return cg_or(cg, eq16_linktype(cg, ETYPE_IPX), llc);
	}
	case ETYPE_ATALK:
	case ETYPE_AARP: {
		struct cg_pred snap = proto == ETYPE_ATALK
					      ? snap_check(cg, SNAP_OUI_APPLETALK, ETYPE_ATALK)
					      : snap_check(cg, SNAP_OUI_ENCAP_ETHER, ETYPE_AARP);
		struct cg_pred llc = cg_and(cg, cg_not(ether_is_ethernet2(cg)), snap);
		return cg_or(cg, eq16_linktype(cg, proto), llc);
	}
	default:
		if (proto <= ETYPE_MAX_LEN)
			return cg_and(cg, cg_not(ether_is_ethernet2(cg)),
				      cg_cmp_eq(cg, CB_LINKPL, 0, 1, proto));
		return eq16_linktype(cg, proto);
	}
}

/* LINUX_SLL: the protocol field holds an EtherType, or 1 (raw 802.3) or
 * 4 (802.2 LLC follows) (linux/if_ether.h ETH_P_802_3, ETH_P_802_2). */
static struct cg_pred sll_linktype(struct cg *cg, uint32_t proto)
{
	struct cg_pred is_llc;
	switch (proto) {
	case LLCSAP_ISONS:
	case LLCSAP_IP:
	case LLCSAP_NETBEUI:
		is_llc = eq16_linktype(cg, LINUX_SLL_P_802_2);
		return cg_and(cg, is_llc, cg_cmp_eq(cg, CB_LINKPL, 0, 2, proto << 8 | proto));
	case LLCSAP_IPX: {
		struct cg_pred snap = snap_check(cg, SNAP_OUI_ENCAP_ETHER, ETYPE_IPX);
		struct cg_pred sap = cg_cmp_eq(cg, CB_LINKPL, 0, 1, LLCSAP_IPX);
		struct cg_pred llc = cg_and(cg, eq16_linktype(cg, LINUX_SLL_P_802_2),
					    cg_or(cg, sap, snap));
		struct cg_pred raw = eq16_linktype(cg, LINUX_SLL_P_802_3);
		return cg_or(cg, eq16_linktype(cg, ETYPE_IPX), cg_or(cg, raw, llc));
	}
	case ETYPE_ATALK:
	case ETYPE_AARP: {
		struct cg_pred snap = proto == ETYPE_ATALK
					      ? snap_check(cg, SNAP_OUI_APPLETALK, ETYPE_ATALK)
					      : snap_check(cg, SNAP_OUI_ENCAP_ETHER, ETYPE_AARP);
		struct cg_pred llc = cg_and(cg, eq16_linktype(cg, LINUX_SLL_P_802_2), snap);
		return cg_or(cg, eq16_linktype(cg, proto), llc);
	}
	default:
		if (proto <= ETYPE_MAX_LEN)
			return cg_and(cg, eq16_linktype(cg, LINUX_SLL_P_802_2),
				      cg_cmp_eq(cg, CB_LINKPL, 0, 1, proto));
		return eq16_linktype(cg, proto);
	}
}

/* RAW: no protocol field; IPv4 and IPv6 are told apart by the version
 * nibble (RFC 791, RFC 8200), and nothing else can be there. */
static struct cg_pred raw_linktype(struct cg *cg, uint32_t proto)
{
	if (proto == ETYPE_IP)
		return cg_cmp_masked(cg, CB_LINKPL, 0, 1, 0xf0, 0x40);
	if (proto == ETYPE_IPV6)
		return cg_cmp_masked(cg, CB_LINKPL, 0, 1, 0xf0, 0x60);
	return cg_false(cg);
}

/* After "mpls": IP and IPv6 are recognised by the bottom-of-stack bit of
 * the last label (RFC 3032 section 2.1: S is bit 0 of the third byte)
 * and the version nibble; MPLS carries no protocol field. */
static struct cg_pred mpls_linktype(struct cg *cg, uint32_t proto)
{
	uint32_t version = proto == ETYPE_IP ? 0x40 : proto == ETYPE_IPV6 ? 0x60 : 0;
	if (!version)
		return cg_error(cg, BPFCAP_E_SEMANTIC, -1, 0, "unsupported protocol over mpls");
	/* The bottom-of-stack bit of the last label sits 2 bytes before the
	 * network header. */
	struct cg_off net = cg_base_offset(cg, CB_NET, 0);
	struct cg_block *b = cg_block_new(cg);
	if (net.reg < 0) {
		cg_emit(cg, b, CBPF_LD | CBPF_ABS | CBPF_B, net.k - 2);
	} else {
		cg_emit(cg, b, CBPF_LDX | CBPF_MEM, (uint32_t)net.reg);
		cg_emit(cg, b, CBPF_LD | CBPF_IND | CBPF_B, net.k - 2);
	}
	cg_emit(cg, b, CBPF_ALU | CBPF_AND | CBPF_K, 1);
	struct cg_pred bos = cg_pred_jump(cg, b, CBPF_JMP | CBPF_JEQ | CBPF_K, 1);
	return cg_and(cg, bos, cg_cmp_masked(cg, CB_NET, 0, 1, 0xf0, version));
}

/* PPP protocol numbers for the EtherTypes that have one (RFC 1661 and the
 * IANA PPP DLL protocol numbers registry); others compare unchanged, as
 * libpcap does. */
static uint32_t ethertype_to_ppp(uint32_t proto)
{
	switch (proto) {
	case ETYPE_IP: return PPP_IP;
	case ETYPE_IPV6: return PPP_IPV6;
	case ETYPE_DN: return 0x0027;
	case ETYPE_ATALK: return 0x0029;
	case LLCSAP_ISONS: return 0x0023;
	case LLCSAP_8021D: return 0x0031;
	case LLCSAP_IPX: return 0x002b;
	default: return proto;
	}
}

struct cg_pred gen_linktype(struct cg *cg, uint32_t proto)
{
	if (cg->mpls_depth > 0)
		return mpls_linktype(cg, proto);
	if (cg->proto_is_ppp)
		return eq16_linktype(cg, ethertype_to_ppp(proto));
	switch (cg->linktype) {
	case LINKTYPE_EN10MB: return ether_linktype(cg, proto);
	case LINKTYPE_LINUX_SLL: return sll_linktype(cg, proto);
	/* libpcap 1.10 compares SLL2's protocol field with the value as is,
	 * LLC SAPs included; we follow it (it is the reference here). */
	case LINKTYPE_LINUX_SLL2: return eq16_linktype(cg, proto);
	default: return raw_linktype(cg, proto);
	}
}

/* ---- MAC addresses ---------------------------------------------------- */

/* After "geneve" the inner frame has an Ethernet header only when its
 * start differs from its payload's (protocol type 0x6558): a link-level
 * test starts with that check, as libpcap's does.  Returns the check, or
 * no predicate (entry NULL) when there is nothing to check. */
static struct cg_pred link_header_check(struct cg *cg)
{
	if (!cg->is_geneve)
		return (struct cg_pred){ 0 };
	struct cg_block *b = cg_block_new(cg);
	cg_emit(cg, b, CBPF_LD | CBPF_MEM, (uint32_t)cg->off_linkhdr.reg);
	cg_emit(cg, b, CBPF_LDX | CBPF_MEM, (uint32_t)cg->off_linkpl.reg);
	return cg_not(cg_pred_jump(cg, b, CBPF_JMP | CBPF_JEQ | CBPF_X, 0));
}

/* The 6 bytes at off equal mac: the last 4 compared first, then the
 * first 2, libpcap's order. */
static struct cg_pred mac_eq(struct cg *cg, uint32_t off, const uint8_t mac[6])
{
	uint32_t lo = (uint32_t)mac[2] << 24 | (uint32_t)mac[3] << 16 | (uint32_t)mac[4] << 8 | mac[5];
	uint32_t hi = (uint32_t)mac[0] << 8 | mac[1];
	return cg_and(cg, cg_cmp_eq(cg, CB_LINKHDR, off + 2, 4, lo),
		      cg_cmp_eq(cg, CB_LINKHDR, off, 2, hi));
}

static struct cg_pred ether_host_dir(struct cg *cg, const uint8_t mac[6], int dir)
{
	switch (dir) {
	case AD_SRC: return mac_eq(cg, ETHER_SRC_OFF, mac);
	case AD_DST: return mac_eq(cg, ETHER_DST_OFF, mac);
	case AD_AND:
		return cg_and(cg, mac_eq(cg, ETHER_SRC_OFF, mac), mac_eq(cg, ETHER_DST_OFF, mac));
	case AD_DEFAULT:
	case AD_OR:
		return cg_or(cg, mac_eq(cg, ETHER_SRC_OFF, mac), mac_eq(cg, ETHER_DST_OFF, mac));
	default:
		return cg_error(cg, BPFCAP_E_SEMANTIC, -1, 0,
				"802.11 address qualifiers are not valid for ethernet");
	}
}

struct cg_pred gen_ether_host(struct cg *cg, const uint8_t mac[6], int dir)
{
	if (cg->linktype != LINKTYPE_EN10MB)
		return cg_error(cg, BPFCAP_E_SEMANTIC, -1, 0,
				"ethernet addresses supported only on ethernet link types");
	struct cg_pred check = link_header_check(cg);
	struct cg_pred p = ether_host_dir(cg, mac, dir);
	return check.entry ? cg_and(cg, check, p) : p;
}

struct cg_pred gen_link_broadcast(struct cg *cg)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	if (cg->linktype != LINKTYPE_EN10MB)
		return cg_error(cg, BPFCAP_E_SEMANTIC, -1, 0, "not a broadcast link");
	struct cg_pred check = link_header_check(cg);
	struct cg_pred p = mac_eq(cg, ETHER_DST_OFF, bcast);
	return check.entry ? cg_and(cg, check, p) : p;
}

/* IEEE 802 clause 9.2: the I/G bit, the low bit of the first octet. */
struct cg_pred gen_link_multicast(struct cg *cg)
{
	if (cg->linktype != LINKTYPE_EN10MB)
		return cg_error(cg, BPFCAP_E_SEMANTIC, -1, 0,
				"link-layer multicast filters supported only on ethernet");
	struct cg_pred check = link_header_check(cg);
	struct cg_pred p = cg_cmp_field(cg, CB_LINKHDR, ETHER_DST_OFF, 1, 0xffffffffu, CBPF_JSET, 1);
	return check.entry ? cg_and(cg, check, p) : p;
}

/* ---- length, direction, interface ---------------------------------- */

/* "len OP v": the wire length (BPF_LEN). */
struct cg_pred gen_len_cmp(struct cg *cg, uint16_t op, uint32_t v, int negate)
{
	struct cg_block *b = cg_block_new(cg);
	cg_emit(cg, b, CBPF_LD | CBPF_W | CBPF_LEN, 0);
	struct cg_pred p = cg_pred_jump(cg, b, CBPF_JMP | op | CBPF_K, v);
	return negate ? cg_not(p) : p;
}

/* Linux ancillary loads (linux/filter.h SKF_AD_*): the kernel answers
 * them from skb metadata.  libpcap emits them for pcap_open_dead handles
 * too, and its userspace bpf_filter fails such a load (returns 0). */
static struct cg_pred ancillary_eq(struct cg *cg, uint16_t size, uint32_t ad, uint32_t v)
{
	struct cg_block *b = cg_block_new(cg);
	cg_emit(cg, b, CBPF_LD | CBPF_ABS | size, (uint32_t)CBPF_SKF_AD_OFF + ad);
	return cg_pred_jump(cg, b, CBPF_JMP | CBPF_JEQ | CBPF_K, v);
}

/* pcap-filter(7) "inbound"/"outbound": the packet type.  The cooked
 * headers carry it (SLL: 2 bytes at 0; SLL2: 1 byte at 10), elsewhere it
 * is the skb's pkt_type, PACKET_OUTGOING for what this host sent. */
struct cg_pred gen_inbound(struct cg *cg, int outbound)
{
	struct cg_pred out;
	if (cg->linktype == LINKTYPE_LINUX_SLL)
		out = cg_cmp_eq(cg, CB_LINKHDR, LINUX_SLL_PKTTYPE_OFF, 2, CBPF_PACKET_OUTGOING);
	else if (cg->linktype == LINKTYPE_LINUX_SLL2)
		out = cg_cmp_eq(cg, CB_LINKHDR, LINUX_SLL2_PKTTYPE_OFF, 1, CBPF_PACKET_OUTGOING);
	else
		out = ancillary_eq(cg, CBPF_H, CBPF_SKF_AD_PKTTYPE, CBPF_PACKET_OUTGOING);
	return outbound ? out : cg_not(out);
}

struct cg_pred gen_ifindex(struct cg *cg, uint32_t ifindex)
{
	if (cg->linktype == LINKTYPE_LINUX_SLL2)
		return cg_cmp_eq(cg, CB_LINKHDR, LINUX_SLL2_IFINDEX_OFF, 4, ifindex);
	return ancillary_eq(cg, CBPF_W, CBPF_SKF_AD_IFINDEX, ifindex);
}

/* ---- 802.2 LLC ---------------------------------------------------------- */

/* An 802.3 frame that is not Novell's "raw 802.3" (whose payload begins
 * with the IPX checksum 0xFFFF instead of an LLC header). */
static struct cg_pred llc_present(struct cg *cg)
{
	return cg_and(cg, cg_not(ether_is_ethernet2(cg)),
		      cg_not(cg_cmp_eq(cg, CB_LINKPL, 0, 2, 0xffff)));
}

/* The LLC control field (third byte) against its format (IEEE 802.2
 * clause 5.4: I-format has bit 0 clear; S-format bits 0-1 = 01, U-format
 * = 11; S subtypes are the low nibble, U subtypes all bits but P/F). */
struct cg_pred gen_llc(struct cg *cg, int subtype)
{
	if (cg->linktype != LINKTYPE_EN10MB)
		return cg_error(cg, BPFCAP_E_SEMANTIC, -1, 0, "'llc' not supported for %s",
				bpfcap_linktype_name(cg->linktype));
	struct cg_pred p = llc_present(cg);
	static const struct {
		uint8_t mask, value;
	} control[] = {
		[ALLC_S] = { 0x03, LLC_S_FMT },   [ALLC_U] = { 0x03, LLC_U_FMT },
		[ALLC_RR] = { 0x0f, LLC_RR },     [ALLC_RNR] = { 0x0f, LLC_RNR },
		[ALLC_REJ] = { 0x0f, LLC_REJ },   [ALLC_UI] = { 0xef, LLC_UI },
		[ALLC_UA] = { 0xef, LLC_UA },     [ALLC_DISC] = { 0xef, LLC_DISC },
		[ALLC_DM] = { 0xef, LLC_DM },     [ALLC_SABME] = { 0xef, LLC_SABME },
		[ALLC_TEST] = { 0xef, LLC_TEST }, [ALLC_XID] = { 0xef, LLC_XID },
		[ALLC_FRMR] = { 0xef, LLC_FRMR },
	};
	switch (subtype) {
	case ALLC_ANY:
		return p;
	case ALLC_I:
		return cg_and(cg, p,
			      cg_not(cg_cmp_field(cg, CB_LINKPL, 2, 1, 0xffffffffu, CBPF_JSET, 1)));
	default:
		if (subtype < 0 || subtype > ALLC_FRMR)
			return cg_error(cg, BPFCAP_E_SEMANTIC, -1, 0, "unknown llc subtype");
		return cg_and(cg, p,
			      cg_cmp_masked(cg, CB_LINKPL, 2, 1, control[subtype].mask,
					    control[subtype].value));
	}
}
