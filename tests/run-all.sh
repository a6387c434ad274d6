#!/usr/bin/env bash
# Run bpfcap's test programs: tests/run-all.sh [SUITE...]
#   SUITE: unit (every $BUILD/tests/test_*, Check), diff (every
#   $BUILD/tests/diff_*), cli (every tests/cli/test_*.sh); default: all.
# Environment:
#   BUILD            build directory (default build), e.g. build/asan
#   BPFCAP_CORPUS    corpus directory (default $BUILD/corpus, generated here
#                    with $BUILD/tests/gen_corpus when missing)
#   BPFCAP_SANITIZED =1: a sanitizer build, time budgets x3
#   CI=true or BPFCAP_NO_SKIP=1: a skipped program (exit 77) counts as failed
# Prints one line per program and per suite, then exactly one summary line
# "N passed, N failed, N skipped" (programs); exits non-zero if anything
# failed or ran out of time.  Logs: $BUILD/test-logs/.
set -euo pipefail

# ---- time budgets, seconds per program (x3 under sanitizers) -----------------
declare -A BUDGET=(
	[test_dump]=60
	[test_harness]=30
	[test_parser]=60
	[test_codegen]=30
	[test_optimize]=30
	[test_assemble]=10
	[test_interp]=10
	[test_asm]=10
	[diff_conformance]=10
	[test_jit]=30
	[diff_jit]=120
	[test_translate]=20
	[diff_translate]=60
	[diff_kernel]=120
	[diff_count]=60
	[test_verify_maps]=20
	[test_verify]=30
	[test_ebpf_dump]=20
	[diff_verifier]=150
	[diff_live]=30
	[diff_optimizer]=60
	[test_corpus.sh]=60
	[test_install.sh]=60
	[test_demo.sh]=60
	[diff_filter]=120
	[diff_accept]=120
	[test_dump.sh]=120
	[test_dump_ebpf.sh]=60
	[test_print_cli.sh]=60
	[test_errors.sh]=120
	[gen_corpus]=120
	[diff_print]=60
	[test_pcapio]=20
	[test_kfilter]=20
	[test_count_live.sh]=60
	[test_offline.sh]=240
	[test_offline_tcpdump.sh]=420
	[test_elf]=20
	[diff_elf]=60
	[test_elf.sh]=150
	[test_live.sh]=120
)
DEFAULT_BUDGET=120
# Run in the plain pass only, never under sanitizers, with the reason: the
# same bpfcap code paths run under ASan in the suites named.
declare -A PLAIN_ONLY=(
	[test_count_live.sh]="live capture in network namespaces; the counting programs run under ASan in diff_count and test_verify_maps"
	[test_dump.sh]="tcpdump -d comparisons: the compiler and dump code run under ASan in diff_filter, diff_accept and test_dump, the command line's paths in test_errors.sh"
	[test_corpus.sh]="the corpus generator's own checks: its packets go through every sanitized diff suite"
	[test_elf.sh]="network namespaces, tc and XDP attached with the kernel's tools: the ELF reader, writer and rewrites run under ASan in test_elf and diff_elf"
	[test_offline_tcpdump.sh]="1,890 tcpdump comparisons; under ASan the readers, writer and filter are exercised by test_offline.sh and fuzz_pcapread"
	[test_live.sh]="live capture in network namespaces; the code it runs is sanitized in unit/diff suites"
)
# -------------------------------------------------------------------------------

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
case $BUILD in
/*) ;;
*) BUILD=$ROOT/$BUILD ;;
esac
export BUILD
export BPFCAP_CORPUS=${BPFCAP_CORPUS:-$BUILD/corpus}
export BPFCAP_TESTS=$ROOT/tests
FACTOR=1
[[ ${BPFCAP_SANITIZED:-0} == 1 ]] && FACTOR=3
# The time-budgeted fuzzers (diff_verifier, diff_jit) get half a minute in
# the plain run (`make fuzz` runs them without a bound); the sanitizer pass
# looks for memory errors in the same code, for which 10 s suffice.  This
# keeps make check under 10 minutes on 2 cores.
if [[ ${BPFCAP_SANITIZED:-0} == 1 ]]; then
	export VERIFY_FUZZ_SECONDS=${VERIFY_FUZZ_SECONDS:-10} JIT_FUZZ_SECONDS=${JIT_FUZZ_SECONDS:-10}
else
	export VERIFY_FUZZ_SECONDS=${VERIFY_FUZZ_SECONDS:-30} JIT_FUZZ_SECONDS=${JIT_FUZZ_SECONDS:-30}
fi
NO_SKIP=0
[[ ${CI:-} == true || ${BPFCAP_NO_SKIP:-0} == 1 ]] && NO_SKIP=1
LOGS=$BUILD/test-logs
mkdir -p "$LOGS"

SUITES=("$@")
[[ ${#SUITES[@]} -eq 0 ]] && SUITES=(unit diff cli)
for s in "${SUITES[@]}"; do
	case $s in
	unit | diff | cli) ;;
	*)
		echo "run-all.sh: unknown suite '$s' (unit, diff, cli)" >&2
		exit 2
		;;
	esac
done

TOTAL_PASSED=0
TOTAL_FAILED=0
TOTAL_SKIPPED=0
S_PASSED=0
S_FAILED=0
S_SKIPPED=0

budget_of() {
	local b=${BUDGET[$1]:-$DEFAULT_BUDGET}
	echo $((b * FACTOR))
}

record() { # passed|failed|skipped
	case $1 in
	passed) S_PASSED=$((S_PASSED + 1)) ;;
	failed) S_FAILED=$((S_FAILED + 1)) ;;
	skipped) S_SKIPPED=$((S_SKIPPED + 1)) ;;
	esac
}

# The line a program closes on, for the one-line report.
summary_of() {
	grep -E '^[0-9]+%: Checks:|^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1 || true
}

# run SUITE NAME COMMAND...
run() {
	local suite=$1 name=$2
	shift 2
	local budget log rc=0 t0 t1
	budget=$(budget_of "$name")
	log=$LOGS/$name.log
	t0=$(date +%s.%N)
	timeout -k 10 "$budget" "$@" >"$log" 2>&1 || rc=$?
	t1=$(date +%s.%N)
	local dt
	dt=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	local summary
	summary=$(summary_of "$log")
	if [[ $rc -eq 0 ]]; then
		echo "PASS $suite/$name (${dt}s): ${summary:-exit 0}"
		record passed
	elif [[ $rc -eq 77 ]]; then
		local reason
		reason=$(grep -m1 -E '^SKIP' "$log" || tail -1 "$log")
		if [[ $NO_SKIP -eq 1 ]]; then
			echo "FAIL $suite/$name: skipped, and skips are failures here (CI=true or BPFCAP_NO_SKIP=1): $reason"
			record failed
		else
			echo "SKIP $suite/$name: $reason"
			record skipped
		fi
	else
		if [[ $rc -eq 124 || $rc -eq 137 ]]; then
			echo "FAIL $suite/$name: TIMEOUT after ${budget}s (budget table at the top of tests/run-all.sh)"
		elif [[ $rc -ge 128 ]]; then
			echo "FAIL $suite/$name: killed by signal $((rc - 128)) after ${dt}s"
		else
			echo "FAIL $suite/$name: exit $rc after ${dt}s${summary:+: $summary}"
		fi
		echo "  --- last lines of $log ---"
		tail -n 25 "$log" | sed 's/^/  | /'
		record failed
	fi
}

# fail_program SUITE NAME REASON: a program that could not be run.
fail_program() {
	echo "FAIL $1/$2: $3"
	record failed
}

ensure_corpus() {
	local f missing=0
	for f in en10mb raw sll sll2; do
		[[ -s $BPFCAP_CORPUS/$f.pcap ]] || missing=1
	done
	local gen=$BUILD/tests/gen_corpus
	if [[ -x $gen && ( $missing -eq 1 || $gen -nt $BPFCAP_CORPUS/en10mb.pcap ) ]]; then
		mkdir -p "$BPFCAP_CORPUS"
		local rc=0
		timeout "$(budget_of gen_corpus)" "$gen" "$BPFCAP_CORPUS" >"$LOGS/gen_corpus.log" 2>&1 || rc=$?
		if [[ $rc -ne 0 ]]; then
			echo "corpus: $gen $BPFCAP_CORPUS failed (exit $rc):"
			tail -n 10 "$LOGS/gen_corpus.log" | sed 's/^/  | /'
			return 1
		fi
		missing=0
		for f in en10mb raw sll sll2; do
			if [[ ! -s $BPFCAP_CORPUS/$f.pcap ]]; then
				echo "corpus: $gen did not write $BPFCAP_CORPUS/$f.pcap"
				missing=1
			fi
		done
		[[ $missing -eq 0 ]] && echo "corpus: generated in $BPFCAP_CORPUS"
	fi
	if [[ $missing -eq 1 ]]; then
		if [[ ! -x $gen ]]; then
			echo "corpus: $BPFCAP_CORPUS/{en10mb,raw,sll,sll2}.pcap missing and $gen not built (make tests)"
		fi
		return 1
	fi
	return 0
}

shopt -s nullglob
# Unit suites read the corpus too (test_kfilter, test_elf): make it first.
corpus_ok=1
ensure_corpus || corpus_ok=0
for suite in "${SUITES[@]}"; do
	S_PASSED=0
	S_FAILED=0
	S_SKIPPED=0
	echo "== $suite =="
	found=0
	case $suite in
	unit)
		for bin in "$BUILD"/tests/test_*; do
			[[ -f $bin && -x $bin ]] || continue
			found=1
			run unit "$(basename "$bin")" "$bin"
		done
		;;
	diff)
		for bin in "$BUILD"/tests/diff_*; do
			[[ -f $bin && -x $bin ]] || continue
			found=1
			if [[ $corpus_ok -eq 1 ]]; then
				run diff "$(basename "$bin")" "$bin"
			else
				fail_program diff "$(basename "$bin")" "not run: no corpus in $BPFCAP_CORPUS (see above)"
			fi
		done
		;;
	cli)
		for script in "$ROOT"/tests/cli/test_*.sh; do
			found=1
			if [[ ${BPFCAP_SANITIZED:-0} == 1 && -n ${PLAIN_ONLY[$(basename "$script")]:-} ]]; then
				echo "plain pass only: cli/$(basename "$script") (${PLAIN_ONLY[$(basename "$script")]})"
				continue
			fi
			run cli "$(basename "$script")" bash "$script"
		done
		;;
	esac
	if [[ $found -eq 0 ]]; then
		fail_program "$suite" "(none)" "no test programs found for suite $suite in $BUILD (make tests BUILD=${BUILD#"$ROOT"/})"
	fi
	echo "suite $suite: $S_PASSED passed, $S_FAILED failed, $S_SKIPPED skipped"
	TOTAL_PASSED=$((TOTAL_PASSED + S_PASSED))
	TOTAL_FAILED=$((TOTAL_FAILED + S_FAILED))
	TOTAL_SKIPPED=$((TOTAL_SKIPPED + S_SKIPPED))
done

echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed, $TOTAL_SKIPPED skipped"
# make check adds every run's counts to one total (CHECK_SUMMARY).
if [[ -n ${CHECK_SUMMARY:-} ]]; then
	echo "$TOTAL_PASSED $TOTAL_FAILED $TOTAL_SKIPPED" >>"$CHECK_SUMMARY"
fi
[[ $TOTAL_FAILED -eq 0 ]]
