/* The xdp target, guarded packet loads and hook verdicts: rewrites of a
 * finished translation (see translate_target.h).  ebpf_xdp_from_direct
 * inserts three instructions in the prologue, which no jump crosses (it is
 * straight-line code and every jump is relative and forward);
 * ebpf_guard_packet_loads re-aims every jump; ebpf_wrap_verdict only
 * appends. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "translate_int.h"
#include "translate_target.h"

/* ---- guarded packet loads ------------------------------------------------------ */

static int is_jump(const struct ebpf_insn *in)
{
	uint8_t cls = EBPF_CLASS(in->code), op = EBPF_OP(in->code);
	return (cls == EBPF_JMP || cls == EBPF_JMP32) && op != EBPF_CALL && op != EBPF_EXIT;
}

static int is_legacy_load(const struct ebpf_insn *in)
{
	return EBPF_CLASS(in->code) == EBPF_LD &&
	       (EBPF_MODE(in->code) == EBPF_ABS || EBPF_MODE(in->code) == EBPF_IND);
}

static int32_t load_size(const struct ebpf_insn *in)
{
	switch (EBPF_SIZE(in->code)) {
	case EBPF_B: return 1;
	case EBPF_H: return 2;
	default: return 4;
	}
}

/* A guard: the instructions to put before p->insns[i], into out (NULL:
 * count only), jumps to the "r0 = 0; exit" tail left with off = 0 and
 * flagged in to_tail.  Returns how many (0: none). */
typedef size_t (*guard_fn)(const struct ebpf_prog *p, size_t i, struct ebpf_insn *out,
			   uint8_t *to_tail);

/* Before a legacy load that may fail: skb->len checked first. */
static size_t legacy_load_guard(const struct ebpf_prog *p, size_t i, struct ebpf_insn *out,
				uint8_t *to_tail)
{
	const struct ebpf_insn *in = &p->insns[i];
	if (!is_legacy_load(in))
		return 0;
	const int16_t len_off = EBPF_SKB_OFF(len);
	int32_t size = load_size(in);
	if (EBPF_MODE(in->code) == EBPF_ABS) {
		if (in->imm < 0)
			return 0; /* SKF_* offsets: the kernel's own rules */
		int64_t end = (int64_t)in->imm + size;
		if (end > INT32_MAX) {
			if (out) {
				out[0] = (struct ebpf_insn)EBPF_JMP_A(0);
				to_tail[0] = 1;
			}
			return 1;
		}
		if (out) {
			out[0] = (struct ebpf_insn)EBPF_LDX_MEM(EBPF_W, EBPF_REG_2, TX_CTX, len_off);
			out[1] = (struct ebpf_insn)EBPF_JMP32_IMM(EBPF_JLT, EBPF_REG_2, (int32_t)end, 0);
			to_tail[1] = 1;
		}
		return 2;
	}
	/* LD_IND: the kernel adds src and imm in 32 bits and takes the sum as
	 * a signed offset; a negative one follows the SKF_* rules. */
	if (out) {
		out[0] = (struct ebpf_insn)EBPF_MOV32_REG(EBPF_REG_2, in->src);
		out[1] = (struct ebpf_insn)EBPF_ALU32_IMM(EBPF_ADD, EBPF_REG_2, in->imm);
		out[2] = (struct ebpf_insn)EBPF_JMP32_IMM(EBPF_JSLT, EBPF_REG_2, 0, 3);
		out[3] = (struct ebpf_insn)EBPF_ALU64_IMM(EBPF_ADD, EBPF_REG_2, size);
		out[4] = (struct ebpf_insn)EBPF_LDX_MEM(EBPF_W, EBPF_REG_3, TX_CTX, len_off);
		out[5] = (struct ebpf_insn)EBPF_JMP_REG(EBPF_JGT, EBPF_REG_2, EBPF_REG_3, 0);
		to_tail[5] = 1;
	}
	return 6;
}

static int set_off(struct ebpf_insn *in, long long from, long long to, struct bpfcap_error *err)
{
	long long off = to - (from + 1);
	if (off < -TX_JUMP_MAX - 1 || off > TX_JUMP_MAX)
		return bpfcap_fail(err, BPFCAP_E_TOOBIG, -1, 0,
				   "a jump of %lld instructions after guarding the packet loads (a "
				   "jump reaches 32,767)",
				   off);
	in->off = (int16_t)off;
	return 0;
}

/* Inserts what g asks before each instruction, re-aiming every jump at
 * the guard of its target, and appends the tail if anything was inserted. */
