/* pcap and pcapng readers over a sliding read(2) buffer.
 *
 * Formats: pcap as libpcap writes it (the pcap savefile format, versions
 * 2.0 to 2.4, magic a1b2c3d4 for microseconds and a1b23c4d for
 * nanoseconds, either byte order) and pcapng (draft-ietf-opsawg-pcapng:
 * Section Header, Interface Description, Enhanced Packet, Simple Packet
 * and the obsolete Packet block; every other block is skipped by its
 * length).
 *
 * Tolerance follows libpcap 1.10 (sf-pcap.c, sf-pcapng.c), checked with
 * tcpdump 4.99.3: a caplen above the file's snap length is cut to it (the
 * rest of the record is skipped); a caplen above the link type's maximum
 * (max_snaplen_for_dlt) is an error; zero-length records are returned as
 * they are.  Unlike libpcap, pcapng interfaces may have different link
 * types. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pcap_read.h"

#define PCAP_MAGIC_MICRO 0xa1b2c3d4u
#define PCAP_MAGIC_NANO  0xa1b23c4du
#define PCAP_FILE_HDR    24
#define PCAP_REC_HDR     16

#define NG_SHB      0x0A0D0D0Au
#define NG_IDB      0x00000001u
#define NG_PB       0x00000002u /* obsolete Packet Block */
#define NG_SPB      0x00000003u
#define NG_EPB      0x00000006u
#define NG_BOM      0x1A2B3C4Du
#define NG_MIN_BLOCK 12u        /* type, length, trailing length */

#define OPT_ENDOFOPT   0
#define OPT_IF_TSRESOL 9
#define OPT_IF_TSOFFSET 14

/* DLT and LINKTYPE numbers this file needs (pcap/dlt.h, on Linux). */
#define DLT_ATM_RFC1483 11
#define DLT_RAW         12
#define DLT_SLIP_BSDOS  15
#define DLT_PPP_BSDOS   16
#define DLT_ATM_CLIP    19
#define DLT_DBUS        231
#define DLT_EBHSCR      279
#define DLT_USBPCAP     249

#define MAX_SNAPLEN_DEFAULT 262144u
#define READ_BUF (256u << 10) /* stays in L2; measured fastest (docs/DESIGN.md) */
#define MAX_BLOCK (128u << 20) /* the largest caplen (DLT_DBUS) fits */
#define MORE (-2)             /* parse again once in->want bytes are buffered */ /* libpcap's MAXIMUM_SNAPLEN */

struct iface_rec {
	struct pcapin_iface pub;
	int ts_pow2;       /* if_tsresol: units are 2^-exp, else 10^-exp seconds */
	unsigned ts_exp;
	int64_t ts_offset; /* if_tsoffset, seconds */
	uint32_t max_caplen; /* pcap_max_snaplen(dlt) */
};

struct pcapin {
	const uint8_t *buf; /* buffered bytes of the file, buf[0] at file offset buf_off */
	size_t len, pos;
	size_t buf_off;
	uint8_t *owned;    /* the buffer when reading a file (else NULL) */
	size_t cap;
	int fd;            /* -1: a memory image, all of it in buf */
	int eof;           /* nothing more to read: buf holds the rest of the file */
	size_t want;       /* bytes a MORE return needs at pos */
	enum pcapin_format format;
	int swapped;       /* the current file or section is other-endian */
	int lengths_swapped; /* pcap 2.0-2.3: caplen and len may be exchanged */
	struct iface_rec *ifaces;
	size_t n_ifaces, cap_ifaces;
	size_t section_base; /* first interface index of the current pcapng section */
	int failed;
	char err[256];
};

/* ---- link types --------------------------------------------------------- */

static const struct {
	uint32_t linktype;
	int dlt;
} linktype_map[] = {
	{ 100, DLT_ATM_RFC1483 }, { 101, DLT_RAW }, { 102, DLT_SLIP_BSDOS },
	{ 103, DLT_PPP_BSDOS },   { 106, DLT_ATM_CLIP },
};

int pcap_linktype_to_dlt(uint32_t linktype)
{
	for (size_t i = 0; i < sizeof linktype_map / sizeof linktype_map[0]; i++)
		if (linktype_map[i].linktype == linktype)
			return linktype_map[i].dlt;
	return (int)linktype;
}

