/* Filling a struct bpfcap_error: the one way library code reports. */
#ifndef BPFCAP_FILTER_ERROR_H
#define BPFCAP_FILTER_ERROR_H

#include "bpfcap.h"

/* Sets err (if non-NULL) and returns code, so callers can write
 * "return bpfcap_fail(err, BPFCAP_E_SYNTAX, col, len, "...", ...);". */
int bpfcap_fail(struct bpfcap_error *err, int code, int column, int length,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
