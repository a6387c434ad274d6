#include "cbpf.h"
#include "cbpf_ref.h"

/* The kernel answers an ancillary load whatever its size (BPF_W, H, B):
 * net/core/filter.c converts all three the same way. */
static int ancillary(uint32_t k, uint32_t A, uint32_t X, const struct ref_meta *rm,
		     uint32_t *out)
{
	const struct bpfcap_pkt_meta *m = &rm->m;
	switch (k - (uint32_t)CBPF_SKF_AD_OFF) {
	case CBPF_SKF_AD_PROTOCOL: *out = m->protocol & 0xffff; return 1;
	case CBPF_SKF_AD_PKTTYPE: *out = m->pkt_type; return 1;
	case CBPF_SKF_AD_IFINDEX: *out = m->ifindex; return 1;
	case CBPF_SKF_AD_MARK: *out = m->mark; return 1;
	case CBPF_SKF_AD_QUEUE: *out = m->queue & 0xffff; return 1;
	case CBPF_SKF_AD_HATYPE: *out = m->hatype; return 1;
	case CBPF_SKF_AD_RXHASH: *out = m->hash; return 1;
	case CBPF_SKF_AD_CPU: *out = rm->cpu; return 1;
	case CBPF_SKF_AD_ALU_XOR_X: *out = A ^ X; return 1;
	case CBPF_SKF_AD_VLAN_TAG: *out = m->vlan_tci & 0xffff; return 1;
	case CBPF_SKF_AD_VLAN_TAG_PRESENT: *out = m->vlan_present ? 1 : 0; return 1;
	case CBPF_SKF_AD_RANDOM: *out = rm->random; return 1;
	case CBPF_SKF_AD_VLAN_TPID: *out = m->vlan_tpid & 0xffff; return 1;
	default: return 0; /* NLATTR, NLATTR_NEST, PAY_OFFSET, unknown */
	}
}

/* The kernel's offset rules (bpf_internal_load_pointer_neg_helper): the
 * signed offset off to a position in the packet, or 0 if none. */
static int kernel_offset(int32_t off, const struct ref_meta *rm, uint64_t *pos)
{
	if (off >= 0)
		*pos = (uint64_t)off;
	else if (off >= CBPF_SKF_NET_OFF)
		*pos = (uint64_t)rm->m.net_off + (uint64_t)(off - CBPF_SKF_NET_OFF);
	else if (off >= CBPF_SKF_LL_OFF)
		*pos = (uint64_t)(off - CBPF_SKF_LL_OFF);
	else
		return 0;
	return 1;
}

static int load(const uint8_t *p, uint32_t caplen, uint64_t off, int size, uint32_t *out)
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

/* Where a load of k (+ X for LD IND) starts: libpcap's unsigned rule
 * without metadata (X + k must not overflow), the kernel's signed 32-bit
 * one with it. */
static int packet_offset(uint32_t k, uint32_t X, const struct ref_meta *meta, uint64_t *pos)
{
	if (meta)
		return kernel_offset((int32_t)(X + k), meta, pos);
	*pos = (uint64_t)X + k;
	return *pos <= UINT32_MAX;
}

/* Ends the run on a failed load. */
#define LOAD_FAILED() do { *load_failed = 1; return 0; } while (0)

static uint32_t run(const struct bpf_insn *prog, const uint8_t *pkt, uint32_t caplen,
		    uint32_t wirelen, const struct ref_meta *meta, int *load_failed)
{
	uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = { 0 }, v;
	uint64_t pos;
	*load_failed = 0;
	for (const struct bpf_insn *pc = prog;; pc++) {
		uint16_t c = pc->code;
		switch (BPF_CLASS(c)) {
		case BPF_RET:
			return BPF_RVAL(c) == BPF_A ? A : pc->k;
		case BPF_LD:
			switch (BPF_MODE(c)) {
			case BPF_ABS:
				if (meta && pc->k >= (uint32_t)CBPF_SKF_AD_OFF) {
					if (!ancillary(pc->k, A, X, meta, &A))
						LOAD_FAILED();
					break;
				}
				if (!packet_offset(pc->k, 0, meta, &pos) ||
				    !load(pkt, caplen, pos, size_of(c), &A))
					LOAD_FAILED();
				break;
			case BPF_IND:
				if (!packet_offset(pc->k, X, meta, &pos) ||
				    !load(pkt, caplen, pos, size_of(c), &A))
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
				if (!packet_offset(pc->k, 0, meta, &pos) ||
				    !load(pkt, caplen, pos, 1, &v))
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
