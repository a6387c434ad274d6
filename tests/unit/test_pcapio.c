/* test_pcapio: capture/'s file readers, writers and rotation.
 * Round trips through files (pcap micro/nano, pcapng with two link types),
 * hand-built inputs the writers never produce (other byte order, a second
 * other-endian pcapng section, if_tsresol/if_tsoffset, caplen above the
 * snap length, records bigger than the read buffer), damage after good
 * records, a write that fails half way (RLIMIT_FSIZE), and -C/-G/-W with a
 * clock the test drives. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pcap_read.h"
#include "pcap_write.h"
#include "rotate.h"

#define DLT_EN10MB 1
#define DLT_RAW 12
#define DLT_USBPCAP 249

static char dir[] = "/tmp/test_pcapio.XXXXXX";

static void setup(void)
{
	strcpy(dir, "/tmp/test_pcapio.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *path_of(const char *name)
{
	static char p[4][512];
	static int i;
	i = (i + 1) % 4;
	snprintf(p[i], sizeof p[i], "%s/%s", dir, name);
	return p[i];
}

static uint8_t payload[300000];

static struct pcap_record rec(uint64_t sec, int64_t nsec, uint32_t caplen, uint32_t wirelen)
{
	for (size_t i = 0; i < sizeof payload; i++)
		payload[i] = (uint8_t)(i * 7 + 3);
	return (struct pcap_record){ .ts_sec = sec, .ts_nsec = nsec, .caplen = caplen,
				     .wirelen = wirelen, .data = payload };
}

/* Writes n records of increasing size to path; returns 0 or -1. */
static int write_file(const char *path, const struct pcapout_opts *o, const struct pcapin_iface *ifs,
		      const uint32_t *iface_of, int n)
{
	char err[256];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	struct pcapout *w;
	ck_assert_int_eq(pcapout_open(fd, path, o, &ifs[0], &w, err, sizeof err), 0);
	for (int i = 0; i < n; i++) {
		struct pcap_record r = rec(1700000000u + (uint64_t)i, 123456789 + i, 60 + (uint32_t)i, 100 + (uint32_t)i);
		uint32_t k = iface_of ? iface_of[i] : 0;
		if (pcapout_write(w, &r, k, &ifs[k], err, sizeof err)) {
			pcapout_close(w, err, sizeof err);
			return -1;
		}
	}
	return pcapout_close(w, err, sizeof err);
}

/* Reads every record of path into out (max n); returns the count, or -1
 * on damage with the message in err. */
static int read_file(const char *path, struct pcap_record *out, int n, struct pcapin **inp, char *err)
{
	struct pcapin *in;
	ck_assert_msg(pcapin_open(path, &in, err, 256) == 0, "open %s: %s", path, err);
	static struct pcap_record batch[4];
	int total = 0, k;
	while ((k = pcapin_next_batch(in, batch, 4)) > 0)
		for (int i = 0; i < k && total < n; i++)
			out[total++] = batch[i]; /* data pointers are not kept */
	if (k < 0)
		snprintf(err, 256, "%s", pcapin_error(in));
	*inp = in;
	return k < 0 ? -1 : total;
}

START_TEST(pcap_round_trip_micro_and_nano)
{
	for (int nano = 0; nano <= 1; nano++) {
		struct pcapin_iface ifs[1] = { { .dlt = DLT_EN10MB, .linktype = 1, .snaplen = 65535 } };
		struct pcapout_opts o = { .nano = nano };
		const char *p = path_of(nano ? "n.pcap" : "u.pcap");
		ck_assert_int_eq(write_file(p, &o, ifs, NULL, 10), 0);
		struct pcap_record got[10];
		char err[256];
		struct pcapin *in;
		ck_assert_int_eq(read_file(p, got, 10, &in, err), 10);
		ck_assert_int_eq(pcapin_format(in), PCAPIN_PCAP);
		ck_assert_int_eq(pcapin_iface(in, 0)->nano, nano);
		ck_assert_uint_eq(pcapin_iface(in, 0)->snaplen, 65535);
		for (int i = 0; i < 10; i++) {
			ck_assert_uint_eq(got[i].ts_sec, 1700000000u + (uint64_t)i);
			/* microseconds are cut, not rounded */
			ck_assert_int_eq(got[i].ts_nsec, nano ? 123456789 + i : (123456789 + i) / 1000 * 1000);
			ck_assert_uint_eq(got[i].caplen, 60 + (uint32_t)i);
			ck_assert_uint_eq(got[i].wirelen, 100 + (uint32_t)i);
		}
		pcapin_close(in);
	}
}
END_TEST

