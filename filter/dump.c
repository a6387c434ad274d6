/* tcpdump's -d, -dd and -ddd formats (libpcap's bpf_image and bpf_dump):
 * -d   one instruction a line, "(NNN) op operand" with jumps resolved to
 *      absolute targets;
 * -dd  a C initializer, "{ 0xCODE, JT, JF, 0xK },";
 * -ddd the instruction count, then "code jt jf k" in decimal. */
#include <stdarg.h>
#include <stdio.h>

#include "bpfcap.h"
#include "cbpf.h"

/* Names libpcap gives Linux ancillary loads (SKF_AD_OFF + n) in -d output. */
static const char *ancillary_name(uint32_t k)
{
	switch ((int32_t)k - CBPF_SKF_AD_OFF) {
	case CBPF_SKF_AD_PROTOCOL: return "proto";
	case CBPF_SKF_AD_PKTTYPE: return "type";
	case CBPF_SKF_AD_IFINDEX: return "ifidx";
	case CBPF_SKF_AD_NLATTR: return "nla";
	case CBPF_SKF_AD_NLATTR_NEST: return "nlan";
	case CBPF_SKF_AD_MARK: return "mark";
	case CBPF_SKF_AD_QUEUE: return "queue";
	case CBPF_SKF_AD_HATYPE: return "hatype";
	case CBPF_SKF_AD_RXHASH: return "rxhash";
	case CBPF_SKF_AD_CPU: return "cpu";
	case CBPF_SKF_AD_VLAN_TAG: return "vlan_tci";
	case CBPF_SKF_AD_VLAN_TAG_PRESENT: return "vlanp";
	case CBPF_SKF_AD_ALU_XOR_X: return "xor_x";
	case CBPF_SKF_AD_PAY_OFFSET: return "poff";
	case CBPF_SKF_AD_RANDOM: return "random";
	case CBPF_SKF_AD_VLAN_TPID: return "vlan_tpid";
	default: return NULL;
	}
}

/* The mnemonic and operand of one instruction, as bpf_image spells them. */
static void insn_parts(const struct bpfcap_insn *p, char *op, size_t opsz, char *operand,
		       size_t operandsz)
{
	const char *name = "unimp";
	const char *fmt = NULL; /* printf format of the operand, taking k */
	const char *plain = ""; /* operand without k */
	uint16_t code = p->code;

	switch (code) {
	case CBPF_RET | CBPF_K: name = "ret"; fmt = "#%d"; break;
	case CBPF_RET | CBPF_A: name = "ret"; plain = ""; break;
	case CBPF_LD | CBPF_W | CBPF_ABS: name = "ld"; fmt = "[%d]"; break;
	case CBPF_LD | CBPF_H | CBPF_ABS: name = "ldh"; fmt = "[%d]"; break;
	case CBPF_LD | CBPF_B | CBPF_ABS: name = "ldb"; fmt = "[%d]"; break;
	case CBPF_LD | CBPF_W | CBPF_LEN: name = "ld"; plain = "#pktlen"; break;
	case CBPF_LD | CBPF_W | CBPF_IND: name = "ld"; fmt = "[x + %d]"; break;
	case CBPF_LD | CBPF_H | CBPF_IND: name = "ldh"; fmt = "[x + %d]"; break;
	case CBPF_LD | CBPF_B | CBPF_IND: name = "ldb"; fmt = "[x + %d]"; break;
	case CBPF_LD | CBPF_IMM: name = "ld"; fmt = "#0x%x"; break;
	case CBPF_LDX | CBPF_IMM: name = "ldx"; fmt = "#0x%x"; break;
	case CBPF_LDX | CBPF_MSH | CBPF_B: name = "ldxb"; fmt = "4*([%d]&0xf)"; break;
	case CBPF_LD | CBPF_MEM: name = "ld"; fmt = "M[%d]"; break;
	case CBPF_LDX | CBPF_MEM: name = "ldx"; fmt = "M[%d]"; break;
	case CBPF_ST: name = "st"; fmt = "M[%d]"; break;
	case CBPF_STX: name = "stx"; fmt = "M[%d]"; break;
	case CBPF_JMP | CBPF_JA: name = "ja"; fmt = NULL; break;
	case CBPF_JMP | CBPF_JEQ | CBPF_K: name = "jeq"; fmt = "#0x%x"; break;
	case CBPF_JMP | CBPF_JGT | CBPF_K: name = "jgt"; fmt = "#0x%x"; break;
	case CBPF_JMP | CBPF_JGE | CBPF_K: name = "jge"; fmt = "#0x%x"; break;
	case CBPF_JMP | CBPF_JSET | CBPF_K: name = "jset"; fmt = "#0x%x"; break;
	case CBPF_JMP | CBPF_JEQ | CBPF_X: name = "jeq"; plain = "x"; break;
	case CBPF_JMP | CBPF_JGT | CBPF_X: name = "jgt"; plain = "x"; break;
	case CBPF_JMP | CBPF_JGE | CBPF_X: name = "jge"; plain = "x"; break;
	case CBPF_JMP | CBPF_JSET | CBPF_X: name = "jset"; plain = "x"; break;
	case CBPF_ALU | CBPF_ADD | CBPF_X: name = "add"; plain = "x"; break;
	case CBPF_ALU | CBPF_SUB | CBPF_X: name = "sub"; plain = "x"; break;
	case CBPF_ALU | CBPF_MUL | CBPF_X: name = "mul"; plain = "x"; break;
	case CBPF_ALU | CBPF_DIV | CBPF_X: name = "div"; plain = "x"; break;
	case CBPF_ALU | CBPF_MOD | CBPF_X: name = "mod"; plain = "x"; break;
	case CBPF_ALU | CBPF_AND | CBPF_X: name = "and"; plain = "x"; break;
	case CBPF_ALU | CBPF_OR | CBPF_X: name = "or"; plain = "x"; break;
	case CBPF_ALU | CBPF_XOR | CBPF_X: name = "xor"; plain = "x"; break;
	case CBPF_ALU | CBPF_LSH | CBPF_X: name = "lsh"; plain = "x"; break;
	case CBPF_ALU | CBPF_RSH | CBPF_X: name = "rsh"; plain = "x"; break;
	/* libpcap prints arithmetic constants in decimal, bitwise ones in hex. */
	case CBPF_ALU | CBPF_ADD | CBPF_K: name = "add"; fmt = "#%d"; break;
	case CBPF_ALU | CBPF_SUB | CBPF_K: name = "sub"; fmt = "#%d"; break;
	case CBPF_ALU | CBPF_MUL | CBPF_K: name = "mul"; fmt = "#%d"; break;
	case CBPF_ALU | CBPF_DIV | CBPF_K: name = "div"; fmt = "#%d"; break;
	case CBPF_ALU | CBPF_MOD | CBPF_K: name = "mod"; fmt = "#%d"; break;
	case CBPF_ALU | CBPF_AND | CBPF_K: name = "and"; fmt = "#0x%x"; break;
	case CBPF_ALU | CBPF_OR | CBPF_K: name = "or"; fmt = "#0x%x"; break;
	case CBPF_ALU | CBPF_XOR | CBPF_K: name = "xor"; fmt = "#0x%x"; break;
	case CBPF_ALU | CBPF_LSH | CBPF_K: name = "lsh"; fmt = "#%d"; break;
	case CBPF_ALU | CBPF_RSH | CBPF_K: name = "rsh"; fmt = "#%d"; break;
	case CBPF_ALU | CBPF_NEG: name = "neg"; plain = ""; break;
	case CBPF_MISC | CBPF_TAX: name = "tax"; plain = ""; break;
	case CBPF_MISC | CBPF_TXA: name = "txa"; plain = ""; break;
	default: name = "unimp"; fmt = "0x%x"; code = 0xffff; break;
	}

	snprintf(op, opsz, "%s", name);
	if (code == (CBPF_JMP | CBPF_JA))
		return; /* the caller prints the absolute target */
	if (code == 0xffff) {
		snprintf(operand, operandsz, "0x%x", p->code);
		return;
	}
	const char *anc = NULL;
	if (CBPF_CLASS(p->code) == CBPF_LD && CBPF_MODE(p->code) == CBPF_ABS)
		anc = ancillary_name(p->k);
	if (anc)
		snprintf(operand, operandsz, "[%s]", anc);
	else if (fmt)
		snprintf(operand, operandsz, fmt, p->k);
	else
		snprintf(operand, operandsz, "%s", plain);
}

