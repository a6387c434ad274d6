/* fuzz_print: libFuzzer target for capture/print_*.
 *
 * Input (fuzz_print.h): byte 0 picks the link type, byte 1 the flags
 * (-e, -v/-vv, -q, -x/-X/-A, -S), byte 2 a cut, the rest is one packet.
 * Printed twice, as captured and with the captured length cut at byte
 * 2's value, so both whole and truncated records run; ASan and UBSan
 * catch any read past the record. The output must end in a newline.
 * Seeds: tests/fuzz/corpus_print, plus one or two packets of every
 * protocol the corpora reach (gen_print_seeds, run by run-fuzz.sh). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < FUZZ_PRINT_HEADER)
		return 0;
	struct print_opts o;
	memset(&o, 0, sizeof(o));
	o.n_level = 1;
	o.eflag = data[1] & 1;
	o.vflag = (data[1] >> 1) & 3;
	o.qflag = (data[1] >> 3) & 1;
	o.dump_mode = (data[1] >> 4) % 7;
	o.abs_seq = data[1] >> 7;
	o.utc = 1;
	struct printer *pr = printer_new(&o, fuzz_print_linktypes[data[0] % FUZZ_PRINT_NLINKTYPES]);
	if (!pr)
		return 0;
	size_t len = size - FUZZ_PRINT_HEADER;
	/* A copy of exactly LEN bytes, so ASan sees any overread. */
	uint8_t *pkt = malloc(len ? len : 1);
	if (!pkt) {
		printer_free(pr);
		return 0;
	}
	memcpy(pkt, data + FUZZ_PRINT_HEADER, len);
	struct pbuf out = { 0 };
	struct print_record rec = { .ts_sec = 1700000000, .ts_frac = 0, .caplen = (uint32_t)len,
				    .wirelen = (uint32_t)len + data[2], .data = pkt };
	for (int pass = 0; pass < 2; pass++) {
		out.len = 0;
		if (print_packet(pr, &rec, &out) && out.data[out.len - 1] != '\n')
			abort();
		rec.caplen = data[2] < len ? data[2] : (uint32_t)len;
	}
	pbuf_free(&out);
	free(pkt);
	printer_free(pr);
	return 0;
}
