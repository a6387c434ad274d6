/* The eBPF interpreter (see interp.h).  A switch on the whole opcode;
 * arithmetic in uint64_t so that overflow wraps as the ISA says, never as
 * C's undefined behaviour. */
#include <string.h>

#include "error.h"
#include "interp.h"
#include "cbpf.h" /* SKF_NET_OFF, SKF_LL_OFF: Linux negative packet offsets */

struct frame {
	size_t ret_pc;        /* instruction after the call */
	uint64_t saved[5];    /* caller's r6-r10 */
};

struct vm {
	const struct ebpf_run_env *env;
	uintptr_t stack_lo, stack_hi;   /* every frame's stack, [lo, hi) */
};

const char *ebpf_fault_name(enum ebpf_fault f)
{
	switch (f) {
	case EBPF_FAULT_NONE: return "none";
	case EBPF_FAULT_INSN: return "bad instruction";
	case EBPF_FAULT_MEMORY: return "memory access out of bounds";
	case EBPF_FAULT_JUMP: return "jump out of the program";
	case EBPF_FAULT_HELPER: return "unknown helper";
	case EBPF_FAULT_CALL_DEPTH: return "call depth";
	case EBPF_FAULT_BUDGET: return "instruction budget exhausted";
	}
	return "?";
}

/* The host address of [addr, addr + size) if one region (or the stack)
 * holds it all, else NULL. */
static void *mem_at(const struct vm *vm, uint64_t addr, unsigned size, int write)
{
	if (addr >= vm->stack_lo && addr <= vm->stack_hi - size)
		return (void *)(uintptr_t)addr;
	for (size_t i = 0; i < vm->env->nregions; i++) {
		const struct ebpf_region *r = &vm->env->regions[i];
		uintptr_t base = (uintptr_t)r->base;
		if (r->len < size || addr < base || addr - base > r->len - size)
			continue;
		if (write && !r->writable)
			continue;
		return (void *)(uintptr_t)addr;
	}
	return NULL;
}

static uint64_t load_n(const void *p, unsigned size)
{
	switch (size) {
	case 1: { uint8_t v; memcpy(&v, p, 1); return v; }
	case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
	case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
	default: { uint64_t v; memcpy(&v, p, 8); return v; }
	}
}

static void store_n(void *p, unsigned size, uint64_t v)
{
	switch (size) {
	case 1: { uint8_t b = (uint8_t)v; memcpy(p, &b, 1); break; }
	case 2: { uint16_t h = (uint16_t)v; memcpy(p, &h, 2); break; }
	case 4: { uint32_t w = (uint32_t)v; memcpy(p, &w, 4); break; }
	default: memcpy(p, &v, 8); break;
	}
}

static uint64_t sext(uint64_t v, unsigned bits)
{
	if (bits >= 64)
		return v;
	uint64_t m = UINT64_C(1) << (bits - 1);
	v &= (UINT64_C(1) << bits) - 1;
	return (v ^ m) - m;
}

static uint64_t bswap(uint64_t v, int bits)
{
	switch (bits) {
	case 16: return __builtin_bswap16((uint16_t)v);
	case 32: return __builtin_bswap32((uint32_t)v);
	default: return __builtin_bswap64(v);
	}
}

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_LE 1
#else
#define HOST_LE 0
#endif

/* dst OP src on 64 bits (ALU64); off selects signed DIV/MOD and MOVSX.
 * Returns -1 for an operation that does not exist. */
