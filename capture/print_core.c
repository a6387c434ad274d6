/* capture/print_core.c: the printer object, print_packet() (packet
 * number, timestamp, link-layer dispatch, raw dumps) and time
 * formatting. The order of the pieces is tcpdump 4.99's
 * pretty_print_packet(). */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "print_get.h"
#include "print_ppp.h"

#define IFNAME_CACHE 16

struct printer {
	struct print_opts o;
	int linktype;
	unsigned count;            /* --number */
	int have_prev;             /* -ttt / -ttttt reference time */
	int64_t ref_sec;
	uint32_t ref_nsec;
	int64_t off_hour;          /* UTC hour the cached offset is valid for */
	long off_sec;              /* local time minus UTC, seconds */
	int off_valid;
	struct tcp_seq_table *tcp;
	struct slip_vj_state slip;
	const char *last;
	struct {                   /* SLL2 interface names, looked up once */
		uint32_t index;
		char name[IF_NAMESIZE + 1];
	} ifn[IFNAME_CACHE];
	unsigned ifn_used;
};

int printer_supports(int linktype)
{
	switch (linktype) {
	case LINKTYPE_EN10MB:
	case LINKTYPE_RAW_LT:
	case LINKTYPE_RAW:
	case 14: /* DLT_RAW on OpenBSD, read by libpcap as raw too */
	case LINKTYPE_LINUX_SLL:
	case LINKTYPE_LINUX_SLL2:
	case LINKTYPE_IPV4:
	case LINKTYPE_IPV6:
	case LINKTYPE_NULL_BSD:
	case LINKTYPE_PPP_LINK:
	case LINKTYPE_PPP_HDLC:
	case LINKTYPE_FRELAY:
	case LINKTYPE_SLIP:
	case LINKTYPE_IPNET_LINK:
		return 1;
	default:
		return 0;
	}
}

struct printer *printer_new(const struct print_opts *opts, int linktype)
{
	if (!printer_supports(linktype))
		return NULL;
	struct printer *pr = calloc(1, sizeof(*pr));
	if (!pr)
		return NULL;
	pr->o = *opts;
	pr->linktype = linktype;
	pr->tcp = tcp_seq_table_new();
	if (!pr->tcp) {
		free(pr);
		return NULL;
	}
	pr->slip.lastconn = 255; /* tcpdump's initial value */
	return pr;
}

void printer_free(struct printer *pr)
{
	if (!pr)
		return;
	tcp_seq_table_free(pr->tcp);
	free(pr);
}

struct tcp_seq_table *printer_tcp_table(struct printer *pr)
{
	return pr->tcp;
}

struct slip_vj_state *printer_slip_state(struct printer *pr)
{
	return &pr->slip;
}

const char *printer_last_protocol(const struct printer *pr)
{
	return pr->last ? pr->last : "";
}

/* if_indextoname() is an ioctl: ask once per index (tcpdump asks once
 * per packet). */
const char *printer_ifname(struct printer *pr, uint32_t index)
{
	for (unsigned i = 0; i < pr->ifn_used; i++)
		if (pr->ifn[i].index == index)
			return pr->ifn[i].name;
	unsigned slot = pr->ifn_used < IFNAME_CACHE ? pr->ifn_used++ : index % IFNAME_CACHE;
	pr->ifn[slot].index = index;
	if (!if_indextoname(index, pr->ifn[slot].name))
		strcpy(pr->ifn[slot].name, "?");
	return pr->ifn[slot].name;
}

_Noreturn void pc_trunc(struct pctx *c)
{
	longjmp(c->trunc, 1);
}

/* ---- time ----------------------------------------------------------------- */

/* Local time minus UTC at T. Time zone rules change offsets on hour
 * boundaries (every zone in the tz database does), so one localtime_r()
 * per UTC hour is enough; tcpdump calls localtime() per packet, which
 * stats /etc/localtime each time when TZ is unset. */
static long utc_offset(struct printer *pr, int64_t t)
{
	int64_t hour = t >= 0 ? t / 3600 : -((-t + 3599) / 3600);
	if (pr->o.utc)
		return 0;
	if (!pr->off_valid || hour != pr->off_hour) {
		time_t tt = (time_t)t;
		struct tm tm;
		pr->off_sec = localtime_r(&tt, &tm) ? tm.tm_gmtoff : 0;
		pr->off_hour = hour;
		pr->off_valid = 1;
	}
	return pr->off_sec;
}

