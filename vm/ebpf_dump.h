/* eBPF dumps: --dump=ebpf (bpftool's `prog dump xlated` style, as the
 * kernel's kernel/bpf/disasm.c prints) and --dump=ebpf-raw (five decimal
 * fields "code dst src off imm" per 8-byte slot, the analogue of -ddd). */
#ifndef BPFCAP_VM_EBPF_DUMP_H
#define BPFCAP_VM_EBPF_DUMP_H

#include <stddef.h>

#include "ebpf.h"

/* One instruction at prog[pc] as bpftool prints it, without the "  N: "
 * prefix: "(bf) r6 = r1", "(28) r0 = *(u16 *)skb[12]",
 * "(18) r1 = 0x1234" (LD_IMM64 reads prog[pc + 1] when pc + 1 < len).
 * Returns like snprintf. */
int ebpf_insn_image(const struct ebpf_insn *prog, size_t len, size_t pc, char *buf, size_t size);

/* The whole program, one instruction a line ("%4zu: %s\n" as bpftool),
 * or raw when raw is nonzero.  Returns the length the full dump needs. */
size_t ebpf_dump(const struct ebpf_insn *prog, size_t len, int raw, char *buf, size_t size);

#endif
