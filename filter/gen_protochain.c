/* "protochain": follow the chain of IPv6 extension headers (and IPsec AH,
 * for IPv4 too) until a header of the given protocol or the end.
 *
 * libpcap emits this as a loop with a backward jump, which the kernel
 * refuses (so tcpdump filters it in userspace).  We unroll it forward,
 * PROTOCHAIN_MAX_HOPS headers deep: a chain still going after that many
 * extension headers does not match (libpcap would keep walking).  Each
 * hop does libpcap's arithmetic, quirk included: an AH hop sets the
 * offset to (ah_len + 2) * 4 without adding the offset it started from
 * (RFC 4302 section 2.2 defines the length; the sum is libpcap's). */
#include "cg.h"
#include "names.h"
#include "protocols.h"

#define PROTOCHAIN_MAX_HOPS 8

/* Statements that, with X = the offset of the extension header at net + X,
 * leave X = the offset of the header after it and A = its next header
 * field, using M[reg] to swap them.  The new offset is computed first and
 * the next header read last, from the old X, so neither needs saving and
 * reloading around the other (one instruction less than libpcap's loop
 * body).  Both loads run with nothing between them that could end the
 * program, so their order changes no verdict; X stays far below 2^32 (at
 * most 8 hops of at most 2,048 bytes), so [x + k + 1] is [(x + 1) + k]. */
static void emit_ext_hop(struct cg *cg, struct cg_block *b, uint32_t net, int reg)
{
	/* RFC 8200 section 4.3: Hdr Ext Len counts 8-octet units past the first 8. */
	cg_emit(cg, b, CBPF_LD | CBPF_IND | CBPF_B, net + 1);
	cg_emit(cg, b, CBPF_ALU | CBPF_ADD | CBPF_K, 1);
	cg_emit(cg, b, CBPF_ALU | CBPF_MUL | CBPF_K, 8);
	cg_emit(cg, b, CBPF_ALU | CBPF_ADD | CBPF_X, 0);
	cg_emit(cg, b, CBPF_ST, (uint32_t)reg);
	cg_emit(cg, b, CBPF_LD | CBPF_IND | CBPF_B, net);
	cg_emit(cg, b, CBPF_LDX | CBPF_MEM, (uint32_t)reg);
}

/* The same for an AH header, with libpcap's arithmetic (the file comment):
 * X becomes (payload length + 2) * 4. */
static void emit_ah_hop(struct cg *cg, struct cg_block *b, uint32_t net, int reg)
{
	cg_emit(cg, b, CBPF_LD | CBPF_IND | CBPF_B, net + 1);
	cg_emit(cg, b, CBPF_ALU | CBPF_ADD | CBPF_K, 2);
	cg_emit(cg, b, CBPF_ALU | CBPF_MUL | CBPF_K, 4);
	cg_emit(cg, b, CBPF_ST, (uint32_t)reg);
	cg_emit(cg, b, CBPF_LD | CBPF_IND | CBPF_B, net);
	cg_emit(cg, b, CBPF_LDX | CBPF_MEM, (uint32_t)reg);
}

static struct cg_block *jump_block(struct cg *cg, struct cg_block *b, uint32_t k)
{
	if (!b)
		b = cg_block_new(cg);
	if (b) {
		b->jcode = CBPF_JMP | CBPF_JEQ | CBPF_K;
		b->jk = k;
	}
	return b;
}

/* The chain for one IP version, entered with A = first next header and
 * X = its offset from the network header. */
static struct cg_pred protochain_family(struct cg *cg, uint32_t v, int ipv6, int reg)
{
	uint32_t net = cg_base_offset(cg, CB_NET, 0).k;
	struct cg_pred p = { 0 };
	struct cg_block *entry = cg_block_new(cg);
	if (!entry)
		return p;
	if (ipv6) {
		cg_load(cg, entry, CB_NET, IPV6_NXT_OFF, 1);
		cg_emit(cg, entry, CBPF_LDX | CBPF_IMM, IPV6_HDR_LEN);
	} else {
		cg_load(cg, entry, CB_NET, IPV4_PROTO_OFF, 1);
		cg_emit(cg, entry, CBPF_LDX | CBPF_MSH | CBPF_B, net);
	}
	p.entry = entry;

