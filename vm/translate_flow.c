/* The translator's analyses of the classic program (translate_int.h).
 *
 * Jumps in classic BPF go forward only, so every analysis is one pass in
 * instruction order (forward problems) or in reverse (liveness), with no
 * iteration.  Only instructions reachable from 0 take part: the verifiers
 * refuse unreachable eBPF, so those are not emitted at all. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "translate_int.h"

/* Successors of pc: up to two.  On the direct target a load that always
 * fails ends the program (with 0), like a return. */
static size_t successors(const struct tx *tx, size_t pc, size_t out[2])
{
	const struct bpfcap_insn *in = &tx->in[pc];
	if (CBPF_CLASS(in->code) == CBPF_RET || tx_load_always_fails(tx, in))
		return 0;
	if (in->code == (CBPF_JMP | CBPF_JA)) {
		out[0] = pc + 1 + in->k;
		return 1;
	}
	if (CBPF_CLASS(in->code) == CBPF_JMP) {
		out[0] = pc + 1 + in->jt;
		out[1] = pc + 1 + in->jf;
		return out[0] == out[1] ? 1 : 2;
	}
	out[0] = pc + 1;
	return 1;
}

static int is_ancillary_xor(const struct bpfcap_insn *in)
{
	return CBPF_CLASS(in->code) == CBPF_LD && CBPF_MODE(in->code) == CBPF_ABS &&
	       in->k == (uint32_t)(CBPF_SKF_AD_OFF + CBPF_SKF_AD_ALU_XOR_X);
}

/* Slots (A, X, M[k]) an instruction reads and writes, as cBPF means it. */
static void slots(const struct bpfcap_insn *in, uint32_t *use, uint32_t *def)
{
	uint16_t c = in->code;
	uint32_t m = in->k < CBPF_MEMWORDS ? TX_SLOT_M(in->k) : 0;
	*use = *def = 0;
	switch (CBPF_CLASS(c)) {
	case CBPF_LD:
		*def = TX_SLOT_A;
		if (CBPF_MODE(c) == CBPF_IND)
			*use = TX_SLOT_X;
		else if (CBPF_MODE(c) == CBPF_MEM)
			*use = m;
		else if (is_ancillary_xor(in))
			*use = TX_SLOT_A | TX_SLOT_X;
		break;
	case CBPF_LDX:
		*def = TX_SLOT_X;
		if (CBPF_MODE(c) == CBPF_MEM)
			*use = m;
		break;
	case CBPF_ST: *use = TX_SLOT_A; *def = m; break;
	case CBPF_STX: *use = TX_SLOT_X; *def = m; break;
	case CBPF_ALU:
		*use = TX_SLOT_A | (CBPF_SRC(c) == CBPF_X && CBPF_OP(c) != CBPF_NEG ? TX_SLOT_X : 0);
		*def = TX_SLOT_A;
		break;
	case CBPF_JMP:
		if (CBPF_OP(c) != CBPF_JA)
			*use = TX_SLOT_A | (CBPF_SRC(c) == CBPF_X ? TX_SLOT_X : 0);
		break;
	case CBPF_RET: *use = CBPF_RVAL(c) == CBPF_A ? TX_SLOT_A : 0; break;
	case CBPF_MISC:
		if (CBPF_MISCOP(c) == CBPF_TAX) {
			*use = TX_SLOT_A;
			*def = TX_SLOT_X;
		} else {
			*use = TX_SLOT_X;
			*def = TX_SLOT_A;
		}
		break;
	}
}

/* Reachability, stretch leaders (0 and jump targets) and the one
 * predecessor of each instruction that has exactly one. */
