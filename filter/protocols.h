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
#define ETYPE_TEB       0x6558  /* Transparent Ethernet Bridging (RFC 1701; GRE, Geneve) */
#define ETYPE_LLDP      0x88cc  /* IEEE 802.1AB */
#define ETYPE_MAX_LEN   1500    /* type/length field: <= 1500 is an 802.3 length */

/* Linux SLL protocol values that are not EtherTypes (linux/if_ether.h). */
#define LINUX_SLL_P_802_3  0x0001
#define LINUX_SLL_P_802_2  0x0004
/* Linux SLL/SLL2 packet types (linux/if_packet.h PACKET_*). */
#define LINUX_SLL_HOST       0
#define LINUX_SLL_BROADCAST  1
#define LINUX_SLL_MULTICAST  2
#define LINUX_SLL_OTHERHOST  3
#define LINUX_SLL_OUTGOING   4
/* Linux ARPHRD_* hardware types seen in SLL/SLL2 headers (linux/if_arp.h). */
#define LINUX_ARPHRD_ETHER     1
#define LINUX_ARPHRD_LOOPBACK  772
#define LINUX_ARPHRD_IPGRE     778
#define LINUX_ARPHRD_NONE      0xfffe

/* PPP protocol numbers (RFC 1661, IANA "ppp-numbers"). */
#define PPP_IP    0x0021
#define PPP_IPV6  0x0057
#define PPP_MPLS_UC 0x0281
#define PPP_MPLS_MC 0x0283
#define PPP_IPCP  0x8021  /* RFC 1332 */
#define PPP_LCP   0xc021  /* RFC 1661 section 5 */
/* PPPoE codes (RFC 2516 section 5) and tags (Appendix A). */
#define PPPOE_CODE_SESSION 0x00
#define PPPOE_CODE_PADI    0x09
#define PPPOE_CODE_PADO    0x07
#define PPPOE_CODE_PADR    0x19
#define PPPOE_CODE_PADS    0x65
#define PPPOE_CODE_PADT    0xa7
#define PPPOE_TAG_SERVICE_NAME 0x0101
#define PPPOE_TAG_AC_NAME      0x0102
#define PPPOE_TAG_HOST_UNIQ    0x0103

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
/* SNAP OUIs (IEEE 802-2014 clause 10.3; RFC 1042) and the Cisco CDP PID. */
#define SNAP_OUI_ENCAP_ETHER 0x000000
#define SNAP_OUI_APPLETALK   0x080007  /* Apple's OUI for AppleTalk over SNAP */
#define SNAP_OUI_CISCO       0x00000c
#define SNAP_PID_CISCO_CDP   0x2000

/* OSI network layer protocol identifiers (ISO/IEC TR 9577). */
#define ISO_NLPID_CLNP 0x81
#define ISO_NLPID_ESIS 0x82
#define ISO_NLPID_ISIS 0x83

/* IP protocol numbers (IANA "protocol-numbers"). */
#define IPPROTO_NUM_HOPOPTS  0
#define IPPROTO_NUM_ICMP     1
#define IPPROTO_NUM_IGMP     2
#define IPPROTO_NUM_IPIP     4    /* IPv4 encapsulation, RFC 2003 */
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

/* ICMP types (IANA "icmp-parameters"; RFC 792, 950, 1256). */
#define ICMP_TYPE_ECHOREPLY     0
#define ICMP_TYPE_UNREACH       3
#define ICMP_TYPE_SOURCEQUENCH  4
#define ICMP_TYPE_REDIRECT      5
#define ICMP_TYPE_ECHO          8
#define ICMP_TYPE_ROUTERADVERT  9
#define ICMP_TYPE_ROUTERSOLICIT 10
#define ICMP_TYPE_TIMXCEED      11
#define ICMP_TYPE_PARAMPROB     12
#define ICMP_TYPE_TSTAMP        13
#define ICMP_TYPE_TSTAMPREPLY   14
#define ICMP_TYPE_IREQ          15
#define ICMP_TYPE_IREQREPLY     16
#define ICMP_TYPE_MASKREQ       17
#define ICMP_TYPE_MASKREPLY     18
/* ICMPv6 types (IANA "icmpv6-parameters"; RFC 4443, 4861, 2710, 3810). */
#define ICMP6_TYPE_DST_UNREACH  1
#define ICMP6_TYPE_PACKET_TOO_BIG 2
#define ICMP6_TYPE_TIME_EXCEEDED 3
#define ICMP6_TYPE_PARAM_PROB   4
#define ICMP6_TYPE_ECHO         128
#define ICMP6_TYPE_ECHOREPLY    129
#define ICMP6_TYPE_MLD_QUERY    130
#define ICMP6_TYPE_MLD_REPORT   131
#define ICMP6_TYPE_MLD_DONE     132
#define ICMP6_TYPE_ROUTER_SOLICIT 133
#define ICMP6_TYPE_ROUTER_ADVERT 134
#define ICMP6_TYPE_NEIGHBOR_SOLICIT 135
#define ICMP6_TYPE_NEIGHBOR_ADVERT 136
#define ICMP6_TYPE_REDIRECT     137
#define ICMP6_TYPE_MLDV2_REPORT 143
/* IGMP types (RFC 1112, 2236, 3376). */
#define IGMP_TYPE_QUERY         0x11
#define IGMP_TYPE_V1_REPORT     0x12
#define IGMP_TYPE_V2_REPORT     0x16
#define IGMP_TYPE_V2_LEAVE      0x17
#define IGMP_TYPE_V3_REPORT     0x22
/* IPv4 option types (IANA "ip-parameters"; RFC 791, 2113). */
#define IPV4_OPT_EOL   0
#define IPV4_OPT_NOP   1
#define IPV4_OPT_RR    7
#define IPV4_OPT_TS    68
#define IPV4_OPT_LSRR  131
#define IPV4_OPT_SSRR  137
#define IPV4_OPT_RA    148
/* IPv6 options in hop-by-hop/destination headers (RFC 8200 4.2, RFC 2711). */
#define IPV6_OPT_PAD1  0
#define IPV6_OPT_PADN  1
#define IPV6_OPT_RA    5
/* TCP flag bits in byte 13 of the header (RFC 9293 3.1; ECE/CWR RFC 3168). */
#define TCP_FLAGS_OFF  13
#define TCP_FLAG_FIN   0x01
#define TCP_FLAG_SYN   0x02
#define TCP_FLAG_RST   0x04
#define TCP_FLAG_PSH   0x08
#define TCP_FLAG_ACK   0x10
#define TCP_FLAG_URG   0x20
#define TCP_FLAG_ECE   0x40
#define TCP_FLAG_CWR   0x80
/* ARP operation codes (RFC 826; RARP RFC 903) and hardware type Ethernet. */
#define ARP_HTYPE_ETHER   1
#define ARP_OP_REQUEST    1
#define ARP_OP_REPLY      2
#define ARP_OP_RREQUEST   3
#define ARP_OP_RREPLY     4
/* MPLS reserved labels and the largest label (RFC 3032 2.1). */
#define MPLS_LABEL_IPV4_NULL  0
#define MPLS_LABEL_IPV6_NULL  2
#define MPLS_LABEL_IMPL_NULL  3
#define MPLS_LABEL_MAX        1048575
/* UDP ports of the tunnels libpcap can filter into (IANA port registry). */
#define UDP_PORT_VXLAN   4789   /* RFC 7348 */
#define UDP_PORT_GENEVE  6081   /* RFC 8926 */