/* libpcap prints targets for every jump-class code but JA's, valid or not. */
static int has_targets(uint16_t code)
{
	return CBPF_CLASS(code) == CBPF_JMP && CBPF_OP(code) != CBPF_JA;
}

int bpfcap_cbpf_image(const struct bpfcap_insn *insn, size_t pc, int bare, char *buf, size_t size)
{
	char op[16], operand[64];
	insn_parts(insn, op, sizeof op, operand, sizeof operand);
	int n = (int)pc;
	char prefix[16] = "";
	if (!bare)
		snprintf(prefix, sizeof prefix, "(%03d) ", n);
	if (insn->code == (CBPF_JMP | CBPF_JA)) {
		/* libpcap adds in unsigned arithmetic and prints the sum as int. */
		uint32_t target = (uint32_t)pc + 1 + insn->k;
		return snprintf(buf, size, "%s%-8s %d", prefix, op, (int)target);
	}
	if (has_targets(insn->code))
		return snprintf(buf, size, "%s%-8s %-16s jt %d\tjf %d", prefix, op, operand,
				n + 1 + insn->jt, n + 1 + insn->jf);
	return snprintf(buf, size, "%s%-8s %s", prefix, op, operand);
}

/* An snprintf that appends at *used and keeps counting past the end. */
static void append(char *buf, size_t size, size_t *used, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = *used < size ? size - *used : 0;
	int n = vsnprintf(room ? buf + *used : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		*used += (size_t)n;
}

size_t bpfcap_dump_cbpf(const struct bpfcap_prog *prog, int level, char *buf, size_t size)
{
	size_t used = 0;
	char line[128];

	if (size)
		buf[0] = '\0';
	if (level == 3)
		append(buf, size, &used, "%zu\n", prog->len);
	for (size_t i = 0; i < prog->len; i++) {
		const struct bpfcap_insn *p = &prog->insns[i];
		switch (level) {
		case 2:
			append(buf, size, &used, "{ 0x%x, %d, %d, 0x%08x },\n", p->code, p->jt, p->jf,
			       p->k);
			break;
		case 3:
			append(buf, size, &used, "%u %u %u %u\n", p->code, p->jt, p->jf, p->k);
			break;
		default:
			bpfcap_cbpf_image(p, i, 0, line, sizeof line);
			append(buf, size, &used, "%s\n", line);
			break;
		}
	}
	return used;
}
