/* Unit tests of the pcap-filter(7) lexer and parser (filter/lexer.c,
 * filter/parser.c) and of the AST arena and printer (filter/ast.c).
 *
 * Every accepted expression is checked against its tree, printed by
 * ast_dump(); every rejected one against the column and a piece of the
 * message.  The same strings then go through libpcap's pcap_compile() to
 * check that it accepts and rejects the same ones.  The "lp" column says
 * how each case relates to libpcap 1.10:
 *   LP_SAME      libpcap accepts/rejects it too: asserted.
 *   LP_SEMANTIC  libpcap refuses it for a reason beyond syntax, that
 *                bpfcap leaves to its code generator (an unknown host,
 *                a field the link type lacks ...): not compared.
 *   LP_NAMES     depends on the machine's hosts/services databases: not
 *                compared.
 *   LP_DIFFERS   a deliberate difference from libpcap 1.10 (see the
 *                note on the case): asserted to differ, so a change shows.
 */
#include <check.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ast.h"
#include "ast_dump.h"
#include "bpfcap.h"
#include "lexer.h"

enum lp { LP_SAME, LP_SEMANTIC, LP_NAMES, LP_DIFFERS };

struct accepted {
	const char *expr;
	const char *tree;
	enum lp lp;
};

struct rejected {
	const char *expr;
	int column;
	int code;
	const char *msg; /* a piece of the message */
	enum lp lp;
};