static int insert_guards(struct ebpf_prog *p, guard_fn g, struct bpfcap_error *err)
{
	/* start[i]: where old insn i's guard (or the insn) now starts;
	 * at[i]: where insn i itself now is. */
	size_t *start = malloc((p->len + 1) * sizeof *start);
	size_t *at = malloc((p->len + 1) * sizeof *at);
	size_t n = 0;
	int rc = 0;
	if (!start || !at) {
		free(start);
		free(at);
		return bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
	}
	for (size_t i = 0; i < p->len; i++) {
		start[i] = n;
		n += g(p, i, NULL, NULL);
		at[i] = n++;
	}
	start[p->len] = at[p->len] = n;
	if (n == p->len) {
		free(start);
		free(at);
		return 0; /* nothing to guard */
	}
	size_t total = n + 2; /* the tail: r0 = 0; exit */
	struct ebpf_insn *code = calloc(total, sizeof *code);
	uint8_t *to_tail = calloc(total, 1);
	if (!code || !to_tail) {
		rc = bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < p->len && !rc; i++) {
		const struct ebpf_insn *in = &p->insns[i];
		g(p, i, &code[start[i]], &to_tail[start[i]]);
		code[at[i]] = *in;
		if (in->code == EBPF_OP_LD_IMM64 && i + 1 < p->len) {
			i++;
			code[at[i]] = p->insns[i];
			continue;
		}
		if (is_jump(in) && !(EBPF_CLASS(in->code) == EBPF_JMP32 && EBPF_OP(in->code) == EBPF_JA)) {
			long long t = (long long)i + 1 + in->off;
			if (t < 0 || t > (long long)p->len)
				rc = bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
						 "insn %zu jumps out of the program", i);
			else
				rc = set_off(&code[at[i]], (long long)at[i], (long long)start[t], err);
		}
	}
	for (size_t j = 0; j < n && !rc; j++)
		if (to_tail[j])
			rc = set_off(&code[j], (long long)j, (long long)n, err);
	if (rc)
		goto out;
	code[n] = (struct ebpf_insn)EBPF_MOV32_IMM(EBPF_REG_0, 0);
	code[n + 1] = (struct ebpf_insn)EBPF_EXIT_INSN();
	free(p->insns);
	p->insns = code;
	p->len = total;
	code = NULL;
out:
	free(code);
	free(to_tail);
	free(start);
	free(at);
	return rc;
}

int ebpf_guard_packet_loads(struct ebpf_prog *p, struct bpfcap_error *err)
{
	return insert_guards(p, legacy_load_guard, err);
}

/* Before "r2 += r3" after "r2 = data" (a variable packet offset of the
 * direct shapes): r3 <= XDP_VAR_OFF_MAX.  The kernel counts a bounds check
 * only for a pointer whose variable offset plus the checked size stays
 * within MAX_PACKET_OFF, 0xffff (kernel/bpf/verifier.c,
 * find_good_pkt_pointers), and an offset past a page cannot be inside an
 * XDP frame's linear data anyway, so the load's own check would reject it:
 * same verdict. */
#define XDP_VAR_OFF_MAX 0xfff0
static size_t xdp_offset_guard(const struct ebpf_prog *p, size_t i, struct ebpf_insn *out,
			       uint8_t *to_tail)
{
	const struct ebpf_insn add = EBPF_ALU64_REG(EBPF_ADD, EBPF_REG_2, EBPF_REG_3);
	const struct ebpf_insn data = EBPF_MOV64_REG(EBPF_REG_2, TX_DATA);
	if (i == 0 || memcmp(&p->insns[i], &add, sizeof add) != 0 ||
	    memcmp(&p->insns[i - 1], &data, sizeof data) != 0)
		return 0;
	if (out) {
		out[0] = (struct ebpf_insn)EBPF_JMP_IMM(EBPF_JGT, EBPF_REG_3, XDP_VAR_OFF_MAX, 0);
		to_tail[0] = 1;
	}
	return 1;
}

/* ---- xdp ------------------------------------------------------------------- */

static int is_ctx_load(const struct ebpf_insn *in)
{
	return EBPF_CLASS(in->code) == EBPF_LDX && EBPF_MODE(in->code) == EBPF_MEM &&
	       in->src == TX_CTX;
}

