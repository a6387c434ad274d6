/* Counting programs: a translated filter (either target) wrapped so that
 * it adds to a counters map (see docs/DESIGN.md "vm/maps").
 *
 * The map is an array (per-CPU in the kernel) of one struct bpfcap_counts
 * at key 0: seen packets and bytes, matched packets and bytes, bytes being
 * the wire length (skb->len on the socket target, ctx->wire_len on the
 * direct target).  Each CPU adds to its own slot with plain loads and
 * stores; the reader sums the slots (map_kernel.h).
 *
 *   EBPF_COUNT_ONLY   matched packets and bytes are added, the program
 *                     returns 0 (the kernel copies nothing to the ring);
 *                     seen_* stay 0.  No lookup for a packet that does not
 *                     match.
 *   EBPF_COUNT_STATS  seen and matched are added, the filter's verdict is
 *                     returned unchanged.
 *
 * Shapes (r6 = the context everywhere: the translator's prologue sets it
 * and never writes it again; r7 (X) and r8 are dead at an EXIT):
 *   epilogue   every EXIT becomes a jump to one epilogue that keeps the
 *              verdict in r7, the wire length in r8, looks the value up
 *              and adds.  Used for COUNT_ONLY on both targets and for
 *              COUNT_STATS on the direct target.
 *   prologue   socket COUNT_STATS: a failing LD_ABS/LD_IND ends a socket
 *              program with 0 without reaching any EXIT, so "seen" must be
 *              counted before the filter runs.  The prologue looks the
 *              value up once, keeps its address in r9 (callee-saved, unused
 *              by socket filters, kept across LD_ABS), counts seen, and the
 *              epilogue adds matched through r9.
 * The key (a u32 0) lives at r10 - 72, below the filter's scratch memory
 * (r10 - 64 .. r10).  The lookup result is NULL-checked even though key 0
 * of a one-entry array always exists: our verifier demands it (DESIGN).
 */
#ifndef BPFCAP_VM_COUNT_H
#define BPFCAP_VM_COUNT_H

#include <stddef.h>
#include <stdint.h>

#include "bpfcap.h"
#include "map.h"
#include "translate.h"

enum ebpf_count_mode {
	EBPF_COUNT_ONLY = 0,
	EBPF_COUNT_STATS = 1,
};

/* The counters map's geometry: key u32, one struct bpfcap_counts. */
#define EBPF_COUNT_KEY_SIZE 4u
#define EBPF_COUNT_VALUE_SIZE ((uint32_t)sizeof(struct bpfcap_counts))
#define EBPF_COUNT_MAX_ENTRIES 1u
/* Where the key is stored (below M[0..15] at r10 - 64). */
#define EBPF_COUNT_KEY_OFF ((int16_t)-72)

/* The map's description for the verifier: fd (kernel) or index
 * (userspace), of type BPF_MAP_TYPE_PERCPU_ARRAY or _ARRAY. */
struct ebpf_map_desc ebpf_count_map_desc(int32_t fd, uint32_t type);

/* Wraps filter (a translated program, either target) into a counting
 * program referencing the map map_ref (LD_IMM64 pseudo-map imm).  On
 * success *out owns its instructions (ebpf_prog_free).  An EXIT more
 * than 32,767 instructions before the end jumps to the next EXIT within
 * reach, itself a jump onward (a chain: nothing added, nothing moved);
 * where two EXITs are farther apart than that, the epilogue is copied at
 * every EXIT and the jumps relocated, BPFCAP_E_TOOBIG if one no longer
 * fits.  BPFCAP_E_INVALID for a socket filter that uses r9 (the translator
 * never emits one), BPFCAP_E_NOMEM. */
int ebpf_count_wrap(const struct ebpf_prog *filter, enum ebpf_count_mode mode, int32_t map_ref,
		    struct ebpf_prog *out, struct bpfcap_error *err);

#endif
