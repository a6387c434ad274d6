/* The x86-64 encoder (see x86_emit.h).  Every helper writes its bytes
 * with put*() and then rec() its text in objdump's Intel syntax. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x86_emit.h"

static const char *const reg64[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
				       "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15" };
static const char *const reg32[16] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
				       "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" };
static const char *const reg16[16] = { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
				       "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w" };
static const char *const reg8[16] = { "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
				      "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b" };

static const char *rname(int w, int r)
{
	switch (w) {
	case 8: return reg64[r];
	case 4: return reg32[r];
	case 2: return reg16[r];
	default: return reg8[r];
	}
}

static const char *ptr_name(int w)
{
	switch (w) {
	case 8: return "QWORD PTR ";
	case 4: return "DWORD PTR ";
	case 2: return "WORD PTR ";
	default: return "BYTE PTR ";
	}
}

/* An immediate as objdump prints it: the operand-sized two's complement. */
static unsigned long long imm_val(int w, int64_t v)
{
	switch (w) {
	case 8: return (unsigned long long)v;
	case 4: return (uint32_t)v;
	case 2: return (uint16_t)v;
	default: return (uint8_t)v;
	}
}

void x86_emit_reset(struct x86_emit *e)
{
	e->len = 0;
	e->oom = 0;
	e->nrecs = 0;
	e->block = -1;
}

void x86_emit_fini(struct x86_emit *e)
{
	free(e->buf);
	free(e->recs);
	memset(e, 0, sizeof *e);
}

static void put(struct x86_emit *e, uint8_t b)
{
	if (e->len == e->cap) {
		size_t nc = e->cap ? e->cap * 2 : 4096;
		uint8_t *q = realloc(e->buf, nc);
		if (!q) {
			e->oom = 1;
			return;
		}
		e->buf = q;
		e->cap = nc;
	}
	e->buf[e->len++] = b;
}

static void put32(struct x86_emit *e, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		put(e, (uint8_t)(v >> (8 * i)));
}

/* Records the instruction that started at start (its text from fmt). */
static void rec(struct x86_emit *e, size_t start, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void rec(struct x86_emit *e, size_t start, const char *fmt, ...)
{
	if (!e->record || e->oom)
		return;
	if (e->nrecs == e->reccap) {
		size_t nc = e->reccap ? e->reccap * 2 : 256;
		struct x86_rec *q = realloc(e->recs, nc * sizeof *q);
		if (!q) {
			e->oom = 1;
			return;
		}
		e->recs = q;
		e->reccap = nc;
	}
	struct x86_rec *r = &e->recs[e->nrecs++];
	r->off = (uint32_t)start;
	r->len = (uint8_t)(e->len - start);
	r->block = e->block;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->text, sizeof r->text, fmt, ap);
	va_end(ap);
}

/* REX prefix: W (64-bit operand), R (ModRM.reg >= 8), X (SIB.index >= 8),
 * B (ModRM.rm or SIB.base >= 8).  force: emit 0x40 even without bits (the
 * byte registers spl, bpl, sil, dil exist only with a REX prefix). */
static void rex(struct x86_emit *e, int w64, int reg, int index, int base, int force)
{
	uint8_t b = 0x40 | (w64 ? 8 : 0) | (reg >= 8 ? 4 : 0) | (index >= 8 ? 2 : 0) |
		    (base >= 8 ? 1 : 0);
	if (b != 0x40 || force)
		put(e, b);
}

/* A byte register numbered 4-7 needs REX (else it is ah/ch/dh/bh). */
static int needs_rex8(int w, int r)
{
	return w == 1 && r >= 4 && r <= 7;
}

