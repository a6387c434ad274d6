/* A minimal writer of classic microsecond pcap files for the corpus generator.
 *
 * Our own writer rather than pcap_dump so the bytes do not depend on the
 * host's endianness or libpcap version: every field is written little-endian
 * (magic 0xa1b2c3d4 read back as d4 c3 b2 a1), which every reader accepts.
 * Layout: draft-ietf-opsawg-pcap section 4 (file header) and 5 (records). */
#ifndef BPFCAP_CORPUS_PCAP_H
#define BPFCAP_CORPUS_PCAP_H

#include <stdint.h>
#include <stdio.h>

#define PCAP_MAGIC_USEC   0xa1b2c3d4u
#define PCAP_VERSION_MAJ  2
#define PCAP_VERSION_MIN  4
#define PCAP_SNAPLEN      262144u
/* Fixed start time (2023-11-14 22:13:20 UTC) so runs are byte-identical. */
#define PCAP_BASE_SEC     1700000000u

struct pcap_out {
	FILE *f;
	const char *path;
	uint32_t linktype;
	unsigned long npkts;
	uint64_t ts_usec;       /* microseconds since PCAP_BASE_SEC */
	int failed;
};

static inline void pcap_put_le32(FILE *f, uint32_t v)
{
	uint8_t b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
	fwrite(b, 1, 4, f);
}

static inline void pcap_put_le16(FILE *f, uint16_t v)
{
	uint8_t b[2] = { v & 0xff, v >> 8 };
	fwrite(b, 1, 2, f);
}

/* Open PATH and write the 24-byte file header; 0 on success. */
static inline int pcap_out_open(struct pcap_out *o, const char *path, uint32_t linktype)
{
	o->f = fopen(path, "wb");
	o->path = path;
	o->linktype = linktype;
	o->npkts = 0;
	o->ts_usec = 0;
	o->failed = 0;
	if (!o->f) {
		perror(path);
		return -1;
	}
	pcap_put_le32(o->f, PCAP_MAGIC_USEC);
	pcap_put_le16(o->f, PCAP_VERSION_MAJ);
	pcap_put_le16(o->f, PCAP_VERSION_MIN);
	pcap_put_le32(o->f, 0);          /* reserved (was thiszone) */
	pcap_put_le32(o->f, 0);          /* reserved (was sigfigs) */
	pcap_put_le32(o->f, PCAP_SNAPLEN);
	pcap_put_le32(o->f, linktype);
	return 0;
}

/* One record: CAPLEN bytes of DATA from a packet WIRELEN long on the wire.
 * Timestamps advance by an irregular but fixed step so time filters and
 * readers see strictly increasing, never-equal times. */
static inline void pcap_out_record(struct pcap_out *o, const uint8_t *data,
				   uint32_t caplen, uint32_t wirelen)
{
	o->ts_usec += 1000 + (o->npkts % 7) * 37;
	pcap_put_le32(o->f, PCAP_BASE_SEC + (uint32_t)(o->ts_usec / 1000000));
	pcap_put_le32(o->f, (uint32_t)(o->ts_usec % 1000000));
	pcap_put_le32(o->f, caplen);
	pcap_put_le32(o->f, wirelen);
	if (caplen && fwrite(data, 1, caplen, o->f) != caplen)
		o->failed = 1;
	o->npkts++;
}

static inline int pcap_out_close(struct pcap_out *o)
{
	int bad = o->failed || ferror(o->f);
	if (fclose(o->f) != 0)
		bad = 1;
	if (bad)
		fprintf(stderr, "%s: write error\n", o->path);
	return bad ? -1 : 0;
}

#endif
