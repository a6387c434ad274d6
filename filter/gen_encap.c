/* Encapsulations that move the offsets of everything to their right:
 * 802.1Q/802.1ad VLAN tags, MPLS label stacks, PPPoE (pcap-filter(7):
 * "vlan", "mpls" and "pppoes" change the decoding offsets for the
 * remainder of the expression). */
#include "cg.h"
#include "protocols.h"


static const char *link_description(int linktype)
{
	switch (linktype) {
	case LINKTYPE_LINUX_SLL: return "Linux cooked v1";
	case LINKTYPE_LINUX_SLL2: return "Linux cooked v2";
	default: return "Raw IP";
	}
}

/* A tag's TPID: 0x8100, 0x88a8, or the pre-standard 0x9100, in that order. */
static struct cg_pred vlan_tpid(struct cg *cg)
{
	struct cg_pred p = cg_or(cg, gen_linktype(cg, ETYPE_8021Q), gen_linktype(cg, ETYPE_8021AD));
	return cg_or(cg, p, gen_linktype(cg, ETYPE_QINQ_OLD));
}

static struct cg_pred vlan_vid_in_frame(struct cg *cg, uint32_t id)
{
	return cg_cmp_masked(cg, CB_LINKPL, 0, 2, VLAN_VID_MASK, id);
}

/* A tag in the frame (offline, or an inner tag live): test it, then move
 * the offsets past it. */
static struct cg_pred vlan_in_frame(struct cg *cg, int has_id, uint32_t id)
{
	struct cg_pred p = vlan_tpid(cg);
	if (has_id)
		p = cg_and(cg, p, vlan_vid_in_frame(cg, id));
	cg->off_linkpl.k += VLAN_TAG_LEN;
	cg->off_linktype.k += VLAN_TAG_LEN;
	return p;
}

static struct cg_block *ancillary_load(struct cg *cg, uint32_t ad)
{
	struct cg_block *b = cg_block_new(cg);
	cg_emit(cg, b, CBPF_LD | CBPF_ABS | CBPF_B, (uint32_t)CBPF_SKF_AD_OFF + ad);
	return b;
}

static struct cg_pred tag_in_metadata(struct cg *cg)
{
	return cg_pred_jump(cg, ancillary_load(cg, CBPF_SKF_AD_VLAN_TAG_PRESENT),
			    CBPF_JMP | CBPF_JEQ | CBPF_K, 1);
}

/* M[reg] += 4, as statements at the front of b. */
static void add_tag_len_front(struct cg *cg, struct cg_block *b, int reg)
{
	cg_emit_front(cg, b, CBPF_ST, (uint32_t)reg);
	cg_emit_front(cg, b, CBPF_ALU | CBPF_ADD | CBPF_K, VLAN_TAG_LEN);
	cg_emit_front(cg, b, CBPF_LD | CBPF_MEM, (uint32_t)reg);
}

/* The outer tag of a live capture.  The kernel moves a received frame's
 * outer tag into skb metadata before packet taps see it, while a sent
 * frame keeps it inline; so the tag is either in the metadata (offsets
 * unchanged) or in the frame (offsets + 4), and the offsets become
 * run-time values kept in two scratch words, as libpcap does. */
static struct cg_pred vlan_live_outer(struct cg *cg, int has_id, uint32_t id)
{
	cg->vlan_reg_pl = cg_reg_alloc(cg);
	cg->vlan_reg_lt = cg_reg_alloc(cg);
	if (cg->vlan_reg_lt < 0)
		return (struct cg_pred){ 0 };
	struct cg_pred in_frame = vlan_tpid(cg);
	if (in_frame.entry) {
		add_tag_len_front(cg, in_frame.entry, cg->vlan_reg_lt);
		add_tag_len_front(cg, in_frame.entry, cg->vlan_reg_pl);
	}
	struct cg_pred p = cg_or(cg, tag_in_metadata(cg), in_frame);
	if (has_id) {
		/* VID from the metadata, or from the frame right after the
		 * Ethernet addresses: a diamond joining on the VID test. */
		struct cg_block *where = ancillary_load(cg, CBPF_SKF_AD_VLAN_TAG_PRESENT);
		struct cg_block *meta = ancillary_load(cg, CBPF_SKF_AD_VLAN_TAG);
		struct cg_block *frame = cg_block_new(cg);
		struct cg_block *test = cg_block_new(cg);
		if (!where || !meta || !frame || !test)
			return (struct cg_pred){ 0 };
		cg_load(cg, frame, CB_LINKPL, 0, 2);
		where->jcode = CBPF_JMP | CBPF_JEQ | CBPF_K;
		where->jk = 1;
		where->jt = meta;
		where->jf = frame;
		meta->jcode = frame->jcode = CBPF_JMP | CBPF_JA;
		meta->jt = frame->jt = test;
		cg_emit(cg, test, CBPF_ALU | CBPF_AND | CBPF_K, VLAN_VID_MASK);
		struct cg_pred vid = cg_pred_jump(cg, test, CBPF_JMP | CBPF_JEQ | CBPF_K, id);
		vid.entry = where;
		p = cg_and(cg, p, vid);
	}
	cg->off_linkpl.reg = cg->vlan_reg_pl;
	cg->off_linktype.reg = cg->vlan_reg_lt;
	return p;
}