/* Header layouts (offsets in bytes from the start of each header). */
#define ETHER_HDR_LEN        14
#define ETHER_ADDR_LEN       6
#define ETHER_DST_OFF        0
#define ETHER_SRC_OFF        6
#define ETHER_TYPE_OFF       12
#define VLAN_TAG_LEN         4
#define VLAN_VID_MASK        0x0fff   /* IEEE 802.1Q: VID, the low 12 bits of the TCI */
#define VLAN_VID_MAX         4095
#define MPLS_LABEL_MASK      0xfffff000u /* RFC 3032: the label, top 20 bits of the entry */
#define PPPOE_SID_MAX        0xffff
#define L4_SRC_PORT_OFF      0        /* TCP, UDP and SCTP alike */
#define L4_DST_PORT_OFF      2
#define GENEVE_VER_MASK      0xc0     /* RFC 8926 3.4: Ver, top 2 bits of byte 0 */
#define GENEVE_OPTLEN_MASK   0x3f     /* Opt Len, in 4-byte words */
#define GENEVE_PROTO_OFF     2        /* Protocol Type: an EtherType */
#define GENEVE_VNI_OFF       4
#define GENEVE_VNI_MASK      0xffffff00u
#define GENEVE_VNI_MAX       0xffffff
#define MPLS_LABEL_LEN       4
#define PPPOE_HDR_LEN        6    /* RFC 2516 section 4 */
#define PPP_PROTO_LEN        2
#define LLC_HDR_LEN_MIN      3
#define LINUX_SLL_HDR_LEN    16
#define LINUX_SLL_PROTO_OFF  14
#define LINUX_SLL_PKTTYPE_OFF 0
#define LINUX_SLL_HATYPE_OFF 2
#define LINUX_SLL_ADDR_OFF   6
#define LINUX_SLL2_HDR_LEN   20
#define LINUX_SLL2_PROTO_OFF 0
#define LINUX_SLL2_IFINDEX_OFF 4
#define LINUX_SLL2_HATYPE_OFF 8
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
#define TCP_HDR_LEN_MIN      20   /* RFC 9293 3.1 */
#define UDP_HDR_LEN          8    /* RFC 768 */
#define ICMP_HDR_LEN         8    /* RFC 792: type, code, checksum, 4 bytes */
#define IPV6_FRAG_HDR_LEN    8    /* RFC 8200 4.5 */
#define VXLAN_HDR_LEN        8    /* RFC 7348 5 */
#define GENEVE_HDR_LEN_MIN   8    /* RFC 8926 3.4 */
#define ARP_ETH_IPV4_LEN     28   /* RFC 826 with 6-byte MACs, 4-byte IPv4 */
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
/* Printed only; the filter compiler leaves them to libpcap. */
#define LINKTYPE_NULL_BSD    0    /* BSD loopback: a 4-byte address family in host order */
#define LINKTYPE_PPP_LINK    9    /* PPP (RFC 1661), as DLT_PPP */
#define LINKTYPE_IPNET_LINK  226  /* Solaris ipnet */
#define LINKTYPE_PPP_HDLC    50   /* PPP in HDLC-like framing (RFC 1662), or Cisco HDLC */
#define LINKTYPE_FRELAY      107  /* Frame Relay (Q.922 address) */
#define LINKTYPE_SLIP        8    /* SLIP with BSD's 16-byte direction + header pseudo-header */

#endif