START_TEST(pcapng_two_link_types)
{
	struct pcapin_iface ifs[2] = {
		{ .dlt = DLT_EN10MB, .linktype = 1, .snaplen = 262144 },
		{ .dlt = DLT_RAW, .linktype = 101, .snaplen = 1500 },
	};
	const uint32_t iface_of[6] = { 1, 0, 1, 1, 0, 1 };
	struct pcapout_opts o = { .pcapng = 1, .nano = 1, .filter = "ip or ip6" };
	const char *p = path_of("x.pcapng");
	ck_assert_int_eq(write_file(p, &o, ifs, iface_of, 6), 0);
	struct pcap_record got[6];
	char err[256];
	struct pcapin *in;
	ck_assert_int_eq(read_file(p, got, 6, &in, err), 6);
	ck_assert_int_eq(pcapin_format(in), PCAPIN_PCAPNG);
	/* IDBs come in first-use order: the RAW interface first. */
	ck_assert_uint_eq(pcapin_iface_count(in), 2);
	ck_assert_int_eq(pcapin_iface(in, 0)->dlt, DLT_RAW);
	ck_assert_int_eq(pcapin_iface(in, 1)->dlt, DLT_EN10MB);
	for (int i = 0; i < 6; i++) {
		ck_assert_uint_eq(got[i].iface, iface_of[i] == 1 ? 0 : 1);
		ck_assert_int_eq(got[i].ts_nsec, 123456789 + i); /* if_tsresol 9 kept them */
	}
	pcapin_close(in);
	/* The same input written as pcap: refused at the first other link type. */
	struct pcapout_opts po = { 0 };
	ck_assert_int_eq(write_file(path_of("x.pcap"), &po, ifs, iface_of, 6), -1);
}
END_TEST

/* ---- hand-built inputs ------------------------------------------------------- */

struct img {
	uint8_t b[8192];
	size_t n;
	int swap;
};

