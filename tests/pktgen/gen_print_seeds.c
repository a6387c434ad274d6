/* gen_print_seeds: fuzz_print seeds from real captures.
 *
 *   gen_print_seeds OUTDIR [CAPTURE_DIR...]
 *
 * Prints every packet of every .pcap/.pcapng in the given directories
 * (default: the project corpus, and tcpdump-tests' 4.99.3 captures when
 * $BPFCAP_SHARED has them) with -v, and keeps the first SEEDS_PER_TAG
 * packets of each (link type, innermost protocol) pair as fuzz_print
 * inputs (fuzz_print.h's layout), so a short fuzzing run starts inside
 * every printer the corpora reach instead of at Ethernet. Link types
 * fuzz_print cannot select are skipped. Prints how many seeds it wrote. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../fuzz/fuzz_print.h"
#include "harness.h"

#define SEEDS_PER_TAG 2
#define MAX_KINDS 1024
/* run-fuzz.sh runs with -max_len=512: longer seeds would be cut anyway. */
#define MAX_PACKET (512 - FUZZ_PRINT_HEADER)

struct seen {
	int linktype;
	char tag[32];
	int count;
};

struct seeder {
	const char *outdir;
	struct seen kinds[MAX_KINDS];
	int nkinds;
	unsigned written, failed;
	struct pbuf out;
};

static int linktype_index(int linktype)
{
	for (size_t i = 0; i < FUZZ_PRINT_NLINKTYPES; i++)
		if (fuzz_print_linktypes[i] == linktype)
			return (int)i;
	return -1;
}

/* Count one more packet of (LINKTYPE, TAG); 1 if it is still wanted. */
static int want_seed(struct seeder *s, int linktype, const char *tag)
{
	for (int i = 0; i < s->nkinds; i++)
		if (s->kinds[i].linktype == linktype && !strcmp(s->kinds[i].tag, tag))
			return ++s->kinds[i].count <= SEEDS_PER_TAG;
	if (s->nkinds == MAX_KINDS)
		return 0;
	struct seen *k = &s->kinds[s->nkinds++];
	k->linktype = linktype;
	snprintf(k->tag, sizeof(k->tag), "%s", tag);
	k->count = 1;
	return 1;
}

static void write_seed(struct seeder *s, int index, const char *tag, const uint8_t *pkt, uint32_t caplen)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/lt%d-%s-%u", s->outdir, index, tag, s->written);
	FILE *f = fopen(path, "wb");
	if (!f) {
		s->failed++;
		return;
	}
	uint32_t n = caplen < MAX_PACKET ? caplen : MAX_PACKET;
	/* -v with -e (flags byte 0x03); cut at a third of the packet. */
	uint8_t header[FUZZ_PRINT_HEADER] = { (uint8_t)index, 0x03, (uint8_t)(n / 3) };
	if (fwrite(header, 1, sizeof(header), f) == sizeof(header) && fwrite(pkt, 1, n, f) == n)
		s->written++;
	else
		s->failed++;
	fclose(f);
}

static void seed_capture(struct seeder *s, const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	if (!p)
		return;
	int linktype = pcap_datalink(p);
	int index = linktype_index(linktype);
	struct print_opts o = { .n_level = 1, .vflag = 1, .utc = 1 };
	struct printer *pr = index >= 0 ? printer_new(&o, linktype) : NULL;
	struct pcap_pkthdr *h;
	const u_char *data;
	while (pr && pcap_next_ex(p, &h, &data) == 1) {
		struct print_record rec = {
			.ts_sec = h->ts.tv_sec, .ts_frac = (uint32_t)h->ts.tv_usec,
			.caplen = h->caplen, .wirelen = h->len, .data = data,
		};
		s->out.len = 0;
		print_packet(pr, &rec, &s->out);
		const char *tag = printer_last_protocol(pr);
		if (want_seed(s, linktype, tag))
			write_seed(s, index, tag, data, h->caplen);
	}
	if (pr)
		printer_free(pr);
	pcap_close(p);
}

static void seed_capture_cb(void *s, const char *path)
{
	seed_capture(s, path);
}

static void seed_dir(struct seeder *s, const char *dir)
{
	th_for_each_capture(dir, seed_capture_cb, s);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gen_print_seeds OUTDIR [CAPTURE_DIR...]\n");
		return 2;
	}
	static struct seeder s;
	s.outdir = argv[1];
	mkdir(s.outdir, 0755);
	if (argc > 2) {
		for (int i = 2; i < argc; i++)
			seed_dir(&s, argv[i]);
	} else {
		seed_dir(&s, th_corpus_dir());
		char *shared = th_shared_dir();
		if (shared) {
			char dir[4096];
			snprintf(dir, sizeof(dir), "%s/corpus/tcpdump-tests/4.99.3", shared);
			seed_dir(&s, dir);
			free(shared);
		}
	}
	pbuf_free(&s.out);
	printf("gen_print_seeds: %u seeds for %d (link type, protocol) pairs\n", s.written, s.nkinds);
	if (s.failed)
		fprintf(stderr, "gen_print_seeds: %u seeds could not be written to %s\n", s.failed, s.outdir);
	return s.failed ? 1 : 0;
}