static const struct accepted accepted[] = {
	{ "tcp or udp and icmp", "(and (or (proto tcp) (proto udp)) (proto icmp))", LP_SAME },
	{ "tcp and udp or icmp", "(or (and (proto tcp) (proto udp)) (proto icmp))", LP_SAME },
	{ "tcp && udp || icmp", "(or (and (proto tcp) (proto udp)) (proto icmp))", LP_SAME },
	{ "not tcp and udp", "(and (not (proto tcp)) (proto udp))", LP_SAME },
	{ "! tcp or udp", "(or (not (proto tcp)) (proto udp))", LP_SAME },
	{ "not not tcp", "(not (not (proto tcp)))", LP_SAME },
	{ "tcp and (udp or icmp)", "(and (proto tcp) (or (proto udp) (proto icmp)))", LP_SAME },
	{ "(tcp and udp) or (icmp and arp)", "(or (and (proto tcp) (proto udp)) (and (proto icmp) (proto arp)))", LP_SAME },
	{ "((tcp))", "(proto tcp)", LP_SAME },
	{ "tcp or udp or icmp or arp", "(or (or (or (proto tcp) (proto udp)) (proto icmp)) (proto arp))", LP_SAME },
	{ "not (tcp or udp)", "(not (or (proto tcp) (proto udp)))", LP_SAME },
	{ "!(tcp)", "(not (proto tcp))", LP_SAME },
	{ "ip", "(proto ip)", LP_SAME },
	{ "ip6", "(proto ip6)", LP_SAME },
	{ "arp", "(proto arp)", LP_SAME },
	{ "rarp", "(proto rarp)", LP_SAME },
	{ "tcp", "(proto tcp)", LP_SAME },
	{ "udp", "(proto udp)", LP_SAME },
	{ "sctp", "(proto sctp)", LP_SAME },
	{ "icmp", "(proto icmp)", LP_SAME },
	{ "icmp6", "(proto icmp6)", LP_SAME },
	{ "igmp", "(proto igmp)", LP_SAME },
	{ "igrp", "(proto igrp)", LP_SAME },
	{ "pim", "(proto pim)", LP_SAME },
	{ "ah", "(proto ah)", LP_SAME },
	{ "esp", "(proto esp)", LP_SAME },
	{ "vrrp", "(proto vrrp)", LP_SAME },
	{ "carp", "(proto carp)", LP_SAME },
	{ "atalk", "(proto atalk)", LP_SAME },
	{ "aarp", "(proto aarp)", LP_SAME },
	{ "decnet", "(proto decnet)", LP_SAME },
	{ "lat", "(proto lat)", LP_SAME },
	{ "sca", "(proto sca)", LP_SAME },
	{ "moprc", "(proto moprc)", LP_SAME },
	{ "mopdl", "(proto mopdl)", LP_SAME },
	{ "iso", "(proto iso)", LP_SAME },
	{ "esis", "(proto esis)", LP_SAME },
	{ "es-is", "(proto esis)", LP_SAME },
	{ "isis", "(proto isis)", LP_SAME },
	{ "is-is", "(proto isis)", LP_SAME },
	{ "clnp", "(proto clnp)", LP_SAME },
	{ "stp", "(proto stp)", LP_SAME },
	{ "ipx", "(proto ipx)", LP_SAME },
	{ "netbeui", "(proto netbeui)", LP_SAME },
	{ "l1", "(proto l1)", LP_SAME },
	{ "l2", "(proto l2)", LP_SAME },
	{ "iih", "(proto iih)", LP_SAME },
	{ "lsp", "(proto lsp)", LP_SAME },
	{ "snp", "(proto snp)", LP_SAME },
	{ "csnp", "(proto csnp)", LP_SAME },
	{ "psnp", "(proto psnp)", LP_SAME },
	{ "radio", "(proto radio)", LP_SEMANTIC },
	{ "ether", "(proto link)", LP_SEMANTIC },
	{ "host 10.0.0.1", "(q - - host v4:10.0.0.1#4)", LP_SAME },
	{ "src host 10.0.0.1", "(q - src host v4:10.0.0.1#4)", LP_SAME },
	{ "dst host 10.0.0.1", "(q - dst host v4:10.0.0.1#4)", LP_SAME },
	{ "src or dst host 10.0.0.1", "(q - src-or-dst host v4:10.0.0.1#4)", LP_SAME },
	{ "dst or src host 10.0.0.1", "(q - src-or-dst host v4:10.0.0.1#4)", LP_SAME },
	{ "src and dst host 10.0.0.1", "(q - src-and-dst host v4:10.0.0.1#4)", LP_SAME },
	{ "dst and src host 10.0.0.1", "(q - src-and-dst host v4:10.0.0.1#4)", LP_SAME },
	{ "ip host 10.0.0.1", "(q ip - host v4:10.0.0.1#4)", LP_SAME },
	{ "ip src 10.0.0.1", "(q ip src - v4:10.0.0.1#4)", LP_SAME },
	{ "ip dst host 10.0.0.1", "(q ip dst host v4:10.0.0.1#4)", LP_SAME },
	{ "src 10.0.0.1", "(q - src - v4:10.0.0.1#4)", LP_SAME },
	{ "arp host 10.0.0.1", "(q arp - host v4:10.0.0.1#4)", LP_SAME },
	{ "rarp src 10.0.0.1", "(q rarp src - v4:10.0.0.1#4)", LP_SAME },
	{ "ip6 host ::1", "(q ip6 - host v6:::1)", LP_SAME },
	{ "ip6 src host fe80::1", "(q ip6 src host v6:fe80::1)", LP_SAME },
	{ "ether host 00:11:22:33:44:55", "(q link - host mac:00:11:22:33:44:55)", LP_SAME },
	{ "ether src 00:11:22:33:44:55", "(q link src - mac:00:11:22:33:44:55)", LP_SAME },
	{ "ether dst ff:ff:ff:ff:ff:ff", "(q link dst - mac:ff:ff:ff:ff:ff:ff)", LP_SAME },
	{ "link host 0:1:2:3:4:5", "(q link - host mac:00:01:02:03:04:05)", LP_SAME },
	{ "fddi host 0:1:2:3:4:5", "(q link - host mac:00:01:02:03:04:05)", LP_SAME },
	{ "tr src 0:1:2:3:4:5", "(q link src - mac:00:01:02:03:04:05)", LP_SAME },
	{ "wlan host 0:1:2:3:4:5", "(q link - host mac:00:01:02:03:04:05)", LP_SAME },
	{ "ppp host 0:1:2:3:4:5", "(q link - host mac:00:01:02:03:04:05)", LP_SAME },
	{ "slip dst 0:1:2:3:4:5", "(q link dst - mac:00:01:02:03:04:05)", LP_SAME },
	{ "wlan addr1 0:1:2:3:4:5", "(q link addr1 - mac:00:01:02:03:04:05)", LP_SEMANTIC },
	{ "wlan addr2 host 0:1:2:3:4:5", "(q link addr2 host mac:00:01:02:03:04:05)", LP_SEMANTIC },
	{ "wlan address3 0:1:2:3:4:5", "(q link addr3 - mac:00:01:02:03:04:05)", LP_SEMANTIC },
	{ "wlan addr4 0:1:2:3:4:5", "(q link addr4 - mac:00:01:02:03:04:05)", LP_SEMANTIC },
	{ "wlan ra 0:1:2:3:4:5", "(q link ra - mac:00:01:02:03:04:05)", LP_SEMANTIC },
	{ "wlan ta 0:1:2:3:4:5", "(q link ta - mac:00:01:02:03:04:05)", LP_SEMANTIC },
	{ "net 10.0.0.0/8", "(q - - net v4:10.0.0.0#4/8)", LP_SAME },
	{ "net 10.0.0.0 mask 255.0.0.0", "(q - - net v4:10.0.0.0#4&255.0.0.0)", LP_SAME },
	{ "net 10", "(q - - net num:10)", LP_SAME },
	{ "net 10.0.1", "(q - - net v4:10.0.1.0#3)", LP_SAME },
	{ "net 192.168", "(q - - net v4:192.168.0.0#2)", LP_SAME },
	{ "host 10.0.1", "(q - - host v4:10.0.1.0#3)", LP_SAME },
	{ "src net 10.0.0.0/8", "(q - src net v4:10.0.0.0#4/8)", LP_SAME },
	{ "dst net 172.16.0.0/12", "(q - dst net v4:172.16.0.0#4/12)", LP_SAME },
	{ "ip net 10.0.0.0 / 8", "(q ip - net v4:10.0.0.0#4/8)", LP_SAME },
	{ "ip6 net 2001:db8::/32", "(q ip6 - net v6:2001:db8::/32)", LP_SAME },
	{ "net 2001:db8::/32", "(q - - net v6:2001:db8::/32)", LP_SAME },
	{ "host 2001:db8::1", "(q - - host v6:2001:db8::1)", LP_SAME },
	{ "port 80", "(q - - port num:80)", LP_SAME },
	{ "port 0x50", "(q - - port num:80)", LP_SAME },
	{ "port 0120", "(q - - port num:80)", LP_SAME },
	{ "tcp port 80", "(q tcp - port num:80)", LP_SAME },
	{ "udp port 53", "(q udp - port num:53)", LP_SAME },
	{ "sctp port 9", "(q sctp - port num:9)", LP_SAME },
	{ "src port 1024", "(q - src port num:1024)", LP_SAME },
	{ "dst port 22", "(q - dst port num:22)", LP_SAME },
	{ "tcp src port 80", "(q tcp src port num:80)", LP_SAME },
	{ "udp dst port 53", "(q udp dst port num:53)", LP_SAME },
	{ "tcp dst port 80 or 443 or 8080", "(or (or (q tcp dst port num:80) (q tcp dst port num:443)) (q tcp dst port num:8080))", LP_SAME },
	{ "portrange 1-1024", "(q - - portrange name:1-1024)", LP_SAME },
	{ "tcp portrange 6000-6010", "(q tcp - portrange name:6000-6010)", LP_SAME },
	{ "udp dst portrange 33434-33534", "(q udp dst portrange name:33434-33534)", LP_SAME },
	{ "src portrange 1024-65535", "(q - src portrange name:1024-65535)", LP_SAME },
	{ "port http", "(q - - port name:http)", LP_NAMES },
	{ "portrange 25-smtp", "(q - - portrange name:25-smtp)", LP_NAMES },
	{ "portrange smtp-domain", "(q - - portrange name:smtp-domain)", LP_NAMES },
	{ "ip proto 6", "(q ip - proto num:6)", LP_SAME },
	{ "ip proto \\tcp", "(q ip - proto name:tcp)", LP_SAME },
	{ "ip6 proto 58", "(q ip6 - proto num:58)", LP_SAME },
	{ "ip6 proto \\udp", "(q ip6 - proto name:udp)", LP_SAME },
	{ "proto 17", "(q - - proto num:17)", LP_SAME },
	{ "proto \\icmp", "(q - - proto name:icmp)", LP_SAME },
	{ "ip protochain 6", "(q ip - protochain num:6)", LP_SAME },
	{ "ip6 protochain 58", "(q ip6 - protochain num:58)", LP_SAME },
	{ "protochain 17", "(q - - protochain num:17)", LP_SAME },
	{ "ether proto 0x0800", "(q link - proto num:2048)", LP_SAME },
	{ "ether proto \\arp", "(q link - proto name:arp)", LP_SAME },
	{ "ether proto \\ip", "(q link - proto name:ip)", LP_SAME },
	{ "gateway localhost", "(q - - gateway name:localhost)", LP_SEMANTIC },
	{ "broadcast", "(broadcast -)", LP_SAME },
	{ "ether broadcast", "(broadcast link)", LP_SAME },
	{ "ip broadcast", "(broadcast ip)", LP_SAME },
	{ "multicast", "(multicast -)", LP_SAME },
	{ "ether multicast", "(multicast link)", LP_SAME },
	{ "ip multicast", "(multicast ip)", LP_SAME },
	{ "ip6 multicast", "(multicast ip6)", LP_SAME },
	{ "less 100", "(less 100)", LP_SAME },
	{ "greater 1500", "(greater 1500)", LP_SAME },
	{ "len < 100", "(< len 100)", LP_SAME },
	{ "len >= 64", "(>= len 64)", LP_SAME },
	{ "length > 1", "(> len 1)", LP_SAME },
	{ "inbound", "inbound", LP_SAME },
	{ "outbound", "outbound", LP_SAME },
	{ "ifindex 3", "(ifindex 3)", LP_SAME },
	{ "vlan", "(vlan)", LP_SAME },
	{ "vlan 100", "(vlan 100)", LP_SAME },
	{ "vlan (100)", "(vlan 100)", LP_SAME },
	{ "vlan and vlan 2", "(and (vlan) (vlan 2))", LP_SAME },
	{ "mpls", "(mpls)", LP_SAME },
	{ "mpls 5", "(mpls 5)", LP_SAME },
	{ "mpls and vlan 7", "(and (mpls) (vlan 7))", LP_SEMANTIC },
	{ "pppoed", "pppoed", LP_SAME },
	{ "pppoes", "(pppoes)", LP_SAME },
	{ "pppoes 0x1234", "(pppoes 4660)", LP_SAME },
	{ "geneve", "(geneve)", LP_SAME },
	{ "geneve 42", "(geneve 42)", LP_SAME },
	{ "vxlan", "(vxlan)", LP_DIFFERS }, /* vxlan is libpcap 1.11 */
	{ "vxlan 10", "(vxlan 10)", LP_DIFFERS }, /* vxlan is libpcap 1.11 */
	{ "llc", "(llc)", LP_SAME },
	{ "llc i", "(llc i)", LP_SAME },
	{ "llc s", "(llc s)", LP_SAME },
	{ "llc u", "(llc u)", LP_SAME },
	{ "llc rr", "(llc rr)", LP_SAME },
	{ "llc rnr", "(llc rnr)", LP_SAME },
	{ "llc rej", "(llc rej)", LP_SAME },
	{ "llc ui", "(llc ui)", LP_SAME },
	{ "llc ua", "(llc ua)", LP_SAME },
	{ "llc disc", "(llc disc)", LP_SAME },
	{ "llc dm", "(llc dm)", LP_SAME },
	{ "llc sabme", "(llc sabme)", LP_SAME },
	{ "llc test", "(llc test)", LP_SAME },
	{ "llc xid", "(llc xid)", LP_SAME },
	{ "llc frmr", "(llc frmr)", LP_SAME },
	{ "llc I", "(llc i)", LP_SAME },
	{ "ip[0] = 0x45", "(== ip[0:1] 69)", LP_SAME },
	{ "ip[0] == 69", "(== ip[0:1] 69)", LP_SAME },
	{ "ip[0] != 69", "(!= ip[0:1] 69)", LP_SAME },
	{ "ip[2:2] > 576", "(> ip[2:2] 576)", LP_SAME },
	{ "ip[2:2] >= 576", "(>= ip[2:2] 576)", LP_SAME },
	{ "tcp[0:4] < 5", "(< tcp[0:4] 5)", LP_SAME },
	{ "udp[4:2] <= 100", "(<= udp[4:2] 100)", LP_SAME },
	{ "ether[0] & 1 = 1", "(== (& link[0:1] 1) 1)", LP_SAME },
	{ "ether[12:2] = 0x0800", "(== link[12:2] 2048)", LP_SAME },
	{ "link[0] = 1", "(== link[0:1] 1)", LP_SAME },
	{ "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn", "(== (& tcp[13:1] (| 2 16)) 2)", LP_SAME },
	{ "tcp[13] & tcp-fin != 0", "(!= (& tcp[13:1] 1) 0)", LP_SAME },
	{ "icmp[icmptype] == icmp-echo", "(== icmp[0:1] 8)", LP_SAME },
	{ "icmp[icmptype] = icmp-echoreply", "(== icmp[0:1] 0)", LP_SAME },
	{ "icmp[icmpcode] = 1", "(== icmp[1:1] 1)", LP_SAME },
	{ "icmp6[icmp6type] == icmp6-echo", "(== icmp6[0:1] 128)", LP_SAME },
	{ "icmp6[icmp6code] = 0", "(== icmp6[1:1] 0)", LP_SAME },
	{ "ip[0] & 0xf0 = 0x40", "(== (& ip[0:1] 240) 64)", LP_SAME },
	{ "ip[6:2] & 0x1fff = 0", "(== (& ip[6:2] 8191) 0)", LP_SAME },
	{ "len - 14 > 100", "(> (- len 14) 100)", LP_SAME },
	{ "ip[2:2] - ((ip[0] & 0xf) << 2) > 40", "(> (- ip[2:2] (<< (& ip[0:1] 15) 2)) 40)", LP_SAME },
	{ "1 + 2 * 3 = 7", "(== (+ 1 (* 2 3)) 7)", LP_SAME },
	{ "1 * 2 + 3 = 5", "(== (+ (* 1 2) 3) 5)", LP_SAME },
	{ "1 - 2 - 3 = 0", "(== (- (- 1 2) 3) 0)", LP_SAME },
	{ "8 / 2 / 2 = 2", "(== (/ (/ 8 2) 2) 2)", LP_SAME },
	{ "1 | 2 & 3 = 3", "(== (| 1 (& 2 3)) 3)", LP_SAME },
	{ "1 & 2 | 3 = 3", "(== (| (& 1 2) 3) 3)", LP_SAME },
	{ "1 << 2 + 3 = 0", "(== (<< 1 (+ 2 3)) 0)", LP_SAME },
	{ "1 + 2 << 3 = 0", "(== (<< (+ 1 2) 3) 0)", LP_SAME },
	{ "1 >> 2 >> 3 = 0", "(== (>> (>> 1 2) 3) 0)", LP_SAME },
	{ "1 | 2 ^ 3 & 4 = 0", "(== (| 1 (^ 2 (& 3 4))) 0)", LP_SAME },
	{ "ip[0] % 3 + 1 = 0", "(== (% ip[0:1] (+ 3 1)) 0)", LP_SAME },
	{ "ip[0] * 3 % 5 + 7 = 0", "(== (* ip[0:1] (% 3 (+ 5 7))) 0)", LP_SAME },
	{ "-ip[0] % 3 = 0", "(== (neg (% ip[0:1] 3)) 0)", LP_SAME },
	{ "-1 * 2 = 0", "(== (* (neg 1) 2) 0)", LP_SAME },
	{ "- - 1 = 1", "(== (neg (neg 1)) 1)", LP_SAME },
	{ "ip[0] ^ 3 * 5 = 0", "(== (^ ip[0:1] (* 3 5)) 0)", LP_SAME },
	{ "ip[1 + 2 : 2] = 0", "(== ip[(+ 1 2):2] 0)", LP_SAME },
	{ "ip[ip[0] & 0xf] = 0", "(== ip[(& ip[0:1] 15):1] 0)", LP_SAME },
	{ "(ip[0]) = 1", "(== ip[0:1] 1)", LP_SAME },
	{ "((ip[0] + 1)) = 1", "(== (+ ip[0:1] 1) 1)", LP_SAME },
	{ "(ip[0] = 1)", "(== ip[0:1] 1)", LP_SAME },
	{ "(1) = 1", "(== 1 1)", LP_SAME },
	{ "len = len", "(== len len)", LP_SAME },
	{ "tcp[((tcp[12] & 0xf0) >> 2)] = 0x47", "(== tcp[(>> (& tcp[12:1] 240) 2):1] 71)", LP_SAME },
	{ "ip6[6] = 17", "(== ip6[6:1] 17)", LP_SAME },
	{ "arp[6:2] = 1", "(== arp[6:2] 1)", LP_SAME },
	{ "sctp[0] = 1", "(== sctp[0:1] 1)", LP_SAME },
	{ "igmp[0] = 0x11", "(== igmp[0:1] 17)", LP_SAME },
	{ "udp[0:2] = 53 and ip[9] = 17", "(and (== udp[0:2] 53) (== ip[9:1] 17))", LP_SAME },
	{ "ip[0] = 1 or ip[0] = 2", "(or (== ip[0:1] 1) (== ip[0:1] 2))", LP_SAME },
	{ "host 10.0.0.1 or 10.0.0.2", "(or (q - - host v4:10.0.0.1#4) (q - - host v4:10.0.0.2#4))", LP_SAME },
	{ "port 80 or 443", "(or (q - - port num:80) (q - - port num:443))", LP_SAME },
	{ "host localhost and not 127.0.0.2", "(and (q - - host name:localhost) (not (q - - host v4:127.0.0.2#4)))", LP_NAMES },
	{ "host 10.0.0.1 or (10.0.0.2 and 10.0.0.3)", "(or (q - - host v4:10.0.0.1#4) (and (q - - host v4:10.0.0.2#4) (q - - host v4:10.0.0.3#4)))", LP_SAME },
	{ "host 10.0.0.1 and (host 10.0.0.2) or 10.0.0.3", "(or (and (q - - host v4:10.0.0.1#4) (q - - host v4:10.0.0.2#4)) (q - - host v4:10.0.0.3#4))", LP_SAME },
	{ "host 10.0.0.1 or (tcp) or 10.0.0.2", "(or (or (q - - host v4:10.0.0.1#4) (proto tcp)) (q - - host v4:10.0.0.2#4))", LP_SAME },
	{ "port 80 or (443)", "(or (q - - port num:80) (q - - port num:443))", LP_SAME },
	{ "port (80 or 443)", "(or (q - - port num:80) (q - - port num:443))", LP_SAME },
	{ "port 80 or (443 or 8080)", "(or (q - - port num:80) (or (q - - port num:443) (q - - port num:8080)))", LP_SAME },
	{ "host 10.0.0.1 or not (10.0.0.2 or 10.0.0.3)", "(or (q - - host v4:10.0.0.1#4) (not (or (q - - host v4:10.0.0.2#4) (q - - host v4:10.0.0.3#4))))", LP_SAME },
	{ "net 10.0.0.0/8 or 192.168.0.0/16", "(or (q - - net v4:10.0.0.0#4/8) (q - - net v4:192.168.0.0#4/16))", LP_SAME },
	{ "ether host 00:11:22:33:44:55 or 66:77:88:99:aa:bb", "(or (q link - host mac:00:11:22:33:44:55) (q link - host mac:66:77:88:99:aa:bb))", LP_SAME },
	{ "ip6 host ::1 or ::2", "(or (q ip6 - host v6:::1) (q ip6 - host v6:::2))", LP_SAME },
	{ "src net 10 or 11", "(or (q - src net num:10) (q - src net num:11))", LP_SAME },
	{ "port 80 and not 443 or 22", "(or (and (q - - port num:80) (not (q - - port num:443))) (q - - port num:22))", LP_SAME },
	{ "tcp port 80 or udp port 53 or 123", "(or (or (q tcp - port num:80) (q udp - port num:53)) (q udp - port num:123))", LP_SAME },
	{ "host 10.0.0.1 or 80 > 5", "(or (q - - host v4:10.0.0.1#4) (> 80 5))", LP_SAME },
	{ "host 10.0.0.1 or not 80 > 5", "(or (q - - host v4:10.0.0.1#4) (not (> 80 5)))", LP_SAME },
	{ "host 10.0.0.1 or (80) > 5", "(or (q - - host v4:10.0.0.1#4) (> 80 5))", LP_SAME },
	{ "port 80 or tcp", "(or (q - - port num:80) (proto tcp))", LP_SAME },
	{ "not port 80 or 443", "(or (not (q - - port num:80)) (q - - port num:443))", LP_SAME },
	{ "port 80 or not not 443", "(or (q - - port num:80) (not (not (q - - port num:443))))", LP_SAME },
	{ "host 10.0.0.1 and not (host 10.0.0.2) or 10.0.0.3", "(or (and (q - - host v4:10.0.0.1#4) (not (q - - host v4:10.0.0.2#4))) (q - - host v4:10.0.0.3#4))", LP_SAME },
	{ "(host 10.0.0.1 or 10.0.0.2)", "(or (q - - host v4:10.0.0.1#4) (q - - host v4:10.0.0.2#4))", LP_SAME },
	{ "(port 80 or 443) and tcp", "(and (or (q - - port num:80) (q - - port num:443)) (proto tcp))", LP_SAME },
	{ "host (10.0.0.1 or 10.0.0.2)", "(or (q - - host v4:10.0.0.1#4) (q - - host v4:10.0.0.2#4))", LP_SAME },
	{ "host not 10.0.0.1", "(not (q - - host v4:10.0.0.1#4))", LP_SAME },
	{ "host (not 10.0.0.1 or 10.0.0.2)", "(or (not (q - - host v4:10.0.0.1#4)) (q - - host v4:10.0.0.2#4))", LP_SAME },
	{ "port ((80))", "(q - - port num:80)", LP_SAME },
	{ "port (80) or ((443))", "(or (q - - port num:80) (q - - port num:443))", LP_SAME },
	{ "tcp and port 80 or 443", "(or (and (proto tcp) (q - - port num:80)) (q - - port num:443))", LP_SAME },
	{ "ip and host 10.0.0.1 and 10.0.0.2", "(and (and (proto ip) (q - - host v4:10.0.0.1#4)) (q - - host v4:10.0.0.2#4))", LP_SAME },
	{ "ether host 0:1:2:3:4:5", "(q link - host mac:00:01:02:03:04:05)", LP_SAME },
	{ "ether host 00-11-22-33-44-55", "(q link - host mac:00:11:22:33:44:55)", LP_SAME },
	{ "ether host 00.11.22.33.44.55", "(q link - host mac:00:11:22:33:44:55)", LP_SAME },
	{ "ether host 0011.2233.4455", "(q link - host mac:00:11:22:33:44:55)", LP_SAME },
	{ "ether host 001122334455", "(q link - host mac:00:11:22:33:44:55)", LP_SAME },
	{ "ether host AA:BB:CC:DD:EE:FF", "(q link - host mac:aa:bb:cc:dd:ee:ff)", LP_SAME },
	{ "ether host aabbccddeeff", "(q link - host mac:aa:bb:cc:dd:ee:ff)", LP_SAME },
	{ "host 010.1.1.1", "(q - - host v4:10.1.1.1#4)", LP_SAME },
	{ "host 10", "(q - - host num:10)", LP_SAME },
	{ "host ::", "(q - - host v6:::)", LP_SAME },
	{ "host fe80::1", "(q - - host v6:fe80::1)", LP_SAME },
	{ "host 1:2:3:4:5:6:7:8", "(q - - host v6:1:2:3:4:5:6:7:8)", LP_SAME },
	{ "host ::ffff:10.0.0.1", "(q - - host v6:::ffff:10.0.0.1)", LP_SAME },
	{ "host 1:2:3:4:5:6:1.2.3.4", "(q - - host v6:1:2:3:4:5:6:102:304)", LP_SAME },
	{ "host 2001:DB8::1", "(q - - host v6:2001:db8::1)", LP_SAME },
	{ "host 1::", "(q - - host v6:1::)", LP_SAME },
	{ "net ::/0", "(q - - net v6:::/0)", LP_SAME },
	{ "host localhost", "(q - - host name:localhost)", LP_NAMES },
	{ "host HOST", "(q - - host name:HOST)", LP_SEMANTIC },
	{ "host a_b", "(q - - host name:a_b)", LP_SEMANTIC },
	{ "host \\10.0.0.1", "(q - - host name:10.0.0.1)", LP_SAME },
	{ "host \\host", "(q - - host name:host)", LP_SEMANTIC },
	{ "host \\and", "(q - - host name:and)", LP_SEMANTIC },
	{ "less 4294967295", "(less 4294967295)", LP_SAME },
	{ "less 0xffffffff", "(less 4294967295)", LP_SAME },
	{ "less 0377777777", "(less 67108863)", LP_SAME },
	{ "host 10.0.0.1\tand\tport 80", "(and (q - - host v4:10.0.0.1#4) (q - - port num:80))", LP_SAME },
	{ "  tcp  ", "(proto tcp)", LP_SAME },
	{ "tcp&&udp", "(and (proto tcp) (proto udp))", LP_SAME },
	{ "tcp||udp", "(or (proto tcp) (proto udp))", LP_SAME },
	{ "!tcp", "(not (proto tcp))", LP_SAME },
	{ "ip[0]=1", "(== ip[0:1] 1)", LP_SAME },
	{ "ip[0]!=1", "(!= ip[0:1] 1)", LP_SAME },
	{ "ip[0]>=1&&ip[1]<=2", "(and (>= ip[0:1] 1) (<= ip[1:1] 2))", LP_SAME },
};

