#include "cbpf.h"
#include "cbpf_ref.h"

/* The kernel answers an ancillary load whatever its size (BPF_W, H, B):
 * net/core/filter.c converts all three the same way. */
static int ancillary(int32_t k, const struct ref_meta *m, uint32_t *out)
{
	switch (k - CBPF_SKF_AD_OFF) {
	case CBPF_SKF_AD_PROTOCOL: *out = m->protocol; return 1;
	case CBPF_SKF_AD_PKTTYPE: *out = m->pkttype; return 1;
	case CBPF_SKF_AD_IFINDEX: *out = m->ifindex; return 1;
	case CBPF_SKF_AD_VLAN_TAG: *out = m->vlan_tci; return 1;
	case CBPF_SKF_AD_VLAN_TAG_PRESENT: *out = m->vlan_present ? 1 : 0; return 1;
	case CBPF_SKF_AD_VLAN_TPID: *out = m->vlan_tpid; return 1;
	default: return 0;
	}
}

static int load(const uint8_t *p, uint32_t caplen, uint32_t off, int size, uint32_t *out)
{
	if (off > caplen || (uint32_t)size > caplen - off)
		return 0;
	if (size == 4)
		*out = (uint32_t)p[off] << 24 | (uint32_t)p[off + 1] << 16 | (uint32_t)p[off + 2] << 8 | p[off + 3];
	else if (size == 2)
		*out = (uint32_t)p[off] << 8 | p[off + 1];
	else
		*out = p[off];
	return 1;
}

static int size_of(uint16_t code)
{
	return BPF_SIZE(code) == BPF_W ? 4 : BPF_SIZE(code) == BPF_H ? 2 : 1;
}

static uint32_t run(const struct bpf_insn *prog, const uint8_t *pkt, uint32_t caplen,
		    uint32_t wirelen, const struct ref_meta *meta, int *load_failed);

uint32_t ref_run(const struct bpf_insn *prog, const uint8_t *pkt, uint32_t caplen,
		 uint32_t wirelen, const struct ref_meta *meta)
{
	int failed;
	return run(prog, pkt, caplen, wirelen, meta, &failed);
}

uint32_t ref_run_checked(const struct bpf_insn *prog, const uint8_t *pkt, uint32_t caplen,
			 uint32_t wirelen, int *load_failed)
{
	return run(prog, pkt, caplen, wirelen, NULL, load_failed);
}

/* Ends the run on a failed load. */
#define LOAD_FAILED() do { *load_failed = 1; return 0; } while (0)

static uint32_t run(const struct bpf_insn *prog, const uint8_t *pkt, uint32_t caplen,
		    uint32_t wirelen, const struct ref_meta *meta, int *load_failed)
{
	uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = { 0 }, v;
	*load_failed = 0;
	for (const struct bpf_insn *pc = prog;; pc++) {
		uint16_t c = pc->code;
		switch (BPF_CLASS(c)) {
		case BPF_RET:
			return BPF_RVAL(c) == BPF_A ? A : pc->k;
		case BPF_LD:
			switch (BPF_MODE(c)) {
			case BPF_ABS:
				if ((int32_t)pc->k < 0) {
					if (!meta || !ancillary((int32_t)pc->k, meta, &A))
						LOAD_FAILED();
					break;
				}
				if (!load(pkt, caplen, pc->k, size_of(c), &A))
					LOAD_FAILED();
				break;
			case BPF_IND:
				if (!load(pkt, caplen, X + pc->k, size_of(c), &A) || X + pc->k < X)
					LOAD_FAILED();
				break;
			case BPF_LEN: A = wirelen; break;
			case BPF_IMM: A = pc->k; break;
			case BPF_MEM: A = M[pc->k & 15]; break;
			default: return 0;
			}
			break;
		case BPF_LDX:
			switch (BPF_MODE(c)) {
			case BPF_IMM: X = pc->k; break;
			case BPF_MEM: X = M[pc->k & 15]; break;
			case BPF_LEN: X = wirelen; break;
			case BPF_MSH:
				if (!load(pkt, caplen, pc->k, 1, &v))
					LOAD_FAILED();
				X = (v & 0xf) << 2;
				break;
			default: return 0;
			}
			break;
		case BPF_ST: M[pc->k & 15] = A; break;
		case BPF_STX: M[pc->k & 15] = X; break;
		case BPF_ALU: {
			uint32_t o = BPF_SRC(c) == BPF_X ? X : pc->k;
			switch (BPF_OP(c)) {
			case BPF_ADD: A += o; break;
			case BPF_SUB: A -= o; break;
			case BPF_MUL: A *= o; break;
			case BPF_DIV: if (!o) return 0; A /= o; break;
			case BPF_MOD: if (!o) return 0; A %= o; break;
			case BPF_AND: A &= o; break;
			case BPF_OR: A |= o; break;
			case BPF_XOR: A ^= o; break;
			case BPF_LSH: A = o < 32 ? A << o : 0; break;
			case BPF_RSH: A = o < 32 ? A >> o : 0; break;
			case BPF_NEG: A = -A; break;
			default: return 0;
			}
			break;
		}
		case BPF_JMP: {
			uint32_t o = BPF_SRC(c) == BPF_X ? X : pc->k;
			int taken;
			switch (BPF_OP(c)) {
			case BPF_JA: pc += pc->k; continue;
			case BPF_JEQ: taken = A == o; break;
			case BPF_JGT: taken = A > o; break;
			case BPF_JGE: taken = A >= o; break;
			case BPF_JSET: taken = (A & o) != 0; break;
			default: return 0;
			}
			pc += taken ? pc->jt : pc->jf;
			break;
		}
		case BPF_MISC:
			if (BPF_MISCOP(c) == BPF_TAX)
				X = A;
			else
				A = X;
			break;
		}
	}
}
