/* Packet and ancillary loads of the translator, per target.
 *
 * socket: LD_ABS/LD_IND as they are.  The kernel resolves negative
 *   offsets (SKF_NET_OFF/SKF_LL_OFF, bpf_internal_load_pointer_neg_helper
 *   in net/core/filter.c), byte-swaps to host order, and ends the program
 *   with 0 on a load out of bounds — bpf_filter's rule too.  They clobber
 *   r1-r5 and write r0 (= A).
 * direct: LDX from the packet after an explicit bounds check, in the
 *   shapes of the direct-target convention (docs/DESIGN.md, vm/translate):
 *   constant offsets share one check per straight-line stretch, variable
 *   offsets (LD_IND, SKF_NET_OFF) get their own.
 *
 * Ancillary loads (LD ABS at SKF_AD_OFF + n, any size, as the kernel's
 * bpf_check_classic/convert_bpf_extensions recognise them — only LD ABS:
 * an LD IND whose X + k lands there is an ordinary negative offset) read
 * __sk_buff fields (socket) or the context's struct bpfcap_pkt_meta
 * (direct). */
#include "error.h"
#include "translate_int.h"

/* Constant offsets of the direct target: an LDX offset is a signed 16-bit
 * field, and the kernel's packet range stops at MAX_PACKET_OFF (0xffff). */
#define DIRECT_FIXED_MAX 32767u
#define DIRECT_CONST_MAX 65535u

#define SKF_AD_FIRST ((uint32_t)CBPF_SKF_AD_OFF) /* 0xfffff000 */

static uint8_t ebpf_size(uint16_t code)
{
	switch (CBPF_SIZE(code)) {
	case CBPF_H: return EBPF_H;
	case CBPF_B: return EBPF_B;
	default: return EBPF_W;
	}
}

static uint32_t size_bytes(uint16_t code)
{
	return CBPF_SIZE(code) == CBPF_W ? 4 : CBPF_SIZE(code) == CBPF_H ? 2 : 1;
}

static int is_ancillary(const struct bpfcap_insn *in)
{
	return in->code == (CBPF_LD | CBPF_ABS | CBPF_SIZE(in->code)) && in->k >= SKF_AD_FIRST;
}

/* The byte a constant-offset load starts at, relative to the packet start,
 * on the direct target: a non-negative k, or SKF_LL_OFF + n (the packet
 * starts at the link-layer header).  0 for other offsets. */
static int const_offset(const struct bpfcap_insn *in, uint32_t *off)
{
	int32_t k = (int32_t)in->k;
	if (k >= 0) {
		*off = (uint32_t)k;
		return 1;
	}
	if (k >= CBPF_SKF_LL_OFF && k < CBPF_SKF_NET_OFF) {
		*off = (uint32_t)(k - CBPF_SKF_LL_OFF);
		return 1;
	}
	return 0;
}

static int is_abs_or_msh(const struct bpfcap_insn *in)
{
	return (CBPF_CLASS(in->code) == CBPF_LD && CBPF_MODE(in->code) == CBPF_ABS &&
		!is_ancillary(in)) ||
	       in->code == (CBPF_LDX | CBPF_B | CBPF_MSH);
}

int tx_const_load(const struct tx *tx, const struct bpfcap_insn *in, uint32_t *end)
{
	uint32_t off;
	if (tx->target != EBPF_TARGET_DIRECT || !is_abs_or_msh(in) || !const_offset(in, &off))
		return 0;
	uint32_t e = off + size_bytes(in->code);
	if (e > DIRECT_FIXED_MAX)
		return 0;
	*end = e;
	return 1;
}

int tx_load_always_fails(const struct tx *tx, const struct bpfcap_insn *in)
{
	/* Below SKF_LL_OFF nothing is addressable (the kernel's neg helper
	 * returns NULL): the load fails whatever the packet. */
	return tx->target == EBPF_TARGET_DIRECT && is_abs_or_msh(in) &&
	       (int32_t)in->k < CBPF_SKF_LL_OFF;
}

