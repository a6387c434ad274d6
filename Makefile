# bpfcap — one Makefile for the library, the binary, the tests and the benchmarks.
#
#   make            build libbpfcap.a, libbpfcap.so and bpfcap
#   make check      install what is missing, build, run every test suite,
#                   then the unit/differential/fuzz suites again under ASan+UBSan
#   make bench      benchmark figures, side by side with the peers
#   make demo       the main job (see README.md)
#   make install    PREFIX=/usr/local DESTDIR=
#   make CC=clang   any C11 compiler with gnu11; warnings are errors

CC       ?= gcc
PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
SAN      ?=
OPT      ?= -O2
VERSION  := 0.1.0

CPPFLAGS += -Iinclude -Ifilter -Ivm -Ijit -Icapture -D_GNU_SOURCE
CFLAGS   += -std=gnu11 $(OPT) -g -fPIC -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wno-unused-parameter $(SAN)
LDFLAGS  += $(SAN)

# Every link of the library takes PCAP_LIBS: libpcap, and libelf for vm/elf_*.c.
ELF_LIBS   := $(shell pkg-config --libs libelf 2>/dev/null || echo -lelf)
PCAP_LIBS  := $(shell pkg-config --libs libpcap 2>/dev/null || echo -lpcap) $(ELF_LIBS)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -lpthread)