uint32_t pcap_dlt_to_linktype(int dlt)
{
	for (size_t i = 0; i < sizeof linktype_map / sizeof linktype_map[0]; i++)
		if (linktype_map[i].dlt == dlt)
			return linktype_map[i].linktype;
	return (uint32_t)dlt;
}

uint32_t pcap_max_snaplen(int dlt)
{
	switch (dlt) {
	case DLT_DBUS: return 128u * 1024 * 1024;
	case DLT_EBHSCR: return 8u * 1024 * 1024;
	case DLT_USBPCAP: return 1024u * 1024;
	default: return MAX_SNAPLEN_DEFAULT;
	}
}

/* libpcap's pcap_adjust_snapshot: 0 or an int-overflowing snap length
 * means "the maximum"; anything else is kept, even above the maximum. */
static uint32_t adjust_snaplen(int dlt, uint32_t snaplen)
{
	return snaplen == 0 || snaplen > INT_MAX ? pcap_max_snaplen(dlt) : snaplen;
}

/* ---- helpers -------------------------------------------------------------- */

static int fail(struct pcapin *in, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(in->err, sizeof in->err, fmt, ap);
	va_end(ap);
	in->failed = 1;
	return -1;
}

static uint32_t rd32(const struct pcapin *in, const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return in->swapped ? __builtin_bswap32(v) : v;
}

static uint16_t rd16(const struct pcapin *in, const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return in->swapped ? __builtin_bswap16(v) : v;
}

static size_t left(const struct pcapin *in)
{
	return in->len - in->pos;
}

/* The file offset of pos, for messages. */
static size_t offset(const struct pcapin *in)
{
	return in->buf_off + in->pos;
}

/* 1 when n bytes are buffered at pos, 0 when the file ends before, MORE
 * when a read may bring them (in->want says how many). */
static int have(struct pcapin *in, size_t n)
{
	if (left(in) >= n)
		return 1;
	if (in->eof)
		return 0;
	in->want = n;
	return MORE;
}

/* Moves the unread bytes to the front of the buffer (records handed out
 * before are invalid from here on), grows it to hold want bytes, and
 * reads until it is full or the file ends. */