int tx_check_load(struct tx *tx, size_t pc, const struct bpfcap_insn *in)
{
	uint32_t off;
	if (tx->target == EBPF_TARGET_DIRECT && is_abs_or_msh(in) && const_offset(in, &off) &&
	    (uint64_t)off + size_bytes(in->code) > DIRECT_CONST_MAX)
		return bpfcap_fail(tx->err, BPFCAP_E_UNSUPPORTED, -1, 0,
				   "cBPF insn %zu: packet offset %u is past the direct target's reach "
				   "(65,535 bytes, the kernel's MAX_PACKET_OFF): use the socket target",
				   pc, off);
	if (!is_ancillary(in))
		return 0;
	uint32_t n = in->k - SKF_AD_FIRST;
	switch (n) {
	case CBPF_SKF_AD_PROTOCOL:
	case CBPF_SKF_AD_PKTTYPE:
	case CBPF_SKF_AD_IFINDEX:
	case CBPF_SKF_AD_MARK:
	case CBPF_SKF_AD_QUEUE:
	case CBPF_SKF_AD_RXHASH:
	case CBPF_SKF_AD_CPU:
	case CBPF_SKF_AD_ALU_XOR_X:
	case CBPF_SKF_AD_VLAN_TAG:
	case CBPF_SKF_AD_VLAN_TAG_PRESENT:
	case CBPF_SKF_AD_RANDOM:
	case CBPF_SKF_AD_VLAN_TPID:
		return 0;
	case CBPF_SKF_AD_HATYPE:
		if (tx->target == EBPF_TARGET_DIRECT)
			return 0;
		return bpfcap_fail(tx->err, BPFCAP_E_UNSUPPORTED, -1, 0,
				   "cBPF insn %zu: SKF_AD_HATYPE (the device type) has no __sk_buff "
				   "field a socket filter can read: attach the classic program with "
				   "SO_ATTACH_FILTER or run it in userspace",
				   pc);
	case CBPF_SKF_AD_PAY_OFFSET:
	case CBPF_SKF_AD_NLATTR:
	case CBPF_SKF_AD_NLATTR_NEST:
		return bpfcap_fail(tx->err, BPFCAP_E_UNSUPPORTED, -1, 0,
				   "cBPF insn %zu: SKF_AD_%s is computed by kernel C code (%s) that no "
				   "eBPF program can call: attach the classic program with "
				   "SO_ATTACH_FILTER",
				   pc,
				   n == CBPF_SKF_AD_PAY_OFFSET ? "PAY_OFFSET"
				   : n == CBPF_SKF_AD_NLATTR   ? "NLATTR"
							       : "NLATTR_NEST",
				   n == CBPF_SKF_AD_PAY_OFFSET ? "skb_get_poff" : "nla_find");
	default:
		return bpfcap_fail(tx->err, BPFCAP_E_INVALID, -1, 0,
				   "cBPF insn %zu: no ancillary load at SKF_AD_OFF + %u (the kernel's "
				   "bpf_check_classic refuses an unknown one)",
				   pc, n);
	}
}

/* ---- ancillary ----------------------------------------------------------- */

static void call_helper(struct tx *tx, int32_t id)
{
	/* The helper returns a u32 in r0; MOV32 keeps A zero-extended.  r1-r5
	 * are clobbered: nothing lives there.  X is r7, callee-saved. */
	tx->uses |= EBPF_USES_HELPERS;
	tx_emit(tx, EBPF_CALL_HELPER(id));
	tx_emit(tx, EBPF_MOV32_REG(TX_A, TX_A));
}

/* A = a 32-bit field of the context. */
static void ctx_field(struct tx *tx, int16_t off)
{
	tx_emit(tx, EBPF_LDX_MEM(EBPF_W, TX_A, TX_CTX, off));
}

