/* capture/print_syslog.c: BSD syslog (RFC 3164 4.1.1) as tcpdump
 * 4.99.3's print-syslog.c prints it: the PRI part "<N>" gives facility
 * and severity; -v adds the message text, -vv the bytes in hex. */
#include "print_get.h"
#include "print_udpapp.h"

#define SYSLOG_MAX_DIGITS 3 /* RFC 3164 4.1.1: PRI is 1 to 3 digits */

static const struct tok syslog_facilities[] = {
	{ 0, "kernel" },  { 1, "user" },    { 2, "mail" },    { 3, "daemon" },    { 4, "auth" },
	{ 5, "syslog" },  { 6, "lpr" },     { 7, "news" },    { 8, "uucp" },      { 9, "cron" },
	{ 10, "authpriv" }, { 11, "ftp" },  { 12, "ntp" },    { 13, "security" }, { 14, "console" },
	{ 15, "cron" },   { 16, "local0" }, { 17, "local1" }, { 18, "local2" },   { 19, "local3" },
	{ 20, "local4" }, { 21, "local5" }, { 22, "local6" }, { 23, "local7" },   { 0, NULL },
};

static const struct tok syslog_severities[] = {
	{ 0, "emergency" }, { 1, "alert" },  { 2, "critical" }, { 3, "error" },
	{ 4, "warning" },   { 5, "notice" }, { 6, "info" },     { 7, "debug" },
	{ 0, NULL },
};

void print_syslog(struct pctx *c, const uint8_t *bp, unsigned len)
{
	char fbuf[32], sbuf[32];
	c->proto = "syslog";
	c->last = "syslog";
	unsigned off = 0, pri = 0;
	if (get_u8(c, bp) != '<') {
		out_invalid(c);
		return;
	}
	off++;
	while (off <= SYSLOG_MAX_DIGITS && get_u8(c, bp + off) >= '0' && get_u8(c, bp + off) <= '9') {
		pri = pri * 10 + (get_u8(c, bp + off) - '0');
		off++;
	}
	if (get_u8(c, bp + off) != '>') {
		out_invalid(c);
		return;
	}
	off++;
	unsigned facility = (pri & 0x3f8) >> 3, severity = pri & 0x7;
	const char *fac = tok2str(syslog_facilities, "unknown (%u)", facility, fbuf, sizeof(fbuf));
	const char *sev = tok2str(syslog_severities, "unknown (%u)", severity, sbuf, sizeof(sbuf));
	if (c->o->vflag < 1) {
		out_fmt(c, "SYSLOG %s.%s, length: %u", fac, sev, len);
		return;
	}
	out_fmt(c, "SYSLOG, length: %u\n\tFacility %s (%u), Severity %s (%u)\n\tMsg: ", len, fac, facility,
		sev, severity);
	if (off < len)
		out_printjn(c, bp + off, len - off);
	if (c->o->vflag > 1)
		udpapp_unknown_data(c, bp, "\n\t", len);
}