static int refill(struct pcapin *in, size_t want)
{
	if (in->fd < 0 || in->eof)
		return 0;
	if (in->pos) {
		memmove(in->owned, in->owned + in->pos, left(in));
		in->buf_off += in->pos;
		in->len -= in->pos;
		in->pos = 0;
	}
	if (want > in->cap) {
		uint8_t *grown = realloc(in->owned, want);
		if (!grown)
			return fail(in, "out of memory for a %zu-byte record at byte %zu", want, in->buf_off);
		in->owned = grown;
		in->cap = want;
	}
	in->buf = in->owned;
	while (in->len < in->cap) {
		ssize_t n = read(in->fd, in->owned + in->len, in->cap - in->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(in, "read error at byte %zu: %s", in->buf_off + in->len, strerror(errno));
		if (n == 0) {
			in->eof = 1;
			break;
		}
		in->len += (size_t)n;
	}
	return 0;
}

static struct iface_rec *add_iface(struct pcapin *in)
{
	if (in->n_ifaces == in->cap_ifaces) {
		size_t cap = in->cap_ifaces ? in->cap_ifaces * 2 : 4;
		struct iface_rec *grown = realloc(in->ifaces, cap * sizeof *grown);
		if (!grown)
			return NULL;
		in->ifaces = grown;
		in->cap_ifaces = cap;
	}
	struct iface_rec *r = &in->ifaces[in->n_ifaces++];
	memset(r, 0, sizeof *r);
	r->ts_exp = 6; /* pcapng's default if_tsresol: microseconds */
	return r;
}

static const uint64_t pow10_table[] = {
	1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
	100000000ull, 1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull,
	10000000000000ull, 100000000000000ull, 1000000000000000ull, 10000000000000000ull,
	100000000000000000ull, 1000000000000000000ull, 10000000000000000000ull,
};

/* A timestamp in the interface's units as seconds and nanoseconds, the
 * fraction cut (not rounded) as libpcap's pcapng reader scales it. */
static void units_to_time(const struct iface_rec *r, uint64_t t, struct pcap_record *rec)
{
	uint64_t frac;
	if (r->ts_pow2) {
		uint64_t mask = r->ts_exp ? (~0ull >> (64 - r->ts_exp)) : 0;
		rec->ts_sec = r->ts_exp ? t >> r->ts_exp : t;
		frac = (uint64_t)(((unsigned __int128)(t & mask) * 1000000000u) >> r->ts_exp);
	} else {
		uint64_t per_sec = pow10_table[r->ts_exp];
		rec->ts_sec = t / per_sec;
		frac = t % per_sec;
		frac = r->ts_exp <= 9 ? frac * pow10_table[9 - r->ts_exp]
				      : frac / pow10_table[r->ts_exp - 9];
	}
	rec->ts_sec += (uint64_t)r->ts_offset;
	rec->ts_nsec = (int64_t)frac;
}

/* ---- pcap ------------------------------------------------------------------ */

static int open_pcap(struct pcapin *in, uint32_t magic)
{
	in->format = PCAPIN_PCAP;
	int nano = 0;
	if (magic == __builtin_bswap32(PCAP_MAGIC_MICRO) || magic == __builtin_bswap32(PCAP_MAGIC_NANO)) {
		in->swapped = 1;
		magic = __builtin_bswap32(magic);
	}
	nano = magic == PCAP_MAGIC_NANO;
	if (have(in, PCAP_FILE_HDR) != 1)
		return fail(in, "truncated file header at byte 0: 24 bytes needed, %zu in the file",
			    left(in));
	uint16_t major = rd16(in, in->buf + 4), minor = rd16(in, in->buf + 6);
	/* libpcap reads 2.0 to 2.4; before 2.3 caplen and len were written
	 * in the other order, and 2.3 files may have either (sf-pcap.c). */
	if (major != 2 || minor > 4)
		return fail(in, "unsupported pcap version %u.%u at byte 4 (2.0 to 2.4 are read)",
			    major, minor);
	in->lengths_swapped = minor < 3 ? 2 : minor == 3 ? 1 : 0;
	uint32_t snaplen = rd32(in, in->buf + 16);
	uint32_t linktype = rd32(in, in->buf + 20);
	struct iface_rec *r = add_iface(in);
	if (!r)
		return fail(in, "out of memory");
	/* LT_LINKTYPE / LT_LINKTYPE_EXT: the low 26 bits are the link type,
	 * the high 6 bits FCS information (pcap-common.h). */
	r->pub.dlt = pcap_linktype_to_dlt(linktype & 0x03FFFFFFu);
	r->pub.linktype = linktype;
	r->pub.snaplen = adjust_snaplen(r->pub.dlt, snaplen);
	r->max_caplen = pcap_max_snaplen(r->pub.dlt);
	r->pub.nano = nano;
	r->ts_exp = nano ? 9 : 6;
	in->pos = PCAP_FILE_HDR;
	return 0;
}

static int next_pcap(struct pcapin *in, struct pcap_record *rec)
{
	size_t at = offset(in);
	int h16 = have(in, PCAP_REC_HDR);
	if (h16 != 1)
		return h16 == MORE ? MORE
				   : fail(in, "truncated record header at byte %zu: 16 bytes needed but %zu left",
					  at, left(in));
	const uint8_t *h = in->buf + in->pos;
	uint32_t sec = rd32(in, h), frac = rd32(in, h + 4);
	uint32_t caplen = rd32(in, h + 8), wirelen = rd32(in, h + 12);
	if (in->lengths_swapped == 2 || (in->lengths_swapped == 1 && caplen > wirelen)) {
		uint32_t t = caplen;
		caplen = wirelen;
		wirelen = t;
	}
	const struct iface_rec *r = &in->ifaces[0];
	uint32_t max = r->max_caplen;
	if (caplen > max)
		return fail(in, "invalid record at byte %zu: caplen %u is bigger than the maximum of %u",
			    at, caplen, max);
	int hrec = have(in, PCAP_REC_HDR + (size_t)caplen);
	if (hrec != 1)
		return hrec == MORE ? MORE
				    : fail(in, "truncated record at byte %zu: caplen %u but %zu bytes left",
					   at, caplen, left(in) - PCAP_REC_HDR);
	rec->ts_sec = sec;
	rec->ts_nsec = r->pub.nano ? (int32_t)frac : (int64_t)(int32_t)frac * 1000;
	rec->caplen = caplen > r->pub.snaplen ? r->pub.snaplen : caplen;
	rec->wirelen = wirelen;
	rec->iface = 0;
	rec->data = h + PCAP_REC_HDR;
	in->pos += PCAP_REC_HDR + caplen;
	return 1;
}

/* ---- pcapng ------------------------------------------------------------------ */

/* An IDB's options (code, length, value padded to 4), each checked to lie
 * inside the block; if_tsresol and if_tsoffset are kept, the rest skipped. */
static int parse_idb_options(struct pcapin *in, size_t at, const uint8_t *p, size_t len,
			     struct iface_rec *r)
{
	size_t off = 0;
	while (off + 4 <= len) {
		uint16_t code = rd16(in, p + off), olen = rd16(in, p + off + 2);
		if (code == OPT_ENDOFOPT)
			break;
		size_t padded = ((size_t)olen + 3) & ~(size_t)3;
		if (padded > len - off - 4)
			return fail(in, "IDB at byte %zu: option %u of length %u runs past the block",
				    at, code, olen);
		const uint8_t *v = p + off + 4;
		if (code == OPT_IF_TSRESOL && olen == 1) {
			r->ts_pow2 = (v[0] & 0x80) != 0;
			r->ts_exp = v[0] & 0x7f;
			if ((r->ts_pow2 && r->ts_exp > 63) || (!r->ts_pow2 && r->ts_exp > 19))
				return fail(in, "IDB at byte %zu: if_tsresol %s%u is too fine", at,
					    r->ts_pow2 ? "2^-" : "10^-", r->ts_exp);
		} else if (code == OPT_IF_TSOFFSET && olen == 8) {
			/* A 64-bit option value in the section's byte order. */
			uint64_t raw;
			memcpy(&raw, v, 8);
			r->ts_offset = (int64_t)(in->swapped ? __builtin_bswap64(raw) : raw);
		}
		off += 4 + padded;
	}
	return 0;
}

static int parse_shb(struct pcapin *in, size_t at)
{
	int h = have(in, 28);
	if (h != 1)
		return h == MORE ? MORE
				 : fail(in, "truncated section header block at byte %zu: 28 bytes needed but %zu left",
					at, left(in));
	const uint8_t *b = in->buf + in->pos;
	uint32_t bom;
	memcpy(&bom, b + 8, 4);
	if (bom == NG_BOM)
		in->swapped = 0;
	else if (bom == __builtin_bswap32(NG_BOM))
		in->swapped = 1;
	else
		return fail(in, "section header block at byte %zu: bad byte-order magic 0x%08x", at,
			    bom);
	uint16_t major = rd16(in, b + 12), minor = rd16(in, b + 14);
	/* libpcap reads 1.0, and 1.2 which some writers produced. */
	if (major != 1 || (minor != 0 && minor != 2))
		return fail(in, "section header block at byte %zu: unsupported pcapng version %u.%u",
			    at, major, minor);
	in->section_base = in->n_ifaces;
	return 0;
}

static int parse_idb(struct pcapin *in, size_t at, const uint8_t *body, size_t len)
{
	if (len < 8)
		return fail(in, "interface description block at byte %zu: %zu bytes of body, 8 needed",
			    at, len);
	struct iface_rec *r = add_iface(in);
	if (!r)
		return fail(in, "out of memory");
	r->pub.linktype = rd16(in, body);
	r->pub.dlt = pcap_linktype_to_dlt(r->pub.linktype);
	r->pub.snaplen = adjust_snaplen(r->pub.dlt, rd32(in, body + 4));
	r->max_caplen = pcap_max_snaplen(r->pub.dlt);
	return parse_idb_options(in, at, body + 8, len - 8, r);
}

/* The interface a packet block names, checked. */
static const struct iface_rec *packet_iface(struct pcapin *in, size_t at, const char *what,
					    uint32_t id)
{
	size_t n = in->n_ifaces - in->section_base;
	if (id >= n) {
		fail(in, "%s at byte %zu: interface %u is not described (%zu interface%s in this section)",
		     what, at, id, n, n == 1 ? "" : "s");
		return NULL;
	}
	return &in->ifaces[in->section_base + id];
}

static int packet_data(struct pcapin *in, size_t at, const char *what, const struct iface_rec *r,
		       uint32_t caplen, size_t room, struct pcap_record *rec)
{
	uint32_t max = r->max_caplen;
	if (caplen > max)
		return fail(in, "invalid %s at byte %zu: caplen %u is bigger than the maximum of %u",
			    what, at, caplen, max);
	if (caplen > room)
		return fail(in, "truncated %s at byte %zu: caplen %u but the block holds %zu bytes",
			    what, at, caplen, room);
	rec->caplen = caplen > r->pub.snaplen ? r->pub.snaplen : caplen;
	rec->iface = (uint32_t)(r - in->ifaces);
	return 1;
}

/* One block at in->pos: 1 with a record, 0 with none (block consumed), -1. */
static int next_pcapng(struct pcapin *in, struct pcap_record *rec)
{
	size_t at = offset(in);
	int h = have(in, 8);
	if (h != 1)
		return h == MORE ? MORE
				 : fail(in, "truncated block header at byte %zu: 8 bytes needed but %zu left",
					at, left(in));
	const uint8_t *b = in->buf + in->pos;
	uint32_t type;
	memcpy(&type, b, 4); /* the SHB's type reads the same in both byte orders */
	if (type == NG_SHB) {
		int rc = parse_shb(in, at);
		if (rc)
			return rc;
		b = in->buf + in->pos; /* a MORE above may have moved the buffer */
	} else {
		type = rd32(in, b);
	}
	uint32_t total = rd32(in, b + 4);
	if (total < NG_MIN_BLOCK || total % 4)
		return fail(in, "block at byte %zu: impossible length %u (at least 12, a multiple of 4)",
			    at, total);
	if (total > MAX_BLOCK)
		return fail(in, "block at byte %zu: length %u is larger than the maximum of %u", at,
			    total, MAX_BLOCK);
	h = have(in, total);
	if (h != 1)
		return h == MORE ? MORE
				 : fail(in, "truncated block at byte %zu: length %u but %zu bytes left", at,
					total, left(in));
	b = in->buf + in->pos;
	if (rd32(in, b + total - 4) != total)
		return fail(in, "block at byte %zu: trailing length %u differs from the leading %u", at,
			    rd32(in, b + total - 4), total);
	const uint8_t *body = b + 8;
	size_t len = total - NG_MIN_BLOCK;
	in->pos += total;
	const struct iface_rec *r;
	switch (type) {
	case NG_SHB:
		return 0;
	case NG_IDB:
		return parse_idb(in, at, body, len) ? -1 : 0;
	case NG_EPB:
		if (len < 20)
			return fail(in, "enhanced packet block at byte %zu: %zu bytes of body, 20 needed",
				    at, len);
		if (!(r = packet_iface(in, at, "enhanced packet block", rd32(in, body))))
			return -1;
		units_to_time(r, (uint64_t)rd32(in, body + 4) << 32 | rd32(in, body + 8), rec);
		rec->wirelen = rd32(in, body + 16);
		rec->data = body + 20;
		return packet_data(in, at, "enhanced packet block", r, rd32(in, body + 12), len - 20,
				   rec);
	case NG_PB:
		if (len < 20)
			return fail(in, "packet block at byte %zu: %zu bytes of body, 20 needed", at, len);
		if (!(r = packet_iface(in, at, "packet block", rd16(in, body))))
			return -1;
		units_to_time(r, (uint64_t)rd32(in, body + 4) << 32 | rd32(in, body + 8), rec);
		rec->wirelen = rd32(in, body + 16);
		rec->data = body + 20;
		return packet_data(in, at, "packet block", r, rd32(in, body + 12), len - 20, rec);
	case NG_SPB: {
		if (len < 4)
			return fail(in, "simple packet block at byte %zu: %zu bytes of body, 4 needed", at,
				    len);
		if (!(r = packet_iface(in, at, "simple packet block", 0)))
			return -1;
		/* The captured length is implicit: the original length, cut
		 * to the snap length (RFC draft, section 4.4). */
		uint32_t wirelen = rd32(in, body);
		uint32_t caplen = wirelen < r->pub.snaplen ? wirelen : r->pub.snaplen;
		rec->ts_sec = 0;
		rec->ts_nsec = 0;
		rec->wirelen = wirelen;
		rec->data = body + 4;
		return packet_data(in, at, "simple packet block", r, caplen, len - 4, rec);
	}
	default:
		return 0; /* name resolution, statistics, custom...: not packets */
	}
}

/* ---- the API ------------------------------------------------------------------- */

int pcapin_next_batch(struct pcapin *in, struct pcap_record *recs, int max)
{
	/* Refill only when a quarter of the buffer is left: compacting moves
	 * the unread bytes, and moving half the buffer each batch showed in
	 * profiles. */
	if (in->failed || (left(in) < in->cap / 4 && refill(in, 0)))
		return -1;
	int n = 0;
	while (n < max && !(in->eof && left(in) == 0)) {
		int rc = in->format == PCAPIN_PCAP ? next_pcap(in, &recs[n]) : next_pcapng(in, &recs[n]);
		if (rc == MORE) {
			/* Records already in recs point into the buffer: hand
			 * them out before it moves. */
			if (n > 0)
				break;
			if (refill(in, in->want))
				return -1;
			continue;
		}
		if (rc < 0)
			return n > 0 ? n : -1; /* the damage is reported on the next call */
		n += rc;
	}
	return n;
}

static int open_image(struct pcapin *in, char *err, size_t errlen)
{
	uint32_t magic = 0;
	if (refill(in, 0)) {
		snprintf(err, errlen, "%s", in->err);
		return -1;
	}
	if (have(in, 4) != 1) {
		snprintf(err, errlen, "truncated file header at byte 0: 4 bytes needed, %zu in the file",
			 left(in));
		return -1;
	}
	memcpy(&magic, in->buf, 4);
	int rc;
	if (magic == NG_SHB) {
		in->format = PCAPIN_PCAPNG;
		/* As libpcap does, read up to the first interface description
		 * so the file's first link type and snap length are known;
		 * a packet before it is an error (packet_iface). */
		struct pcap_record early;
		rc = 0;
		while (rc == 0 && in->n_ifaces == 0 && !(in->eof && left(in) == 0)) {
			rc = next_pcapng(in, &early);
			if (rc == MORE)
				rc = refill(in, in->want);
		}
		if (rc == 0 && in->n_ifaces == 0)
			rc = fail(in, "no interface description block before byte %zu, the end of the file",
				  offset(in));
	} else if (magic == PCAP_MAGIC_MICRO || magic == PCAP_MAGIC_NANO ||
		   magic == __builtin_bswap32(PCAP_MAGIC_MICRO) ||
		   magic == __builtin_bswap32(PCAP_MAGIC_NANO)) {
		rc = open_pcap(in, magic);
	} else {
		snprintf(err, errlen, "unknown file format at byte 0: magic 0x%08x is neither pcap nor pcapng",
			 __builtin_bswap32(magic));
		return -1;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s", in->err);
		return -1;
	}
	return 0;
}

static struct pcapin *new_reader(void)
{
	return calloc(1, sizeof(struct pcapin));
}

int pcapin_open_memory(const uint8_t *data, size_t size, struct pcapin **out, char *err,
		       size_t errlen)
{
	struct pcapin *in = new_reader();
	if (!in) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	in->fd = -1;
	in->eof = 1;
	in->buf = data;
	in->len = size;
	if (open_image(in, err, errlen)) {
		pcapin_close(in);
		return -1;
	}
	*out = in;
	return 0;
}

int pcapin_open(const char *path, struct pcapin **out, char *err, size_t errlen)
{
	int is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	struct pcapin *in = new_reader();
	uint8_t *buf = malloc(READ_BUF);
	if (!in || !buf) {
		free(in);
		free(buf);
		if (!is_stdin)
			close(fd);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	in->fd = fd;
	in->owned = buf;
	in->buf = buf;
	in->cap = READ_BUF;
	if (open_image(in, err, errlen)) {
		pcapin_close(in);
		return -1;
	}
	*out = in;
	return 0;
}

enum pcapin_format pcapin_format(const struct pcapin *in)
{
	return in->format;
}

size_t pcapin_iface_count(const struct pcapin *in)
{
	return in->n_ifaces;
}

const struct pcapin_iface *pcapin_iface(const struct pcapin *in, size_t i)
{
	return i < in->n_ifaces ? &in->ifaces[i].pub : NULL;
}

const char *pcapin_error(const struct pcapin *in)
{
	return in->err;
}

void pcapin_close(struct pcapin *in)
{
	if (!in)
		return;
	if (in->fd > 0)
		close(in->fd);
	free(in->owned);
	free(in->ifaces);
	free(in);
}