static int alu64(uint8_t op, int16_t off, uint64_t *dst, uint64_t src)
{
	uint64_t d = *dst;
	switch (op) {
	case EBPF_ADD: d += src; break;
	case EBPF_SUB: d -= src; break;
	case EBPF_MUL: d *= src; break;
	case EBPF_DIV:
		if (off == 0) {
			d = src ? d / src : 0;
		} else if (off == EBPF_OFF_SIGNED) {
			int64_t a = (int64_t)d, b = (int64_t)src;
			if (b == 0)
				d = 0;
			else if (b == -1)
				d = -d;  /* INT64_MIN / -1 = INT64_MIN */
			else
				d = (uint64_t)(a / b);
		} else {
			return -1;
		}
		break;
	case EBPF_MOD:
		if (off == 0) {
			d = src ? d % src : d;
		} else if (off == EBPF_OFF_SIGNED) {
			int64_t a = (int64_t)d, b = (int64_t)src;
			if (b == -1)
				d = 0;
			else if (b != 0)
				d = (uint64_t)(a % b);
		} else {
			return -1;
		}
		break;
	case EBPF_OR: d |= src; break;
	case EBPF_AND: d &= src; break;
	case EBPF_XOR: d ^= src; break;
	case EBPF_LSH: d <<= (src & 63); break;
	case EBPF_RSH: d >>= (src & 63); break;
	case EBPF_ARSH: {
		unsigned n = (unsigned)(src & 63);
		/* Arithmetic shift without relying on >> of a negative value. */
		d = (d >> n) | ((d >> 63) && n ? ~(UINT64_MAX >> n) : 0);
		break;
	}
	case EBPF_NEG: d = -d; break;
	case EBPF_MOV:
		if (off == 0)
			d = src;
		else if (off == 8 || off == 16 || off == 32)
			d = sext(src, (unsigned)off);
		else
			return -1;
		break;
	default:
		return -1;
	}
	if ((op == EBPF_DIV || op == EBPF_MOD || op == EBPF_MOV) ? 0 : off != 0)
		return -1;
	*dst = d;
	return 0;
}

/* The same on 32 bits (ALU); the result is zero-extended. */
static int alu32(uint8_t op, int16_t off, uint64_t *dst, uint64_t src64)
{
	uint32_t d = (uint32_t)*dst, s = (uint32_t)src64;
	switch (op) {
	case EBPF_ADD: d += s; break;
	case EBPF_SUB: d -= s; break;
	case EBPF_MUL: d *= s; break;
	case EBPF_DIV:
		if (off == 0) {
			d = s ? d / s : 0;
		} else if (off == EBPF_OFF_SIGNED) {
			int32_t a = (int32_t)d, b = (int32_t)s;
			if (b == 0)
				d = 0;
			else if (b == -1)
				d = -d;
			else
				d = (uint32_t)(a / b);
		} else {
			return -1;
		}
		break;
	case EBPF_MOD:
		if (off == 0) {
			d = s ? d % s : d;
		} else if (off == EBPF_OFF_SIGNED) {
			int32_t a = (int32_t)d, b = (int32_t)s;
			if (b == -1)
				d = 0;
			else if (b != 0)
				d = (uint32_t)(a % b);
		} else {
			return -1;
		}
		break;
	case EBPF_OR: d |= s; break;
	case EBPF_AND: d &= s; break;
	case EBPF_XOR: d ^= s; break;
	case EBPF_LSH: d <<= (s & 31); break;
	case EBPF_RSH: d >>= (s & 31); break;
	case EBPF_ARSH: {
		unsigned n = s & 31;
		d = (d >> n) | ((d >> 31) && n ? ~(UINT32_MAX >> n) : 0);
		break;
	}
	case EBPF_NEG: d = -d; break;
	case EBPF_MOV:
		if (off == 0)
			d = s;
		else if (off == 8 || off == 16)
			d = (uint32_t)sext(s, (unsigned)off);
		else
			return -1;
		break;
	default:
		return -1;
	}
	if ((op == EBPF_DIV || op == EBPF_MOD || op == EBPF_MOV) ? 0 : off != 0)
		return -1;
	*dst = d;
	return 0;
}

/* The condition of a conditional jump; -1 for an unknown one. */
static int cond64(uint8_t op, uint64_t a, uint64_t b)
{
	switch (op) {
	case EBPF_JEQ: return a == b;
	case EBPF_JNE: return a != b;
	case EBPF_JGT: return a > b;
	case EBPF_JGE: return a >= b;
	case EBPF_JLT: return a < b;
	case EBPF_JLE: return a <= b;
	case EBPF_JSET: return (a & b) != 0;
	case EBPF_JSGT: return (int64_t)a > (int64_t)b;
	case EBPF_JSGE: return (int64_t)a >= (int64_t)b;
	case EBPF_JSLT: return (int64_t)a < (int64_t)b;
	case EBPF_JSLE: return (int64_t)a <= (int64_t)b;
	}
	return -1;
}

