/* Relations over arithmetic: "proto[expr:size] & mask = value",
 * "len > 100", "ip[0] & 0xf != 5".
 *
 * Each arithmetic value is computed into a scratch word M[reg] by
 * straight-line code, plus a guard predicate that must hold for the
 * value to mean anything (the packet is IP for "ip[...]"; it is the
 * first fragment of a TCP datagram for "tcp[...]").  A relation runs
 * the guards first, then the code of both sides, then one comparison,
 * as libpcap's does: so a load past the captured length rejects the
 * packet whatever the relation, "!=" included. */
#include "cg.h"
#include "protocols.h"

struct arith {
	struct cg_pred guard;    /* entry NULL: no guard */
	struct cg_block *code;   /* statements only; never emitted itself */
	int reg;
};

static struct arith arith_fail(void)
{
	return (struct arith){ { 0 }, NULL, -1 };
}

static struct cg_pred guard_and(struct cg *cg, struct cg_pred a, struct cg_pred b)
{
	if (!a.entry)
		return b;
	if (!b.entry)
		return a;
	return cg_and(cg, a, b);
}

static void append_code(struct cg *cg, struct cg_block *dst, const struct cg_block *src)
{
	for (uint32_t i = 0; src && i < src->nstmts; i++)
		cg_emit(cg, dst, src->stmts[i].code, src->stmts[i].k);
}

static uint16_t size_bits(int size)
{
	return size == 4 ? CBPF_W : size == 2 ? CBPF_H : CBPF_B;
}

static struct arith gen_arith(struct cg *cg, const struct ast_arith *a);

/* X = the index (M[idx]) plus the run-time part of the link payload's
 * offset, if any. */
static void load_x_index(struct cg *cg, struct cg_block *b, int idx)
{
	struct cg_off pl = cg_base_offset(cg, CB_LINKPL, 0);
	if (pl.reg < 0) {
		cg_emit(cg, b, CBPF_LDX | CBPF_MEM, (uint32_t)idx);
		return;
	}
	cg_emit(cg, b, CBPF_LDX | CBPF_MEM, (uint32_t)pl.reg);
	cg_emit(cg, b, CBPF_LD | CBPF_MEM, (uint32_t)idx);
	cg_emit(cg, b, CBPF_ALU | CBPF_ADD | CBPF_X, 0);
	cg_emit(cg, b, CBPF_MISC | CBPF_TAX, 0);
}

static int is_network_proto(int proto)
{
	switch (proto) {
	case AP_IP: case AP_ARP: case AP_RARP: case AP_IP6:
	case AP_ATALK: case AP_DECNET: case AP_SCA: case AP_LAT: case AP_MOPRC: case AP_MOPDL:
		return 1;
	default:
		return 0;
	}
}

static int is_ipv4_transport(int proto)
{
	switch (proto) {
	case AP_SCTP: case AP_TCP: case AP_UDP: case AP_ICMP: case AP_IGMP:
	case AP_IGRP: case AP_PIM: case AP_VRRP: case AP_CARP:
		return 1;
	default:
		return 0;
	}
}

/* "proto[index:size]": the load is relative to the link header, the
 * network header, or (transport protocols) the header after IPv4's
 * variable-length header; ICMPv6 sits right after the fixed IPv6 header. */
static struct arith gen_packet_load(struct cg *cg, const struct ast_arith *a)
{
	if (a->size != 1 && a->size != 2 && a->size != 4) {
		cg_error(cg, BPFCAP_E_SEMANTIC, a->col, a->len, "data size must be 1, 2, or 4");
		return arith_fail();
	}
	struct arith idx = gen_arith(cg, a->a);
	if (!idx.code)
		return idx;
	struct arith r = { idx.guard, idx.code, -1 };
	cg_reg_free(cg, idx.reg);
	r.reg = cg_reg_alloc(cg);
	uint16_t ld = CBPF_LD | CBPF_IND | size_bits(a->size);
	uint32_t net = cg_base_offset(cg, CB_NET, 0).k;

