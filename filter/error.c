#include <stdarg.h>
#include <stdio.h>

#include "error.h"

int bpfcap_fail(struct bpfcap_error *err, int code, int column, int length, const char *fmt, ...)
{
	if (!err)
		return code;
	err->code = code;
	err->column = column;
	err->length = column >= 0 && length < 1 ? 1 : length;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return code;
}
