/* pcap and pcapng writers with one buffer and whole-record recovery.
 *
 * pcap: the 24-byte file header then a 16-byte header per record, host
 * byte order, exactly as libpcap's pcap_dump_open/pcap_dump write them
 * (sf-pcap.c): version 2.4, thiszone and sigfigs 0, the input's snap
 * length and link type (with its FCS bits).  Timestamps are cut, not
 * rounded, to microseconds unless nanoseconds were asked for.
 *
 * pcapng (draft-ietf-opsawg-pcapng): SHB version 1.0 with an unknown
 * section length and shb_userappl; an IDB per input interface with
 * if_filter (the expression, type 0: a libpcap filter string) and
 * if_tsresol 9 for nanoseconds; EPBs without options. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcap_write.h"

#define BUF_SIZE (1u << 20)

#define PCAP_MAGIC_MICRO 0xa1b2c3d4u
#define PCAP_MAGIC_NANO  0xa1b23c4du

#define NG_SHB 0x0A0D0D0Au
#define NG_IDB 0x00000001u
#define NG_EPB 0x00000006u
#define NG_BOM 0x1A2B3C4Du

#define OPT_ENDOFOPT     0
#define OPT_SHB_USERAPPL 4
#define OPT_IF_TSRESOL   9
#define OPT_IF_FILTER    11

#define NO_IFACE UINT32_MAX

struct pcapout {
	int fd;
	const char *name;
	struct pcapout_opts opts;
	int dlt;                  /* pcap: the file's one link type */
	uint8_t *buf;
	size_t len, cap;
	size_t buf_prefix;        /* pcap: the file header at the start of buf, not a record */
	uint64_t flushed;         /* bytes already in the file */
	uint32_t *out_iface;      /* pcapng: input interface -> IDB number, NO_IFACE */
	size_t n_map;
	uint32_t n_idb;
	int broken;               /* a write failed: refuse further records */
};

static int reserve(struct pcapout *w, size_t n, char *err, size_t errlen)
{
	if (w->cap - w->len >= n)
		return 0;
	if (pcapout_flush(w, err, errlen))
		return -1;
	if (w->cap >= n)
		return 0;
	/* A record bigger than the buffer: grow it, so the buffer always
	 * holds whole records (what recovery after a failed write needs). */
	uint8_t *grown = realloc(w->buf, n);
	if (!grown) {
		snprintf(err, errlen, "%s: out of memory", w->name);
		return -1;
	}
	w->buf = grown;
	w->cap = n;
	return 0;
}