static int cond32(uint8_t op, uint32_t a, uint32_t b)
{
	switch (op) {
	case EBPF_JSGT: return (int32_t)a > (int32_t)b;
	case EBPF_JSGE: return (int32_t)a >= (int32_t)b;
	case EBPF_JSLT: return (int32_t)a < (int32_t)b;
	case EBPF_JSLE: return (int32_t)a <= (int32_t)b;
	}
	return cond64(op, a, b);
}

/* Atomic operation imm on *p (size 4 or 8) with regs.  Single-threaded, so
 * plain loads and stores are atomic enough.  -1 for an unknown operation. */
static int atomic_op(int32_t imm, void *p, unsigned size, uint64_t *src, uint64_t *r0)
{
	uint64_t mask = size == 4 ? UINT32_MAX : UINT64_MAX;
	uint64_t old = load_n(p, size), val = *src & mask, nv;
	switch (imm & ~EBPF_FETCH) {
	case EBPF_ADD: nv = old + val; break;
	case EBPF_OR: nv = old | val; break;
	case EBPF_AND: nv = old & val; break;
	case EBPF_XOR: nv = old ^ val; break;
	case EBPF_XCHG & ~EBPF_FETCH:
		if (!(imm & EBPF_FETCH))
			return -1;
		nv = val;
		break;
	case EBPF_CMPXCHG & ~EBPF_FETCH:
		if (!(imm & EBPF_FETCH))
			return -1;
		nv = (*r0 & mask) == old ? val : old;
		store_n(p, size, nv);
		*r0 = old;
		return 0;
	default:
		return -1;
	}
	store_n(p, size, nv);
	if (imm & EBPF_FETCH)
		*src = old;
	return 0;
}

#define FAULT(kind, ...)                                                         \
	do {                                                                     \
		res->fault = (kind);                                             \
		res->pc = pc;                                                    \
		res->steps = steps;                                              \
		return bpfcap_fail(err, (kind) == EBPF_FAULT_BUDGET ? BPFCAP_E_TOOBIG \
								     : BPFCAP_E_INVALID, \
				   -1, 0, __VA_ARGS__);                          \
	} while (0)

int ebpf_run(const struct ebpf_insn *prog, size_t len, const struct ebpf_run_env *env,
	     struct ebpf_run_result *res, struct bpfcap_error *err)
{
	static const struct ebpf_run_env no_env;
	if (!env)
		env = &no_env;
	uint8_t stack[EBPF_MAX_CALL_FRAMES * EBPF_STACK_SIZE];
	struct frame frames[EBPF_MAX_CALL_FRAMES];
	size_t depth = 0;
	struct vm vm = {
		.env = env,
		.stack_lo = (uintptr_t)stack,
		.stack_hi = (uintptr_t)stack + sizeof stack,
	};
	memset(stack + sizeof stack - EBPF_STACK_SIZE, 0, EBPF_STACK_SIZE);

	uint64_t reg[16] = { 0 };
	reg[1] = env->r1;
	reg[2] = env->r2;
	reg[EBPF_REG_10] = vm.stack_hi;

	uint64_t budget = env->budget ? env->budget : EBPF_DEFAULT_BUDGET;
	uint64_t steps = 0;
	size_t pc = 0;
	memset(res, 0, sizeof *res);

