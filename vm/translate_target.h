/* Translated filters adapted to the kernel's hooks: the xdp context, and
 * verdicts turned into a hook's return codes (tc, XDP).
 *
 * Both work on a finished translation, instruction for instruction, so the
 * translator's code shapes and jump layout stay the one source of truth:
 * the xdp target is the direct target with its context loads rewritten,
 * and a hook verdict rewrites the EXITs.  docs/DESIGN.md, "vm/elf". */
#ifndef BPFCAP_VM_TRANSLATE_TARGET_H
#define BPFCAP_VM_TRANSLATE_TARGET_H

#include <stdint.h>

#include "bpfcap.h"
#include "translate.h"

/* The stack slot where the xdp target keeps the packet length (cBPF's
 * `len`, data_end - data for an XDP frame): just below scratch memory. */
#define EBPF_XDP_LEN_SLOT (-72)

/* Rewrites p, a direct-target translation, for struct xdp_md: the two
 * 64-bit data/data_end loads become xdp_md's u32 loads, `len` reads the
 * length the prologue stores at EBPF_XDP_LEN_SLOT, and any other context
 * load (packet metadata: ancillary loads, SKF_NET_OFF) is refused with
 * BPFCAP_E_UNSUPPORTED naming the field: an XDP frame has no skb.  On
 * success p->target is EBPF_TARGET_XDP.  Called by ebpf_translate. */
int ebpf_xdp_from_direct(struct ebpf_prog *p, struct bpfcap_error *err);

/* Makes every LD_ABS/LD_IND of a socket-target program that could fail
 * check skb->len first, jumping to an appended "r0 = 0; exit" instead: a
 * failing legacy load ends the program with 0 itself (net/core/filter.c,
 * bpf_gen_ld_abs), which ebpf_wrap_verdict cannot see, and 0 is TC_ACT_OK.
 * Loads at negative offsets (SKF_NET_OFF, SKF_LL_OFF, ancillary) are left
 * alone.  Jumps are re-aimed at the guards; BPFCAP_E_TOOBIG if one would
 * then span more than 32,767 instructions, BPFCAP_E_NOMEM. */
int ebpf_guard_packet_loads(struct ebpf_prog *p, struct bpfcap_error *err);

/* Rewrites a filter's verdict (0: no match, anything else: match, as cBPF's
 * return value) into on_match / on_nomatch.  An EXIT right after a constant
 * r0 has the constant replaced; any other EXIT jumps to a shared tail that
 * tests r0.  BPFCAP_E_TOOBIG if such a jump would span more than 32,767
 * instructions, BPFCAP_E_NOMEM. */
int ebpf_wrap_verdict(struct ebpf_prog *p, int32_t on_match, int32_t on_nomatch,
		      struct bpfcap_error *err);

#endif