static void put(struct img *m, const void *p, size_t n)
{
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void p32(struct img *m, uint32_t v)
{
	if (m->swap)
		v = __builtin_bswap32(v);
	put(m, &v, 4);
}

static void p16(struct img *m, uint16_t v)
{
	if (m->swap)
		v = __builtin_bswap16(v);
	put(m, &v, 2);
}

static int read_mem(const struct img *m, struct pcap_record *out, int n, struct pcapin **inp)
{
	char err[256];
	ck_assert_msg(pcapin_open_memory(m->b, m->n, inp, err, sizeof err) == 0, "%s", err);
	int total = 0, k;
	while ((k = pcapin_next_batch(*inp, out + total, n - total)) > 0)
		total += k;
	return k < 0 ? -total - 1 : total;
}

START_TEST(pcap_other_byte_order_and_snaplen_cut)
{
	struct img m = { .swap = 1 };
	uint32_t h[] = { 0xa1b23c4d, 0x00020004, 0, 0, 40, 1 };
	p32(&m, h[0]);
	p16(&m, 2);
	p16(&m, 4);
	p32(&m, 0);
	p32(&m, 0);
	p32(&m, 40); /* snaplen */
	p32(&m, 1);
	for (uint32_t cap = 0; cap <= 60; cap += 60) { /* a zero-length record, then 60 > snaplen */
		p32(&m, 5);
		p32(&m, 999999999);
		p32(&m, cap);
		p32(&m, 60);
		put(&m, payload, cap);
	}
	struct pcap_record r[4];
	struct pcapin *in;
	ck_assert_int_eq(read_mem(&m, r, 4, &in), 2);
	ck_assert_uint_eq(r[0].caplen, 0);
	ck_assert_uint_eq(r[1].caplen, 40); /* cut to the snap length, as libpcap */
	ck_assert_uint_eq(r[1].wirelen, 60);
	ck_assert_int_eq(r[1].ts_nsec, 999999999);
	ck_assert_uint_eq(r[1].ts_sec, 5);
	pcapin_close(in);
}
END_TEST

static void shb(struct img *m)
{
	p32(m, 0x0A0D0D0A);
	p32(m, 28);
	p32(m, 0x1A2B3C4D);
	p16(m, 1);
	p16(m, 0);
	p32(m, 0xffffffff);
	p32(m, 0xffffffff);
	p32(m, 28);
}

static void idb_resol(struct img *m, uint16_t lt, uint8_t resol, int64_t offset)
{
	p32(m, 1);
	p32(m, 44);
	p16(m, lt);
	p16(m, 0);
	p32(m, 0);
	p16(m, 9); /* if_tsresol */
	p16(m, 1);
	uint8_t v[4] = { resol, 0, 0, 0 };
	put(m, v, 4);
	p16(m, 14); /* if_tsoffset */
	p16(m, 8);
	uint64_t o = (uint64_t)offset;
	if (m->swap)
		o = __builtin_bswap64(o);
	put(m, &o, 8);
	p16(m, 0);
	p16(m, 0);
	p32(m, 44);
}

static void epb(struct img *m, uint32_t iface, uint64_t ts)
{
	p32(m, 6);
	p32(m, 36);
	p32(m, iface);
	p32(m, (uint32_t)(ts >> 32));
	p32(m, (uint32_t)ts);
	p32(m, 4);
	p32(m, 4);
	put(m, payload, 4);
	p32(m, 36);
}

START_TEST(pcapng_sections_resolutions_offsets)
{
	struct img m = { 0 };
	shb(&m);
	idb_resol(&m, 1, 3, 100);          /* milliseconds, +100 s */
	epb(&m, 0, 1234567);                /* 1234.567 s */
	m.swap = 1;                          /* a second section, other-endian */
	shb(&m);
	idb_resol(&m, 101, 0x80 | 10, 0);   /* 2^-10 s */
	epb(&m, 0, 3 * 1024 + 512);         /* 3.5 s */
	struct pcap_record r[4];
	struct pcapin *in;
	ck_assert_int_eq(read_mem(&m, r, 4, &in), 2);
	ck_assert_uint_eq(r[0].ts_sec, 1334);
	ck_assert_int_eq(r[0].ts_nsec, 567000000);
	ck_assert_uint_eq(r[0].iface, 0);
	ck_assert_uint_eq(r[1].ts_sec, 3);
	ck_assert_int_eq(r[1].ts_nsec, 500000000);
	ck_assert_uint_eq(r[1].iface, 1); /* numbered across sections */
	ck_assert_int_eq(pcapin_iface(in, 1)->dlt, DLT_RAW);
	ck_assert_uint_eq(pcapin_iface(in, 1)->snaplen, 262144); /* 0 means the maximum */
	pcapin_close(in);
}
END_TEST

START_TEST(damage_after_good_records)
{
	struct img m = { 0 };
	shb(&m);
	idb_resol(&m, 1, 6, 0);
	for (int i = 0; i < 5; i++)
		epb(&m, 0, 1000);
	size_t bad = m.n;
	epb(&m, 7, 1000);
	struct pcap_record r[16];
	struct pcapin *in;
	char err[256];
	ck_assert_int_eq(pcapin_open_memory(m.b, m.n, &in, err, sizeof err), 0);
	ck_assert_int_eq(pcapin_next_batch(in, r, 16), 5); /* the good ones first */
	ck_assert_int_eq(pcapin_next_batch(in, r, 16), -1);
	char want[64];
	snprintf(want, sizeof want, "at byte %zu: interface 7", bad);
	ck_assert_msg(strstr(pcapin_error(in), want), "'%s' lacks '%s'", pcapin_error(in), want);
	ck_assert_int_eq(pcapin_next_batch(in, r, 16), -1); /* and it stays failed */
	pcapin_close(in);
}
END_TEST

START_TEST(record_bigger_than_the_read_buffer)
{
	/* USBPCAP allows 1 MiB records; 300,000 bytes is past the 256 KiB buffer. */
	struct pcapin_iface ifs[1] = { { .dlt = DLT_USBPCAP, .linktype = 249, .snaplen = 1u << 20 } };
	const char *p = path_of("big.pcap");
	char err[256];
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	struct pcapout *w;
	struct pcapout_opts o = { 0 };
	ck_assert_int_eq(pcapout_open(fd, p, &o, ifs, &w, err, sizeof err), 0);
	for (int i = 0; i < 3; i++) {
		struct pcap_record r = rec(1, 0, i == 1 ? 300000 : 100, 300000);
		ck_assert_int_eq(pcapout_write(w, &r, 0, ifs, err, sizeof err), 0);
	}
	ck_assert_int_eq(pcapout_close(w, err, sizeof err), 0);
	struct pcapin *in;
	ck_assert_int_eq(pcapin_open(p, &in, err, sizeof err), 0);
	struct pcap_record r[4];
	int n = 0, k;
	while ((k = pcapin_next_batch(in, r + n, 4 - n)) > 0) {
		for (int i = n; i < n + k; i++)
			ck_assert_int_eq(memcmp(r[i].data, payload, r[i].caplen), 0);
		n += k;
	}
	ck_assert_int_eq(k, 0);
	ck_assert_int_eq(n, 3);
	ck_assert_uint_eq(r[1].caplen, 300000);
	pcapin_close(in);
}
END_TEST

START_TEST(failed_write_keeps_whole_records)
{
	const char *p = path_of("full.pcap");
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* A file size limit makes write(2) stop part way, like a full disk. */
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit rl = { 200000, 200000 };
		setrlimit(RLIMIT_FSIZE, &rl);
		struct pcapin_iface ifs[1] = { { .dlt = DLT_EN10MB, .linktype = 1, .snaplen = 262144 } };
		struct pcapout_opts o = { 0 };
		_exit(write_file(p, &o, ifs, NULL, 3000) == -1 ? 0 : 1);
	}
	int status;
	waitpid(pid, &status, 0);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the write did not fail");
	struct stat st;
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_le(st.st_size, 200000);
	static struct pcap_record got[3000];
	char err[256];
	struct pcapin *in;
	int n = read_file(p, got, 3000, &in, err);
	ck_assert_msg(n > 500, "only %d whole records (%s)", n, n < 0 ? err : ""); /* about 560 fit */
	pcapin_close(in);
}
END_TEST