/* Days since 1970-01-01 to civil date (H. Hinnant's algorithm). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

static char *put2(char *q, unsigned v)
{
	q[0] = (char)('0' + v / 10 % 10);
	q[1] = (char)('0' + v % 10);
	return q + 2;
}

static char *put_frac(char *q, const struct print_opts *o, uint32_t v)
{
	unsigned digits = o->nano ? 9 : 6;
	*q++ = '.';
	if (v >= (o->nano ? 1000000000u : 1000000u))
		return q + sprintf(q, "%u", v); /* tcpdump's %06u/%09u */
	for (unsigned i = digits; i-- > 0;) {
		q[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return q + digits;
}

static void print_hms(struct pctx *c, int64_t local, uint32_t nsec, int with_date)
{
	char tmp[64], *q = tmp;
	if (local < 0) {
		/* tcpdump: libpcap hands a pre-1970 time (a 32-bit field
		 * read as signed) that its time conversion refuses. */
		out_str(c, "[Error converting time] ");
		return;
	}
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	unsigned sod = (unsigned)(local - days * 86400);
	if (with_date) {
		int64_t y;
		unsigned m, d;
		civil_from_days(days, &y, &m, &d);
		q += snprintf(q, 24, "%lld-", (long long)y);
		q = put2(q, m);
		*q++ = '-';
		q = put2(q, d);
		*q++ = ' ';
	}
	q = put2(q, sod / 3600);
	*q++ = ':';
	q = put2(q, sod / 60 % 60);
	*q++ = ':';
	q = put2(q, sod % 60);
	q = put_frac(q, c->o, nsec);
	*q++ = ' ';
	out_mem(c, tmp, (size_t)(q - tmp));
}

/* -ttt/-ttttt: a sign column, then hours (not wrapped at 24). */
static void print_delta(struct pctx *c, int64_t sec, int64_t nsec)
{
	char tmp[64], *q = tmp;
	int neg = sec < 0 || (sec == 0 && nsec < 0);
	if (neg) {
		sec = -sec;
		nsec = -nsec;
	}
	while (nsec < 0) {
		nsec += c->o->nano ? 1000000000 : 1000000;
		sec--;
	}
	*q++ = neg ? '-' : ' ';
	q += snprintf(q, 24, "%02lld:", (long long)(sec / 3600));
	q = put2(q, (unsigned)(sec % 3600 / 60));
	*q++ = ':';
	q = put2(q, (unsigned)(sec % 60));
	q = put_frac(q, c->o, (uint32_t)nsec);
	*q++ = ' ';
	out_mem(c, tmp, (size_t)(q - tmp));
}

static void print_ts(struct pctx *c, const struct print_record *rec)
{
	struct printer *pr = c->pr;
	switch (pr->o.ts_mode) {
	case PRINT_TS_NONE:
		return;
	case PRINT_TS_UNIX: {
		char tmp[40], *q = tmp;
		q += snprintf(q, 24, "%u", (unsigned)rec->ts_sec);
		q = put_frac(q, c->o, rec->ts_frac);
		*q++ = ' ';
		out_mem(c, tmp, (size_t)(q - tmp));
		return;
	}
	case PRINT_TS_DELTA:
	case PRINT_TS_SINCE_FIRST:
		if (!pr->have_prev) {
			pr->have_prev = 1;
			pr->ref_sec = rec->ts_sec;
			pr->ref_nsec = rec->ts_frac;
		}
		print_delta(c, rec->ts_sec - pr->ref_sec, (int64_t)rec->ts_frac - pr->ref_nsec);
		if (pr->o.ts_mode == PRINT_TS_DELTA) {
			pr->ref_sec = rec->ts_sec;
			pr->ref_nsec = rec->ts_frac;
		}
		return;
	case PRINT_TS_DATE:
		print_hms(c, rec->ts_sec + utc_offset(pr, rec->ts_sec), rec->ts_frac, 1);
		return;
	default:
		print_hms(c, rec->ts_sec + utc_offset(pr, rec->ts_sec), rec->ts_frac, 0);
		return;
	}
}

/* ---- link layers ---------------------------------------------------------- */

/* tcpdump's ipN_print (LINKTYPE_RAW): the version nibble picks. */
static unsigned print_raw(struct pctx *c, const uint8_t *p, unsigned len, unsigned caplen)
{
	if (c->o->eflag)
		out_str(c, "ip: ");
	c->proto = "ip";
	c->last = "raw";
	if (caplen < 1) {
		out_trunc(c);
		return caplen;
	}
	switch (get_u8(c, p) & 0xf0) {
	case 0x40:
		print_ip(c, p, len);
		break;
	case 0x60:
		print_ip6(c, p, len);
		break;
	default:
		out_fmt(c, "unknown ip %u", get_u8(c, p) >> 4);
		break;
	}
	return 0;
}

static unsigned print_link(struct pctx *c, int linktype, const uint8_t *p, unsigned len, unsigned caplen)
{
	switch (linktype) {
	case LINKTYPE_EN10MB:
		return print_ether(c, p, len, caplen);
	case LINKTYPE_LINUX_SLL:
		return print_sll(c, p, len, caplen);
	case LINKTYPE_LINUX_SLL2:
		return print_sll2(c, p, len, caplen);
	case LINKTYPE_NULL_BSD:
		return print_null(c, p, len, caplen);
	case LINKTYPE_PPP_LINK:
		return print_ppp(c, p, len, caplen);
	case LINKTYPE_PPP_HDLC:
		return print_ppp_hdlc(c, p, len, caplen);
	case LINKTYPE_FRELAY:
		return print_fr(c, p, len, caplen);
	case LINKTYPE_SLIP:
		return print_sl(c, p, len, caplen);
	case LINKTYPE_IPNET_LINK:
		return print_ipnet(c, p, len, caplen);
	case LINKTYPE_IPV4:
	case LINKTYPE_IPV6:
		/* tcpdump prints these as LINKTYPE_RAW, "ip: " at -e included;
		 * the version nibble picks the printer */
		return print_raw(c, p, len, caplen);
	default:
		return print_raw(c, p, len, caplen);
	}
}

size_t print_packet(struct printer *pr, const struct print_record *rec, struct pbuf *out)
{
	struct pctx c;
	size_t start = out->len;
	memset(&c, 0, sizeof(c));
	c.pr = pr;
	c.o = &pr->o;
	c.out = out;
	c.pkt = rec->data;
	c.snapend = rec->data + rec->caplen;
	c.proto = "";
	c.last = "";
	c.suppress_default = pr->o.qflag || (pr->o.dump_mode != PRINT_DUMP_NONE && pr->o.dump_mode != PRINT_DUMP_ASCII &&
					      pr->o.dump_mode != PRINT_DUMP_ASCII_LL);

	pr->count++;
	if (pr->o.number) {
		char tmp[16];
		int n = snprintf(tmp, sizeof(tmp), "%5u  ", pr->count);
		out_mem(&c, tmp, (size_t)n);
	}
	/* tcpdump 4.99.3's pretty_print_packet: a record header no capture
	 * could have written is named instead of printed (the -ttt
	 * reference does not move). 262144 is its MAXIMUM_SNAPLEN. */
	if (rec->caplen == 0 || rec->wirelen == 0 || rec->wirelen < rec->caplen || rec->caplen > 262144 ||
	    rec->wirelen > 262144) {
		const char *sep = "[Invalid header:";
		if (rec->caplen == 0) {
			out_fmt(&c, "%s caplen==0", sep);
			sep = ",";
		}
		if (rec->wirelen == 0) {
			out_fmt(&c, "%s len==0", sep);
			sep = ",";
		} else if (rec->wirelen < rec->caplen) {
			out_fmt(&c, "%s len(%u) < caplen(%u)", sep, rec->wirelen, rec->caplen);
			sep = ",";
		}
		if (rec->caplen > 262144) {
			out_fmt(&c, "%s caplen(%u) > 262144", sep, rec->caplen);
			sep = ",";
		}
		if (rec->wirelen > 262144)
			out_fmt(&c, "%s len(%u) > 262144", sep, rec->wirelen);
		out_str(&c, "]\n");
		pr->last = "record";
		if (c.oom) {
			out->len = start;
			return 0;
		}
		return out->len - start;
	}
	print_ts(&c, rec);

	unsigned hdrlen;
	if (setjmp(c.trunc) == 0) {
		hdrlen = print_link(&c, pr->linktype, rec->data, rec->wirelen, rec->caplen);
	} else {
		out_trunc(&c);
		hdrlen = 0; /* tcpdump dumps the whole record after a longjmp */
	}
	c.snapend = rec->data + rec->caplen;
	pr->last = c.last;

	const uint8_t *d = rec->data;
	unsigned n = rec->caplen;
	int ll = 0;
	switch (pr->o.dump_mode) {
	case PRINT_DUMP_HEX_LL:
	case PRINT_DUMP_HEXASCII_LL:
	case PRINT_DUMP_ASCII_LL:
		ll = 1;
		break;
	}
	if (!ll) {
		if (n > hdrlen) {
			d += hdrlen;
			n -= hdrlen;
		} else {
			n = 0;
		}
	}
	switch (pr->o.dump_mode) {
	case PRINT_DUMP_HEX:
	case PRINT_DUMP_HEX_LL:
		if (n)
			out_hex(&c, d, n);
		break;
	case PRINT_DUMP_HEXASCII:
	case PRINT_DUMP_HEXASCII_LL:
		if (n)
			out_hexascii(&c, d, n);
		break;
	case PRINT_DUMP_ASCII:
	case PRINT_DUMP_ASCII_LL:
		if (n)
			out_ascii(&c, d, n);
		break;
	}
	out_char(&c, '\n');
	if (c.oom) {
		out->len = start;
		return 0;
	}
	return out->len - start;
}
