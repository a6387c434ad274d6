/* pcapdiff: do capture files hold the same records as a reference?
 *
 *   pcapdiff [-p] [-s SNAPLEN] REF FILE...
 *
 * For the live tests (tests/cli/test_live.sh): REF is what tcpdump captured,
 * each FILE what bpfcap captured from the same frames at the same time.
 * Each FILE must have REF's link type and snapshot length and the same
 * records in the same order: captured length, original length and every
 * captured byte.  Timestamps are not compared exactly (on veth the kernel
 * stamps a packet separately for each socket, so they differ by
 * microseconds) but must lie within a second of REF's, which catches a
 * wrong unit or a zero time.  With -p a FILE may stop early: it must be
 * a prefix of REF (-c N, a file cut short by ENOSPC).  With -s, REF is an
 * untruncated capture and each FILE one made with that snap length: every
 * record's captured length must be the smaller of REF's and SNAPLEN, its
 * original length REF's, its bytes the first bytes of REF's record.
 *
 * Prints "REF: N records", then one line per FILE ("FILE: N records
 * identical" or what differs first); exits 0 only if every FILE matched,
 * 2 on a usage or read error.  Reading with libpcap also shows each file
 * is one libpcap reads to the end without an error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

struct rec {
	struct pcap_pkthdr h;
	u_char *data;
};

struct capture {
	int linktype, snaplen;
	size_t n;
	struct rec *recs;
};

/* Reads a whole file; 0, or -1 with a message in err. */
static int load(const char *path, struct capture *c, char *err)
{
	pcap_t *p = pcap_open_offline(path, err);
	if (!p)
		return -1;
	memset(c, 0, sizeof *c);
	c->linktype = pcap_datalink(p);
	c->snaplen = pcap_snapshot(p);
	size_t cap = 0;
	struct pcap_pkthdr *h;
	const u_char *d;
	int rc;
	while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
		if (c->n == cap) {
			cap = cap ? 2 * cap : 1024;
			struct rec *r = realloc(c->recs, cap * sizeof *r);
			if (!r) {
				snprintf(err, PCAP_ERRBUF_SIZE, "out of memory");
				pcap_close(p);
				return -1;
			}
			c->recs = r;
		}
		struct rec *r = &c->recs[c->n++];
		r->h = *h;
		r->data = malloc(h->caplen ? h->caplen : 1);
		if (!r->data) {
			snprintf(err, PCAP_ERRBUF_SIZE, "out of memory");
			pcap_close(p);
			return -1;
		}
		memcpy(r->data, d, h->caplen);
	}
	if (rc == PCAP_ERROR) {
		snprintf(err, PCAP_ERRBUF_SIZE, "record %zu: %s", c->n + 1, pcap_geterr(p));
		pcap_close(p);
		return -1;
	}
	pcap_close(p);
	return 0;
}

static void unload(struct capture *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->recs[i].data);
	free(c->recs);
}

static double seconds(const struct timeval *tv)
{
	return (double)tv->tv_sec + tv->tv_usec / 1e6;
}

/* Prints what differs first; returns 1 if the files match. */
static int compare(const char *name, const struct capture *ref, const struct capture *c,
		   int prefix, unsigned snap)
{
	if (c->linktype != ref->linktype || (!snap && c->snaplen != ref->snaplen) ||
	    (snap && (unsigned)c->snaplen != snap)) {
		printf("%s: link type %d snapshot length %d, the reference %d %d\n", name,
		       c->linktype, c->snaplen, ref->linktype, ref->snaplen);
		return 0;
	}
	for (size_t i = 0; i < c->n && i < ref->n; i++) {
		const struct rec *a = &ref->recs[i], *b = &c->recs[i];
		unsigned want = snap && a->h.caplen > snap ? snap : a->h.caplen;
		if (want != b->h.caplen || a->h.len != b->h.len) {
			printf("%s: record %zu: lengths %u/%u, expected %u/%u\n", name, i + 1,
			       b->h.caplen, b->h.len, want, a->h.len);
			return 0;
		}
		if (memcmp(a->data, b->data, want)) {
			size_t off = 0;
			while (a->data[off] == b->data[off])
				off++;
			printf("%s: record %zu (%u bytes): byte %zu is 0x%02x, the reference 0x%02x\n",
			       name, i + 1, want, off, b->data[off], a->data[off]);
			return 0;
		}
		double dt = seconds(&b->h.ts) - seconds(&a->h.ts);
		if (dt > 1 || dt < -1) {
			printf("%s: record %zu: time %.6f, the reference %.6f\n", name, i + 1,
			       seconds(&b->h.ts), seconds(&a->h.ts));
			return 0;
		}
	}
	if (c->n > ref->n || (c->n < ref->n && !prefix)) {
		printf("%s: %zu records, the reference %zu (the first %zu identical)\n", name, c->n,
		       ref->n, c->n < ref->n ? c->n : ref->n);
		return 0;
	}
	printf("%s: %zu records identical%s\n", name, c->n, c->n < ref->n ? " (a prefix)" : "");
	return 1;
}

int main(int argc, char **argv)
{
	int prefix = 0, opt;
	unsigned snap = 0;
	while ((opt = getopt(argc, argv, "ps:")) != -1) {
		switch (opt) {
		case 'p': prefix = 1; break;
		case 's': snap = (unsigned)strtoul(optarg, NULL, 0); break;
		default: goto usage;
		}
	}
	if (argc - optind < 2)
		goto usage;
	char err[PCAP_ERRBUF_SIZE];
	struct capture ref;
	if (load(argv[optind], &ref, err)) {
		fprintf(stderr, "pcapdiff: %s: %s\n", argv[optind], err);
		return 2;
	}
	printf("%s: %zu records\n", argv[optind], ref.n);
	int all = 1;
	for (int i = optind + 1; i < argc; i++) {
		struct capture c;
		if (load(argv[i], &c, err)) {
			printf("%s: %s\n", argv[i], err);
			all = 0;
			continue;
		}
		all &= compare(argv[i], &ref, &c, prefix, snap);
		unload(&c);
	}
	unload(&ref);
	return all ? 0 : 1;
usage:
	fprintf(stderr, "usage: pcapdiff [-p] [-s SNAPLEN] REF FILE...\n");
	return 2;
}
