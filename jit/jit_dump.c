/* --dump=jit: the machine code of a compiled program, grouped under the
 * eBPF instruction each run of bytes came from.
 *
 * The text comes from the emitter itself: the dump emits the program once
 * more with the converged layout and recording on, checks that the bytes
 * are the ones installed, and prints each instruction's record.  So the
 * library needs no disassembler and execs nothing; the unit tests check
 * the records against objdump of the same bytes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf_dump.h" /* ebpf_insn_image: the instruction as --dump=ebpf shows it */
#include "jit_int.h"

struct out {
	char *buf;
	size_t size, len;
};

static void outf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void outf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = o->len < o->size ? o->size - o->len : 0;
	int n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static void block_header(struct out *o, int32_t block, const struct ebpf_insn *prog, size_t len)
{
	if (block < 0) {
		outf(o, "; prologue\n");
	} else if ((size_t)block < len) {
		char img[160];
		ebpf_insn_image(prog, len, (size_t)block, img, sizeof img);
		outf(o, "; %d: %s\n", block, img);
	} else if ((size_t)block == len) {
		outf(o, "; out of bounds packet load: return 0\n");
	} else {
		outf(o, "; LD_IND with a negative offset (SKF_NET_OFF / SKF_LL_OFF)\n");
	}
}

size_t ebpf_jit_dump(const struct ebpf_jit_prog *jp, const struct ebpf_insn *prog, size_t len,
		     char *buf, size_t size)
{
	struct out o = { buf, size, 0 };
	if (size)
		buf[0] = '\0';
	struct jit jt = {
		.prog = prog,
		.len = len,
		.helpers = jp->helpers,
		.nhelpers = jp->nhelpers,
		.helper_user = jp->helper_user,
		.map_addrs = jp->map_addrs,
		.nmaps = jp->nmaps,
		.nlabels = jp->nlabels,
		.have_prev = 1,
		.force_near = jp->force_near,
	};
	struct jit *j = &jt;
	size_t nind;
	jit_scan(j, &nind); /* as the compile did: the prologue depends on it */
	j->prev = jp->labels;
	j->cur = calloc(j->nlabels ? j->nlabels : 1, sizeof *j->cur);
	j->stub_insn = calloc(nind ? nind : 1, sizeof *j->stub_insn);
	j->e.record = 1;
	int ok = j->cur && j->stub_insn && j->nlabels == len + 1 + 2 * nind &&
		 jit_emit_program(j) == 0 && j->e.len == jp->code_len &&
		 !memcmp(j->e.buf, jp->code, jp->code_len);
	if (!ok) {
		outf(&o, "; jit dump: the program does not match the compiled code\n");
	} else {
		int32_t block = -2;
		for (size_t i = 0; i < j->e.nrecs; i++) {
			const struct x86_rec *r = &j->e.recs[i];
			if (r->block != block) {
				block = r->block;
				block_header(&o, block, prog, len);
			}
			outf(&o, "%6x: ", (unsigned)r->off);
			char hex[64] = "";
			size_t hl = 0;
			for (unsigned b = 0; b < r->len && hl + 3 < sizeof hex; b++)
				hl += (size_t)snprintf(hex + hl, sizeof hex - hl, "%02x ",
						       ((const uint8_t *)jp->code)[r->off + b]);
			outf(&o, "%-33s %s\n", hex, r->text);
		}
	}
	free(j->cur);
	free(j->stub_insn);
	x86_emit_fini(&j->e);
	return o.len;
}
