/* capture/print_timed.c: the BSD time synchronisation protocol (TSP,
 * timed(8), UDP 525) as tcpdump 4.99.3's print-timed.c prints it:
 * message type, version, sequence, the hop count or time when the type
 * carries one, and the sender's name. */
#include "print_get.h"
#include "print_udpapp.h"

#define TSP_NAME_OFF 12u   /* type, version, sequence, 8-byte union */
#define TSP_NAME_LEN 256u  /* tcpdump's struct tsp name field */

enum tsp_type {
	TSP_ADJTIME = 1, TSP_SETTIME = 5, TSP_SETDATE = 22, TSP_SETDATEREQ = 23, TSP_LOOP = 24,
};

static const char *const tsp_types[] = {
	"ANY",      "ADJTIME", "ACK",      "MASTERREQ", "MASTERACK", "SETTIME",    "MASTERUP",
	"SLAVEUP",  "ELECTION", "ACCEPT",  "REFUSE",    "CONFLICT",  "RESOLVE",    "QUIT",
	"DATE",     "DATEREQ", "DATEACK",  "TRACEON",   "TRACEOFF",  "MSITE",      "MSITEREQ",
	"TEST",     "SETDATE", "SETDATEREQ", "LOOP",
};

/* Seconds and microseconds, signed; tcpdump folds a negative time with
 * microseconds into "-s.us". 0 when the microseconds are negative
 * (tcpdump stops there). */
static int tsp_time(struct pctx *c, const uint8_t *p)
{
	int32_t sec = (int32_t)get_be32(c, p), usec = (int32_t)get_be32(c, p + 4);
	if (usec < 0)
		return 0;
	out_str(c, " time ");
	if (sec < 0 && usec != 0) {
		sec++;
		if (sec == 0)
			out_char(c, '-');
		usec = 1000000 - usec;
	}
	out_fmt(c, "%d.%06d", (int)sec, (int)usec);
	return 1;
}

void print_timed(struct pctx *c, const uint8_t *bp, unsigned len)
{
	(void)len;
	c->proto = "timed";
	c->last = "timed";
	unsigned type = get_u8(c, bp);
	if (type < sizeof(tsp_types) / sizeof(tsp_types[0]))
		out_fmt(c, "TSP_%s", tsp_types[type]);
	else
		out_fmt(c, "(tsp_type %#x)", type);
	out_fmt(c, " vers %u", get_u8(c, bp + 1));
	out_fmt(c, " seq %u", get_be16(c, bp + 2));
	switch (type) {
	case TSP_LOOP:
		out_fmt(c, " hopcnt %u", get_u8(c, bp + 4));
		break;
	case TSP_SETTIME:
	case TSP_ADJTIME:
	case TSP_SETDATE:
	case TSP_SETDATEREQ:
		if (!tsp_time(c, bp + 4))
			return;
		break;
	default:
		break;
	}
	out_str(c, " name ");
	/* NUL-terminated within the field, as tcpdump's nd_printjzp */
	for (unsigned i = 0; i < TSP_NAME_LEN && get_u8(c, bp + TSP_NAME_OFF + i) != '\0'; i++)
		out_printjn(c, bp + TSP_NAME_OFF + i, 1);
}