static const struct rejected rejected[] = {
	{ "(", 1, BPFCAP_E_SYNTAX, "expected a primitive (e.g. 'host 10.", LP_SAME },
	{ "(tcp", 4, BPFCAP_E_SYNTAX, "expected ')' to close the '(' at col", LP_SAME },
	{ "tcp)", 3, BPFCAP_E_SYNTAX, "unexpected ')' with no '(' open", LP_SAME },
	{ "((tcp)", 6, BPFCAP_E_SYNTAX, "expected ')' to close the '(' at col", LP_SAME },
	{ ")", 0, BPFCAP_E_SYNTAX, "expected a primitive (e.g. 'host 10.", LP_SAME },
	{ "tcp and", 7, BPFCAP_E_SYNTAX, "expected a primitive (e.g. 'host 10.", LP_SAME },
	{ "tcp or", 6, BPFCAP_E_SYNTAX, "expected a primitive (e.g. 'host 10.", LP_SAME },
	{ "and tcp", 0, BPFCAP_E_SYNTAX, "expected a primitive (e.g. 'host 10.", LP_SAME },
	{ "tcp and and udp", 8, BPFCAP_E_SYNTAX, "expected a primitive (e.g. 'host 10.", LP_SAME },
	{ "not", 3, BPFCAP_E_SYNTAX, "expected a primitive (e.g. 'host 10.", LP_SAME },
	{ "tcp not udp", 4, BPFCAP_E_SYNTAX, "unexpected 'not' after a complete pr", LP_SAME },
	{ "ip proto tcp", 9, BPFCAP_E_SYNTAX, "expected an id (a host, network, por", LP_SAME },
	{ "ether proto arp", 12, BPFCAP_E_SYNTAX, "expected an id (a host, network, por", LP_SAME },
	{ "ip[0:3] = 1", 5, BPFCAP_E_SYNTAX, "data size must be 1, 2 or 4, not 3", LP_SAME },
	{ "ip[0:0] = 1", 5, BPFCAP_E_SYNTAX, "data size must be 1, 2 or 4, not 0", LP_SAME },
	{ "ip[0:8] = 1", 5, BPFCAP_E_SYNTAX, "data size must be 1, 2 or 4, not 8", LP_SAME },
	{ "less 4294967296", 5, BPFCAP_E_SYNTAX, "number 4294967296 overflows 32 bits", LP_SAME },
	{ "port 0x100000000", 5, BPFCAP_E_SYNTAX, "number 0x100000000 overflows 32 bits", LP_SAME },
	{ "less 08", 5, BPFCAP_E_SYNTAX, "number 08 contains a non-octal digit", LP_SAME },
	{ "less 037777777777", 5, BPFCAP_E_SYNTAX, "expected a number after 'less', foun", LP_SAME },
	{ "ether host 1:2:3", 11, BPFCAP_E_SYNTAX, "bogus ethernet address '1:2:'", LP_SAME },
	{ "ether host aa:bb:cc:dd:ee:ff:", 11, BPFCAP_E_SYNTAX, "bogus ethernet address 'aa:bb:cc:dd:", LP_SAME },
	{ "ether host 1:2:3:4:5:6:7", 11, BPFCAP_E_SYNTAX, "bogus ethernet address '1:2:3:4:5:6:", LP_SAME },
	{ "port", 4, BPFCAP_E_SYNTAX, "expected an id (a host, network, por", LP_SAME },
	{ "tcp port", 8, BPFCAP_E_SYNTAX, "expected an id (a host, network, por", LP_SAME },
	{ "src", 3, BPFCAP_E_SYNTAX, "expected an id (a host, network, por", LP_SAME },
	{ "tcp or 80", 7, BPFCAP_E_SYNTAX, "'80' needs a qualifier (e.g. 'host',", LP_SAME },
	{ "ip[0] = 1 or 5", 13, BPFCAP_E_SYNTAX, "'5' needs a qualifier (e.g. 'host',", LP_SAME },
	{ "vlan 100 or 200", 12, BPFCAP_E_SYNTAX, "'200' needs a qualifier (e.g. 'host'", LP_SAME },
	{ "(host 10.0.0.1) or 10.0.0.2", 19, BPFCAP_E_SYNTAX, "'10.0.0.2' needs a qualifier (e.g. '", LP_SAME },
	{ "less 10 or 20", 11, BPFCAP_E_SYNTAX, "'20' needs a qualifier (e.g. 'host',", LP_SAME },
	{ "tcp or not 10.0.0.1", 11, BPFCAP_E_SYNTAX, "'10.0.0.1' needs a qualifier (e.g. '", LP_SAME },
	{ "tcp or (10.0.0.1)", 8, BPFCAP_E_SYNTAX, "'10.0.0.1' needs a qualifier (e.g. '", LP_SAME },
	{ "10.0.0.1", 0, BPFCAP_E_SYNTAX, "'10.0.0.1' needs a qualifier before", LP_SAME },
	{ "80", 2, BPFCAP_E_SYNTAX, "expected a comparison (==, !=, <, <=", LP_SAME },
	{ "tcp $", 4, BPFCAP_E_SYNTAX, "unexpected character '$'", LP_SAME },
	{ "host 10.0.0.1 #", 14, BPFCAP_E_SYNTAX, "unexpected character '#'", LP_SAME },
	{ "host @x", 5, BPFCAP_E_SYNTAX, "unexpected character '@'", LP_SAME },
	{ "host 10.0.0.1 or ((10.0.0.2 or 10.0.0.3) or 10.0.0.4)", 19, BPFCAP_E_SYNTAX, "cannot start with another group", LP_SAME },
	{ "host 10.0.0.1 and (10.0.0.2 and tcp)", 32, BPFCAP_E_SYNTAX, "expected an id (a host, network, por", LP_SAME },
	{ "host ((10.0.0.1))", 7, BPFCAP_E_SYNTAX, "cannot start with another group", LP_SAME },
	{ "src or 10.0.0.1", 7, BPFCAP_E_SYNTAX, "expected 'dst' after 'or', found '10", LP_SAME },
	{ "src and src host 10.0.0.1", 8, BPFCAP_E_SYNTAX, "expected 'dst' after 'and', found 's", LP_SAME },
	{ "src proto 6", 4, BPFCAP_E_SYNTAX, "expected an id (a host, network, por", LP_SAME },
	{ "tcp src proto 6", 8, BPFCAP_E_SYNTAX, "expected an id (a host, network, por", LP_SAME },
	{ "less (10)", 5, BPFCAP_E_SYNTAX, "expected a number after 'less', foun", LP_SAME },
	{ "ifindex", 7, BPFCAP_E_SYNTAX, "expected a number after 'ifindex', f", LP_SAME },
	{ "greater x", 8, BPFCAP_E_SYNTAX, "expected a number after 'greater', f", LP_SAME },
	{ "net 10/8", 6, BPFCAP_E_SYNTAX, "unexpected '/' after a complete prim", LP_SAME },
	{ "net 10.0.0.0/", 13, BPFCAP_E_SYNTAX, "expected a prefix length after '/',", LP_SAME },
	{ "net 10.0.0.0 mask", 17, BPFCAP_E_SYNTAX, "expected a dotted IPv4 netmask after", LP_SAME },
	{ "net 10.0.0.0 mask 8", 18, BPFCAP_E_SYNTAX, "expected a dotted IPv4 netmask after", LP_SAME },
	{ "ip[", 3, BPFCAP_E_SYNTAX, "expected a number, 'len' or proto[of", LP_SAME },
	{ "ip[0", 4, BPFCAP_E_SYNTAX, "expected ']', found the end of the e", LP_SAME },
	{ "ip[0:", 5, BPFCAP_E_SYNTAX, "expected a size of 1, 2 or 4 after '", LP_SAME },
	{ "ip[0:x] = 1", 5, BPFCAP_E_SYNTAX, "expected a size of 1, 2 or 4 after '", LP_SAME },
	{ "ip[0]", 5, BPFCAP_E_SYNTAX, "expected a comparison (==, !=, <, <=", LP_SAME },
	{ "ip[0] =", 7, BPFCAP_E_SYNTAX, "expected an arithmetic expression af", LP_SAME },
	{ "ip[0] = = 1", 8, BPFCAP_E_SYNTAX, "expected a number, 'len' or proto[of", LP_SAME },
	{ "ip[0] > 1 > 2", 10, BPFCAP_E_SYNTAX, "unexpected '>' after a complete prim", LP_SAME },
	{ "len", 3, BPFCAP_E_SYNTAX, "expected a comparison (==, !=, <, <=", LP_SAME },
	{ "ip[1+] = 0", 5, BPFCAP_E_SYNTAX, "expected a number, 'len' or proto[of", LP_SAME },
	{ "(ip[0]) and tcp", 6, BPFCAP_E_SYNTAX, "expected a comparison (==, !=, <, <=", LP_SAME },
	{ "x == 1", 0, BPFCAP_E_SYNTAX, "'x' needs a qualifier before it (e.g", LP_SAME },
	{ "ip[0] == x", 9, BPFCAP_E_SYNTAX, "expected a number, 'len' or proto[of", LP_SAME },
	{ "port 25 - 53", 8, BPFCAP_E_SYNTAX, "unexpected '-' after a complete prim", LP_SAME },
	{ "host -a", 5, BPFCAP_E_SYNTAX, "expected an id (a host, network, por", LP_SAME },
	{ "host _a", 5, BPFCAP_E_SYNTAX, "unexpected character '_'", LP_SAME },
	{ "\\", 0, BPFCAP_E_SYNTAX, "a '\\' must be followed by the name i", LP_SAME },
	{ "tcp[0:2:2] = 1", 4, BPFCAP_E_SYNTAX, "bogus ethernet address '0:2:'", LP_SAME },
	{ "port 1.2.3.4", 5, BPFCAP_E_SEMANTIC, "'port' modifier applied to an IP add", LP_SAME },
	{ "portrange 10.0.0.1", 10, BPFCAP_E_SEMANTIC, "'portrange' modifier applied to an I", LP_SAME },
	{ "ip proto 10.0.0.1/8", 9, BPFCAP_E_SEMANTIC, "'proto' modifier applied to an IP ad", LP_SAME },
	{ "host 256.1.1.1", 5, BPFCAP_E_SEMANTIC, "invalid IPv4 address '256.1.1.1'", LP_SAME },
	{ "host 1::2::3", 5, BPFCAP_E_SYNTAX, "bogus ethernet address '1::2::'", LP_SAME },
	{ "host 1.2.3.4/33", 13, BPFCAP_E_SEMANTIC, "mask length must be <= 32", LP_SAME },
	{ "ip6 net 2001:db8::/129", 19, BPFCAP_E_SEMANTIC, "mask length must be <= 128", LP_SAME },
	{ "llc foo", 4, BPFCAP_E_SEMANTIC, "unknown LLC type name 'foo'", LP_SAME },
	{ "ip6 host 2001:db8::g", 19, BPFCAP_E_SYNTAX, "unexpected 'g' after a complete prim", LP_SAME },
	{ "host 10.0.0.1 or", 16, BPFCAP_E_SYNTAX, "expected a primitive (e.g. 'host 10.", LP_SAME },
	{ "not not", 7, BPFCAP_E_SYNTAX, "expected a primitive (e.g. 'host 10.", LP_SAME },
	{ "tcp port 80 443", 12, BPFCAP_E_SYNTAX, "unexpected '443' after a complete pr", LP_SAME },
	{ "host 10.0.0.1 and or tcp", 18, BPFCAP_E_SYNTAX, "expected a primitive (e.g. 'host 10.", LP_SAME },
	{ "vlan 1 2", 7, BPFCAP_E_SYNTAX, "unexpected '2' after a complete prim", LP_SAME },
	{ "HOST 10.0.0.1", 0, BPFCAP_E_SYNTAX, "'HOST' needs a qualifier before it (", LP_SAME },
	{ "type", 4, BPFCAP_E_SYNTAX, "expected a number or name after 'typ", LP_SAME },
	{ "byte 1 + 2", 7, BPFCAP_E_SYNTAX, "expected one of & | < > = after '1',", LP_SAME },
	{ "portrange", 9, BPFCAP_E_SYNTAX, "expected an id (a host, network, por", LP_SAME },
	{ "gateway", 7, BPFCAP_E_SYNTAX, "expected an id (a host, network, por", LP_SAME },
	{ "tcp[0] = 0x", 9, BPFCAP_E_SYNTAX, "expected a number, 'len' or proto[of", LP_SAME },
	{ "ip[0] = 1 and", 13, BPFCAP_E_SYNTAX, "expected a primitive (e.g. 'host 10.", LP_SAME },
	{ "host 0x0a.1.1.1", 5, BPFCAP_E_SEMANTIC, "invalid IPv4 address '0x0a.1.1.1'", LP_SAME },
	{ "ether host 1:2:3:4:5:6 or", 25, BPFCAP_E_SYNTAX, "expected a primitive (e.g. 'host 10.", LP_SAME },
	{ "ip[0:2", 6, BPFCAP_E_SYNTAX, "expected ']', found the end of the e", LP_SAME },
	{ "port 80 or (443 or tcp)", 19, BPFCAP_E_SYNTAX, "expected an id (a host, network, por", LP_SAME },
	{ "port (80 or 443) > 1", 17, BPFCAP_E_SYNTAX, "unexpected '>' after a complete prim", LP_SAME },
	{ "ether[0] = 1 2", 13, BPFCAP_E_SYNTAX, "unexpected '2' after a complete prim", LP_SAME },
	{ "tcp[0] & = 1", 9, BPFCAP_E_SYNTAX, "expected a number, 'len' or proto[of", LP_SAME },
};