static void ancillary_socket(struct tx *tx, uint32_t n)
{
	switch (n) {
	case CBPF_SKF_AD_PROTOCOL:
		/* The kernel's ctx rewrite loads the raw __be16 skb->protocol. */
		ctx_field(tx, EBPF_SKB_OFF(protocol));
		tx_emit(tx, EBPF_ENDIAN(EBPF_TO_BE, TX_A, 16));
		break;
	case CBPF_SKF_AD_VLAN_TPID:
		ctx_field(tx, EBPF_SKB_OFF(vlan_proto));
		tx_emit(tx, EBPF_ENDIAN(EBPF_TO_BE, TX_A, 16));
		break;
	case CBPF_SKF_AD_PKTTYPE: ctx_field(tx, EBPF_SKB_OFF(pkt_type)); break;
	case CBPF_SKF_AD_IFINDEX: ctx_field(tx, EBPF_SKB_OFF(ifindex)); break;
	case CBPF_SKF_AD_MARK: ctx_field(tx, EBPF_SKB_OFF(mark)); break;
	case CBPF_SKF_AD_QUEUE: ctx_field(tx, EBPF_SKB_OFF(queue_mapping)); break;
	case CBPF_SKF_AD_RXHASH: ctx_field(tx, EBPF_SKB_OFF(hash)); break;
	case CBPF_SKF_AD_VLAN_TAG: ctx_field(tx, EBPF_SKB_OFF(vlan_tci)); break;
	case CBPF_SKF_AD_VLAN_TAG_PRESENT: ctx_field(tx, EBPF_SKB_OFF(vlan_present)); break;
	}
}

static void ancillary_direct(struct tx *tx, uint32_t n)
{
	switch (n) {
	case CBPF_SKF_AD_PROTOCOL: ctx_field(tx, EBPF_DCTX_META_OFF(protocol)); break;
	case CBPF_SKF_AD_VLAN_TPID: ctx_field(tx, EBPF_DCTX_META_OFF(vlan_tpid)); break;
	case CBPF_SKF_AD_PKTTYPE: ctx_field(tx, EBPF_DCTX_META_OFF(pkt_type)); break;
	case CBPF_SKF_AD_IFINDEX: ctx_field(tx, EBPF_DCTX_META_OFF(ifindex)); break;
	case CBPF_SKF_AD_MARK: ctx_field(tx, EBPF_DCTX_META_OFF(mark)); break;
	case CBPF_SKF_AD_QUEUE: ctx_field(tx, EBPF_DCTX_META_OFF(queue)); break;
	case CBPF_SKF_AD_RXHASH: ctx_field(tx, EBPF_DCTX_META_OFF(hash)); break;
	case CBPF_SKF_AD_VLAN_TAG: ctx_field(tx, EBPF_DCTX_META_OFF(vlan_tci)); break;
	case CBPF_SKF_AD_VLAN_TAG_PRESENT: ctx_field(tx, EBPF_DCTX_META_OFF(vlan_present)); break;
	case CBPF_SKF_AD_HATYPE: ctx_field(tx, EBPF_DCTX_META_OFF(hatype)); break;
	}
}

static void ancillary(struct tx *tx, const struct bpfcap_insn *in)
{
	uint32_t n = in->k - SKF_AD_FIRST;
	switch (n) {
	case CBPF_SKF_AD_CPU: call_helper(tx, EBPF_HELPER_GET_SMP_PROCESSOR_ID); return;
	case CBPF_SKF_AD_RANDOM: call_helper(tx, EBPF_HELPER_GET_PRANDOM_U32); return;
	case CBPF_SKF_AD_ALU_XOR_X: tx_emit(tx, EBPF_ALU32_REG(EBPF_XOR, TX_A, TX_X)); return;
	}
	if (tx->target == EBPF_TARGET_SOCKET)
		ancillary_socket(tx, n);
	else
		ancillary_direct(tx, n);
}

/* ---- direct-target packet access ----------------------------------------- */

/* dst = size bytes at off, host order (LDX, then be16/be32). */
static void load_at(struct tx *tx, uint8_t dst, uint8_t base, int16_t off, uint16_t code)
{
	tx_emit(tx, EBPF_LDX_MEM(ebpf_size(code), dst, base, off));
	if (CBPF_SIZE(code) != CBPF_B)
		tx_emit(tx, EBPF_ENDIAN(EBPF_TO_BE, dst, (int32_t)(size_bytes(code) * 8)));
}

/* A constant offset below DIRECT_FIXED_MAX: the stretch's one check, the
 * first time the stretch needs the packet.  Checking for the whole stretch
 * here may end the program earlier than the cBPF would — but only with 0,
 * which the cBPF returns anyway at its failing load, and nothing before
 * that load is observable (straight-line code: no jump in between, no
 * return, no side effect but the helpers' state). */