struct cg_pred gen_vlan(struct cg *cg, int has_id, uint32_t id, int col, int len)
{
	if (cg->mpls_depth > 0)
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "no VLAN match after MPLS");
	if (cg->linktype != LINKTYPE_EN10MB)
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "no VLAN support for %s",
				link_description(cg->linktype));
	if (has_id && id > VLAN_VID_MAX)
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len,
				"VLAN tag %u greater than maximum %u", id, VLAN_VID_MAX);
	struct cg_pred p;
	if (cg->mode == BPFCAP_MODE_LIVE && cg->vlan_depth == 0 && !cg->proto_is_ppp)
		p = vlan_live_outer(cg, has_id, id);
	else
		p = vlan_in_frame(cg, has_id, id);
	cg->vlan_depth++;
	return p;
}

/* "mpls [label]": the first label needs EtherType 0x8847; each further
 * one needs the bottom-of-stack bit of the previous label clear (RFC
 * 3032 section 2.1).  Labels shift the network header by 4. */
struct cg_pred gen_mpls(struct cg *cg, int has_label, uint32_t label, int col, int len)
{
	struct cg_pred p;
	if (cg->mpls_depth > 0) {
		p = cg_cmp_masked(cg, CB_NET, (uint32_t)-MPLS_LABEL_LEN + 2, 1, 0x01, 0);
	} else {
		if (cg->linktype != LINKTYPE_EN10MB)
			return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "no MPLS support for %s",
					link_description(cg->linktype));
		p = gen_linktype(cg, ETYPE_MPLS);
	}
	if (has_label) {
		if (label > MPLS_LABEL_MAX)
			return cg_error(cg, BPFCAP_E_SEMANTIC, col, len,
					"MPLS label %u greater than maximum %u", label, MPLS_LABEL_MAX);
		p = cg_and(cg, p, cg_cmp_masked(cg, CB_NET, 0, 4, MPLS_LABEL_MASK, label << 12));
	}
	cg->off_nl += MPLS_LABEL_LEN;
	cg->off_nl_nosnap += MPLS_LABEL_LEN;
	cg->mpls_depth++;
	return p;
}

struct cg_pred gen_pppoed(struct cg *cg)
{
	return gen_linktype(cg, ETYPE_PPPOED);
}

/* "pppoes [id]": a PPPoE session frame (RFC 2516 section 4: 6-byte
 * header, session id in its last 2 bytes of the first word), after which
 * the link protocol is PPP's and the payload follows its 2-byte
 * protocol field. */
struct cg_pred gen_pppoes(struct cg *cg, int has_id, uint32_t id, int col, int len)
{
	struct cg_pred p = gen_linktype(cg, ETYPE_PPPOES);
	if (has_id) {
		if (id > PPPOE_SID_MAX)
			return cg_error(cg, BPFCAP_E_SEMANTIC, col, len,
					"PPPoE session number %u greater than maximum %u", id,
					PPPOE_SID_MAX);
		p = cg_and(cg, p, cg_cmp_masked(cg, CB_LINKPL, 0, 4, PPPOE_SID_MAX, id));
	}
	cg->off_linktype = cg->off_linkpl;
	cg->off_linktype.k += PPPOE_HDR_LEN;
	cg->off_linkpl.k = cg->off_linktype.k + PPP_PROTO_LEN;
	cg->off_nl = 0;
	cg->off_nl_nosnap = 0;
	cg->proto_is_ppp = 1;
	return p;
}

/* ---- Geneve (RFC 8926) ------------------------------------------------------ */


/* One IP version's test: UDP to port 6081, version 0, the VNI if given;
 * then a block that leaves A = the IP header's length plus the run-time
 * part of the network offset, if any (the "jeq x" after "txa" is always
 * taken: it only carries A to the join). */
static struct cg_pred geneve_family(struct cg *cg, int ipv6, int has_vni, uint32_t vni)
{
	enum cg_base trans = ipv6 ? CB_TRANS_IPV6 : CB_TRANS_IPV4;
	struct cg_pred p = gen_udp_dst_port(cg, ipv6, UDP_PORT_GENEVE);
	p = cg_and(cg, p, cg_cmp_masked(cg, trans, UDP_HDR_LEN, 1, GENEVE_VER_MASK, 0));
	if (has_vni)
		p = cg_and(cg, p, cg_cmp_masked(cg, trans, UDP_HDR_LEN + GENEVE_VNI_OFF, 4, GENEVE_VNI_MASK,
						vni << 8));
	struct cg_block *b = cg_block_new(cg);
	struct cg_off net = cg_base_offset(cg, CB_NET, 0);
	if (ipv6 && net.reg >= 0) {
		/* Inside an outer tunnel: A = the run-time part + 40. */
		cg_emit(cg, b, CBPF_LDX | CBPF_MEM, (uint32_t)net.reg);
		cg_emit(cg, b, CBPF_LD | CBPF_IMM, IPV6_HDR_LEN);
		cg_emit(cg, b, CBPF_ALU | CBPF_ADD | CBPF_X, 0);
		cg_emit(cg, b, CBPF_MISC | CBPF_TAX, 0);
	} else if (ipv6) {
		cg_emit(cg, b, CBPF_LD | CBPF_IMM, IPV6_HDR_LEN);
		cg_emit(cg, b, CBPF_MISC | CBPF_TAX, 0);
	} else {
		cg_load_x_ipv4_hdrlen(cg, b);
		cg_emit(cg, b, CBPF_MISC | CBPF_TXA, 0);
	}
	return cg_and(cg, p, cg_pred_jump(cg, b, CBPF_JMP | CBPF_JEQ | CBPF_X, 0));
}

