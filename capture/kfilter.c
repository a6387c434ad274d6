/* See kfilter.h. */
#include "kfilter.h"

#include <stdlib.h>
#include <string.h>

#include "cbpf.h"
#include "protocols.h"

/* libpcap pcap-linux.c fix_offset, for LINUX_SLL2. */
static int rebase_offset(struct bpfcap_insn *in)
{
	if (in->k >= LINUX_SLL2_HDR_LEN) {
		in->k -= LINUX_SLL2_HDR_LEN;
		return 0;
	}
	switch (in->k) {
	case LINUX_SLL2_PROTO_OFF: in->k = (uint32_t)(CBPF_SKF_AD_OFF + CBPF_SKF_AD_PROTOCOL); return 0;
	case LINUX_SLL2_IFINDEX_OFF: in->k = (uint32_t)(CBPF_SKF_AD_OFF + CBPF_SKF_AD_IFINDEX); return 0;
	case LINUX_SLL2_PKTTYPE_OFF: in->k = (uint32_t)(CBPF_SKF_AD_OFF + CBPF_SKF_AD_PKTTYPE); return 0;
	default:
		/* Negative offsets are already SKF_* loads; leave them. */
		return (int32_t)in->k > 0 ? -1 : 0;
	}
}

int kfilter_rebase_sll2(struct bpfcap_prog *prog)
{
	for (size_t i = 0; i < prog->len; i++) {
		struct bpfcap_insn *in = &prog->insns[i];
		int cls = CBPF_CLASS(in->code), mode = CBPF_MODE(in->code);
		if ((cls == CBPF_LD || cls == CBPF_LDX) &&
		    (mode == CBPF_ABS || mode == CBPF_IND || mode == CBPF_MSH) && rebase_offset(in))
			return -1;
	}
	return 0;
}

/* libpcap's linux_check_direction, as a prologue:
 *   outgoing: reject on the loopback (the duplicate) and for -Q in
 *   other:    reject for -Q out
 * Layout (cBPF jumps are forward and relative):
 *   0  ld  [SKF_AD_PKTTYPE]
 *   1  jeq #PACKET_OUTGOING  jt OUT  jf IN
 *  (2  ld  [SKF_AD_IFINDEX]          only when outgoing needs the loopback test
 *   3  jeq #lo  jt REJECT  jf MAIN)
 *   R  ret #0                        REJECT
 *   R+1 ld #0                        MAIN
 *   R+2 the program
 * The program may rely on A being 0 at entry, as cBPF promises (our
 * optimizer drops libpcap's leading "ld #0" and stores A into M[] at
 * once): the prologue's loads are undone before it starts. */
int kfilter_add_direction(struct bpfcap_prog *prog, enum direction dir, int lo_ifindex)
{
	if (dir == DIR_INOUT && !lo_ifindex)
		return 0;
	int lo_test = dir != DIR_IN && lo_ifindex;
	size_t n = lo_test ? 6 : 4, reject = n - 2, main_pc = n - 1;
	struct bpfcap_insn *out = calloc(prog->len + n, sizeof *out);
	if (!out)
		return -1;
	size_t out_path = dir == DIR_IN ? reject : lo_test ? 2 : main_pc;
	size_t in_path = dir == DIR_OUT ? reject : main_pc;
	out[0] = (struct bpfcap_insn){ CBPF_LD | CBPF_W | CBPF_ABS, 0, 0,
				       (uint32_t)(CBPF_SKF_AD_OFF + CBPF_SKF_AD_PKTTYPE) };
	out[1] = (struct bpfcap_insn){ CBPF_JMP | CBPF_JEQ | CBPF_K, (uint8_t)(out_path - 2),
				       (uint8_t)(in_path - 2), LINUX_SLL_OUTGOING };
	if (lo_test) {
		out[2] = (struct bpfcap_insn){ CBPF_LD | CBPF_W | CBPF_ABS, 0, 0,
					       (uint32_t)(CBPF_SKF_AD_OFF + CBPF_SKF_AD_IFINDEX) };
		out[3] = (struct bpfcap_insn){ CBPF_JMP | CBPF_JEQ | CBPF_K, (uint8_t)(reject - 4),
					       (uint8_t)(main_pc - 4), (uint32_t)lo_ifindex };
	}
	out[reject] = (struct bpfcap_insn){ CBPF_RET | CBPF_K, 0, 0, 0 };
	out[main_pc] = (struct bpfcap_insn){ CBPF_LD | CBPF_IMM, 0, 0, 0 };
	memcpy(out + n, prog->insns, prog->len * sizeof *out);
	free(prog->insns);
	prog->insns = out;
	prog->len += n;
	return 0;
}