static int control_flow(struct tx *tx)
{
	size_t len = tx->len, s[2];
	uint8_t *npred = calloc(len, 1); /* 0, 1, 2 = several */
	if (!npred)
		return bpfcap_fail(tx->err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
	for (size_t pc = 0; pc < len; pc++)
		tx->only_pred[pc] = SIZE_MAX;
	tx->reach[0] = tx->leader[0] = 1;
	for (size_t pc = 0; pc < len; pc++) {
		if (!tx->reach[pc])
			continue;
		size_t n = successors(tx, pc, s);
		int jump = CBPF_CLASS(tx->in[pc].code) == CBPF_JMP;
		for (size_t i = 0; i < n; i++) {
			tx->reach[s[i]] = 1;
			if (jump)
				tx->leader[s[i]] = 1;
			if (npred[s[i]] < 2)
				npred[s[i]]++;
			tx->only_pred[s[i]] = npred[s[i]] == 1 ? pc : SIZE_MAX;
		}
	}
	free(npred);
	return 0;
}

/* Liveness of A and X after each instruction (backwards): LDX MSH on the
 * socket target keeps A across its LD_ABS only if A is read later. */
static void liveness(struct tx *tx, uint32_t *live_in)
{
	size_t s[2];
	for (size_t pc = tx->len; pc-- > 0;) {
		uint32_t use, def, out = 0;
		live_in[pc] = 0;
		if (!tx->reach[pc])
			continue;
		size_t n = successors(tx, pc, s);
		for (size_t i = 0; i < n; i++)
			out |= live_in[s[i]];
		slots(&tx->in[pc], &use, &def);
		tx->live_out[pc] = out & (TX_SLOT_A | TX_SLOT_X);
		live_in[pc] = (out & ~def) | use;
	}
}

/* The slots some path may read before writing them (forwards, must-be-
 * written).  A and X start at 0 in cBPF (libpcap and the kernel).  M[]
 * does not: libpcap's bpf_filter leaves it uninitialised and the kernel
 * refuses a classic program that may read an unwritten word
 * (check_load_and_stores); eBPF verifiers refuse reading uninitialised
 * registers and stack.  The prologue zeroes exactly these slots. */
static void read_before_written(struct tx *tx, uint32_t *written)
{
	size_t s[2];
	for (size_t pc = 0; pc < tx->len; pc++)
		written[pc] = ~0u;
	written[0] = 0;
	tx->init = 0;
	for (size_t pc = 0; pc < tx->len; pc++) {
		uint32_t use, def;
		if (!tx->reach[pc])
			continue;
		slots(&tx->in[pc], &use, &def);
		if (tx->target == EBPF_TARGET_SOCKET &&
		    tx->in[pc].code == (CBPF_LDX | CBPF_B | CBPF_MSH) &&
		    (tx->live_out[pc] & TX_SLOT_A))
			use |= TX_SLOT_A; /* r8 = r0 before the LD_ABS */
		tx->init |= use & ~written[pc];
		size_t n = successors(tx, pc, s);
		for (size_t i = 0; i < n; i++)
			written[s[i]] &= written[pc] | def;
	}
}

/* X known small on every path (it starts at 0; LDX MSH gives at most 60,
 * LDX IMM its constant): an LD IND then cannot reach a negative offset,
 * and the direct target leaves out the SKF_*_OFF resolution. */
static void x_small(struct tx *tx)
{
	size_t s[2];
	memset(tx->x_small, 1, tx->len);
	for (size_t pc = 0; pc < tx->len; pc++) {
		const struct bpfcap_insn *in = &tx->in[pc];
		uint32_t use, def;
		if (!tx->reach[pc])
			continue;
		slots(in, &use, &def);
		int small = tx->x_small[pc];
		if (def & TX_SLOT_X)
			small = in->code == (CBPF_LDX | CBPF_B | CBPF_MSH) ||
				(in->code == (CBPF_LDX | CBPF_W | CBPF_IMM) && in->k <= TX_X_SMALL);
		size_t n = successors(tx, pc, s);
		for (size_t i = 0; i < n; i++)
			tx->x_small[s[i]] &= (uint8_t)small;
	}
}

/* Direct target: the bytes each straight-line stretch (a leader up to the
 * next jump, return, or leader) reads at constant offsets, for its one
 * bounds check (translate_load.c). */
static void stretch_needs(struct tx *tx)
{
	for (size_t pc = 0; pc < tx->len; pc++) {
		if (!tx->reach[pc] || !tx->leader[pc])
			continue;
		uint32_t need = 0, end;
		for (size_t j = pc; j < tx->len; j++) {
			if (j > pc && (tx->leader[j] || !tx->reach[j]))
				break;
			const struct bpfcap_insn *in = &tx->in[j];
			if (tx_const_load(tx, in, &end) && end > need)
				need = end;
			if (CBPF_CLASS(in->code) == CBPF_JMP || CBPF_CLASS(in->code) == CBPF_RET ||
			    tx_load_always_fails(tx, in))
				break;
		}
		tx->stretch_need[pc] = need;
	}
}

int tx_analyse(struct tx *tx)
{
	size_t len = tx->len;
	uint32_t *scratch = malloc(len * sizeof *scratch);
	tx->reach = calloc(len, 1);
	tx->leader = calloc(len, 1);
	tx->live_out = calloc(len, sizeof *tx->live_out);
	tx->stretch_need = calloc(len, sizeof *tx->stretch_need);
	tx->x_small = malloc(len);
	tx->only_pred = malloc(len * sizeof *tx->only_pred);
	tx->checked_out = calloc(len, sizeof *tx->checked_out);
	if (!scratch || !tx->reach || !tx->leader || !tx->live_out || !tx->stretch_need ||
	    !tx->x_small || !tx->only_pred || !tx->checked_out) {
		free(scratch);
		return bpfcap_fail(tx->err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
	}
	int rc = control_flow(tx);
	if (!rc) {
		liveness(tx, scratch);
		read_before_written(tx, scratch);
		x_small(tx);
		stretch_needs(tx);
	}
	free(scratch);
	return rc;
}