/* "geneve [vni]": after it, offsets are relative to the encapsulated
 * frame, which starts after the Geneve header and its options and is
 * Ethernet when the protocol type is 0x6558 (transparent Ethernet
 * bridging): three scratch words hold the run-time offsets of the inner
 * link header, its protocol field and its payload, as libpcap keeps them. */
struct cg_pred gen_geneve(struct cg *cg, int has_vni, uint32_t vni, int col, int len)
{
	if (has_vni && vni > GENEVE_VNI_MAX)
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "Geneve VNI %u greater than maximum %u",
				vni, GENEVE_VNI_MAX);
	struct cg_pred found = cg_or(cg, geneve_family(cg, 0, has_vni, vni),
				     geneve_family(cg, 1, has_vni, vni));
	int reg_lt = cg_reg_alloc(cg), reg_hdr = cg_reg_alloc(cg), reg_pl = cg_reg_alloc(cg);
	struct cg_block *join = cg_block_new(cg), *teb = cg_block_new(cg), *done = cg_block_new(cg);
	if (reg_pl < 0 || !join || !teb || !done)
		return (struct cg_pred){ 0 };
	uint32_t udp_payload = cg_base_offset(cg, CB_NET, 0).k + UDP_HDR_LEN;
	/* join: A = IP header length (+ run-time offset); X = the Geneve
	 * header's offset. */
	cg_emit(cg, join, CBPF_ALU | CBPF_ADD | CBPF_K, udp_payload);
	cg_emit(cg, join, CBPF_MISC | CBPF_TAX, 0);
	cg_emit(cg, join, CBPF_ALU | CBPF_ADD | CBPF_K, GENEVE_PROTO_OFF);
	cg_emit(cg, join, CBPF_ST, (uint32_t)reg_lt);
	/* The inner frame: past the 8-byte header and Opt Len words. */
	cg_emit(cg, join, CBPF_LD | CBPF_IND | CBPF_B, 0);
	cg_emit(cg, join, CBPF_ALU | CBPF_AND | CBPF_K, GENEVE_OPTLEN_MASK);
	cg_emit(cg, join, CBPF_ALU | CBPF_MUL | CBPF_K, 4);
	cg_emit(cg, join, CBPF_ALU | CBPF_ADD | CBPF_K, GENEVE_HDR_LEN_MIN);
	cg_emit(cg, join, CBPF_ALU | CBPF_ADD | CBPF_X, 0);
	cg_emit(cg, join, CBPF_ST, (uint32_t)reg_hdr);
	cg_emit(cg, join, CBPF_LD | CBPF_IND | CBPF_H, GENEVE_PROTO_OFF);
	cg_emit(cg, join, CBPF_LDX | CBPF_MEM, (uint32_t)reg_hdr);
	join->jcode = CBPF_JMP | CBPF_JEQ | CBPF_K;
	join->jk = ETYPE_TEB;
	join->jt = teb;
	join->jf = done;
	/* Ethernet inside: its type field at +12, its payload at +14. */
	cg_emit(cg, teb, CBPF_MISC | CBPF_TXA, 0);
	cg_emit(cg, teb, CBPF_ALU | CBPF_ADD | CBPF_K, ETHER_TYPE_OFF);
	cg_emit(cg, teb, CBPF_ST, (uint32_t)reg_lt);
	cg_emit(cg, teb, CBPF_ALU | CBPF_ADD | CBPF_K, ETHER_HDR_LEN - ETHER_TYPE_OFF);
	cg_emit(cg, teb, CBPF_MISC | CBPF_TAX, 0);
	teb->jcode = CBPF_JMP | CBPF_JA;
	teb->jt = done;
	cg_emit(cg, done, CBPF_STX, (uint32_t)reg_pl);
	cg_emit(cg, done, CBPF_LD | CBPF_IMM, 0);
	struct cg_pred tail = cg_pred_jump(cg, done, CBPF_JMP | CBPF_JEQ | CBPF_K, 0);
	tail.entry = join;
	struct cg_pred p = cg_and(cg, found, tail);
	cg->off_linkhdr = (struct cg_off){ 0, reg_hdr };
	cg->off_linktype = (struct cg_off){ 0, reg_lt };
	cg->off_linkpl = (struct cg_off){ 0, reg_pl };
	cg->off_nl = 0;
	cg->off_nl_nosnap = 0;
	cg->is_geneve = 1;
	return p;
}
