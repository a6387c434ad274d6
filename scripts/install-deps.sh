#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, test, benchmark
# and demo bpfcap.  Used by `make check`, `make demo`, `make bench` and
# .ci/run.  Does nothing (and needs no root) when everything is present.
set -euo pipefail

packages=(
	build-essential   # gcc, make
	clang             # second compiler; the ASan/UBSan and libFuzzer builds
	libclang-rt-14-dev # libFuzzer and sanitizer runtimes for clang 14
	llvm              # llvm-symbolizer for sanitizer reports
	pkg-config
	libpcap-dev       # the reference compiler and interpreter in tests; -r files
	libelf-dev        # eBPF ELF objects (vm/)
	check             # unit test framework
	tcpdump           # peer for format and file tests
	tshark            # reads our captures back (with capinfos, from wireshark-common)
	iproute2          # ip netns / veth for live tests and the demo
	netbase           # /etc/services and /etc/protocols for names
	netsniff-ng       # trafgen: the live benchmark's traffic generator; netsniff-ng as a peer
	bpftool           # loads our ELF objects as the kernel's own tool would
	libbpf-dev        # bpf_object__open_file/load in the ELF tests
)

missing=()
for p in "${packages[@]}"; do
	# dpkg-query prints "install ok installed" for a present package.
	if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: need root to install packages (run as root or with sudo)" >&2
	exit 1
fi
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