#define N_ACCEPTED (sizeof accepted / sizeof accepted[0])
#define N_REJECTED (sizeof rejected / sizeof rejected[0])

/* Parses expr; on success renders the tree into buf. */
static int parse_to_text(const char *expr, char *buf, size_t size, struct bpfcap_error *err)
{
	struct ast_arena arena = { 0 };
	struct ast_node *root = NULL;
	memset(err, 0, sizeof *err);
	buf[0] = '\0';
	int rc = filter_parse(expr, &arena, &root, err);
	if (rc == 0)
		ast_dump(root, buf, size);
	ast_arena_free(&arena);
	return rc;
}

START_TEST(test_accepted)
{
	const struct accepted *c = &accepted[_i];
	char tree[2048];
	struct bpfcap_error err;
	int rc = parse_to_text(c->expr, tree, sizeof tree, &err);
	ck_assert_msg(rc == 0, "[%s] rejected: %s (column %d)", c->expr, err.msg, err.column);
	ck_assert_msg(strcmp(tree, c->tree) == 0, "[%s]\n got  %s\n want %s", c->expr, tree, c->tree);
}
END_TEST

START_TEST(test_rejected)
{
	const struct rejected *c = &rejected[_i];
	char tree[2048];
	struct bpfcap_error err;
	int rc = parse_to_text(c->expr, tree, sizeof tree, &err);
	ck_assert_msg(rc == c->code, "[%s] returned %d, want %d (%s)", c->expr, rc, c->code, tree);
	ck_assert_msg(err.column == c->column, "[%s] column %d, want %d (%s)", c->expr, err.column,
		      c->column, err.msg);
	ck_assert_msg(err.length >= 1, "[%s] length %d", c->expr, err.length);
	ck_assert_msg(strstr(err.msg, c->msg), "[%s] message \"%s\" lacks \"%s\"", c->expr, err.msg,
		      c->msg);
}
END_TEST