static void load_fixed(struct tx *tx, uint8_t dst, uint32_t off, uint16_t code)
{
	uint32_t end = off + size_bytes(code);
	if (tx->checked < end) {
		uint32_t need = tx->stretch > end ? tx->stretch : end;
		tx_emit(tx, EBPF_MOV64_REG(EBPF_REG_2, TX_DATA));
		tx_emit(tx, EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_2, (int32_t)need));
		tx_emit_jump_reject(tx, EBPF_JMP_REG(EBPF_JGT, EBPF_REG_2, TX_END, 0));
		tx->checked = need;
	}
	load_at(tx, dst, TX_DATA, (int16_t)off, code);
}

/* A packet pointer r2 (from data plus r3, or plus a constant) checked for
 * size bytes on its own, then the load. */
static void load_checked_r2(struct tx *tx, uint8_t dst, uint16_t code)
{
	tx_emit(tx, EBPF_MOV64_REG(EBPF_REG_4, EBPF_REG_2));
	tx_emit(tx, EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_4, (int32_t)size_bytes(code)));
	tx_emit_jump_reject(tx, EBPF_JMP_REG(EBPF_JGT, EBPF_REG_4, TX_END, 0));
	load_at(tx, dst, EBPF_REG_2, 0, code);
}

/* The offset in w3 (a u32 from data). */
static void load_var(struct tx *tx, uint8_t dst, uint16_t code)
{
	tx_emit(tx, EBPF_MOV64_REG(EBPF_REG_2, TX_DATA));
	tx_emit(tx, EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_2, EBPF_REG_3));
	load_checked_r2(tx, dst, code);
}

/* w3 = net_off + n: SKF_NET_OFF + n is n bytes past the network header.
 * 32-bit add: a sum past 4 GiB cannot address a captured byte anyway. */
static void net_relative(struct tx *tx, uint32_t n)
{
	tx->uses |= EBPF_USES_NET_OFF;
	tx_emit(tx, EBPF_LDX_MEM(EBPF_W, EBPF_REG_3, TX_CTX, EBPF_DCTX_META_OFF(net_off)));
	if (n)
		tx_emit(tx, EBPF_ALU32_IMM(EBPF_ADD, EBPF_REG_3, (int32_t)n));
}

/* LD ABS (not ancillary) or LDX MSH's byte on the direct target. */
static void load_abs_direct(struct tx *tx, uint8_t dst, const struct bpfcap_insn *in)
{
	int32_t k = (int32_t)in->k;
	uint32_t off;
	if (k < CBPF_SKF_LL_OFF) {
		tx_emit_jump_reject(tx, EBPF_JMP_A(0));
	} else if (k >= CBPF_SKF_NET_OFF && k < 0) {
		net_relative(tx, (uint32_t)(k - CBPF_SKF_NET_OFF));
		load_var(tx, dst, in->code);
	} else if (const_offset(in, &off) && off + size_bytes(in->code) <= DIRECT_FIXED_MAX) {
		load_fixed(tx, dst, off, in->code);
	} else {
		/* 32,767 < off + size <= 65,535 (tx_check_load refused more):
		 * a constant added to data, checked on its own. */
		tx_emit(tx, EBPF_MOV64_REG(EBPF_REG_2, TX_DATA));
		tx_emit(tx, EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_2, (int32_t)off));
		load_checked_r2(tx, dst, in->code);
	}
}

/* LD IND on the direct target.  The kernel's classic LD IND computes
 * X + k in 32 bits and takes it as a signed int (bpf_skb_load_helper_*):
 * a negative result goes through the SKF_NET_OFF/SKF_LL_OFF rules of
 * bpf_internal_load_pointer_neg_helper, as here — unless the analysis
 * proved X small, as after LDX MSH (translate.c, x_small). */