	if (a->proto == AP_LINK) {
		if (cg->off_linkhdr.reg < 0) {
			cg_emit(cg, r.code, CBPF_LDX | CBPF_MEM, (uint32_t)idx.reg);
		} else {
			cg_emit(cg, r.code, CBPF_LDX | CBPF_MEM, (uint32_t)cg->off_linkhdr.reg);
			cg_emit(cg, r.code, CBPF_LD | CBPF_MEM, (uint32_t)idx.reg);
			cg_emit(cg, r.code, CBPF_ALU | CBPF_ADD | CBPF_X, 0);
			cg_emit(cg, r.code, CBPF_MISC | CBPF_TAX, 0);
		}
		cg_emit(cg, r.code, ld, cg->off_linkhdr.k);
	} else if (is_network_proto(a->proto)) {
		load_x_index(cg, r.code, idx.reg);
		cg_emit(cg, r.code, ld, net);
		r.guard = guard_and(cg, r.guard, gen_proto_abbrev(cg, a->proto, a->col, a->len));
	} else if (is_ipv4_transport(a->proto)) {
		cg_load_x_ipv4_hdrlen(cg, r.code);
		cg_emit(cg, r.code, CBPF_LD | CBPF_MEM, (uint32_t)idx.reg);
		cg_emit(cg, r.code, CBPF_ALU | CBPF_ADD | CBPF_X, 0);
		cg_emit(cg, r.code, CBPF_MISC | CBPF_TAX, 0);
		cg_emit(cg, r.code, ld, net);
		/* An IPv4 datagram, of this protocol, and its first fragment. */
		struct cg_pred first = cg_not(cg_cmp_field(cg, CB_NET, IPV4_FRAG_OFF, 2, 0xffffffffu,
							   CBPF_JSET, IPV4_FRAGOFF_MASK));
		struct cg_pred b = cg_and(cg, gen_proto_abbrev(cg, a->proto, a->col, a->len), first);
		b = guard_and(cg, r.guard, b);
		r.guard = cg_and(cg, gen_proto_abbrev(cg, AP_IP, a->col, a->len), b);
	} else if (a->proto == AP_ICMP6) {
		struct cg_pred b = cg_and(cg, gen_proto_abbrev(cg, AP_IP6, a->col, a->len),
					  cg_cmp_eq(cg, CB_NET, IPV6_NXT_OFF, 1, IPPROTO_NUM_ICMPV6));
		r.guard = guard_and(cg, r.guard, b);
		load_x_index(cg, r.code, idx.reg);
		cg_emit(cg, r.code, ld, net + IPV6_HDR_LEN);
	} else {
		cg_error(cg, BPFCAP_E_SEMANTIC, a->col, a->len, "unsupported index operation");
		return arith_fail();
	}
	cg_emit(cg, r.code, CBPF_ST, (uint32_t)r.reg);
	return r;
}

static const uint16_t alu_ops[] = {
	[AB_ADD] = CBPF_ADD, [AB_SUB] = CBPF_SUB, [AB_MUL] = CBPF_MUL, [AB_DIV] = CBPF_DIV,
	[AB_MOD] = CBPF_MOD, [AB_AND] = CBPF_AND, [AB_OR] = CBPF_OR,   [AB_XOR] = CBPF_XOR,
	[AB_LSH] = CBPF_LSH, [AB_RSH] = CBPF_RSH,
};

static struct arith gen_binop(struct cg *cg, const struct ast_arith *a)
{
	if ((a->op == AB_DIV || a->op == AB_MOD) && a->b->kind == AX_NUM && a->b->num == 0) {
		cg_error(cg, BPFCAP_E_SEMANTIC, a->b->col, a->b->len,
			 a->op == AB_DIV ? "division by zero" : "modulus by zero");
		return arith_fail();
	}
	struct arith l = gen_arith(cg, a->a);
	struct arith r = gen_arith(cg, a->b);
	if (!l.code || !r.code)
		return arith_fail();
	append_code(cg, l.code, r.code);
	cg_emit(cg, l.code, CBPF_LDX | CBPF_MEM, (uint32_t)r.reg);
	cg_emit(cg, l.code, CBPF_LD | CBPF_MEM, (uint32_t)l.reg);
	cg_emit(cg, l.code, CBPF_ALU | alu_ops[a->op] | CBPF_X, 0);
	cg_reg_free(cg, l.reg);
	cg_reg_free(cg, r.reg);
	l.reg = cg_reg_alloc(cg);
	cg_emit(cg, l.code, CBPF_ST, (uint32_t)l.reg);
	/* libpcap 1.10 keeps only the left operand's guard here, so
	 * "0 - ip[8] != 0" holds for non-IP packets too; the reference's
	 * verdicts are what we match. */
	return l;
}