/* libpcap's verdict for Ethernet: 1 if it compiles expr, else 0 with its
 * message in msg.  Netmask 0, as tcpdump passes when it has none; no
 * optimizer, which would also refuse expressions that match nothing. */
static int libpcap_accepts(pcap_t *pd, const char *expr, char *msg, size_t size)
{
	struct bpf_program prog;
	if (pcap_compile(pd, &prog, expr, 0, 0) == 0) {
		pcap_freecode(&prog);
		return 1;
	}
	snprintf(msg, size, "%s", pcap_geterr(pd));
	return 0;
}

/* One row's agreement with libpcap: 1 agrees, 0 disagrees, -1 not compared. */
static int check_with_libpcap(pcap_t *pd, const char *expr, int we_accept, enum lp lp,
			      char *msg, size_t size)
{
	if (lp == LP_SEMANTIC || lp == LP_NAMES)
		return -1;
	int pcap_accepts = libpcap_accepts(pd, expr, msg, size);
	if (lp == LP_DIFFERS)
		return pcap_accepts != we_accept;
	return pcap_accepts == we_accept;
}

START_TEST(test_table_agrees_with_libpcap)
{
	pcap_t *pd = pcap_open_dead(DLT_EN10MB, 262144);
	ck_assert_ptr_nonnull(pd);
	int compared = 0, agreed = 0, skipped = 0;
	char failures[4096] = "";
	for (size_t i = 0; i < N_ACCEPTED + N_REJECTED; i++) {
		int accept = i < N_ACCEPTED;
		const char *expr = accept ? accepted[i].expr : rejected[i - N_ACCEPTED].expr;
		enum lp lp = accept ? accepted[i].lp : rejected[i - N_ACCEPTED].lp;
		char msg[PCAP_ERRBUF_SIZE] = "";
		int r = check_with_libpcap(pd, expr, accept, lp, msg, sizeof msg);
		if (r < 0) {
			skipped++;
			continue;
		}
		compared++;
		agreed += r;
		if (!r && strlen(failures) < sizeof failures - 200)
			snprintf(failures + strlen(failures), sizeof failures - strlen(failures),
				 "\n  [%s] %s by bpfcap; libpcap: %s", expr,
				 accept ? "accepted" : "rejected", msg[0] ? msg : "accepts");
	}
	pcap_close(pd);
	printf("table vs libpcap: %zu cases (%zu accepted, %zu rejected); %d compared, %d agree, "
	       "%d not compared (semantic or name lookups)\n",
	       N_ACCEPTED + N_REJECTED, N_ACCEPTED, N_REJECTED, compared, agreed, skipped);
	ck_assert_msg(agreed == compared, "disagreements with libpcap:%s", failures);
}
END_TEST