LIB_SRCS := $(wildcard filter/*.c vm/*.c jit/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_SRCS := $(wildcard capture/*.c)
CLI_OBJS := $(CLI_SRCS:%.c=$(BUILD)/%.o)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
DIFF_SRCS := $(wildcard tests/diff/diff_*.c)
DIFF_BINS := $(DIFF_SRCS:tests/diff/%.c=$(BUILD)/tests/%)
BENCH_SRCS := $(wildcard tests/bench/bench_*.c)
BENCH_BINS := $(BENCH_SRCS:tests/bench/%.c=$(BUILD)/tests/%)
TOOL_SRCS := $(wildcard tests/pktgen/*.c)
TOOL_BINS := $(TOOL_SRCS:tests/pktgen/%.c=$(BUILD)/tests/%)
TEST_COMMON := $(wildcard tests/common/*.c)
TEST_COMMON_OBJS := $(TEST_COMMON:%.c=$(BUILD)/%.o)

LIBA  := $(BUILD)/libbpfcap.a
LIBSO := $(BUILD)/libbpfcap.so
BIN   := $(BUILD)/bpfcap

.PHONY: all deps check check-unit check-diff check-cli check-asan check-fuzz bench demo \
        install clean fuzz tests
all: $(LIBA) $(LIBSO) $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/common $(CFLAGS) -MMD -MP -c $< -o $@

$(LIBA): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(LIBSO): $(LIB_OBJS)
	$(CC) -shared $(LDFLAGS) -Wl,-soname,libbpfcap.so.0 -o $@ $^ $(PCAP_LIBS)

$(BIN): $(CLI_OBJS) $(LIBA)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(LIBA) $(PCAP_LIBS)

$(BUILD)/tests/test_%: $(BUILD)/tests/unit/test_%.o $(TEST_COMMON_OBJS) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(TEST_COMMON_OBJS) $(LIBA) $(CHECK_LIBS) $(PCAP_LIBS)

$(BUILD)/tests/diff_%: $(BUILD)/tests/diff/diff_%.o $(TEST_COMMON_OBJS) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(TEST_COMMON_OBJS) $(LIBA) $(PCAP_LIBS)

$(BUILD)/tests/bench_%: $(BUILD)/tests/bench/bench_%.o $(TEST_COMMON_OBJS) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(TEST_COMMON_OBJS) $(LIBA) $(PCAP_LIBS) -lm

$(BUILD)/tests/%: $(BUILD)/tests/pktgen/%.o $(TEST_COMMON_OBJS) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(TEST_COMMON_OBJS) $(LIBA) $(PCAP_LIBS)

# capture/'s file I/O is not in the library: its unit test and fuzz target
# take the objects or sources themselves.
PCAPIO_SRCS := capture/pcap_read.c capture/pcap_write.c capture/rotate.c
PCAPIO_OBJS := $(PCAPIO_SRCS:%.c=$(BUILD)/%.o)
$(BUILD)/tests/test_pcapio: $(BUILD)/tests/unit/test_pcapio.o $(PCAPIO_OBJS) $(TEST_COMMON_OBJS) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(PCAPIO_OBJS) $(TEST_COMMON_OBJS) $(LIBA) $(CHECK_LIBS) $(PCAP_LIBS)

# The kernel-program preparation of live capture, tested on its own.
$(BUILD)/tests/test_kfilter: $(BUILD)/tests/unit/test_kfilter.o $(BUILD)/capture/kfilter.o $(TEST_COMMON_OBJS) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(BUILD)/capture/kfilter.o $(TEST_COMMON_OBJS) $(LIBA) $(CHECK_LIBS) $(PCAP_LIBS)

# tests/data/*.c: eBPF programs in C for the ELF tests, compiled by clang
# for the bpf target (the kernel headers' asm/ is under the multiarch dir).
ELF_DATA_SRCS := $(wildcard tests/data/*.c)
ELF_DATA_OBJS := $(ELF_DATA_SRCS:%.c=$(BUILD)/%.o)
BPF_CLANG ?= clang-14
$(BUILD)/tests/data/%.o: tests/data/%.c
	@mkdir -p $(dir $@)
	$(BPF_CLANG) -target bpf -O2 -g -I/usr/include/$(shell gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu) -c $< -o $@
tests: all $(UNIT_BINS) $(DIFF_BINS) $(BENCH_BINS) $(TOOL_BINS) $(ELF_DATA_OBJS)

$(BUILD)/tests/test_elf: $(ELF_DATA_OBJS)
# diff_elf checks objects with libbpf, the loader users have.
$(BUILD)/tests/diff_elf: $(BUILD)/tests/diff/diff_elf.o $(TEST_COMMON_OBJS) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(TEST_COMMON_OBJS) $(LIBA) $(PCAP_LIBS) $(shell pkg-config --libs libbpf 2>/dev/null || echo -lbpf)

# ---- tests -----------------------------------------------------------------
# Each suite has a time budget (tests/run-suite.sh enforces it) so the whole
# of make check stays under 10 minutes on 2 cores.
deps:
	@scripts/install-deps.sh

# Every test program counts once per run (plain, sanitized, fuzz); the
# last line is the total over all of them.
CHECK_SUMMARY := $(abspath build/check-summary)
# Builds inside make check use every core (2 here); the tests themselves
# run one program at a time, so timing-sensitive live suites run alone.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
check: deps
	@mkdir -p build && rm -f $(CHECK_SUMMARY)
	$(MAKE) -j$(JOBS) tests
	BUILD=$(BUILD) CHECK_SUMMARY=$(CHECK_SUMMARY) tests/run-all.sh
	@# The sanitizer pass and the libFuzzer runs are independent: one core each.
	$(MAKE) check-asan CHECK_SUMMARY=$(CHECK_SUMMARY) & asan=$$!; \
	  $(MAKE) check-fuzz CHECK_SUMMARY=$(CHECK_SUMMARY); fuzz=$$?; \
	  wait $$asan; asan=$$?; exit $$((asan | fuzz))
	@awk '{ p += $$1; f += $$2; s += $$3 } END { printf "check: %d passed, %d failed, %d skipped\n", p, f, s; exit f > 0 }' $(CHECK_SUMMARY)

check-asan:
	$(MAKE) -j$(JOBS) BUILD=build/asan CC=clang OPT=-O1 \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" tests
	BUILD=build/asan BPFCAP_SANITIZED=1 ASAN_OPTIONS=detect_leaks=1 \
	  UBSAN_OPTIONS=print_stacktrace=1 CHECK_SUMMARY=$(CHECK_SUMMARY) tests/run-all.sh unit diff cli

FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)
# The library (and what a target needs beside it) is compiled once with the
# fuzzer's instrumentation into build/fuzz/obj; each target links those
# objects it uses.
FUZZ_CFLAGS := $(CPPFLAGS) -Itests/common -std=gnu11 -O1 -g -Wall -Wextra -Werror \
  -Wno-unused-parameter -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=build/fuzz/obj/%.o)
FUZZ_REF_OBJS := build/fuzz/obj/tests/common/cbpf_ref.o
FUZZ_PRINT_OBJS = $(PRINT_SRCS:%.c=build/fuzz/obj/%.o)
.SECONDARY: $(FUZZ_LIB_OBJS) $(FUZZ_REF_OBJS) build/fuzz/obj/capture/pcap_read.o
build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJS) $(FUZZ_REF_OBJS)
	@mkdir -p build/fuzz
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJS) $(FUZZ_REF_OBJS) $(PCAP_LIBS)

build/fuzz/fuzz_pcapread: tests/fuzz/fuzz_pcapread.c build/fuzz/obj/capture/pcap_read.o
	@mkdir -p build/fuzz
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^

# A brief run of every fuzz target inside make check; "make fuzz" runs unbounded.
check-fuzz:
	$(MAKE) -j$(JOBS) $(FUZZ_BINS)
	CHECK_SUMMARY=$(CHECK_SUMMARY) tests/run-fuzz.sh $(FUZZ_BINS)

fuzz: $(FUZZ_BINS) $(BUILD)/tests/diff_verifier $(BUILD)/tests/diff_jit
	VERIFY_FUZZ_SECONDS=0 $(BUILD)/tests/diff_verifier & v=$$!; JIT_FUZZ_SECONDS=0 $(BUILD)/tests/diff_jit & j=$$!; FUZZ_SECONDS=0 tests/run-fuzz.sh $(FUZZ_BINS); s=$$?; wait $$v; s=$$((s | $$?)); wait $$j; exit $$((s | $$?))

bench: deps
	$(MAKE) tests
	BUILD=$(BUILD) tests/bench/run-bench.sh

demo: deps
	$(MAKE) all $(BUILD)/tests/gen_corpus $(BUILD)/tests/pktsend
	BUILD=$(BUILD) scripts/demo.sh

# ---- install ---------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/bpfcap
	install -m 644 $(LIBA) $(DESTDIR)$(PREFIX)/lib/libbpfcap.a
	install -m 755 $(LIBSO) $(DESTDIR)$(PREFIX)/lib/libbpfcap.so.$(VERSION)
	ln -sf libbpfcap.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libbpfcap.so.0
	ln -sf libbpfcap.so.0 $(DESTDIR)$(PREFIX)/lib/libbpfcap.so
	install -m 644 include/bpfcap.h $(DESTDIR)$(PREFIX)/include/bpfcap.h
	install -m 644 docs/bpfcap.8 $(DESTDIR)$(PREFIX)/share/man/man8/bpfcap.8
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' bpfcap.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/bpfcap.pc

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# diff_print links the printer (capture/print_*.c) beside the library.
PRINT_SRCS := $(wildcard capture/print_*.c)
PRINT_OBJS := $(PRINT_SRCS:%.c=$(BUILD)/%.o)
$(BUILD)/tests/diff_print: $(BUILD)/tests/diff/diff_print.o $(PRINT_OBJS) $(TEST_COMMON_OBJS) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(PRINT_OBJS) $(TEST_COMMON_OBJS) $(LIBA) $(PCAP_LIBS)
# fuzz_print links the printer sources beside the library's.
build/fuzz/fuzz_print: tests/fuzz/fuzz_print.c $(FUZZ_LIB_OBJS) $(FUZZ_PRINT_OBJS)
	@mkdir -p build/fuzz
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJS) $(FUZZ_PRINT_OBJS) $(PCAP_LIBS)
# fuzz_print's seeds come from printing the corpora: the printer objects too.
$(BUILD)/tests/gen_print_seeds: $(BUILD)/tests/pktgen/gen_print_seeds.o $(PRINT_OBJS) $(TEST_COMMON_OBJS) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(PRINT_OBJS) $(TEST_COMMON_OBJS) $(LIBA) $(PCAP_LIBS)

-include $(wildcard build/fuzz/obj/*/*.d build/fuzz/obj/*/*/*.d)