static void modrm_rr(struct x86_emit *e, int reg, int rm)
{
	put(e, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

/* ModRM (+SIB, +disp) for [base + index + disp].  mod 00 has no base rbp/r13
 * (that encoding means rip-relative/disp32), so those take disp8 0; base
 * rsp/r12 needs a SIB byte. */
static void modrm_mem(struct x86_emit *e, int reg, struct x86_mem m)
{
	int mod;
	if (m.disp == 0 && (m.base & 7) != RBP)
		mod = 0;
	else if (m.disp >= -128 && m.disp <= 127)
		mod = 1;
	else
		mod = 2;
	if (m.index >= 0) {
		put(e, (uint8_t)(mod << 6 | (reg & 7) << 3 | 4));
		put(e, (uint8_t)((m.index & 7) << 3 | (m.base & 7))); /* scale 1 */
	} else {
		put(e, (uint8_t)(mod << 6 | (reg & 7) << 3 | (m.base & 7)));
		if ((m.base & 7) == RSP)
			put(e, 0x24);
	}
	if (mod == 1)
		put(e, (uint8_t)m.disp);
	else if (mod == 2)
		put32(e, (uint32_t)m.disp);
}

static void prefix_mem(struct x86_emit *e, int w, int reg, struct x86_mem m, int force)
{
	if (w == 2)
		put(e, 0x66);
	rex(e, w == 8, reg, m.index >= 0 ? m.index : 0, m.base, force);
}

/* "[rdi+0x8]" as objdump prints it. */
static void mem_text(char *buf, size_t size, struct x86_mem m)
{
	char idx[16] = "";
	if (m.index >= 0)
		snprintf(idx, sizeof idx, "+%s*1", reg64[m.index]);
	int shown = m.disp != 0 || (m.base & 7) == RBP;
	if (!shown)
		snprintf(buf, size, "[%s%s]", reg64[m.base], idx);
	else if (m.disp < 0)
		snprintf(buf, size, "[%s%s-0x%x]", reg64[m.base], idx, (unsigned)-(int64_t)m.disp);
	else
		snprintf(buf, size, "[%s%s+0x%x]", reg64[m.base], idx, (unsigned)m.disp);
}

static const char *const alu_name[] = { "add", "sub", "and", "or", "xor", "cmp", "test", "mov" };
static const uint8_t alu_rr_op[] = { 0x01, 0x29, 0x21, 0x09, 0x31, 0x39, 0x85, 0x89 };
static const uint8_t alu_ext[] = { 0, 5, 4, 1, 6, 7, 0, 0 };

void x86_alu_rr(struct x86_emit *e, enum x86_alu op, int w, int dst, int src)
{
	size_t s = e->len;
	if (w == 2)
		put(e, 0x66);
	rex(e, w == 8, src, 0, dst, 0);
	put(e, alu_rr_op[op]);
	modrm_rr(e, src, dst);
	rec(e, s, "%s %s,%s", alu_name[op], rname(w, dst), rname(w, src));
}

void x86_alu_ri(struct x86_emit *e, enum x86_alu op, int w, int dst, int32_t imm)
{
	size_t s = e->len;
	if (op == X_MOV && w == 4) {
		rex(e, 0, 0, 0, dst, 0);
		put(e, (uint8_t)(0xb8 + (dst & 7)));   /* mov r32, imm32 */
		put32(e, (uint32_t)imm);
	} else if (op == X_MOV || op == X_TEST) {
		rex(e, w == 8, 0, 0, dst, 0);
		put(e, op == X_MOV ? 0xc7 : 0xf7);     /* mov/test r/m, imm32 */
		modrm_rr(e, 0, dst);
		put32(e, (uint32_t)imm);
	} else {
		rex(e, w == 8, 0, 0, dst, 0);
		int short_form = imm >= -128 && imm <= 127;
		put(e, short_form ? 0x83 : 0x81);
		modrm_rr(e, alu_ext[op], dst);
		if (short_form)
			put(e, (uint8_t)imm);
		else
			put32(e, (uint32_t)imm);
	}
	rec(e, s, "%s %s,0x%llx", alu_name[op], rname(w, dst), imm_val(w, imm));
}

void x86_movabs(struct x86_emit *e, int dst, uint64_t imm)
{
	size_t s = e->len;
	rex(e, 1, 0, 0, dst, 0);
	put(e, (uint8_t)(0xb8 + (dst & 7)));
	put32(e, (uint32_t)imm);
	put32(e, (uint32_t)(imm >> 32));
	rec(e, s, "movabs %s,0x%llx", reg64[dst], (unsigned long long)imm);
}

void x86_mov_imm64(struct x86_emit *e, int dst, uint64_t imm)
{
	if (imm == 0)
		x86_alu_rr(e, X_XOR, 4, dst, dst);            /* zero idiom */
	else if (imm <= UINT32_MAX)
		x86_alu_ri(e, X_MOV, 4, dst, (int32_t)(uint32_t)imm); /* zero-extends */
	else if ((int64_t)imm >= INT32_MIN && (int64_t)imm < 0)
		x86_alu_ri(e, X_MOV, 8, dst, (int32_t)(int64_t)imm); /* sign-extends */
	else
		x86_movabs(e, dst, imm);
}

void x86_imul_rr(struct x86_emit *e, int w, int dst, int src)
{
	size_t s = e->len;
	rex(e, w == 8, dst, 0, src, 0);
	put(e, 0x0f);
	put(e, 0xaf);
	modrm_rr(e, dst, src);
	rec(e, s, "imul %s,%s", rname(w, dst), rname(w, src));
}

void x86_imul_ri(struct x86_emit *e, int w, int dst, int32_t imm)
{
	size_t s = e->len;
	rex(e, w == 8, dst, 0, dst, 0);
	put(e, 0x69);
	modrm_rr(e, dst, dst);
	put32(e, (uint32_t)imm);
	rec(e, s, "imul %s,%s,0x%llx", rname(w, dst), rname(w, dst), imm_val(w, imm));
}

void x86_unary(struct x86_emit *e, enum x86_unary op, int w, int reg)
{
	size_t s = e->len;
	rex(e, w == 8, 0, 0, reg, 0);
	put(e, 0xf7);
	modrm_rr(e, op, reg);
	rec(e, s, "%s %s", op == X_NEG ? "neg" : op == X_DIV ? "div" : "idiv", rname(w, reg));
}

void x86_sign_extend_ax(struct x86_emit *e, int w)
{
	size_t s = e->len;
	if (w == 8)
		put(e, 0x48);
	put(e, 0x99);
	rec(e, s, "%s", w == 8 ? "cqo" : "cdq");
}

static const char *shift_name(enum x86_shift op)
{
	switch (op) {
	case X_ROL: return "rol";
	case X_ROR: return "ror";
	case X_SHL: return "shl";
	case X_SHR: return "shr";
	default: return "sar";
	}
}

void x86_shift_ri(struct x86_emit *e, enum x86_shift op, int w, int reg, uint8_t count)
{
	size_t s = e->len;
	if (w == 2)
		put(e, 0x66);
	rex(e, w == 8, 0, 0, reg, 0);
	put(e, 0xc1);
	modrm_rr(e, op, reg);
	put(e, count);
	rec(e, s, "%s %s,0x%x", shift_name(op), rname(w, reg), count);
}

void x86_shift_cl(struct x86_emit *e, enum x86_shift op, int w, int reg)
{
	size_t s = e->len;
	rex(e, w == 8, 0, 0, reg, 0);
	put(e, 0xd3);
	modrm_rr(e, op, reg);
	rec(e, s, "%s %s,cl", shift_name(op), rname(w, reg));
}

void x86_bswap(struct x86_emit *e, int w, int reg)
{
	size_t s = e->len;
	rex(e, w == 8, 0, 0, reg, 0);
	put(e, 0x0f);
	put(e, (uint8_t)(0xc8 + (reg & 7)));
	rec(e, s, "bswap %s", rname(w, reg));
}

void x86_movzx_rr(struct x86_emit *e, int from_w, int dst, int src)
{
	size_t s = e->len;
	rex(e, 0, dst, 0, src, needs_rex8(from_w, src));
	put(e, 0x0f);
	put(e, from_w == 1 ? 0xb6 : 0xb7);
	modrm_rr(e, dst, src);
	rec(e, s, "movzx %s,%s", reg32[dst], rname(from_w, src));
}

void x86_movsx_rr(struct x86_emit *e, int to_w, int from_w, int dst, int src)
{
	size_t s = e->len;
	rex(e, to_w == 8, dst, 0, src, needs_rex8(from_w, src));
	if (from_w == 4) {
		put(e, 0x63);
	} else {
		put(e, 0x0f);
		put(e, from_w == 1 ? 0xbe : 0xbf);
	}
	modrm_rr(e, dst, src);
	rec(e, s, "%s %s,%s", from_w == 4 ? "movsxd" : "movsx", rname(to_w, dst), rname(from_w, src));
}

void x86_load(struct x86_emit *e, int w, int sx, int dst, struct x86_mem m)
{
	size_t s = e->len;
	char mt[48];
	mem_text(mt, sizeof mt, m);
	if (sx) {
		/* movsx r64, m8/m16 (REX.W 0F BE/BF); movsxd r64, m32 (REX.W 63). */
		rex(e, 1, dst, m.index >= 0 ? m.index : 0, m.base, 0);
		if (w == 4) {
			put(e, 0x63);
		} else {
			put(e, 0x0f);
			put(e, w == 1 ? 0xbe : 0xbf);
		}
		modrm_mem(e, dst, m);
		rec(e, s, "%s %s,%s%s", w == 4 ? "movsxd" : "movsx", reg64[dst], ptr_name(w), mt);
	} else if (w >= 4) {
		rex(e, w == 8, dst, m.index >= 0 ? m.index : 0, m.base, 0);
		put(e, 0x8b);                           /* mov r, r/m */
		modrm_mem(e, dst, m);
		rec(e, s, "mov %s,%s%s", rname(w, dst), ptr_name(w), mt);
	} else {
		rex(e, 0, dst, m.index >= 0 ? m.index : 0, m.base, 0);
		put(e, 0x0f);
		put(e, w == 1 ? 0xb6 : 0xb7);           /* movzx r32, m8/m16 */
		modrm_mem(e, dst, m);
		rec(e, s, "movzx %s,%s%s", reg32[dst], ptr_name(w), mt);
	}
}

void x86_store(struct x86_emit *e, int w, struct x86_mem m, int src)
{
	size_t s = e->len;
	char mt[48];
	mem_text(mt, sizeof mt, m);
	prefix_mem(e, w, src, m, needs_rex8(w, src));
	put(e, w == 1 ? 0x88 : 0x89);
	modrm_mem(e, src, m);
	rec(e, s, "mov %s%s,%s", ptr_name(w), mt, rname(w, src));
}

void x86_store_imm(struct x86_emit *e, int w, struct x86_mem m, int32_t imm)
{
	size_t s = e->len;
	char mt[48];
	mem_text(mt, sizeof mt, m);
	prefix_mem(e, w, 0, m, 0);
	put(e, w == 1 ? 0xc6 : 0xc7);
	modrm_mem(e, 0, m);
	if (w == 1)
		put(e, (uint8_t)imm);
	else if (w == 2) {
		put(e, (uint8_t)imm);
		put(e, (uint8_t)(imm >> 8));
	} else
		put32(e, (uint32_t)imm);
	rec(e, s, "mov %s%s,0x%llx", ptr_name(w), mt, imm_val(w, imm));
}

void x86_cmp_rm(struct x86_emit *e, int w, int reg, struct x86_mem m)
{
	size_t s = e->len;
	char mt[48];
	mem_text(mt, sizeof mt, m);
	prefix_mem(e, w, reg, m, 0);
	put(e, 0x3b);
	modrm_mem(e, reg, m);
	rec(e, s, "cmp %s,%s%s", rname(w, reg), ptr_name(w), mt);
}

void x86_cmp_mi(struct x86_emit *e, int w, struct x86_mem m, int32_t imm)
{
	size_t s = e->len;
	char mt[48];
	mem_text(mt, sizeof mt, m);
	prefix_mem(e, w, 0, m, 0);
	int short_form = imm >= -128 && imm <= 127;
	put(e, short_form ? 0x83 : 0x81);
	modrm_mem(e, 7, m);
	if (short_form)
		put(e, (uint8_t)imm);
	else
		put32(e, (uint32_t)imm);
	rec(e, s, "cmp %s%s,0x%llx", ptr_name(w), mt, imm_val(w, imm));
}

void x86_add_rm(struct x86_emit *e, int w, int reg, struct x86_mem m)
{
	size_t s = e->len;
	char mt[48];
	mem_text(mt, sizeof mt, m);
	prefix_mem(e, w, reg, m, 0);
	put(e, 0x03);
	modrm_mem(e, reg, m);
	rec(e, s, "add %s,%s%s", rname(w, reg), ptr_name(w), mt);
}

void x86_lea(struct x86_emit *e, int dst, struct x86_mem m)
{
	size_t s = e->len;
	char mt[48];
	mem_text(mt, sizeof mt, m);
	prefix_mem(e, 8, dst, m, 0);
	put(e, 0x8d);
	modrm_mem(e, dst, m);
	rec(e, s, "lea %s,%s", reg64[dst], mt);
}

void x86_push(struct x86_emit *e, int reg)
{
	size_t s = e->len;
	rex(e, 0, 0, 0, reg, 0);
	put(e, (uint8_t)(0x50 + (reg & 7)));
	rec(e, s, "push %s", reg64[reg]);
}

void x86_pop(struct x86_emit *e, int reg)
{
	size_t s = e->len;
	rex(e, 0, 0, 0, reg, 0);
	put(e, (uint8_t)(0x58 + (reg & 7)));
	rec(e, s, "pop %s", reg64[reg]);
}

void x86_ret(struct x86_emit *e)
{
	size_t s = e->len;
	put(e, 0xc3);
	rec(e, s, "ret");
}

void x86_call_reg(struct x86_emit *e, int reg)
{
	size_t s = e->len;
	rex(e, 0, 0, 0, reg, 0);
	put(e, 0xff);
	modrm_rr(e, 2, reg);
	rec(e, s, "call %s", reg64[reg]);
}

static const char *const jcc_name[16] = { "jo", "jno", "jb", "jae", "je", "jne", "jbe", "ja",
					  "js", "jns", "jp", "jnp", "jl", "jge", "jle", "jg" };

size_t x86_jcc(struct x86_emit *e, int cc, int near, int32_t rel)
{
	size_t s = e->len;
	if (!near) {
		put(e, cc < 0 ? 0xeb : (uint8_t)(0x70 + cc));
		put(e, (uint8_t)rel);
	} else {
		if (cc < 0) {
			put(e, 0xe9);
		} else {
			put(e, 0x0f);
			put(e, (uint8_t)(0x80 + cc));
		}
		put32(e, (uint32_t)rel);
	}
	rec(e, s, "%s 0x%llx", cc < 0 ? "jmp" : jcc_name[cc],
	    (unsigned long long)(int64_t)((int64_t)e->len + rel));
	return e->len - 1;
}

void x86_patch8(struct x86_emit *e, size_t at)
{
	if (e->oom)
		return;
	int64_t rel = (int64_t)e->len - (int64_t)(at + 1);
	e->buf[at] = (uint8_t)rel;
	/* The jump's text named its target as if rel were 0. */
	for (size_t i = e->nrecs; e->record && i-- > 0;)
		if (e->recs[i].off + e->recs[i].len == at + 1) {
			char *sp = strchr(e->recs[i].text, ' ');
			if (sp)
				snprintf(sp, sizeof e->recs[i].text - (size_t)(sp - e->recs[i].text),
					 " 0x%zx", e->len);
			break;
		}
}