/* The name of a struct ebpf_direct_ctx field, for the refusal. */
static const char *direct_field_name(int16_t off)
{
	static const struct {
		const char *name;
		int16_t off;
	} meta[] = {
		{ "pkt_type (inbound/outbound)", EBPF_DCTX_META_OFF(pkt_type) },
		{ "ifindex", EBPF_DCTX_META_OFF(ifindex) },
		{ "protocol", EBPF_DCTX_META_OFF(protocol) },
		{ "vlan_tci", EBPF_DCTX_META_OFF(vlan_tci) },
		{ "vlan_present", EBPF_DCTX_META_OFF(vlan_present) },
		{ "vlan_tpid", EBPF_DCTX_META_OFF(vlan_tpid) },
		{ "mark", EBPF_DCTX_META_OFF(mark) },
		{ "hash", EBPF_DCTX_META_OFF(hash) },
		{ "queue", EBPF_DCTX_META_OFF(queue) },
		{ "hatype", EBPF_DCTX_META_OFF(hatype) },
		{ "net_off (SKF_NET_OFF)", EBPF_DCTX_META_OFF(net_off) },
	};
	for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++)
		if (meta[i].off == off)
			return meta[i].name;
	return "an unknown field";
}

/* translate_load.c's LD_IND on the direct target sends a negative X + k
 * through the kernel's SKF_LL_OFF/SKF_NET_OFF rules, ending in
 *   i-5  if w3 s< SKF_LL_OFF goto reject
 *   i-4  if w3 s>= SKF_NET_OFF goto +2
 *   i-3  w3 -= SKF_LL_OFF
 *   i-2  goto +3
 *   i-1  w3 -= SKF_NET_OFF
 *   i    w4 = meta.net_off
 * An XDP object has the offline meaning, libpcap's bpf_filter: X + k is
 * unsigned, so a "negative" one is past the frame and the filter returns 0.
 * The first test becomes "if w3 s< 0 goto reject", always taken there (the
 * path starts after "if w3 s>= 0"), and the load a harmless w4 = 0 (still
 * read on the path our path-insensitive verifier walks; the kernel's prunes
 * it).  1 if pc is such a load and was rewritten. */
static int xdp_negative_ind(struct ebpf_prog *p, size_t pc)
{
	const struct ebpf_insn *in = p->insns;
	if (pc < 8 || in[pc].dst != EBPF_REG_4)
		return 0;
	const struct ebpf_insn *ll = &in[pc - 5], *net = &in[pc - 4];
	if (ll->code != (EBPF_JMP32 | EBPF_JSLT | EBPF_K) || ll->dst != EBPF_REG_3 ||
	    ll->imm != CBPF_SKF_LL_OFF || net->code != (EBPF_JMP32 | EBPF_JSGE | EBPF_K) ||
	    net->imm != CBPF_SKF_NET_OFF || in[pc - 2].code != (EBPF_JMP | EBPF_JA))
		return 0;
	p->insns[pc - 5].imm = 0;
	p->insns[pc] = (struct ebpf_insn)EBPF_MOV32_IMM(EBPF_REG_4, 0);
	return 1;
}

/* The direct prologue the translator emits: r6 = r1, r9 = data, r8 = data_end. */
static int has_direct_prologue(const struct ebpf_prog *p)
{
	const struct ebpf_insn mov = EBPF_MOV64_REG(TX_CTX, EBPF_REG_1);
	return p->len > 3 && memcmp(&p->insns[0], &mov, sizeof mov) == 0 &&
	       is_ctx_load(&p->insns[1]) && p->insns[1].off == EBPF_DCTX_OFF(data) &&
	       p->insns[1].dst == TX_DATA && is_ctx_load(&p->insns[2]) &&
	       p->insns[2].off == EBPF_DCTX_OFF(data_end) && p->insns[2].dst == TX_END;
}

