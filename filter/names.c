#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "protocols.h"

/* getservbyname_r for one protocol: the port in host order, or -1. */
static int64_t service_port(const char *name, const char *proto)
{
	struct servent se, *res = NULL;
	char buf[1024];
	if (getservbyname_r(name, proto, &se, buf, sizeof buf, &res) != 0 || !res)
		return -1;
	return ntohs((uint16_t)res->s_port);
}

int names_port(const char *name, uint32_t *port, int *proto)
{
	int64_t tcp = service_port(name, "tcp");
	int64_t udp = service_port(name, "udp");
	if (tcp >= 0) {
		*port = (uint32_t)tcp;
		*proto = udp == tcp ? NAMES_PROTO_UNDEF : IPPROTO_NUM_TCP;
		return 0;
	}
	if (udp >= 0) {
		*port = (uint32_t)udp;
		*proto = IPPROTO_NUM_UDP;
		return 0;
	}
	return -1;
}

/* A decimal port as libpcap's range parser reads it ("%d"). */
static int decimal_port(const char *s, size_t n, uint32_t *v)
{
	if (n == 0 || n > 10)
		return -1;
	uint64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	if (x > INT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* One end of a range: a number or a service name. */
static int range_end(const char *s, size_t n, uint32_t *v, int *proto)
{
	if (decimal_port(s, n, v) == 0) {
		*proto = NAMES_PROTO_UNDEF;
		return 0;
	}
	char name[256];
	if (n >= sizeof name)
		return -1;
	memcpy(name, s, n);
	name[n] = '\0';
	return names_port(name, v, proto);
}

int names_portrange(const char *text, uint32_t *lo, uint32_t *hi, int *proto)
{
	/* libpcap splits at the first '-' only: "21-ftp-data" is 21..20, but
	 * "ftp-data" alone is "ftp" to "data", an unknown port. */
	const char *dash = strchr(text, '-');
	if (!dash)
		return -1;
	size_t left = (size_t)(dash - text);
	int p1, p2;
	if (range_end(text, left, lo, &p1) != 0 || range_end(dash + 1, strlen(dash + 1), hi, &p2) != 0)
		return -1;
	*proto = p1 == p2 ? p1 : NAMES_PROTO_UNDEF;
	return 0;
}

int64_t names_ip_proto(const char *name)
{
	struct protoent pe, *res = NULL;
	char buf[1024];
	if (getprotobyname_r(name, &pe, buf, sizeof buf, &res) != 0 || !res)
		return -1;
	return res->p_proto;
}

/* EtherType names libpcap knows, and the LLC SAP names it accepts in the
 * same place (pcap-filter(7) "ether proto"). */
static const struct {
	const char *name;
	uint32_t value;
} ether_names[] = {
	{ "aarp", ETYPE_AARP },     { "arp", ETYPE_ARP },       { "atalk", ETYPE_ATALK },
	{ "decnet", ETYPE_DN },     { "ip", ETYPE_IP },         { "ip6", ETYPE_IPV6 },
	{ "lat", ETYPE_LAT },       { "loopback", ETYPE_LOOPBACK }, { "mopdl", ETYPE_MOPDL },
	{ "moprc", ETYPE_MOPRC },   { "pup", 0x0200 },          { "rarp", ETYPE_REVARP },
	{ "sca", ETYPE_SCA },       { "sprite", 0x0500 },
	{ "iso", LLCSAP_ISONS },    { "stp", LLCSAP_8021D },    { "ipx", LLCSAP_IPX },
	{ "netbeui", LLCSAP_NETBEUI },
};

int64_t names_ether_proto(const char *name)
{
	for (size_t i = 0; i < sizeof ether_names / sizeof ether_names[0]; i++)
		if (strcmp(name, ether_names[i].name) == 0)
			return ether_names[i].value;
	return -1;
}

int64_t names_iso_proto(const char *name)
{
	if (strcmp(name, "esis") == 0 || strcmp(name, "es-is") == 0)
		return ISO_NLPID_ESIS;
	if (strcmp(name, "isis") == 0 || strcmp(name, "is-is") == 0)
		return ISO_NLPID_ISIS;
	if (strcmp(name, "clnp") == 0)
		return ISO_NLPID_CLNP;
	return -1;
}

uint32_t names_ipv4_left_aligned(const struct ast_id *id)
{
	unsigned parts = id->v4_parts ? id->v4_parts : 4;
	if (parts >= 4)
		return id->v4;
	/* A value that fits in the parts written is right-aligned: move it. */
	if ((id->v4 >> (8 * parts)) == 0)
		return id->v4 << (32 - 8 * parts);
	return id->v4;
}