/* ---- rotation ------------------------------------------------------------------- */

static time_t fake_now;
static time_t fake_clock(void *ctx)
{
	(void)ctx;
	return fake_now;
}

static int exists(const char *name)
{
	return access(path_of(name), F_OK) == 0;
}

START_TEST(rotate_by_size_with_ring)
{
	struct pcapin_iface ifs[1] = { { .dlt = DLT_EN10MB, .linktype = 1, .snaplen = 262144 } };
	struct rotate_opts ro = { .name = path_of("ring"), .size_limit = 200, .max_files = 3 };
	struct pcapout_opts po = { 0 };
	struct rotator *r;
	char err[256];
	ck_assert_int_eq(rotator_open(&ro, &po, ifs, &r, err, sizeof err), 0);
	for (int i = 0; i < 10; i++) { /* 24 + 2 x 116 > 200: two records a file */
		struct pcap_record x = rec(1, 0, 100, 100);
		ck_assert_int_eq(rotator_write(r, &x, 0, ifs, err, sizeof err), 0);
	}
	ck_assert_str_eq(rotator_current(r), path_of("ring1")); /* 0,1,2,0,1 */
	ck_assert_int_eq(rotator_close(r, err, sizeof err), 0);
	ck_assert(exists("ring0") && exists("ring1") && exists("ring2") && !exists("ring3") && !exists("ring"));
	ck_assert_int_eq(rotate_count_width(1), 0);
	ck_assert_int_eq(rotate_count_width(10), 1);
	ck_assert_int_eq(rotate_count_width(11), 2);
}
END_TEST

START_TEST(rotate_by_time_then_stop)
{
	struct pcapin_iface ifs[1] = { { .dlt = DLT_EN10MB, .linktype = 1, .snaplen = 262144 } };
	struct rotate_opts ro = { .name = path_of("t-%s"), .seconds = 10, .max_files = 3,
				  .clock = fake_clock };
	struct pcapout_opts po = { 0 };
	struct rotator *r;
	char err[256];
	fake_now = 1000;
	ck_assert_int_eq(rotator_open(&ro, &po, ifs, &r, err, sizeof err), 0);
	struct pcap_record x = rec(1, 0, 60, 60);
	ck_assert_int_eq(rotator_write(r, &x, 0, ifs, err, sizeof err), 0);
	fake_now = 1009; /* not yet */
	ck_assert_int_eq(rotator_write(r, &x, 0, ifs, err, sizeof err), 0);
	fake_now = 1010;
	ck_assert_int_eq(rotator_write(r, &x, 0, ifs, err, sizeof err), 0);
	ck_assert_str_eq(rotator_current(r), path_of("t-1010"));
	fake_now = 1025;
	ck_assert_int_eq(rotator_write(r, &x, 0, ifs, err, sizeof err), 0);
	fake_now = 1035; /* the third rotation: -W 3 says stop, nothing written */
	ck_assert_int_eq(rotator_write(r, &x, 0, ifs, err, sizeof err), 1);
	ck_assert_int_eq(rotator_close(r, err, sizeof err), 0);
	ck_assert(exists("t-1000") && exists("t-1010") && exists("t-1025") && !exists("t-1035"));
	struct stat st;
	ck_assert_int_eq(stat(path_of("t-1000"), &st), 0);
	ck_assert_int_eq(st.st_size, 24 + 2 * (16 + 60));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pcapio");
	TCase *tc = tcase_create("pcapio");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, pcap_round_trip_micro_and_nano);
	tcase_add_test(tc, pcapng_two_link_types);
	tcase_add_test(tc, pcap_other_byte_order_and_snaplen_cut);
	tcase_add_test(tc, pcapng_sections_resolutions_offsets);
	tcase_add_test(tc, damage_after_good_records);
	tcase_add_test(tc, record_bigger_than_the_read_buffer);
	tcase_add_test(tc, failed_write_keeps_whole_records);
	tcase_add_test(tc, rotate_by_size_with_ring);
	tcase_add_test(tc, rotate_by_time_then_stop);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