/* A value loaded by one statement (a constant, or "len") into a new word. */
static struct arith gen_simple(struct cg *cg, uint16_t code, uint32_t k)
{
	struct arith r = { { 0 }, cg_block_new(cg), cg_reg_alloc(cg) };
	if (!r.code || r.reg < 0)
		return arith_fail();
	cg_emit(cg, r.code, code, k);
	cg_emit(cg, r.code, CBPF_ST, (uint32_t)r.reg);
	return r;
}

static struct arith gen_arith(struct cg *cg, const struct ast_arith *a)
{
	if (cg->failed)
		return arith_fail();
	switch (a->kind) {
	case AX_NUM: return gen_simple(cg, CBPF_LD | CBPF_IMM, a->num);
	case AX_LEN: return gen_simple(cg, CBPF_LD | CBPF_W | CBPF_LEN, 0);
	case AX_LOAD: return gen_packet_load(cg, a);
	case AX_BINOP: return gen_binop(cg, a);
	case AX_NEG: {
		struct arith r = gen_arith(cg, a->a);
		if (!r.code)
			return r;
		cg_emit(cg, r.code, CBPF_LD | CBPF_MEM, (uint32_t)r.reg);
		cg_emit(cg, r.code, CBPF_ALU | CBPF_NEG, 0);
		cg_emit(cg, r.code, CBPF_ST, (uint32_t)r.reg);
		return r;
	}
	}
	cg_error(cg, BPFCAP_E_SEMANTIC, a->col, a->len, "bad arithmetic expression");
	return arith_fail();
}

/* "=" is "A - X == 0"; "<", "<=" and "!=" are the negations of ">=",
 * ">" and "=" (libpcap's encoding of the relations). */
struct cg_pred gen_relation(struct cg *cg, const struct ast_node *n)
{
	struct arith l = gen_arith(cg, n->lhs);
	struct arith r = gen_arith(cg, n->rhs);
	if (!l.code || !r.code)
		return (struct cg_pred){ 0 };
	struct cg_block *b = cg_block_new(cg);
	append_code(cg, b, l.code);
	append_code(cg, b, r.code);
	cg_emit(cg, b, CBPF_LDX | CBPF_MEM, (uint32_t)r.reg);
	cg_emit(cg, b, CBPF_LD | CBPF_MEM, (uint32_t)l.reg);
	cg_reg_free(cg, l.reg);
	cg_reg_free(cg, r.reg);
	struct cg_pred cmp;
	int negate = n->relop == AR_NE || n->relop == AR_LT || n->relop == AR_LE;
	switch (n->relop) {
	case AR_EQ:
	case AR_NE:
		cg_emit(cg, b, CBPF_ALU | CBPF_SUB | CBPF_X, 0);
		cmp = cg_pred_jump(cg, b, CBPF_JMP | CBPF_JEQ | CBPF_K, 0);
		break;
	case AR_GT:
	case AR_LE:
		cmp = cg_pred_jump(cg, b, CBPF_JMP | CBPF_JGT | CBPF_X, 0);
		break;
	default:
		cmp = cg_pred_jump(cg, b, CBPF_JMP | CBPF_JGE | CBPF_X, 0);
		break;
	}
	if (negate)
		cmp = cg_not(cmp);
	struct cg_pred guard = guard_and(cg, l.guard, r.guard);
	return guard.entry ? cg_and(cg, guard, cmp) : cmp;
}