	for (;;) {
		if (pc >= len)
			FAULT(EBPF_FAULT_JUMP, "insn %zu: execution past the end of the program (%zu insns)",
			      pc, len);
		if (steps >= budget)
			FAULT(EBPF_FAULT_BUDGET, "insn %zu: instruction budget of %llu exhausted", pc,
			      (unsigned long long)budget);
		steps++;
		const struct ebpf_insn *in = &prog[pc];
		uint8_t code = in->code;
		uint8_t cls = EBPF_CLASS(code);
		/* (The src of LD_IMM64 and CALL is a kind, not a register, but
		 * every valid kind is below EBPF_NREGS too.) */
		if (in->dst >= EBPF_NREGS || in->src >= EBPF_NREGS)
			FAULT(EBPF_FAULT_INSN, "insn %zu: register r%u or r%u does not exist", pc, in->dst,
			      in->src);
		uint64_t *dst = &reg[in->dst];
		uint64_t src = reg[in->src];
		size_t next = pc + 1;

		switch (cls) {
		case EBPF_ALU64:
		case EBPF_ALU: {
			uint8_t op = EBPF_OP(code);
			if (op == EBPF_END) {
				int bits = in->imm;
				if ((bits != 16 && bits != 32 && bits != 64) || in->off || in->src)
					FAULT(EBPF_FAULT_INSN, "insn %zu: bad byte swap (code 0x%02x, imm %d)",
					      pc, code, in->imm);
				int swap;
				if (cls == EBPF_ALU64) {
					if (EBPF_SRC(code) != EBPF_TO_LE)
						FAULT(EBPF_FAULT_INSN, "insn %zu: bad byte swap (code 0x%02x)", pc, code);
					swap = 1;
				} else {
					swap = (EBPF_SRC(code) == EBPF_TO_BE) == HOST_LE;
				}
				uint64_t v = swap ? bswap(*dst, bits) : *dst;
				*dst = bits == 64 ? v : v & ((UINT64_C(1) << bits) - 1);
				break;
			}
			uint64_t s;
			if (EBPF_SRC(code) == EBPF_X) {
				if (op == EBPF_NEG)
					FAULT(EBPF_FAULT_INSN, "insn %zu: NEG with a register source", pc);
				s = src;
			} else {
				if (in->src)
					FAULT(EBPF_FAULT_INSN, "insn %zu: src register set with an immediate operand", pc);
				s = (uint64_t)(int64_t)in->imm;
			}
			if (op == EBPF_MOV && in->off && EBPF_SRC(code) != EBPF_X)
				FAULT(EBPF_FAULT_INSN, "insn %zu: MOVSX takes a register", pc);
			int rc = cls == EBPF_ALU64 ? alu64(op, in->off, dst, s) : alu32(op, in->off, dst, s);
			if (rc)
				FAULT(EBPF_FAULT_INSN, "insn %zu: bad ALU instruction (code 0x%02x, off %d)", pc,
				      code, in->off);
			break;
		}

		case EBPF_JMP:
		case EBPF_JMP32: {
			uint8_t op = EBPF_OP(code);
			if (op == EBPF_EXIT) {
				if (cls != EBPF_JMP || code != EBPF_OP_EXIT)
					FAULT(EBPF_FAULT_INSN, "insn %zu: bad EXIT (code 0x%02x)", pc, code);
				if (depth == 0) {
					res->r0 = reg[0];
					res->pc = pc;
					res->steps = steps;
					return 0;
				}
				depth--;
				memcpy(&reg[EBPF_REG_6], frames[depth].saved, sizeof frames[depth].saved);
				next = frames[depth].ret_pc;
				break;
			}
			if (op == EBPF_CALL) {
				if (cls != EBPF_JMP)
					FAULT(EBPF_FAULT_INSN, "insn %zu: bad CALL (code 0x%02x)", pc, code);
				uint64_t id;
				if (EBPF_SRC(code) == EBPF_X) {
					id = *dst;  /* callx */
				} else if (in->src == EBPF_PSEUDO_CALL) {
					if (depth + 1 >= EBPF_MAX_CALL_FRAMES)
						FAULT(EBPF_FAULT_CALL_DEPTH, "insn %zu: more than %d nested calls", pc,
						      EBPF_MAX_CALL_FRAMES);
					int64_t target = (int64_t)pc + 1 + in->imm;
					if (target < 0 || (uint64_t)target >= len)
						FAULT(EBPF_FAULT_JUMP, "insn %zu: call to %lld, outside the program",
						      pc, (long long)target);
					frames[depth].ret_pc = next;
					memcpy(frames[depth].saved, &reg[EBPF_REG_6], sizeof frames[depth].saved);
					depth++;
					reg[EBPF_REG_10] = vm.stack_hi - depth * EBPF_STACK_SIZE;
					memset((void *)(uintptr_t)(reg[EBPF_REG_10] - EBPF_STACK_SIZE), 0,
					       EBPF_STACK_SIZE);
					next = (size_t)target;
					break;
				} else if (in->src == EBPF_PSEUDO_HELPER) {
					id = (uint32_t)in->imm;
				} else {
					FAULT(EBPF_FAULT_INSN, "insn %zu: CALL of kind %u not supported", pc, in->src);
				}
				if (id >= env->nhelpers || !env->helpers || !env->helpers[id])
					FAULT(EBPF_FAULT_HELPER, "insn %zu: call to unknown helper %llu", pc,
					      (unsigned long long)id);
				reg[0] = env->helpers[id](env->helper_user, reg[1], reg[2], reg[3], reg[4],
							  reg[5]);
				break;
			}
			int64_t rel;
			if (op == EBPF_JA) {
				if (EBPF_SRC(code) != EBPF_K)
					FAULT(EBPF_FAULT_INSN, "insn %zu: bad JA (code 0x%02x)", pc, code);
				rel = cls == EBPF_JMP ? in->off : in->imm;
			} else {
				if (EBPF_SRC(code) == EBPF_K && in->src)
					FAULT(EBPF_FAULT_INSN, "insn %zu: src register set with an immediate operand", pc);
				uint64_t b = EBPF_SRC(code) == EBPF_X ? src : (uint64_t)(int64_t)in->imm;
				int c = cls == EBPF_JMP ? cond64(op, *dst, b)
							: cond32(op, (uint32_t)*dst, (uint32_t)b);
				if (c < 0)
					FAULT(EBPF_FAULT_INSN, "insn %zu: bad jump (code 0x%02x)", pc, code);
				rel = c ? in->off : 0;
			}
			int64_t target = (int64_t)pc + 1 + rel;
			if (target < 0 || (uint64_t)target >= len)
				FAULT(EBPF_FAULT_JUMP, "insn %zu: jump to %lld, outside the program", pc,
				      (long long)target);
			next = (size_t)target;
			break;
		}

		case EBPF_LDX: {
			uint8_t mode = EBPF_MODE(code);
			unsigned size = ebpf_size_bytes(code);
			if ((mode != EBPF_MEM && mode != EBPF_MEMSX) || (mode == EBPF_MEMSX && size == 8) ||
			    in->imm)
				FAULT(EBPF_FAULT_INSN, "insn %zu: bad LDX (code 0x%02x)", pc, code);
			uint64_t addr = src + (uint64_t)(int64_t)in->off;
			void *p = mem_at(&vm, addr, size, 0);
			if (!p)
				FAULT(EBPF_FAULT_MEMORY, "insn %zu: load of %u bytes at 0x%llx out of bounds", pc,
				      size, (unsigned long long)addr);
			uint64_t v = load_n(p, size);
			*dst = mode == EBPF_MEMSX ? sext(v, size * 8) : v;
			break;
		}

		case EBPF_ST:
		case EBPF_STX: {
			uint8_t mode = EBPF_MODE(code);
			unsigned size = ebpf_size_bytes(code);
			uint64_t addr = *dst + (uint64_t)(int64_t)in->off;
			if (mode == EBPF_ATOMIC && cls == EBPF_STX) {
				if (in->imm == EBPF_LOAD_ACQ) {
					void *p = mem_at(&vm, src + (uint64_t)(int64_t)in->off, size, 0);
					if (!p)
						FAULT(EBPF_FAULT_MEMORY, "insn %zu: load-acquire out of bounds", pc);
					*dst = load_n(p, size);
					break;
				}
				void *p = mem_at(&vm, addr, size, 1);
				if (!p)
					FAULT(EBPF_FAULT_MEMORY, "insn %zu: atomic of %u bytes at 0x%llx out of bounds",
					      pc, size, (unsigned long long)addr);
				if (in->imm == EBPF_STORE_REL) {
					store_n(p, size, src);
					break;
				}
				if ((size != 4 && size != 8) ||
				    atomic_op(in->imm, p, size, &reg[in->src], &reg[0]))
					FAULT(EBPF_FAULT_INSN, "insn %zu: bad atomic (code 0x%02x, imm 0x%x)", pc,
					      code, (unsigned)in->imm);
				break;
			}
			if (mode != EBPF_MEM || (cls == EBPF_ST && in->src) || (cls == EBPF_STX && in->imm))
				FAULT(EBPF_FAULT_INSN, "insn %zu: bad store (code 0x%02x)", pc, code);
			void *p = mem_at(&vm, addr, size, 1);
			if (!p)
				FAULT(EBPF_FAULT_MEMORY, "insn %zu: store of %u bytes at 0x%llx out of bounds", pc,
				      size, (unsigned long long)addr);
			store_n(p, size, cls == EBPF_ST ? (uint64_t)(int64_t)in->imm : src);
			break;
		}

		case EBPF_LD: {
			if (code == EBPF_OP_LD_IMM64) {
				if (pc + 1 >= len || prog[pc + 1].code || prog[pc + 1].dst || prog[pc + 1].src ||
				    prog[pc + 1].off)
					FAULT(EBPF_FAULT_INSN, "insn %zu: LD_IMM64 without its second slot", pc);
				if (in->src == EBPF_PSEUDO_MAP_FD) {
					if (in->imm < 0 || (size_t)in->imm >= env->nmaps || prog[pc + 1].imm)
						FAULT(EBPF_FAULT_INSN,
						      "insn %zu: map reference %d is not in the run's table of %zu",
						      pc, in->imm, env->nmaps);
					*dst = env->map_addrs[in->imm];
					next = pc + 2;
					break;
				}
				if (in->src)
					FAULT(EBPF_FAULT_INSN, "insn %zu: LD_IMM64 of kind %u not supported",
					      pc, in->src);
				*dst = (uint64_t)(uint32_t)in->imm | (uint64_t)(uint32_t)prog[pc + 1].imm << 32;
				next = pc + 2;
				break;
			}
			uint8_t mode = EBPF_MODE(code);
			unsigned size = ebpf_size_bytes(code);
			if ((mode != EBPF_ABS && mode != EBPF_IND) || size == 8 || in->dst || in->off ||
			    (mode == EBPF_ABS && in->src))
				FAULT(EBPF_FAULT_INSN, "insn %zu: bad LD (code 0x%02x)", pc, code);
			/* The kernel computes the offset in 32 bits (imm + src) and
			 * treats it as signed; a negative one is relative to the
			 * network header (>= SKF_NET_OFF) or the link-layer header
			 * (>= SKF_LL_OFF, which is where pkt starts), as in
			 * bpf_internal_load_pointer_neg_helper; anything else ends
			 * the program with 0.  In the kernel these loads clobber
			 * r1-r5 (they call a helper); the verifier must treat r1-r5
			 * as unreadable after them.  The interpreter leaves them. */
			uint32_t uoff = (uint32_t)in->imm + (mode == EBPF_IND ? (uint32_t)src : 0);
			int32_t soff = (int32_t)uoff;
			size_t off;
			int in_bounds = 1;
			if (soff >= 0)
				off = (size_t)soff;
			else if (soff >= CBPF_SKF_NET_OFF)
				off = env->net_off + (size_t)(soff - CBPF_SKF_NET_OFF);
			else if (soff >= CBPF_SKF_LL_OFF)
				off = (size_t)(soff - CBPF_SKF_LL_OFF);
			else
				off = 0, in_bounds = 0;
			if (!in_bounds || !env->pkt || env->pkt_len < size || off > env->pkt_len - size) {
				res->r0 = 0;
				res->pc = pc;
				res->steps = steps;
				return 0;
			}
			const uint8_t *q = env->pkt + off;
			uint64_t v = 0;
			for (unsigned i = 0; i < size; i++)
				v = v << 8 | q[i];
			reg[0] = v;
			break;
		}
		}
		pc = next;
	}
}