/* ---- named constants --------------------------------------------------- */

static const struct {
	const char *name;
	uint32_t value;
} named_constants[] = {
	{ "icmptype", 0 }, { "icmpcode", 1 }, { "icmp-echoreply", 0 }, { "icmp-unreach", 3 },
	{ "icmp-sourcequench", 4 }, { "icmp-redirect", 5 }, { "icmp-echo", 8 },
	{ "icmp-routeradvert", 9 }, { "icmp-routersolicit", 10 }, { "icmp-timxceed", 11 },
	{ "icmp-paramprob", 12 }, { "icmp-tstamp", 13 }, { "icmp-tstampreply", 14 },
	{ "icmp-ireq", 15 }, { "icmp-ireqreply", 16 }, { "icmp-maskreq", 17 },
	{ "icmp-maskreply", 18 }, { "icmp6type", 0 }, { "icmp6code", 1 },
	{ "icmp6-destinationunreach", 1 }, { "icmp6-packettoobig", 2 },
	{ "icmp6-timeexceeded", 3 }, { "icmp6-parameterproblem", 4 }, { "icmp6-echo", 128 },
	{ "icmp6-echoreply", 129 }, { "icmp6-multicastlistenerquery", 130 },
	{ "icmp6-multicastlistenerreportv1", 131 }, { "icmp6-multicastlistenerdone", 132 },
	{ "icmp6-routersolicit", 133 }, { "icmp6-routeradvert", 134 },
	{ "icmp6-neighborsolicit", 135 }, { "icmp6-neighboradvert", 136 },
	{ "icmp6-redirect", 137 }, { "icmp6-routerrenum", 138 },
	{ "icmp6-nodeinformationquery", 139 }, { "icmp6-nodeinformationresponse", 140 },
	{ "icmp6-ineighbordiscoverysolicit", 141 }, { "icmp6-ineighbordiscoveryadvert", 142 },
	{ "icmp6-multicastlistenerreportv2", 143 }, { "icmp6-homeagentdiscoveryrequest", 144 },
	{ "icmp6-homeagentdiscoveryreply", 145 }, { "icmp6-mobileprefixsolicit", 146 },
	{ "icmp6-mobileprefixadvert", 147 }, { "icmp6-certpathsolicit", 148 },
	{ "icmp6-certpathadvert", 149 }, { "icmp6-multicastrouteradvert", 151 },
	{ "icmp6-multicastroutersolicit", 152 }, { "icmp6-multicastrouterterm", 153 },
	{ "tcpflags", 13 }, { "tcp-fin", 1 }, { "tcp-syn", 2 }, { "tcp-rst", 4 },
	{ "tcp-push", 8 }, { "tcp-ack", 16 }, { "tcp-urg", 32 }, { "tcp-ece", 64 },
	{ "tcp-cwr", 128 },
};

/* Both that the parser reads the value, and that libpcap compiles the
 * name and the number to the same program. */
START_TEST(test_named_constant)
{
	const char *name = named_constants[_i].name;
	uint32_t value = named_constants[_i].value;
	char expr[128], tree[256], want[128], number_expr[128];
	struct bpfcap_error err;
	snprintf(expr, sizeof expr, "ip[0] = %s", name);
	snprintf(want, sizeof want, "(== ip[0:1] %u)", value);
	ck_assert_int_eq(parse_to_text(expr, tree, sizeof tree, &err), 0);
	ck_assert_str_eq(tree, want);

	snprintf(number_expr, sizeof number_expr, "ip[0] = %u", value);
	pcap_t *pd = pcap_open_dead(DLT_EN10MB, 262144);
	struct bpf_program by_name, by_number;
	ck_assert_int_eq(pcap_compile(pd, &by_name, expr, 1, 0), 0);
	ck_assert_int_eq(pcap_compile(pd, &by_number, number_expr, 1, 0), 0);
	ck_assert_uint_eq(by_name.bf_len, by_number.bf_len);
	ck_assert(memcmp(by_name.bf_insns, by_number.bf_insns,
			 by_name.bf_len * sizeof *by_name.bf_insns) == 0);
	pcap_freecode(&by_name);
	pcap_freecode(&by_number);
	pcap_close(pd);
}
END_TEST

/* ---- constructs bpfcap parses but does not compile ---------------------- */

static const char *const unsupported[] = {
	"type mgt", "wlan type data subtype data", "subtype beacon", "dir tods", "byte 1 = 2",
	"byte 3 & 1", "lane", "oamf4", "metac", "vpi 1", "vci > 5", "vpi (1 or 2)", "fisu",
	"sio 3", "hsls < 2", "on eth0", "ifname eth0", "rnr 5", "srnr 1", "reason match",
	"action pass", "link host $1f", "tcp and lane",
};

START_TEST(test_unsupported)
{
	char tree[256];
	struct bpfcap_error err;
	int rc = parse_to_text(unsupported[_i], tree, sizeof tree, &err);
	ck_assert_msg(rc == BPFCAP_E_UNSUPPORTED, "[%s] returned %d: %s", unsupported[_i], rc, err.msg);
	ck_assert(err.column >= 0 && err.length >= 1);
	ck_assert(strstr(err.msg, "not supported"));
}
END_TEST

/* ---- limits -------------------------------------------------------------- */

static char *repeat(const char *prefix, const char *unit, int n, const char *suffix)
{
	size_t len = strlen(prefix) + strlen(unit) * (size_t)n + strlen(suffix) + 1;
	char *s = malloc(len);
	ck_assert_ptr_nonnull(s);
	strcpy(s, prefix);
	char *end = s + strlen(s);
	for (int i = 0; i < n; i++) {
		strcpy(end, unit);
		end += strlen(unit);
	}
	strcpy(end, suffix);
	return s;
}

