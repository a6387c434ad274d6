/* capture/print_telnet.c: TELNET commands (RFC 854, options RFC 855 and
 * the option RFCs) as tcpdump 4.99.3's print-telnet.c shows them: only
 * when the payload starts with IAC, each command in " [telnet WILL
 * ECHO, DO NAWS, ...]"; with -X at -vvv, each command's bytes in hex
 * instead. Data after the commands is not printed. */
#include "print_tcpapp.h"

/* RFC 854 "TELNET COMMAND STRUCTURE". */
#define TEL_IAC 255
#define TEL_DONT 254
#define TEL_DO 253
#define TEL_WONT 252
#define TEL_WILL 251
#define TEL_SB 250
#define TEL_SE 240
#define TEL_FIRST_CMD 236 /* EOF (RFC 1184) */

/* Command names from TEL_FIRST_CMD to IAC. */
static const char *const tel_cmds[] = {
	"EOF", "SUSP", "ABORT", "EOR", "SE", "NOP", "DMARK", "BRK", "IP", "AO",
	"AYT", "EC", "EL", "GA", "SB", "WILL", "WONT", "DO", "DONT", "IAC",
};

/* Option names, option 0 to 39 (the IANA TELNET options registry). */
static const char *const tel_opts[] = {
	"BINARY", "ECHO", "RCP", "SUPPRESS GO AHEAD", "NAME",
	"STATUS", "TIMING MARK", "RCTE", "NAOL", "NAOP",
	"NAOCRD", "NAOHTS", "NAOHTD", "NAOFFD", "NAOVTS",
	"NAOVTD", "NAOLFD", "EXTEND ASCII", "LOGOUT", "BYTE MACRO",
	"DATA ENTRY TERMINAL", "SUPDUP", "SUPDUP OUTPUT",
	"SEND LOCATION", "TERMINAL TYPE", "END OF RECORD",
	"TACACS UID", "OUTPUT MARKING", "TTYLOC",
	"3270 REGIME", "X.3 PAD", "NAWS", "TSPEED", "LFLOW",
	"LINEMODE", "XDISPLOC", "OLD-ENVIRON", "AUTHENTICATION",
	"ENCRYPT", "NEW-ENVIRON",
};
#define TEL_NOPTS (sizeof(tel_opts) / sizeof(tel_opts[0]))
#define TELOPT_AUTHENTICATION 37 /* RFC 2941 */
#define TELOPT_ENCRYPT 38        /* RFC 2946 */