	/* Blocks that test "A == v" at the start of the current hop. */
	struct cg_block *tests[2] = { jump_block(cg, entry, v), NULL };
	for (int hop = 0; hop <= PROTOCHAIN_MAX_HOPS; hop++) {
		struct cg_block *none = jump_block(cg, NULL, IPPROTO_NUM_NONE);
		for (int t = 0; t < 2 && tests[t]; t++) {
			cg_exits_add(cg, &p.t, &tests[t]->jt);
			tests[t]->jf = none;
		}
		if (!none)
			return (struct cg_pred){ 0 };
		cg_exits_add(cg, &p.f, &none->jt);
		struct cg_block **miss = &none->jf;
		struct cg_block *next_ext = NULL;
		if (ipv6) {
			static const uint32_t ext[] = { IPPROTO_NUM_HOPOPTS, IPPROTO_NUM_DSTOPTS,
							IPPROTO_NUM_ROUTING, IPPROTO_NUM_FRAGMENT };
			next_ext = hop < PROTOCHAIN_MAX_HOPS ? jump_block(cg, NULL, v) : NULL;
			for (size_t i = 0; i < 4; i++) {
				struct cg_block *b = jump_block(cg, NULL, ext[i]);
				if (!b)
					return (struct cg_pred){ 0 };
				*miss = b;
				if (next_ext)
					b->jt = next_ext;
				else
					cg_exits_add(cg, &p.f, &b->jt);
				miss = &b->jf;
			}
			if (next_ext)
				emit_ext_hop(cg, next_ext, net, reg);
		}
		struct cg_block *ah = jump_block(cg, NULL, IPPROTO_NUM_AH);
		if (!ah)
			return (struct cg_pred){ 0 };
		*miss = ah;
		cg_exits_add(cg, &p.f, &ah->jf);
		struct cg_block *next_ah = hop < PROTOCHAIN_MAX_HOPS ? jump_block(cg, NULL, v) : NULL;
		if (next_ah) {
			emit_ah_hop(cg, next_ah, net, reg);
			ah->jt = next_ah;
		} else {
			cg_exits_add(cg, &p.f, &ah->jt);
		}
		tests[0] = next_ext;
		tests[1] = next_ah;
		if (!tests[0]) {
			tests[0] = tests[1];
			tests[1] = NULL;
		}
		if (!tests[0])
			break;
	}
	return cg->failed ? (struct cg_pred){ 0 } : p;
}

static struct cg_pred protochain(struct cg *cg, uint32_t v, int proto, int col, int len)
{
	if (cg_base_offset(cg, CB_NET, 0).reg >= 0)
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len,
				"'protochain' not supported with variable length headers");
	if (proto == AP_DEFAULT)
		return cg_or(cg, protochain(cg, v, AP_IP, col, len), protochain(cg, v, AP_IP6, col, len));
	if (proto != AP_IP && proto != AP_IP6)
		return cg_error(cg, BPFCAP_E_SEMANTIC, col, len, "bad protocol applied for 'protochain'");
	int reg = cg_reg_alloc(cg);
	if (reg < 0)
		return (struct cg_pred){ 0 };
	struct cg_pred chain = protochain_family(cg, v, proto == AP_IP6, reg);
	/* The register is dead once the chain is decided. */
	cg_reg_free(cg, reg);
	return cg_and(cg, gen_linktype(cg, proto == AP_IP6 ? ETYPE_IPV6 : ETYPE_IP), chain);
}

struct cg_pred gen_protochain_id(struct cg *cg, const struct ast_node *n)
{
	uint32_t v;
	if (n->id.kind == AID_NUM) {
		v = n->id.v4;
	} else if (n->id.kind == AID_NAME) {
		int64_t p = names_ip_proto(n->id.text);
		if (p < 0)
			return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len, "unknown ip proto '%s'",
					n->id.text);
		v = (uint32_t)p;
	} else {
		return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len, "illegal protocol");
	}
	if (n->q.dir != AD_DEFAULT)
		return cg_error(cg, BPFCAP_E_SEMANTIC, n->col, n->len, "direction applied to 'protochain'");
	return protochain(cg, v, n->q.proto, n->col, n->len);
}