START_TEST(test_deep_nesting)
{
	/* Each of these would need tens of thousands of stack frames; the
	 * parser stops at its depth limit with a clear error instead. */
	static const struct {
		const char *prefix, *unit, *suffix;
	} shapes[] = {
		{ "", "(", "tcp" },
		{ "", "not ", "tcp" },
		{ "", "! ", "tcp" },
		{ "", "-", "1 = 1" },
		{ "", "(", "1" },
		{ "ip[", "ip[", "0" },
		{ "port 80 or ", "(", "443" },
		{ "port 80 or ", "not ", "443" },
		{ "host ", "not ", "10.0.0.1" },
		{ "vlan ", "(", "1" },
	};
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		char *expr = repeat(shapes[i].prefix, shapes[i].unit, 50000, shapes[i].suffix);
		char tree[64];
		struct bpfcap_error err;
		int rc = parse_to_text(expr, tree, sizeof tree, &err);
		ck_assert_msg(rc == BPFCAP_E_TOOBIG, "shape %zu: %d %s", i, rc, err.msg);
		ck_assert(strstr(err.msg, "nests too deeply"));
		ck_assert(err.column > 0 && err.column < (int)strlen(expr));
		free(expr);
	}
	/* Just under the limit still parses. */
	char *expr = repeat("", "(", 900, "tcp");
	char *closed = repeat(expr, ")", 900, "");
	char tree[64];
	struct bpfcap_error err;
	ck_assert_int_eq(parse_to_text(closed, tree, sizeof tree, &err), 0);
	ck_assert_str_eq(tree, "(proto tcp)");
	free(expr);
	free(closed);
}
END_TEST

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(test_long_chain_parses)
{
	enum { TERMS = 1000 };
	char *expr = malloc((size_t)TERMS * 32);
	ck_assert_ptr_nonnull(expr);
	size_t len = 0;
	for (int i = 0; i < TERMS; i++)
		len += (size_t)sprintf(expr + len, "%shost 10.0.%d.%d", i ? " or " : "", i / 250,
				       i % 250 + 1);
	double best = 1e9;
	for (int run = 0; run < 20; run++) {
		struct ast_arena arena = { 0 };
		struct ast_node *root;
		struct bpfcap_error err;
		double t0 = now_seconds();
		int rc = filter_parse(expr, &arena, &root, &err);
		double t = now_seconds() - t0;
		ck_assert_int_eq(rc, 0);
		ck_assert_int_eq(root->kind, AK_OR);
		ck_assert_int_eq(root->col, 0);
		ck_assert_int_eq(root->len, (int)len);
		ast_arena_free(&arena);
		if (t < best)
			best = t;
	}
	/* Informational only: speed is make bench's business (a timed
	 * assertion fails on a loaded machine and proves nothing). */
	printf("1000-term host chain (%zu bytes): best parse %.1f us\n", len, best * 1e6);
	free(expr);
}
END_TEST

/* ---- spans, blanks, printer, arena, lexer ---------------------------------- */

START_TEST(test_spans)
{
	const char *expr = "host 10.0.0.1 and not port 80 or ip[2:2] > 576";
	struct ast_arena arena = { 0 };
	struct ast_node *root;
	struct bpfcap_error err;
	ck_assert_int_eq(filter_parse(expr, &arena, &root, &err), 0);
	/* (or (and Q1 (not Q2)) REL) */
	ck_assert_int_eq(root->kind, AK_OR);
	ck_assert_int_eq(root->col, 0);
	ck_assert_int_eq(root->len, (int)strlen(expr));
	struct ast_node *and = root->left, *rel = root->right;
	ck_assert_int_eq(and->col, 0);
	ck_assert_int_eq(and->len, 29);
	ck_assert_int_eq(and->left->col, 0); /* a primitive spans its qualifiers */
	ck_assert_int_eq(and->left->len, 13);
	ck_assert_int_eq(and->right->kind, AK_NOT);
	ck_assert_int_eq(and->right->col, 18);
	ck_assert_int_eq(and->right->len, 11);
	ck_assert_int_eq(and->right->left->col, 22);
	ck_assert_int_eq(and->right->left->len, 7);
	ck_assert_int_eq(rel->col, 33);
	ck_assert_int_eq(rel->len, 13);
	ck_assert_int_eq(rel->lhs->col, 33);
	ck_assert_int_eq(rel->lhs->len, 7);
	ck_assert_int_eq(rel->rhs->col, 43);
	ck_assert_int_eq(rel->rhs->len, 3);
	ck_assert_str_eq(and->left->id.text, "10.0.0.1");
	ast_arena_free(&arena);

	/* An inherited id spans only itself; an escaped name loses its '\'. */
	ck_assert_int_eq(filter_parse("port 80 or 443 or \\http", &arena, &root, &err), 0);
	ck_assert_int_eq(root->left->right->col, 11);
	ck_assert_int_eq(root->left->right->len, 3);
	ck_assert_int_eq(root->right->col, 18);
	ck_assert_int_eq(root->right->len, 5);
	ck_assert_str_eq(root->right->id.text, "http");
	ck_assert_int_eq(root->right->q.type, AT_PORT);
	ast_arena_free(&arena);
}
END_TEST

START_TEST(test_empty_is_true)
{
	static const char *const blanks[] = { "", " ", "\t\n\r  ", NULL };
	for (size_t i = 0; i < sizeof blanks / sizeof blanks[0]; i++) {
		struct ast_arena arena = { 0 };
		struct ast_node *root = NULL;
		struct bpfcap_error err;
		ck_assert_int_eq(filter_parse(blanks[i], &arena, &root, &err), 0);
		ck_assert_int_eq(root->kind, AK_TRUE);
		ast_arena_free(&arena);
	}
	struct bpfcap_error err;
	struct ast_node *root;
	ck_assert_int_eq(filter_parse("tcp", NULL, &root, &err), BPFCAP_E_INVALID);
}
END_TEST

START_TEST(test_failure_leaves_root_null)
{
	struct ast_arena arena = { 0 };
	struct ast_node *root = (struct ast_node *)&arena;
	ck_assert_int_eq(filter_parse("tcp and", &arena, &root, NULL), BPFCAP_E_SYNTAX);
	ck_assert_ptr_null(root);
	ast_arena_free(&arena);
}
END_TEST

START_TEST(test_dump_truncates_like_snprintf)
{
	struct ast_arena arena = { 0 };
	struct ast_node *root;
	struct bpfcap_error err;
	ck_assert_int_eq(filter_parse("host 10.0.0.1 or port 80", &arena, &root, &err), 0);
	char full[256], small[10];
	size_t n = ast_dump(root, full, sizeof full);
	ck_assert_uint_eq(n, strlen(full));
	ck_assert_uint_eq(ast_dump(root, small, sizeof small), n);
	ck_assert_uint_eq(strlen(small), sizeof small - 1);
	ck_assert(strncmp(small, full, sizeof small - 1) == 0);
	ck_assert_uint_eq(ast_dump(root, NULL, 0), n);
	ast_arena_free(&arena);
}
END_TEST

START_TEST(test_arena)
{
	struct ast_arena arena = { 0 };
	/* Many small blocks: aligned, zeroed, distinct. */
	unsigned char *prev = NULL;
	for (int i = 0; i < 100000; i++) {
		size_t size = (size_t)(i % 97) + 1;
		unsigned char *p = ast_alloc(&arena, size);
		if (!p)
			ck_abort_msg("allocation %d failed", i);
		size_t nonzero = 0;
		for (size_t k = 0; k < size; k++)
			nonzero += p[k] != 0;
		if (nonzero || p == prev || (uintptr_t)p % _Alignof(max_align_t))
			ck_abort_msg("block %d of %zu bytes: %zu nonzero bytes", i, size, nonzero);
		memset(p, 0xab, size);
		prev = p;
	}
	/* A block larger than any chunk, then small ones again. */
	unsigned char *big = ast_alloc(&arena, 3u << 20);
	ck_assert_ptr_nonnull(big);
	ck_assert_uint_eq(big[(3u << 20) - 1], 0);
	ck_assert_ptr_nonnull(ast_alloc(&arena, 8));
	char *s = ast_strndup(&arena, "hello world", 5);
	ck_assert_str_eq(s, "hello");
	ast_arena_free(&arena);
	ck_assert_ptr_null(arena.head);
	ast_arena_free(&arena); /* freeing twice is harmless */
}
END_TEST

START_TEST(test_keyword_table)
{
	ck_assert(lexer_keywords_sorted());
	/* Every keyword is one token of its own length, and none is a name. */
	for (size_t i = 0; lexer_keyword(i); i++) {
		const char *kw = lexer_keyword(i);
		struct lexer lx;
		struct token t;
		lexer_init(&lx, kw, strlen(kw));
		lexer_next(&lx, &t);
		ck_assert_msg(t.kind != T_ID && t.len == (int)strlen(kw), "keyword %s", kw);
		lexer_next(&lx, &t);
		ck_assert_int_eq(t.kind, T_EOF);
	}
}
END_TEST

