/* Live capture: a TPACKET_V3 ring on an interface, the filter in the
 * kernel (or in userspace with --engine=jit|interp), records to the same
 * sinks as -r (file writer, printer, counter).  Returns the exit status. */
#ifndef BPFCAP_CAPTURE_LIVE_H
#define BPFCAP_CAPTURE_LIVE_H

#include "options.h"

int live_run(const struct options *o);

/* -D */
int live_list_interfaces(void);

#endif