/* The first byte of a subnegotiation: its qualifier's name. */
static const char *const sub_generic[] = { "IS", "SEND", "INFO" };
static const char *const sub_auth_cmd[] = { "IS", "SEND", "REPLY", "NAME" };
static const char *const sub_auth_type[] = {
	"NULL", "KERBEROS_V4", "KERBEROS_V5", "SPX", "MINK", "SRP", "RSA", "SSL", NULL, NULL,
	"LOKI", "SSA", "KEA_SJ", "KEA_SJ_INTEG", "DSS", "NTLM",
};
static const char *const sub_enc_cmd[] = {
	"IS", "SUPPORT", "REPLY", "START", "END", "REQUEST-START", "REQUEST-END", "END_KEYID", "DEC_KEYID",
};
static const char *const sub_enc_type[] = {
	"NULL", "DES_CFB64", "DES_OFB64", "DES3_CFB64", "DES3_OFB64",
	NULL, "CAST5_40_CFB64", "CAST5_40_OFB64", "CAST128_CFB64", "CAST128_OFB64",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* " NAME" from a table, or the number in C's %#x. */
static void print_sub_name(struct pctx *c, unsigned v, const char *const *names, size_t n)
{
	if (v < n && names[v])
		out_fmt(c, " %s", names[v]);
	else
		out_fmt(c, " %#x", v);
}

/* A cursor over the command's bytes: *rem bytes left in the payload. */
struct tel_cur {
	const uint8_t *p;
	unsigned rem;
};

static int tel_fetch(struct pctx *c, struct tel_cur *k, unsigned *v)
{
	if (k->rem < 1)
		return 0;
	*v = get_u8(c, k->p);
	k->p++;
	k->rem--;
	return 1;
}

/* The names of the one or two qualifier bytes after "SB option". */
static int print_sub_qualifiers(struct pctx *c, struct tel_cur *k, const uint8_t *se, unsigned opt, int print)
{
	const char *const *first = sub_generic, *const *second = NULL;
	size_t nfirst = COUNT(sub_generic), nsecond = 0;
	if (opt == TELOPT_AUTHENTICATION) {
		first = sub_auth_cmd, nfirst = COUNT(sub_auth_cmd);
		second = sub_auth_type, nsecond = COUNT(sub_auth_type);
	} else if (opt == TELOPT_ENCRYPT) {
		first = sub_enc_cmd, nfirst = COUNT(sub_enc_cmd);
		second = sub_enc_type, nsecond = COUNT(sub_enc_type);
	}
	unsigned v;
	if (se <= k->p)
		return 1;
	if (!tel_fetch(c, k, &v))
		return 0;
	if (print)
		print_sub_name(c, v, first, nfirst);
	if (!second || se <= k->p)
		return 1;
	if (!tel_fetch(c, k, &v))
		return 0;
	if (print)
		print_sub_name(c, v, second, nsecond);
	return 1;
}

/* One command at P (an IAC): its length, -1 when it is cut short or not
 * a command; prints it when PRINT. */
static int tel_command(struct pctx *c, const uint8_t *p, unsigned rem, int print)
{
	struct tel_cur k = { p, rem };
	unsigned cmd, opt;
	if (!tel_fetch(c, &k, &cmd) || cmd != TEL_IAC || !tel_fetch(c, &k, &cmd))
		return -1;
	if (cmd == TEL_IAC) {
		if (print)
			out_str(c, "IAC IAC");
		return (int)(k.p - p);
	}
	if (cmd < TEL_FIRST_CMD)
		return -1;
	const char *name = tel_cmds[cmd - TEL_FIRST_CMD];
	if (cmd != TEL_DONT && cmd != TEL_DO && cmd != TEL_WONT && cmd != TEL_WILL && cmd != TEL_SB) {
		if (print)
			out_str(c, name);
		return (int)(k.p - p);
	}
	if (!tel_fetch(c, &k, &opt))
		return -1;
	if (print) {
		if (opt < TEL_NOPTS)
			out_fmt(c, "%s %s", name, tel_opts[opt]);
		else
			out_fmt(c, "%s %#x", name, opt);
	}
	if (cmd != TEL_SB)
		return (int)(k.p - p);
	/* RFC 855: IAC SB option ... IAC SE; find the IAC SE */
	const uint8_t *se = k.p;
	while (k.rem > (unsigned)(se + 1 - k.p)) {
		if (get_u8(c, se) == TEL_IAC && get_u8(c, se + 1) == TEL_SE)
			break;
		se++;
	}
	if (get_u8(c, se) != TEL_IAC)
		return -1;
	if (!print_sub_qualifiers(c, &k, se, opt, print))
		return -1;
	while (se > k.p) {
		unsigned v;
		if (!tel_fetch(c, &k, &v))
			return -1;
		if (print)
			out_fmt(c, " %#x", v);
	}
	if (print)
		out_str(c, " SE");
	return (int)(k.p + 2 - p);
}

/* tcpdump's hex_print_with_offset: the bytes, 16 a line after IDENT and
 * the offset OFF from the payload's start, in groups of two. */
static void hex_with_offset(struct pctx *c, const uint8_t *p, unsigned n, unsigned off)
{
	for (unsigned i = 0; i < n; i++) {
		if ((i % 16) == 0)
			out_fmt(c, "\n0x%04x: ", off + i);
		if ((i & 1) == 0)
			out_char(c, ' ');
		out_fmt(c, "%02x", get_u8(c, p + i));
	}
}

static int hex_mode(const struct pctx *c)
{
	return (c->o->dump_mode == PRINT_DUMP_HEXASCII || c->o->dump_mode == PRINT_DUMP_HEXASCII_LL) &&
	       c->o->vflag > 2;
}

void print_telnet(struct pctx *c, const uint8_t *p, unsigned len)
{
	const uint8_t *start = p;
	int first = 1;
	c->proto = "telnet";
	c->last = "telnet";
	while (len > 0 && get_u8(c, p) == TEL_IAC) {
		int l = tel_command(c, p, len, 0);
		if (l < 0)
			break;
		if (hex_mode(c)) {
			if (first)
				out_str(c, "\nTelnet:");
			hex_with_offset(c, p, (unsigned)l, (unsigned)(p - start));
			if (l > 8)
				out_str(c, "\n\t\t\t\t");
			else
				out_fmt(c, "%*s\t", (8 - l) * 3, "");
		} else {
			out_str(c, first ? " [telnet " : ", ");
		}
		tel_command(c, p, len, 1);
		first = 0;
		p += l;
		len -= (unsigned)l;
	}
	if (!first)
		out_str(c, hex_mode(c) ? "\n" : "]");
}
