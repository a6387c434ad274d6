/* The verifier's context rules per target (internal to vm/verify*.c). */
#ifndef BPFCAP_VM_VERIFY_CTX_H
#define BPFCAP_VM_VERIFY_CTX_H

#include <stddef.h>
#include <stdint.h>

#include "context.h"

/* What a context access at [off, off + size) yields. */
enum ctx_field_kind {
	CTX_FIELD_SCALAR = 0,  /* a number */
	CTX_FIELD_PACKET,      /* direct: data, a packet pointer */
	CTX_FIELD_PACKET_END,  /* direct: data_end */
};

/* 0 if the access is allowed, with *kind; otherwise -1 and why in
 * why[0..whysz) ("offset 76 (data) is not readable by a socket filter"). */
int ctx_access_check(enum ebpf_target target, int64_t off, unsigned size, int write,
		     enum ctx_field_kind *kind, char *why, size_t whysz);

#endif
