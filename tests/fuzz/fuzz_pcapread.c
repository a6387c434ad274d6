/* fuzz_pcapread: libFuzzer target for capture/'s pcap and pcapng readers.
 *
 * The input is a capture file.  It is read in batches of every size from
 * 1 to 7 (the reader's state must not depend on where batches end); every
 * record must lie inside the input and name a described interface, and
 * every run must see the same records.  After an error the reader must
 * keep failing and its message must name a byte offset inside the input.
 * ASan catches any read past the input.
 *
 * Built by the Makefile (build/fuzz/fuzz_pcapread) with capture/pcap_read.c;
 * run by tests/run-fuzz.sh from tests/fuzz/corpus_pcapread/. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcap_read.h"

#define MAX_RECORDS 4096

struct seen {
	size_t n;
	uint64_t sum; /* of offsets, lengths and timestamps */
	int failed;
};

static void read_all(const uint8_t *data, size_t size, int batch, struct seen *out)
{
	struct pcapin *in;
	char err[256];
	memset(out, 0, sizeof *out);
	if (pcapin_open_memory(data, size, &in, err, sizeof err)) {
		if (!strstr(err, "byte "))
			abort(); /* every message names where */
		out->failed = 1;
		return;
	}
	struct pcap_record recs[8];
	int k;
	while ((k = pcapin_next_batch(in, recs, batch)) > 0 && out->n < MAX_RECORDS) {
		for (int i = 0; i < k; i++) {
			const struct pcap_record *r = &recs[i];
			if (r->data < data || r->data + r->caplen > data + size)
				abort();
			if (r->iface >= pcapin_iface_count(in))
				abort();
			out->n++;
			out->sum += (uint64_t)(r->data - data) * 31 + r->caplen * 7 + r->wirelen +
				    r->ts_sec + (uint64_t)r->ts_nsec + r->iface;
		}
	}
	if (k < 0) {
		out->failed = 1;
		const char *at = strstr(pcapin_error(in), "byte ");
		if (!at && !strstr(pcapin_error(in), "out of memory"))
			abort();
		if (at && strtoull(at + 5, NULL, 10) > size)
			abort();
		if (pcapin_next_batch(in, recs, batch) != -1)
			abort();
	}
	pcapin_close(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen first, again;
	read_all(data, size, 1, &first);
	for (int batch = 2; batch <= 7; batch++) {
		read_all(data, size, batch, &again);
		if (first.n < MAX_RECORDS &&
		    (again.n != first.n || again.sum != first.sum || again.failed != first.failed))
			abort();
	}
	return 0;
}
