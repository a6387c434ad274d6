/* A socket filter written in C, for the ELF tests: the frames
 * `ip and tcp port 80` matches (IPv4, not a later fragment, TCP, source or
 * destination port 80), read with clang's LD_ABS/LD_IND builtins because a
 * socket filter cannot read __sk_buff->data directly.  Compiled by the
 * Makefile with clang -target bpf into build/tests/data/elf_filter.o. */
#include <linux/bpf.h>

#define SEC(name) __attribute__((section(name), used))

unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");

SEC("socket")
int http_only(struct __sk_buff *skb)
{
	if (load_half(skb, 12) != 0x0800)      /* EtherType IPv4 */
		return 0;
	if (load_byte(skb, 23) != 6)           /* protocol TCP */
		return 0;
	if (load_half(skb, 20) & 0x1fff)       /* a later fragment: no TCP header */
		return 0;
	unsigned long long l4 = 14 + 4 * (load_byte(skb, 14) & 0xf);
	if (load_half(skb, l4) == 80 || load_half(skb, l4 + 2) == 80)
		return 262144;
	return 0;
}

char _license[] SEC("license") = "GPL";