static void put(struct pcapout *w, const void *p, size_t n)
{
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void put32(struct pcapout *w, uint32_t v)
{
	put(w, &v, 4);
}

static void put16(struct pcapout *w, uint16_t v)
{
	put(w, &v, 2);
}

static void put_zeros(struct pcapout *w, size_t n)
{
	memset(w->buf + w->len, 0, n);
	w->len += n;
}

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* One pcapng option (code, length, value, padding). */
static void put_option(struct pcapout *w, uint16_t code, const void *v, uint16_t len)
{
	put16(w, code);
	put16(w, len);
	put(w, v, len);
	put_zeros(w, pad4(len) - len);
}

static size_t option_size(size_t len)
{
	return 4 + pad4(len);
}

/* ---- recovery: how much of a failed buffer is whole records ---------------- */

static size_t unit_length(const struct pcapout *w, size_t off)
{
	uint32_t v;
	if (w->opts.pcapng) {
		memcpy(&v, w->buf + off + 4, 4); /* block total length */
		return v;
	}
	memcpy(&v, w->buf + off + 8, 4); /* caplen */
	return 16 + (size_t)v;
}

static size_t whole_units(const struct pcapout *w, size_t written)
{
	size_t off = w->buf_prefix;
	if (written < off)
		return 0;
	while (off < w->len) {
		size_t n = unit_length(w, off);
		if (off + n > written)
			break;
		off += n;
	}
	return off;
}

int pcapout_flush(struct pcapout *w, char *err, size_t errlen)
{
	if (w->broken) {
		snprintf(err, errlen, "%s: an earlier write failed", w->name);
		return -1;
	}
	size_t done = 0;
	while (done < w->len) {
		ssize_t n = write(w->fd, w->buf + done, w->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : ENOSPC;
			size_t keep = whole_units(w, done);
			/* Cut a partly written record off (regular files only;
			 * a pipe or device cannot be cut and says so by failing). */
			if (keep < done)
				(void)!ftruncate(w->fd, (off_t)(w->flushed + keep));
			w->broken = 1;
			snprintf(err, errlen, "%s: write error after byte %llu: %s", w->name,
				 (unsigned long long)(w->flushed + keep), strerror(e));
			return -1;
		}
		done += (size_t)n;
	}
	w->flushed += w->len;
	w->len = 0;
	w->buf_prefix = 0;
	return 0;
}

/* ---- file and section headers ------------------------------------------------- */

static void put_pcap_header(struct pcapout *w, const struct pcapin_iface *first)
{
	put32(w, w->opts.nano ? PCAP_MAGIC_NANO : PCAP_MAGIC_MICRO);
	put16(w, 2);
	put16(w, 4);
	put32(w, 0); /* thiszone */
	put32(w, 0); /* sigfigs */
	put32(w, first->snaplen);
	/* libpcap writes dlt_to_linktype(linktype) | linktype_ext. */
	put32(w, pcap_dlt_to_linktype(first->dlt) | (first->linktype & 0xFC000000u));
	w->buf_prefix = 24;
}

static void put_shb(struct pcapout *w)
{
	const size_t appl = strlen(BPFCAP_USERAPPL);
	uint32_t total = (uint32_t)(12 + 16 + option_size(appl) + 4);
	put32(w, NG_SHB);
	put32(w, total);
	put32(w, NG_BOM);
	put16(w, 1);
	put16(w, 0);
	put32(w, 0xFFFFFFFFu); /* section length: not given (-1) */
	put32(w, 0xFFFFFFFFu);
	put_option(w, OPT_SHB_USERAPPL, BPFCAP_USERAPPL, (uint16_t)appl);
	put32(w, 0); /* opt_endofopt */
	put32(w, total);
}

static int put_idb(struct pcapout *w, const struct pcapin_iface *iface, char *err, size_t errlen)
{
	const char *f = w->opts.filter && *w->opts.filter ? w->opts.filter : NULL;
	size_t flen = f ? strlen(f) + 1 : 0; /* type byte + string */
	if (flen > 65535)
		flen = 0; /* an option holds at most 65,535 bytes: leave it out */
	size_t total = 12 + 8 + (flen ? option_size(flen) : 0) +
		       (w->opts.nano ? option_size(1) : 0) + 4;
	if (reserve(w, total, err, errlen))
		return -1;
	put32(w, NG_IDB);
	put32(w, (uint32_t)total);
	put16(w, (uint16_t)pcap_dlt_to_linktype(iface->dlt));
	put16(w, 0);
	put32(w, iface->snaplen);
	if (flen) {
		put16(w, OPT_IF_FILTER);
		put16(w, (uint16_t)flen);
		uint8_t type = 0; /* a libpcap filter string */
		put(w, &type, 1);
		put(w, f, flen - 1);
		put_zeros(w, pad4(flen) - flen);
	}
	if (w->opts.nano) {
		uint8_t resol = 9;
		put_option(w, OPT_IF_TSRESOL, &resol, 1);
	}
	put32(w, 0);
	put32(w, (uint32_t)total);
	return 0;
}

int pcapout_open(int fd, const char *name, const struct pcapout_opts *o,
		 const struct pcapin_iface *first, struct pcapout **out, char *err, size_t errlen)
{
	struct pcapout *w = calloc(1, sizeof *w);
	uint8_t *buf = malloc(BUF_SIZE);
	if (!w || !buf) {
		free(w);
		free(buf);
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	w->fd = fd;
	w->name = name;
	w->opts = *o;
	w->buf = buf;
	w->cap = BUF_SIZE;
	w->dlt = first->dlt;
	if (o->pcapng)
		put_shb(w);
	else
		put_pcap_header(w, first);
	*out = w;
	return 0;
}

/* ---- records -------------------------------------------------------------------- */

static uint32_t iface_id(struct pcapout *w, uint32_t index, const struct pcapin_iface *iface,
			 char *err, size_t errlen)
{
	if (index >= w->n_map) {
		size_t n = (size_t)index + 1 > w->n_map * 2 ? (size_t)index + 1 : w->n_map * 2;
		uint32_t *grown = realloc(w->out_iface, n * sizeof *grown);
		if (!grown) {
			snprintf(err, errlen, "%s: out of memory", w->name);
			return NO_IFACE;
		}
		for (size_t i = w->n_map; i < n; i++)
			grown[i] = NO_IFACE;
		w->out_iface = grown;
		w->n_map = n;
	}
	if (w->out_iface[index] == NO_IFACE) {
		if (put_idb(w, iface, err, errlen))
			return NO_IFACE;
		w->out_iface[index] = w->n_idb++;
	}
	return w->out_iface[index];
}

static int write_pcapng(struct pcapout *w, const struct pcap_record *r, uint32_t index,
			const struct pcapin_iface *iface, char *err, size_t errlen)
{
	uint32_t id = iface_id(w, index, iface, err, errlen);
	if (id == NO_IFACE)
		return -1;
	size_t total = 12 + 20 + pad4(r->caplen); /* 12: type, length, trailing length */
	if (reserve(w, total, err, errlen))
		return -1;
	uint64_t t = w->opts.nano ? r->ts_sec * 1000000000u + (uint64_t)r->ts_nsec
				  : r->ts_sec * 1000000u + (uint64_t)(r->ts_nsec / 1000);
	put32(w, NG_EPB);
	put32(w, (uint32_t)total);
	put32(w, id);
	put32(w, (uint32_t)(t >> 32));
	put32(w, (uint32_t)t);
	put32(w, r->caplen);
	put32(w, r->wirelen);
	put(w, r->data, r->caplen);
	put_zeros(w, pad4(r->caplen) - r->caplen);
	put32(w, (uint32_t)total);
	return 0;
}

static int write_pcap(struct pcapout *w, const struct pcap_record *r,
		      const struct pcapin_iface *iface, char *err, size_t errlen)
{
	if (iface->dlt != w->dlt) {
		snprintf(err, errlen,
			 "%s: a packet of link type %d follows packets of link type %d, and a pcap "
			 "file has one link type: write pcapng (--pcapng)",
			 w->name, iface->dlt, w->dlt);
		return -1;
	}
	if (reserve(w, 16 + (size_t)r->caplen, err, errlen))
		return -1;
	uint32_t hdr[4] = {
		(uint32_t)r->ts_sec,
		/* C's division truncates toward zero, as libpcap's scaling of
		 * a negative fraction does. */
		(uint32_t)(w->opts.nano ? r->ts_nsec : r->ts_nsec / 1000),
		r->caplen,
		r->wirelen,
	};
	put(w, hdr, sizeof hdr);
	put(w, r->data, r->caplen);
	return 0;
}

int pcapout_write(struct pcapout *w, const struct pcap_record *rec, uint32_t iface_index,
		  const struct pcapin_iface *iface, char *err, size_t errlen)
{
	if (w->broken) {
		snprintf(err, errlen, "%s: an earlier write failed", w->name);
		return -1;
	}
	return w->opts.pcapng ? write_pcapng(w, rec, iface_index, iface, err, errlen)
			      : write_pcap(w, rec, iface, err, errlen);
}

uint64_t pcapout_size(const struct pcapout *w)
{
	return w->flushed + w->len;
}

int pcapout_close(struct pcapout *w, char *err, size_t errlen)
{
	if (!w)
		return 0;
	int rc = pcapout_flush(w, err, errlen); /* says so when an earlier write failed */
	if (w->fd > 2 && close(w->fd) && rc == 0) {
		snprintf(err, errlen, "%s: %s", w->name, strerror(errno));
		rc = -1;
	}
	free(w->buf);
	free(w->out_iface);
	free(w);
	return rc;
}
