/* Protocol numbers and header layouts the project needs: the one place
 * they are spelled.  Values from IANA registries and IEEE 802 as cited. */
#ifndef BPFCAP_FILTER_PROTOCOLS_H
#define BPFCAP_FILTER_PROTOCOLS_H

/* EtherTypes (IEEE 802 / IANA "ieee-802-numbers"). */
#define ETYPE_IP        0x0800
#define ETYPE_ARP       0x0806
#define ETYPE_REVARP    0x8035
#define ETYPE_IPV6      0x86dd
#define ETYPE_8021Q     0x8100
#define ETYPE_8021AD    0x88a8
#define ETYPE_QINQ_OLD  0x9100  /* pre-standard QinQ TPID libpcap also accepts */
#define ETYPE_MPLS      0x8847
#define ETYPE_MPLS_MC   0x8848
#define ETYPE_PPPOED    0x8863
#define ETYPE_PPPOES    0x8864
#define ETYPE_DN        0x6003  /* DECnet Phase IV */
#define ETYPE_LAT       0x6004
#define ETYPE_SCA       0x6007
#define ETYPE_MOPRC     0x6002
#define ETYPE_MOPDL     0x6001
#define ETYPE_ATALK     0x809b
#define ETYPE_AARP      0x80f3
#define ETYPE_IPX       0x8137
#define ETYPE_LOOPBACK  0x9000
#define ETYPE_MAX_LEN   1500    /* type/length field: <= 1500 is an 802.3 length */

/* Linux SLL protocol values that are not EtherTypes (linux/if_ether.h). */
#define LINUX_SLL_P_802_3  0x0001
#define LINUX_SLL_P_802_2  0x0004

/* PPP protocol numbers (RFC 1661, IANA "ppp-numbers"). */
#define PPP_IP    0x0021
#define PPP_IPV6  0x0057
#define PPP_MPLS_UC 0x0281
#define PPP_MPLS_MC 0x0283

/* IEEE 802.2 LLC SAPs. */
#define LLCSAP_GLOBAL   0xff
#define LLCSAP_IP       0x06
#define LLCSAP_ISONS    0xfe
#define LLCSAP_8021D    0x42   /* spanning tree */
#define LLCSAP_NETBEUI  0xf0
#define LLCSAP_IPX      0xe0
#define LLCSAP_SNAP     0xaa
/* LLC control field values (IEEE 802.2 clause 5.3). */
#define LLC_U_FMT   3
#define LLC_S_FMT   1
#define LLC_RR      0x0001
#define LLC_RNR     0x0005
#define LLC_REJ     0x0009
#define LLC_UI      0x03
#define LLC_UA      0x63
#define LLC_DISC    0x43
#define LLC_DM      0x0f
#define LLC_SABME   0x6f
#define LLC_TEST    0xe3
#define LLC_XID     0xaf
#define LLC_FRMR    0x87

/* IP protocol numbers (IANA "protocol-numbers"). */
#define IPPROTO_NUM_HOPOPTS  0
#define IPPROTO_NUM_ICMP     1
#define IPPROTO_NUM_IGMP     2
#define IPPROTO_NUM_TCP      6
#define IPPROTO_NUM_IGRP     9
#define IPPROTO_NUM_UDP      17
#define IPPROTO_NUM_IPV6     41
#define IPPROTO_NUM_ROUTING  43
#define IPPROTO_NUM_FRAGMENT 44
#define IPPROTO_NUM_GRE      47
#define IPPROTO_NUM_ESP      50
#define IPPROTO_NUM_AH       51
#define IPPROTO_NUM_ICMPV6   58
#define IPPROTO_NUM_NONE     59
#define IPPROTO_NUM_DSTOPTS  60
#define IPPROTO_NUM_PIM      103
#define IPPROTO_NUM_VRRP     112
#define IPPROTO_NUM_CARP     112
#define IPPROTO_NUM_SCTP     132
#define IPPROTO_NUM_MH       135

/* Header layouts (offsets in bytes from the start of each header). */
#define ETHER_HDR_LEN        14
#define ETHER_ADDR_LEN       6
#define ETHER_DST_OFF        0
#define ETHER_SRC_OFF        6
#define ETHER_TYPE_OFF       12
#define VLAN_TAG_LEN         4
#define MPLS_LABEL_LEN       4
#define PPPOE_HDR_LEN        6    /* RFC 2516 section 4 */
#define PPP_PROTO_LEN        2
#define LLC_HDR_LEN_MIN      3
#define LINUX_SLL_HDR_LEN    16
#define LINUX_SLL_PROTO_OFF  14
#define LINUX_SLL_PKTTYPE_OFF 0
#define LINUX_SLL_ADDR_OFF   6
#define LINUX_SLL2_HDR_LEN   20
#define LINUX_SLL2_PROTO_OFF 0
#define LINUX_SLL2_IFINDEX_OFF 4
#define LINUX_SLL2_PKTTYPE_OFF 10
#define LINUX_SLL2_ADDR_OFF  12

#define IPV4_HDR_LEN_MIN     20
#define IPV4_PROTO_OFF       9
#define IPV4_FRAG_OFF        6    /* flags + fragment offset */
#define IPV4_FRAGOFF_MASK    0x1fff
#define IPV4_SRC_OFF         12
#define IPV4_DST_OFF         16
#define IPV6_HDR_LEN         40
#define IPV6_NXT_OFF         6
#define IPV6_SRC_OFF         8
#define IPV6_DST_OFF         24
#define ARP_SPA_OFF          14   /* Ethernet/IPv4 ARP sender protocol address */
#define ARP_TPA_OFF          24

/* Link-layer (DLT) numbers (pcap/dlt.h, tcpdump.org linktypes). */
#define LINKTYPE_EN10MB      1
#define LINKTYPE_RAW         12   /* DLT_RAW on Linux/most platforms */
#define LINKTYPE_RAW_ALT     14   /* DLT_RAW on OpenBSD: same meaning */
#define LINKTYPE_LINUX_SLL   113
#define LINKTYPE_RAW_LT      101  /* LINKTYPE_RAW as written in files */
#define LINKTYPE_LINUX_SLL2  276
#define LINKTYPE_IPV4        228
#define LINKTYPE_IPV6        229

#endif