/* How the lexer splits spellings that several scanner rules could match. */
START_TEST(test_lexer_longest_match)
{
	static const struct {
		const char *text;
		enum tok_kind kind;
		int len;
	} cases[] = {
		{ "tcp", T_PNAME, 3 },         { "tcpx", T_ID, 4 },
		{ "HOST", T_ID, 4 },           { "tcp-syn", T_NUM, 7 },
		{ "tcp-synx", T_ID, 8 },       { "80", T_NUM, 2 },
		{ "25-53", T_ID, 5 },          { "a-", T_ID, 1 },
		{ "a_b", T_ID, 3 },            { "1.2", T_HID, 3 },
		{ "1.2.3.4", T_HID, 7 },       { "1.2.3.4.5", T_ID, 9 },
		{ "1.2.3.4.5.6", T_EID, 11 },  { "001122334455", T_EID, 12 },
		{ "0011.2233.4455", T_EID, 14 }, { "a:b:c:d:e:f", T_EID, 11 },
		{ "a-b-c-d-e-f", T_EID, 11 },  { "::", T_HID6, 2 },
		{ "::1", T_HID6, 3 },          { "fe80::1", T_HID6, 7 },
		{ "1:2:3:4:5:6:7:8", T_HID6, 15 }, { "::ffff:1.2.3.4", T_HID6, 14 },
		{ "1:2:", T_ERROR, 4 },        { "0x1f", T_NUM, 4 },
		{ "0x", T_ID, 2 },             { "0xg", T_ID, 3 },
		{ "08", T_ERROR, 2 },          { "4294967296", T_ERROR, 10 },
		{ "\\tcp", T_ID, 4 },          { "\\a(b", T_ID, 2 },
		{ "$1f", T_AID, 3 },           { "&&", T_AND, 2 },
		{ "&", T_AMP, 1 },             { "||", T_OR, 2 },
		{ "==", T_EQ, 2 },             { "!=", T_NE, 2 },
		{ "!", T_NOT, 1 },             { "<<", T_LSH, 2 },
		{ "<=", T_LE, 2 },             { "es-is", T_PNAME, 5 },
		{ "length", T_LEN, 6 },        { "address1", T_ADDR, 8 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct lexer lx;
		struct token t;
		lexer_init(&lx, cases[i].text, strlen(cases[i].text));
		lexer_next(&lx, &t);
		ck_assert_msg(t.kind == cases[i].kind && t.len == cases[i].len,
			      "[%s] kind %d len %d, want kind %d len %d", cases[i].text, t.kind, t.len,
			      cases[i].kind, cases[i].len);
	}
}
END_TEST

/* ---- random token sequences against libpcap ------------------------------- */

static uint64_t rng_next(uint64_t *state)
{
	/* xorshift64*: deterministic across platforms, so failures reproduce. */
	uint64_t x = *state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static size_t rng_below(uint64_t *state, size_t n)
{
	return (size_t)(rng_next(state) % n);
}

/* Atoms besides the keywords.  No names that would need DNS. */
static const char *const atoms[] = {
	"10.0.0.1", "10.1", "80", "0x10", "1", "2", "4", "::1", "fe80::1/64",
	"00:11:22:33:44:55", "localhost", "25-53", "(", ")", "(", ")", "[", "]", ":",
	"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "=", "==", "!=", "<", ">",
	">=", "<=", "!", "&&", "||", "not", "and", "or", "and", "or", "255.0.0.0", "8",
};

/* Well-formed pieces, so that the random expressions are often valid. */
static const char *const pieces[] = {
	"host 10.0.0.1", "port 80", "tcp", "udp", "ip[0] = 1", "vlan 1", "vlan", "len > 5",
	"src net 10.0.0.0/8", "10.0.0.2", "443", "(80 or 81)", "not 10.0.0.3", "ether broadcast",
	"ip6", "tcp dst port 22", "icmp[icmptype] = icmp-echo", "less 10", "mpls", "arp",
	"ether host 00:11:22:33:44:55", "portrange 1-2", "ip proto \\tcp", "(tcp)", "inbound",
	"1 + 2 * 3 = 7", "geneve", "llc i", "ip multicast", "net 10 or 11",
};

static void append(char *buf, size_t size, const char *s)
{
	size_t len = strlen(buf);
	if (len + strlen(s) + 2 < size) {
		if (len)
			buf[len++] = ' ';
		strcpy(buf + len, s);
	}
}

/* A random token from the keyword list (vxlan aside: libpcap 1.10 lacks
 * it) or the atoms. */
static const char *random_token(uint64_t *rng)
{
	if (rng_below(rng, 10) < 4) {
		size_t n = 0;
		while (lexer_keyword(n))
			n++;
		const char *kw;
		do
			kw = lexer_keyword(rng_below(rng, n));
		while (strcmp(kw, "vxlan") == 0);
		return kw;
	}
	return atoms[rng_below(rng, sizeof atoms / sizeof atoms[0])];
}

/* A small vocabulary where inheritance, "not" and the three meanings of
 * "(" meet often. */
static const char *const tricky[] = {
	"host", "port", "tcp", "10.0.0.1", "80", "(", ")", "(", ")", "not", "and", "or",
	"ip[0]", "=", "1", "+", "-", "%", "^", "vlan", "src", "dst", "len", "ip", "proto",
	"\\udp", "mask", "255.0.0.0", "/", "8", "::1", "!", ">",
};

static void random_expression(uint64_t *rng, char *buf, size_t size)
{
	buf[0] = '\0';
	if (rng_below(rng, 3) == 0) {
		size_t n = 1 + rng_below(rng, 10);
		for (size_t i = 0; i < n; i++)
			append(buf, size, tricky[rng_below(rng, sizeof tricky / sizeof tricky[0])]);
		return;
	}
	if (rng_below(rng, 2)) {
		/* Token soup. */
		size_t n = 1 + rng_below(rng, 6);
		for (size_t i = 0; i < n; i++)
			append(buf, size, random_token(rng));
		return;
	}
	/* Pieces joined by and/or, with "not", parentheses and an occasional
	 * stray token. */
	size_t n = 1 + rng_below(rng, 4);
	int open = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			append(buf, size, rng_below(rng, 2) ? "and" : "or");
		if (rng_below(rng, 5) == 0)
			append(buf, size, "not");
		if (rng_below(rng, 5) == 0) {
			append(buf, size, "(");
			open++;
		}
		append(buf, size, pieces[rng_below(rng, sizeof pieces / sizeof pieces[0])]);
		if (open && rng_below(rng, 3) == 0) {
			append(buf, size, ")");
			open--;
		}
		if (rng_below(rng, 8) == 0)
			append(buf, size, random_token(rng));
	}
	while (open-- > 0)
		if (rng_below(rng, 6))
			append(buf, size, ")");
}

START_TEST(test_random_agrees_with_libpcap)
{
	enum { CASES = 6000 };
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	pcap_t *pd = pcap_open_dead(DLT_EN10MB, 262144);
	ck_assert_ptr_nonnull(pd);
	int compared = 0, agreed = 0, pcap_semantic = 0, both_accept = 0;
	char disagreements[4096] = "";
	for (int i = 0; i < CASES; i++) {
		char expr[512], tree[4096], msg[PCAP_ERRBUF_SIZE] = "";
		struct bpfcap_error err;
		random_expression(&rng, expr, sizeof expr);
		int rc = parse_to_text(expr, tree, sizeof tree, &err);
		ck_assert_msg(rc == 0 || rc == BPFCAP_E_SYNTAX || rc == BPFCAP_E_SEMANTIC ||
				      rc == BPFCAP_E_UNSUPPORTED,
			      "[%s] returned %d", expr, rc);
		ck_assert_msg(rc == 0 || (err.column >= 0 && err.column <= (int)strlen(expr)),
			      "[%s] column %d", expr, err.column);
		int we_accept = rc == 0 || rc == BPFCAP_E_UNSUPPORTED;
		int pcap_accepts = libpcap_accepts(pd, expr, msg, sizeof msg);
		if (!pcap_accepts && !strstr(msg, "syntax error")) {
			pcap_semantic++; /* libpcap stopped at meaning; no syntax verdict */
			continue;
		}
		compared++;
		if (we_accept == pcap_accepts) {
			agreed++;
			both_accept += we_accept;
		} else if (strlen(disagreements) < sizeof disagreements - 300) {
			snprintf(disagreements + strlen(disagreements),
				 sizeof disagreements - strlen(disagreements),
				 "\n  [%s] bpfcap: %s; libpcap: %s", expr,
				 we_accept ? "accepts" : err.msg, pcap_accepts ? "accepts" : msg);
		}
	}
	pcap_close(pd);
	printf("random vs libpcap: %d expressions; %d with a libpcap syntax verdict, %d agree "
	       "(%d accepted by both), %d disagree; %d skipped (libpcap semantic error)\n",
	       CASES, compared, agreed, both_accept, compared - agreed, pcap_semantic);
	if (disagreements[0])
		printf("disagreements:%s\n", disagreements);
	ck_assert_msg(agreed == compared, "disagreements:%s", disagreements);
}
END_TEST

static Suite *parser_suite(void)
{
	Suite *s = suite_create("parser");
	TCase *tables = tcase_create("tables");
	tcase_add_loop_test(tables, test_accepted, 0, (int)N_ACCEPTED);
	tcase_add_loop_test(tables, test_rejected, 0, (int)N_REJECTED);
	tcase_add_loop_test(tables, test_named_constant, 0,
			    (int)(sizeof named_constants / sizeof named_constants[0]));
	tcase_add_loop_test(tables, test_unsupported, 0,
			    (int)(sizeof unsupported / sizeof unsupported[0]));
	suite_add_tcase(s, tables);

	TCase *libpcap = tcase_create("libpcap");
	tcase_set_timeout(libpcap, 60);
	tcase_add_test(libpcap, test_table_agrees_with_libpcap);
	tcase_add_test(libpcap, test_random_agrees_with_libpcap);
	suite_add_tcase(s, libpcap);

	TCase *limits = tcase_create("limits");
	tcase_set_timeout(limits, 30);
	tcase_add_test(limits, test_deep_nesting);
	tcase_add_test(limits, test_long_chain_parses);
	suite_add_tcase(s, limits);

	TCase *parts = tcase_create("parts");
	tcase_add_test(parts, test_spans);
	tcase_add_test(parts, test_empty_is_true);
	tcase_add_test(parts, test_failure_leaves_root_null);
	tcase_add_test(parts, test_dump_truncates_like_snprintf);
	tcase_add_test(parts, test_arena);
	tcase_add_test(parts, test_keyword_table);
	tcase_add_test(parts, test_lexer_longest_match);
	suite_add_tcase(s, parts);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(parser_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
