/* The wide program: building, checking, and assembling into real cBPF. */
#include <stdlib.h>
#include <string.h>

#include "bpfcap.h"
#include "error.h"
#include "wprog.h"

int wprog_push(struct wprog *p, struct winsn insn)
{
	if (p->len == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct winsn *n = realloc(p->insns, cap * sizeof *n);
		if (!n)
			return BPFCAP_E_NOMEM;
		p->insns = n;
		p->cap = cap;
	}
	p->insns[p->len++] = insn;
	return 0;
}

void wprog_free(struct wprog *p)
{
	free(p->insns);
	memset(p, 0, sizeof *p);
}

static int is_cond_jump(uint16_t code)
{
	return CBPF_CLASS(code) == CBPF_JMP && CBPF_OP(code) != CBPF_JA;
}

int wprog_validate(const struct wprog *p, struct bpfcap_error *err)
{
	if (p->len == 0)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "empty program");
	for (size_t i = 0; i < p->len; i++) {
		const struct winsn *w = &p->insns[i];
		int cls = CBPF_CLASS(w->code);
		if (cls == CBPF_JMP) {
			if (w->jt <= i || w->jt >= p->len)
				return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
						   "instruction %zu jumps to %u, outside (%zu, %zu)", i,
						   w->jt, i, p->len);
			if (is_cond_jump(w->code) && (w->jf <= i || w->jf >= p->len))
				return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
						   "instruction %zu jumps to %u, outside (%zu, %zu)", i,
						   w->jf, i, p->len);
		}
		if ((cls == CBPF_ST || cls == CBPF_STX ||
		     ((cls == CBPF_LD || cls == CBPF_LDX) && CBPF_MODE(w->code) == CBPF_MEM)) &&
		    w->k >= CBPF_MEMWORDS)
			return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0,
					   "instruction %zu uses scratch word M[%u]", i, w->k);
	}
	if (CBPF_CLASS(p->insns[p->len - 1].code) != CBPF_RET)
		return bpfcap_fail(err, BPFCAP_E_INVALID, -1, 0, "program does not end in ret");
	return 0;
}

int wprog_from_cbpf(struct wprog *out, const struct cbpf_insn *insns, size_t len)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < len; i++) {
		struct winsn w = { insns[i].code, insns[i].k, 0, 0 };
		if (insns[i].code == (CBPF_JMP | CBPF_JA)) {
			w.jt = (uint32_t)(i + 1 + insns[i].k);
			w.k = 0;
		} else if (is_cond_jump(insns[i].code)) {
			w.jt = (uint32_t)(i + 1 + insns[i].jt);
			w.jf = (uint32_t)(i + 1 + insns[i].jf);
		}
		if (wprog_push(out, w)) {
			wprog_free(out);
			return BPFCAP_E_NOMEM;
		}
	}
	return 0;
}

/* Assembly.  A conditional jump's offsets are 8 bits: a target further
 * than 255 instructions away is reached through a JA placed right after
 * the jump (nothing falls through a conditional jump, so the slot is
 * free), as libpcap's assembler bridges long jumps.  Inserting bridges
 * moves other code, so the layout is recomputed until no jump overflows;
 * bridges only get added, so this terminates. */
struct layout {
	size_t *pos;        /* new index of each wide instruction */
	uint8_t *bridges;   /* bit 0: bridge for jt, bit 1: bridge for jf */
};

static size_t layout_compute(const struct wprog *p, struct layout *l)
{
	size_t at = 0;
	for (size_t i = 0; i < p->len; i++) {
		l->pos[i] = at;
		at += 1 + (l->bridges[i] & 1) + ((l->bridges[i] >> 1) & 1);
	}
	return at;
}

/* Where jump i's true (which = 0) or false (which = 1) edge lands first:
 * its bridge if it has one, else the target itself. */
static size_t edge_landing(const struct wprog *p, const struct layout *l, size_t i, int which)
{
	if (l->bridges[i] & (1u << which))
		return l->pos[i] + 1 + (which == 1 && (l->bridges[i] & 1));
	return l->pos[which ? p->insns[i].jf : p->insns[i].jt];
}

int filter_assemble(const struct wprog *p, struct bpfcap_prog *out, struct bpfcap_error *err)
{
	int rc = wprog_validate(p, err);
	if (rc)
		return rc;
	struct layout l = { calloc(p->len, sizeof *l.pos), calloc(p->len, 1) };
	if (!l.pos || !l.bridges) {
		rc = bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
		goto done;
	}
	size_t total;
	for (int changed = 1; changed;) {
		changed = 0;
		total = layout_compute(p, &l);
		for (size_t i = 0; i < p->len; i++) {
			if (!is_cond_jump(p->insns[i].code))
				continue;
			for (int which = 0; which < 2; which++) {
				if (l.bridges[i] & (1u << which))
					continue;
				size_t land = edge_landing(p, &l, i, which);
				if (land - l.pos[i] - 1 > 255) {
					l.bridges[i] |= (uint8_t)(1u << which);
					changed = 1;
				}
			}
		}
	}
	if (total > UINT32_MAX) {
		rc = bpfcap_fail(err, BPFCAP_E_TOOBIG, -1, 0, "program too long");
		goto done;
	}
	out->insns = calloc(total, sizeof *out->insns);
	out->len = total;
	if (!out->insns) {
		rc = bpfcap_fail(err, BPFCAP_E_NOMEM, -1, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < p->len; i++) {
		const struct winsn *w = &p->insns[i];
		size_t at = l.pos[i];
		struct bpfcap_insn *o = &out->insns[at];
		o->code = w->code;
		o->k = w->k;
		if (w->code == (CBPF_JMP | CBPF_JA)) {
			o->k = (uint32_t)(l.pos[w->jt] - at - 1);
		} else if (is_cond_jump(w->code)) {
			o->jt = (uint8_t)(edge_landing(p, &l, i, 0) - at - 1);
			o->jf = (uint8_t)(edge_landing(p, &l, i, 1) - at - 1);
			size_t b = at + 1;
			if (l.bridges[i] & 1) {
				out->insns[b].code = CBPF_JMP | CBPF_JA;
				out->insns[b].k = (uint32_t)(l.pos[w->jt] - b - 1);
				b++;
			}
			if (l.bridges[i] & 2) {
				out->insns[b].code = CBPF_JMP | CBPF_JA;
				out->insns[b].k = (uint32_t)(l.pos[w->jf] - b - 1);
			}
		}
	}
	rc = 0;
done:
	free(l.pos);
	free(l.bridges);
	return rc;
}
