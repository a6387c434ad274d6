/* INTERIM ENGINE (see offline_filter.h): libpcap's bpf_filter on the
 * classic program, standing in for the library's eBPF engine
 * (bpfcap_filter_load/run/free) until it lands.  Offline programs are
 * compiled in BPFCAP_MODE_OFFLINE, which never loads Linux ancillary data,
 * so ignoring the metadata here loses nothing; the library's engine takes
 * it (SLL/SLL2 headers give pkt_type, protocol, ifindex). */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "offline_filter.h"

struct bpfcap_filter {
	struct bpf_insn *insns; /* struct bpfcap_insn has struct bpf_insn's layout */
	size_t len;
};

static int interim_load(const struct bpfcap_prog *cbpf, enum bpfcap_engine engine,
			struct bpfcap_filter **out, struct bpfcap_error *err)
{
	struct bpfcap_filter *f = calloc(1, sizeof *f);
	if (f)
		f->insns = calloc(cbpf->len ? cbpf->len : 1, sizeof *f->insns);
	if (!f || !f->insns) {
		free(f);
		err->code = BPFCAP_E_NOMEM;
		err->column = -1;
		strcpy(err->msg, "out of memory");
		return BPFCAP_E_NOMEM;
	}
	memcpy(f->insns, cbpf->insns, cbpf->len * sizeof *f->insns);
	f->len = cbpf->len;
	if (!bpf_validate(f->insns, (int)f->len)) {
		free(f->insns);
		free(f);
		err->code = BPFCAP_E_INVALID;
		err->column = -1;
		strcpy(err->msg, "the classic program does not validate");
		return BPFCAP_E_INVALID;
	}
	*out = f;
	return 0;
}

static uint32_t interim_run(struct bpfcap_filter *f, const uint8_t *data, uint32_t caplen,
			    uint32_t wirelen, const struct bpfcap_pkt_meta *meta)
{
	(void)meta;
	return bpf_filter(f->insns, data, wirelen, caplen);
}

static void interim_free(struct bpfcap_filter *f)
{
	if (f)
		free(f->insns);
	free(f);
}

static const struct offline_engine interim_engine = {
	.name = "libpcap bpf_filter (interim)",
	.load = interim_load,
	.run = interim_run,
	.free = interim_free,
};

const struct offline_engine *const offline_engine = &interim_engine;
