/* -r FILE: read a capture file, filter it, and write the matches (-w, with
 * rotation) or count them (--count).  Returns the exit status: 0, 1 on an
 * error (a damaged input after its good packets were processed, a write
 * error, a bad filter), 2 when asked to print packets (not implemented). */
#ifndef BPFCAP_CAPTURE_OFFLINE_H
#define BPFCAP_CAPTURE_OFFLINE_H

#include <stdint.h>

#include "bpfcap.h"
#include "options.h"

int offline_run(const struct options *o);

/* The filter's metadata for one packet of link type dlt: zeros, except
 * what a LINUX_SLL or LINUX_SLL2 header says (packet type, protocol,
 * ARPHRD type, and for SLL2 the interface index); net_off is the link
 * header's length. */
void offline_packet_meta(int dlt, const uint8_t *data, uint32_t caplen,
			 struct bpfcap_pkt_meta *meta);

#endif