static void load_ind_direct(struct tx *tx, size_t pc, const struct bpfcap_insn *in)
{
	tx_emit(tx, EBPF_MOV32_REG(EBPF_REG_3, TX_X));
	if (in->k)
		tx_emit(tx, EBPF_ALU32_IMM(EBPF_ADD, EBPF_REG_3, (int32_t)in->k));
	if (tx->x_small[pc] && in->k <= TX_K_SMALL) {
		/* X <= TX_X_SMALL on every path here: X + k >= 0. */
		load_var(tx, TX_A, in->code);
		return;
	}
	tx_emit(tx, EBPF_JMP32_IMM(EBPF_JSGE, EBPF_REG_3, 0, 7));
	tx_emit_jump_reject(tx, EBPF_JMP32_IMM(EBPF_JSLT, EBPF_REG_3, CBPF_SKF_LL_OFF, 0));
	tx_emit(tx, EBPF_JMP32_IMM(EBPF_JSGE, EBPF_REG_3, CBPF_SKF_NET_OFF, 2));
	tx_emit(tx, EBPF_ALU32_IMM(EBPF_SUB, EBPF_REG_3, CBPF_SKF_LL_OFF));
	tx_emit(tx, EBPF_JMP_A(3));
	tx_emit(tx, EBPF_ALU32_IMM(EBPF_SUB, EBPF_REG_3, CBPF_SKF_NET_OFF));
	tx_emit(tx, EBPF_LDX_MEM(EBPF_W, EBPF_REG_4, TX_CTX, EBPF_DCTX_META_OFF(net_off)));
	tx_emit(tx, EBPF_ALU32_REG(EBPF_ADD, EBPF_REG_3, EBPF_REG_4));
	tx->uses |= EBPF_USES_NET_OFF;
	load_var(tx, TX_A, in->code);
}

/* ---- the instructions -------------------------------------------------------- */

/* Whether the runner must know where the network header is. */
static void note_net_off(struct tx *tx, size_t pc, const struct bpfcap_insn *in)
{
	int32_t k = (int32_t)in->k;
	if (CBPF_MODE(in->code) == CBPF_IND ? !(tx->x_small[pc] && in->k <= TX_K_SMALL)
					     : (k >= CBPF_SKF_NET_OFF && k < 0))
		tx->uses |= EBPF_USES_NET_OFF;
}

void tx_load(struct tx *tx, size_t pc, const struct bpfcap_insn *in)
{
	int direct = tx->target == EBPF_TARGET_DIRECT;
	if (is_ancillary(in)) {
		ancillary(tx, in);
		return;
	}
	note_net_off(tx, pc, in);
	if (in->code == (CBPF_LDX | CBPF_B | CBPF_MSH)) {
		/* X = 4 * (P[k] & 0xf). */
		if (direct) {
			load_abs_direct(tx, TX_X, in);
			if (tx_load_always_fails(tx, in))
				return; /* nothing after the jump to reject: unreachable */
			tx_emit(tx, EBPF_ALU32_IMM(EBPF_AND, TX_X, 0xf));
			tx_emit(tx, EBPF_ALU32_IMM(EBPF_LSH, TX_X, 2));
			return;
		}
		/* LD_ABS writes r0 = A: keep A in r8 if it is read later. */
		int keep = (tx->live_out[pc] & TX_SLOT_A) != 0;
		if (keep)
			tx_emit(tx, EBPF_MOV64_REG(TX_SAVE, TX_A));
		tx_emit(tx, EBPF_LD_ABS(EBPF_B, (int32_t)in->k));
		tx_emit(tx, EBPF_ALU32_IMM(EBPF_AND, TX_A, 0xf));
		tx_emit(tx, EBPF_ALU32_IMM(EBPF_LSH, TX_A, 2));
		tx_emit(tx, EBPF_MOV32_REG(TX_X, TX_A));
		if (keep)
			tx_emit(tx, EBPF_MOV64_REG(TX_A, TX_SAVE));
		return;
	}
	if (CBPF_MODE(in->code) == CBPF_ABS) {
		if (direct)
			load_abs_direct(tx, TX_A, in);
		else
			tx_emit(tx, EBPF_LD_ABS(ebpf_size(in->code), (int32_t)in->k));
		return;
	}
	/* CBPF_IND */
	if (direct)
		load_ind_direct(tx, pc, in);
	else
		tx_emit(tx, EBPF_LD_IND(ebpf_size(in->code), TX_X, (int32_t)in->k));
}
