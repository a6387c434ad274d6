/* Classic BPF encoding: the one place the project spells a cBPF opcode.
 *
 * Layout and values follow the BSD packet filter as Linux and libpcap
 * share it (linux/filter.h, linux/bpf_common.h, pcap/bpf.h): a 16-bit
 * code made of class | size | mode, or class | op | src; two 8-bit jump
 * offsets relative to the next instruction; a 32-bit constant.  Names
 * carry a CBPF_ prefix so this header coexists with <pcap/bpf.h> in tests.
 */
#ifndef BPFCAP_FILTER_CBPF_H
#define BPFCAP_FILTER_CBPF_H

#include <stdint.h>

/* Same layout as struct bpf_insn (pcap) and struct sock_filter (Linux). */
struct cbpf_insn {
	uint16_t code;
	uint8_t jt;
	uint8_t jf;
	uint32_t k;
};

/* Instruction classes. */
#define CBPF_LD   0x00
#define CBPF_LDX  0x01
#define CBPF_ST   0x02
#define CBPF_STX  0x03
#define CBPF_ALU  0x04
#define CBPF_JMP  0x05
#define CBPF_RET  0x06
#define CBPF_MISC 0x07
#define CBPF_CLASS(code) ((code) & 0x07)

/* Load sizes. */
#define CBPF_W 0x00
#define CBPF_H 0x08
#define CBPF_B 0x10
#define CBPF_SIZE(code) ((code) & 0x18)

/* Load modes. */
#define CBPF_IMM 0x00
#define CBPF_ABS 0x20
#define CBPF_IND 0x40
#define CBPF_MEM 0x60
#define CBPF_LEN 0x80
#define CBPF_MSH 0xa0
#define CBPF_MODE(code) ((code) & 0xe0)

/* ALU and jump operations. */
#define CBPF_ADD  0x00
#define CBPF_SUB  0x10
#define CBPF_MUL  0x20
#define CBPF_DIV  0x30
#define CBPF_OR   0x40
#define CBPF_AND  0x50
#define CBPF_LSH  0x60
#define CBPF_RSH  0x70
#define CBPF_NEG  0x80
#define CBPF_MOD  0x90
#define CBPF_XOR  0xa0
#define CBPF_JA   0x00
#define CBPF_JEQ  0x10
#define CBPF_JGT  0x20
#define CBPF_JGE  0x30
#define CBPF_JSET 0x40
#define CBPF_OP(code) ((code) & 0xf0)

/* Operand source. */
#define CBPF_K 0x00
#define CBPF_X 0x08
#define CBPF_SRC(code) ((code) & 0x08)

/* RET value source (BPF_RVAL). */
#define CBPF_A 0x10
#define CBPF_RVAL(code) ((code) & 0x18)

/* MISC operations. */
#define CBPF_TAX 0x00
#define CBPF_TXA 0x80
#define CBPF_MISCOP(code) ((code) & 0xf8)

/* Scratch memory words M[0..15]. */
#define CBPF_MEMWORDS 16

/* The kernel refuses classic programs longer than this (BPF_MAXINSNS). */
#define CBPF_MAXINSNS 4096

/* Linux ancillary data: a load from SKF_AD_OFF + n reads skb metadata
 * (linux/filter.h).  libpcap names them in its dumps: see dump.c. */
#define CBPF_SKF_AD_OFF            (-0x1000)
#define CBPF_SKF_AD_PROTOCOL       0
#define CBPF_SKF_AD_PKTTYPE        4
#define CBPF_SKF_AD_IFINDEX        8
#define CBPF_SKF_AD_NLATTR         12
#define CBPF_SKF_AD_NLATTR_NEST    16
#define CBPF_SKF_AD_MARK           20
#define CBPF_SKF_AD_QUEUE          24
#define CBPF_SKF_AD_HATYPE         28
#define CBPF_SKF_AD_RXHASH         32
#define CBPF_SKF_AD_CPU            36
#define CBPF_SKF_AD_ALU_XOR_X      40
#define CBPF_SKF_AD_VLAN_TAG       44
#define CBPF_SKF_AD_VLAN_TAG_PRESENT 48
#define CBPF_SKF_AD_PAY_OFFSET     52
#define CBPF_SKF_AD_RANDOM         56
#define CBPF_SKF_AD_VLAN_TPID      60
#define CBPF_SKF_AD_MAX            64
#define CBPF_SKF_NET_OFF           (-0x100000)
#define CBPF_SKF_LL_OFF            (-0x200000)

/* Linux pkt_type values seen through SKF_AD_PKTTYPE (linux/if_packet.h). */
#define CBPF_PACKET_HOST      0
#define CBPF_PACKET_BROADCAST 1
#define CBPF_PACKET_MULTICAST 2
#define CBPF_PACKET_OTHERHOST 3
#define CBPF_PACKET_OUTGOING  4

static inline struct cbpf_insn cbpf_stmt(uint16_t code, uint32_t k)
{
	struct cbpf_insn i = { code, 0, 0, k };
	return i;
}

static inline struct cbpf_insn cbpf_jump(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	struct cbpf_insn i = { code, jt, jf, k };
	return i;
}

#endif