int ebpf_xdp_from_direct(struct ebpf_prog *p, struct bpfcap_error *err)
{
	int needs_len = 0;
	if (p->target != EBPF_TARGET_DIRECT || !has_direct_prologue(p))
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
				   "xdp: not a direct-target translation (its prologue differs)");
	for (size_t i = 3; i < p->len; i++) {
		struct ebpf_insn *in = &p->insns[i];
		if (in->code == EBPF_OP_LD_IMM64) {
			i++;
			continue;
		}
		if (!is_ctx_load(in))
			continue;
		if (in->off == EBPF_DCTX_OFF(wire_len)) {
			/* The frame is all there is: XDP has no caplen/wirelen split. */
			*in = (struct ebpf_insn)EBPF_LDX_MEM(EBPF_W, in->dst, EBPF_REG_FP,
							     EBPF_XDP_LEN_SLOT);
			needs_len = 1;
			continue;
		}
		if (in->off == EBPF_DCTX_META_OFF(net_off) && xdp_negative_ind(p, i))
			continue;
		return bpfcap_fail(err, BPFCAP_E_UNSUPPORTED, -1, 0,
				   "the filter reads packet metadata (%s), which an XDP program does "
				   "not have (no skb yet: no VLAN offload, packet type, mark or "
				   "ifindex fields; no SKF_NET_OFF): use the tc or socket target",
				   direct_field_name(in->off));
	}
	p->insns[1] = (struct ebpf_insn)EBPF_LDX_MEM(EBPF_W, TX_DATA, TX_CTX, EBPF_XDP_OFF(data));
	p->insns[2] = (struct ebpf_insn)EBPF_LDX_MEM(EBPF_W, TX_END, TX_CTX, EBPF_XDP_OFF(data_end));
	if (needs_len) {
		/* r2 = data_end - data, stored once after the prologue's loads. */
		const struct ebpf_insn add[] = {
			EBPF_MOV64_REG(EBPF_REG_2, TX_END),
			EBPF_ALU64_REG(EBPF_SUB, EBPF_REG_2, TX_DATA),
			EBPF_STX_MEM(EBPF_W, EBPF_REG_FP, EBPF_REG_2, EBPF_XDP_LEN_SLOT),
		};
		size_t n = sizeof add / sizeof add[0];
		struct ebpf_insn *grown = realloc(p->insns, (p->len + n) * sizeof *grown);
		if (!grown)
			return bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
		memmove(&grown[3 + n], &grown[3], (p->len - 3) * sizeof *grown);
		memcpy(&grown[3], add, sizeof add);
		p->insns = grown;
		p->len += n;
	}
	p->target = EBPF_TARGET_XDP;
	return insert_guards(p, xdp_offset_guard, err);
}

/* ---- verdicts ---------------------------------------------------------------- */

/* [len] 1 where some jump lands. */
static uint8_t *jump_targets(const struct ebpf_prog *p)
{
	uint8_t *t = calloc(p->len + 1, 1);
	if (!t)
		return NULL;
	for (size_t i = 0; i < p->len; i++) {
		const struct ebpf_insn *in = &p->insns[i];
		if (in->code == EBPF_OP_LD_IMM64) {
			i++;
			continue;
		}
		if (!is_jump(in))
			continue;
		long long to = (long long)i + 1 + in->off;
		if (to >= 0 && to <= (long long)p->len)
			t[to] = 1;
	}
	return t;
}

static int is_const_r0(const struct ebpf_insn *in)
{
	return in->code == (EBPF_ALU | EBPF_MOV | EBPF_K) && in->dst == EBPF_REG_0;
}

int ebpf_wrap_verdict(struct ebpf_prog *p, int32_t on_match, int32_t on_nomatch,
		      struct bpfcap_error *err)
{
	uint8_t *target = jump_targets(p);
	if (!target)
		return bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
	size_t tail = p->len; /* where the shared tail goes, if needed */
	int need_tail = 0;
	int rc = 0;
	for (size_t i = 0; i < p->len && !rc; i++) {
		struct ebpf_insn *in = &p->insns[i];
		if (in->code == EBPF_OP_LD_IMM64) {
			i++;
			continue;
		}
		if (in->code != EBPF_OP_EXIT)
			continue;
		/* Fall-through reaches i only from i - 1: if that sets r0 to a
		 * constant and no jump lands on i, the constant is the verdict. */
		if (i > 0 && is_const_r0(&p->insns[i - 1]) && !target[i] &&
		    !(i > 1 && p->insns[i - 2].code == EBPF_OP_LD_IMM64)) {
			p->insns[i - 1].imm = p->insns[i - 1].imm ? on_match : on_nomatch;
			continue;
		}
		size_t dist = tail - (i + 1);
		if (dist > TX_JUMP_MAX)
			rc = bpfcap_fail(err, BPFCAP_E_TOOBIG, -1, 0,
					 "insn %zu: the exit is %zu instructions from the verdict "
					 "tail (a jump reaches 32,767)",
					 i, dist);
		*in = (struct ebpf_insn)EBPF_JMP_A((int16_t)dist);
		need_tail = 1;
	}
	free(target);
	if (rc || !need_tail)
		return rc;
	const struct ebpf_insn stub[] = {
		EBPF_JMP32_IMM(EBPF_JNE, EBPF_REG_0, 0, 2),
		EBPF_MOV32_IMM(EBPF_REG_0, on_nomatch),
		EBPF_EXIT_INSN(),
		EBPF_MOV32_IMM(EBPF_REG_0, on_match),
		EBPF_EXIT_INSN(),
	};
	size_t n = sizeof stub / sizeof stub[0];
	struct ebpf_insn *grown = realloc(p->insns, (p->len + n) * sizeof *grown);
	if (!grown)
		return bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
	memcpy(&grown[p->len], stub, sizeof stub);
	p->insns = grown;
	p->len += n;
	return 0;
}
