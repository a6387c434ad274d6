/* Link-layer types by name, as pcap_datalink_name_to_val() knows them. */
#include <strings.h>

#include "bpfcap.h"
#include "protocols.h"

struct linktype_name {
	const char *name;
	int dlt;
};

/* The four link types bpfcap compiles itself come first; the rest are
 * names -y accepts so that the libpcap fallback can be asked for them. */
static const struct linktype_name linktype_names[] = {
	{ "EN10MB", LINKTYPE_EN10MB },
	{ "RAW", LINKTYPE_RAW },
	{ "LINUX_SLL", LINKTYPE_LINUX_SLL },
	{ "LINUX_SLL2", LINKTYPE_LINUX_SLL2 },
	{ "NULL", 0 },
	{ "IEEE802", 6 },
	{ "PPP", 9 },
	{ "FDDI", 10 },
	{ "SLIP", 8 },
	{ "C_HDLC", 104 },
	{ "IEEE802_11", 105 },
	{ "LOOP", 108 },
	{ "PFLOG", 117 },
	{ "IEEE802_11_RADIO", 127 },
	{ "PPP_ETHER", 51 },
	{ "IPV4", LINKTYPE_IPV4 },
	{ "IPV6", LINKTYPE_IPV6 },
	{ "NFLOG", 239 },
	{ "USB_LINUX", 189 },
};

int bpfcap_linktype_from_name(const char *name)
{
	if (!name)
		return -1;
	for (size_t i = 0; i < sizeof linktype_names / sizeof linktype_names[0]; i++)
		if (strcasecmp(name, linktype_names[i].name) == 0)
			return linktype_names[i].dlt;
	return -1;
}

const char *bpfcap_linktype_name(int linktype)
{
	if (linktype == LINKTYPE_RAW_LT || linktype == LINKTYPE_RAW_ALT)
		return "RAW";
	for (size_t i = 0; i < sizeof linktype_names / sizeof linktype_names[0]; i++)
		if (linktype_names[i].dlt == linktype)
			return linktype_names[i].name;
	return NULL;
}

int bpfcap_linktype_supported(int linktype)
{
	switch (linktype) {
	case LINKTYPE_EN10MB:
	case LINKTYPE_RAW:
	case LINKTYPE_RAW_ALT:
	case LINKTYPE_RAW_LT:
	case LINKTYPE_LINUX_SLL:
	case LINKTYPE_LINUX_SLL2:
		return 1;
	default:
		return 0;
	}
}
