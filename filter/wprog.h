/* A classic BPF program before assembly: the form codegen emits and the
 * optimizer rewrites.  Jumps hold absolute instruction indices of 32 bits,
 * so no offset limit applies yet; filter_assemble() turns the program into
 * real cBPF, bridging conditional jumps that reach past 255 with JA.
 *
 * Invariants (checked by wprog_validate): every jump goes forward
 * (target > own index) and lands inside the program; the last instruction
 * is a RET; scratch memory indices are < CBPF_MEMWORDS. */
#ifndef BPFCAP_FILTER_WPROG_H
#define BPFCAP_FILTER_WPROG_H

#include <stddef.h>
#include <stdint.h>
#include "cbpf.h"

struct winsn {
	uint16_t code;
	uint32_t k;
	uint32_t jt;   /* JMP conditional: index of the true target; JA: the target */
	uint32_t jf;   /* JMP conditional: index of the false target */
};

struct wprog {
	struct winsn *insns;
	size_t len, cap;
};

struct bpfcap_error;
struct bpfcap_prog;

int wprog_push(struct wprog *p, struct winsn insn); /* 0 or BPFCAP_E_NOMEM */
void wprog_free(struct wprog *p);
int wprog_validate(const struct wprog *p, struct bpfcap_error *err);

/* Convert between wide and real cBPF (relative 8-bit offsets). */
int wprog_from_cbpf(struct wprog *out, const struct cbpf_insn *insns, size_t len);
int filter_assemble(const struct wprog *p, struct bpfcap_prog *out, struct bpfcap_error *err);

/* The optimizer (optimize.c): returns an equivalent, usually shorter
 * program in place.  Equivalent means libpcap's optimizer's contract: the
 * same return value for every packet and (caplen, wirelen) on which the
 * input's run does not fail a load.  Like libpcap's, it deletes loads
 * whose values are unused, so on a packet too short for such a load the
 * input returns 0 and the result may not: that is what keeps bpfcap's
 * verdicts equal to tcpdump's.  Division by a zero X stays exact. */
int filter_optimize(struct wprog *p, struct bpfcap_error *err);

#endif
