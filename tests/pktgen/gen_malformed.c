/* gen_malformed OUTDIR: damaged capture files for tests/cli/test_offline.sh.
 *
 * Writes OUTDIR/NAME.pcap or .pcapng for each case, and OUTDIR/cases.tsv
 * with one line per case: file, the number of good packets before the
 * damage (what bpfcap must still write), and a substring its error message
 * must contain (the byte offset included).  Small files, made here so no
 * binary is committed. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE 4096

struct img {
	uint8_t b[MAX_FILE];
	size_t n;
	int swap; /* write multi-byte fields big-endian (other-endian file) */
};

static void raw(struct img *m, const void *p, size_t n)
{
	if (m->n + n > MAX_FILE) {
		fprintf(stderr, "gen_malformed: case too big\n");
		exit(1);
	}
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void u32(struct img *m, uint32_t v)
{
	if (m->swap)
		v = __builtin_bswap32(v);
	raw(m, &v, 4);
}

static void u16(struct img *m, uint16_t v)
{
	if (m->swap)
		v = __builtin_bswap16(v);
	raw(m, &v, 2);
}

static void zeros(struct img *m, size_t n)
{
	static const uint8_t z[MAX_FILE];
	raw(m, z, n);
}

static const uint8_t frame[60] = { /* Ethernet, IPv4, UDP: a plain packet */
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x66, 0x77, 0x88, 0x99, 0xaa, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x2e, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00, 10, 0, 0, 1,
	10, 0, 0, 2, 0x04, 0x00, 0x00, 0x35, 0x00, 0x1a, 0x00, 0x00,
};

/* ---- pcap ---- */

static void pcap_header(struct img *m, uint32_t magic, uint16_t major, uint16_t minor)
{
	u32(m, magic);
	u16(m, major);
	u16(m, minor);
	u32(m, 0);
	u32(m, 0);
	u32(m, 65535);
	u32(m, 1);
}

static void pcap_record(struct img *m, uint32_t caplen, uint32_t wirelen, size_t data)
{
	u32(m, 1700000000);
	u32(m, 5);
	u32(m, caplen);
	u32(m, wirelen);
	raw(m, frame, data);
}

static void pcap_good(struct img *m, int n)
{
	for (int i = 0; i < n; i++)
		pcap_record(m, sizeof frame, sizeof frame, sizeof frame);
}

/* ---- pcapng ---- */

static void shb(struct img *m, uint16_t major, uint16_t minor, uint32_t bom)
{
	u32(m, 0x0A0D0D0A);
	u32(m, 28);
	u32(m, bom);
	u16(m, major);
	u16(m, minor);
	u32(m, 0xffffffff);
	u32(m, 0xffffffff);
	u32(m, 28);
}

static void idb(struct img *m)
{
	u32(m, 1);
	u32(m, 20);
	u16(m, 1);
	u16(m, 0);
	u32(m, 65535);
	u32(m, 20);
}

static void epb(struct img *m, uint32_t iface, uint32_t caplen, size_t data)
{
	size_t pad = (data + 3) & ~(size_t)3;
	uint32_t total = (uint32_t)(32 + pad);
	u32(m, 6);
	u32(m, total);
	u32(m, iface);
	u32(m, 0);
	u32(m, 1000);
	u32(m, caplen);
	u32(m, caplen);
	raw(m, frame, data);
	zeros(m, pad - data);
	u32(m, total);
}

static void ng_good(struct img *m, int n)
{
	shb(m, 1, 0, 0x1A2B3C4D);
	idb(m);
	for (int i = 0; i < n; i++)
		epb(m, 0, sizeof frame, sizeof frame);
}

/* ---- output ---- */

static const char *outdir;
static FILE *manifest;
static int n_cases;

static void emit(const char *name, const struct img *m, int good, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void emit(const char *name, const struct img *m, int good, const char *fmt, ...)
{
	char path[4096], msg[256];
	snprintf(path, sizeof path, "%s/%s", outdir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(m->b, 1, m->n, f) != m->n || fclose(f)) {
		perror(path);
		exit(1);
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(manifest, "%s\t%d\t%s\n", name, good, msg);
	n_cases++;
}

#define CASE(var) struct img var = { .n = 0 }

static void pcap_cases(void)
{
	const size_t rec = 16 + sizeof frame; /* one good record */
	{ CASE(m); emit("empty.pcap", &m, 0, "truncated file header at byte 0"); }
	{ CASE(m); raw(&m, "\xd4\xc3\xb2", 3); emit("three-bytes.pcap", &m, 0, "truncated file header at byte 0: 4 bytes needed, 3"); }
	{ CASE(m); zeros(&m, 24); emit("bad-magic.pcap", &m, 0, "unknown file format at byte 0"); }
	{ CASE(m); raw(&m, "GET / HTTP/1.1\r\n\r\n", 18); emit("text.pcap", &m, 0, "magic 0x47455420"); }
	{ CASE(m); pcap_header(&m, 0xa1b2c3d4, 2, 4); m.n = 20; emit("short-header.pcap", &m, 0, "truncated file header at byte 0: 24 bytes needed, 20"); }
	{ CASE(m); pcap_header(&m, 0xa1b2c3d4, 3, 0); pcap_good(&m, 1); emit("version-3.pcap", &m, 0, "unsupported pcap version 3.0 at byte 4"); }
	{ CASE(m); pcap_header(&m, 0xa1b2c3d4, 1, 0); emit("version-1.pcap", &m, 0, "unsupported pcap version 1.0 at byte 4"); }
	{ CASE(m); pcap_header(&m, 0xa1b2c3d4, 2, 4); pcap_good(&m, 2); zeros(&m, 10);
	  emit("short-record-header.pcap", &m, 2, "truncated record header at byte %zu: 16 bytes needed but 10 left", 24 + 2 * rec); }
	{ CASE(m); pcap_header(&m, 0xa1b2c3d4, 2, 4); pcap_good(&m, 2); pcap_record(&m, 60, 60, 14);
	  emit("short-record.pcap", &m, 2, "truncated record at byte %zu: caplen 60 but 14 bytes left", 24 + 2 * rec); }
	{ CASE(m); pcap_header(&m, 0xa1b2c3d4, 2, 4); pcap_good(&m, 3); pcap_record(&m, 0xffffffff, 60, 60);
	  emit("huge-caplen.pcap", &m, 3, "record at byte %zu: caplen 4294967295 is bigger than the maximum of 262144", 24 + 3 * rec); }
	{ CASE(m); pcap_header(&m, 0xa1b2c3d4, 2, 4); pcap_good(&m, 1); pcap_record(&m, 262145, 262145, 60);
	  emit("caplen-past-max.pcap", &m, 1, "record at byte %zu: caplen 262145 is bigger than the maximum", 24 + rec); }
	{ CASE(m); m.swap = 1; pcap_header(&m, 0xa1b2c3d4, 2, 4); pcap_good(&m, 2); pcap_record(&m, 60, 60, 30);
	  emit("big-endian-short-record.pcap", &m, 2, "truncated record at byte %zu: caplen 60 but 30 bytes left", 24 + 2 * rec); }
	{ CASE(m); pcap_header(&m, 0xa1b23c4d, 2, 4); pcap_good(&m, 2); pcap_record(&m, 60, 60, 59);
	  emit("nano-short-record.pcap", &m, 2, "truncated record at byte %zu: caplen 60 but 59 bytes left", 24 + 2 * rec); }
	{ CASE(m); pcap_header(&m, 0xa1b2c3d4, 2, 4); pcap_good(&m, 1); raw(&m, "\x01", 1);
	  emit("one-stray-byte.pcap", &m, 1, "truncated record header at byte %zu: 16 bytes needed but 1 left", 24 + rec); }
}

static void pcapng_cases(void)
{
	const size_t good_epb = 32 + sizeof frame;
	const size_t head = 28 + 20; /* SHB + IDB */
	{ CASE(m); shb(&m, 1, 0, 0x1A2B3C4D); m.n = 16;
	  emit("short-shb.pcapng", &m, 0, "truncated section header block at byte 0"); }
	{ CASE(m); shb(&m, 1, 0, 0x11223344); idb(&m);
	  emit("bad-bom.pcapng", &m, 0, "section header block at byte 0: bad byte-order magic"); }
	{ CASE(m); shb(&m, 2, 0, 0x1A2B3C4D); idb(&m);
	  emit("version-2.pcapng", &m, 0, "section header block at byte 0: unsupported pcapng version 2.0"); }
	{ CASE(m); shb(&m, 1, 0, 0x1A2B3C4D);
	  emit("no-idb.pcapng", &m, 0, "no interface description block"); }
	{ CASE(m); shb(&m, 1, 0, 0x1A2B3C4D); epb(&m, 0, 60, 60);
	  emit("epb-before-idb.pcapng", &m, 0, "enhanced packet block at byte 28: interface 0 is not described (0 interfaces"); }
	{ CASE(m); ng_good(&m, 2); epb(&m, 3, 60, 60);
	  emit("epb-unknown-iface.pcapng", &m, 2, "enhanced packet block at byte %zu: interface 3 is not described (1 interface in", head + 2 * good_epb); }
	{ CASE(m); ng_good(&m, 2); u32(&m, 6); u32(&m, 30); zeros(&m, 22);
	  emit("block-length-odd.pcapng", &m, 2, "block at byte %zu: impossible length 30", head + 2 * good_epb); }
	{ CASE(m); ng_good(&m, 1); u32(&m, 6); u32(&m, 8); zeros(&m, 8);
	  emit("block-length-8.pcapng", &m, 1, "block at byte %zu: impossible length 8", head + good_epb); }
	{ CASE(m); ng_good(&m, 2); u32(&m, 6); u32(&m, 4096); zeros(&m, 40);
	  emit("block-past-eof.pcapng", &m, 2, "truncated block at byte %zu: length 4096 but 48 bytes left", head + 2 * good_epb); }
	{ CASE(m); ng_good(&m, 2); epb(&m, 0, 60, 60); m.b[m.n - 4] ^= 0x40;
	  emit("trailing-length.pcapng", &m, 2, "block at byte %zu: trailing length", head + 2 * good_epb); }
	{ CASE(m); ng_good(&m, 2); epb(&m, 0, 61, 60);
	  emit("epb-caplen-past-block.pcapng", &m, 2, "truncated enhanced packet block at byte %zu: caplen 61 but the block holds 60 bytes", head + 2 * good_epb); }
	{ CASE(m); ng_good(&m, 1); epb(&m, 0, 0x7fffffff, 60);
	  emit("epb-huge-caplen.pcapng", &m, 1, "enhanced packet block at byte %zu: caplen 2147483647 is bigger than the maximum", head + good_epb); }
	{ CASE(m); ng_good(&m, 2); u32(&m, 6); u32(&m, 20); zeros(&m, 8); u32(&m, 20);
	  emit("epb-short-body.pcapng", &m, 2, "enhanced packet block at byte %zu: 8 bytes of body, 20 needed", head + 2 * good_epb); }
	{ CASE(m); shb(&m, 1, 0, 0x1A2B3C4D); u32(&m, 1); u32(&m, 16); u32(&m, 1); u32(&m, 16);
	  emit("idb-short.pcapng", &m, 0, "interface description block at byte 28: 4 bytes of body, 8 needed"); }
	{ CASE(m); shb(&m, 1, 0, 0x1A2B3C4D); u32(&m, 1); u32(&m, 28); u16(&m, 1); u16(&m, 0); u32(&m, 0);
	  u16(&m, 2); u16(&m, 200); u32(&m, 0); u32(&m, 28);
	  emit("idb-option-overrun.pcapng", &m, 0, "IDB at byte 28: option 2 of length 200 runs past the block"); }
	{ CASE(m); shb(&m, 1, 0, 0x1A2B3C4D); u32(&m, 1); u32(&m, 28); u16(&m, 1); u16(&m, 0); u32(&m, 0);
	  u16(&m, 9); u16(&m, 1); u32(&m, 90); u32(&m, 28);
	  emit("idb-tsresol.pcapng", &m, 0, "IDB at byte 28: if_tsresol 10^-90 is too fine"); }
	{ CASE(m); ng_good(&m, 2); u32(&m, 3); u32(&m, 32); u32(&m, 60); zeros(&m, 16); u32(&m, 32);
	  emit("spb-short.pcapng", &m, 2, "truncated simple packet block at byte %zu: caplen 60 but the block holds 16 bytes", head + 2 * good_epb); }
	{ CASE(m); ng_good(&m, 2); u32(&m, 6);
	  emit("short-block-header.pcapng", &m, 2, "truncated block header at byte %zu: 8 bytes needed but 4 left", head + 2 * good_epb); }
	{ CASE(m); ng_good(&m, 1); size_t second = m.n; m.swap = 1; ng_good(&m, 1); epb(&m, 0, 60, 20);
	  emit("other-endian-section.pcapng", &m, 2, "truncated enhanced packet block at byte %zu: caplen 60 but the block holds 20 bytes", second + head + good_epb); }
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_malformed OUTDIR\n");
		return 2;
	}
	outdir = argv[1];
	char path[4096];
	snprintf(path, sizeof path, "%s/cases.tsv", outdir);
	manifest = fopen(path, "w");
	if (!manifest) {
		perror(path);
		return 1;
	}
	pcap_cases();
	pcapng_cases();
	if (fclose(manifest)) {
		perror(path);
		return 1;
	}
	printf("gen_malformed: %d cases in %s\n", n_cases, outdir);
	return 0;
}
