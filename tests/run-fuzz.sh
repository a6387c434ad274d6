#!/usr/bin/env bash
# Run libFuzzer targets: tests/run-fuzz.sh BIN...
#   FUZZ_SECONDS  seconds per target (default 15; 0 = until it finds something)
# Each target BIN (build/fuzz/fuzz_NAME) starts from a copy of
# tests/fuzz/corpus_NAME/ in a temporary directory (the repository is never
# written), plus what build/tests/gen_NAME_seeds derives from the packet
# corpora when it exists, with tests/fuzz/NAME.dict when it exists.  Prints one line per
# target; exits non-zero if a target crashed, leaked, timed out on an input,
# or could not run.  A crashing input is kept in build/fuzz/artifacts/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_PER=${FUZZ_SECONDS:-15}
if [[ $# -eq 0 ]]; then
	echo "usage: tests/run-fuzz.sh build/fuzz/fuzz_NAME..." >&2
	exit 2
fi
ARTIFACTS=$ROOT/build/fuzz/artifacts
mkdir -p "$ARTIFACTS"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

passed=0
failed=0
for bin in "$@"; do
	name=$(basename "$bin")
	short=${name#fuzz_}
	if [[ ! -x $bin ]]; then
		echo "FAIL $name: $bin is not an executable (make $bin)"
		failed=$((failed + 1))
		continue
	fi
	corpus=$WORK/$name-corpus
	mkdir -p "$corpus"
	seeds=$ROOT/tests/fuzz/corpus_$short
	if [[ -d $seeds ]]; then
		cp -r "$seeds"/. "$corpus"/
	else
		echo "note: $name has no seed corpus ($seeds)"
	fi
	# A target may also take seeds derived from the packet corpora
	# (gen_print_seeds for fuzz_print: a packet of every protocol).
	derive=$ROOT/${BUILD:-build}/tests/gen_${short}_seeds
	if [[ -x $derive ]]; then
		(cd "$ROOT" && "$derive" "$corpus" >/dev/null) || echo "note: $derive failed; $name starts from its fixed seeds"
	fi
	args=(-max_len=512 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
		"-artifact_prefix=$ARTIFACTS/$name-")
	if [[ -f $ROOT/tests/fuzz/$short.dict ]]; then
		args+=("-dict=$ROOT/tests/fuzz/$short.dict")
	fi
	if [[ $SECONDS_PER != 0 ]]; then
		args+=("-max_total_time=$SECONDS_PER")
	fi
	log=$WORK/$name.log
	rc=0
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} "$bin" "${args[@]}" "$corpus" >"$log" 2>&1 || rc=$?
	runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
	cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 || true)
	if [[ $rc -eq 0 ]]; then
		echo "ok   $name: ${SECONDS_PER}s, $runs runs, ${cov:-cov: ?}, corpus $(find "$corpus" -type f | wc -l) inputs"
		passed=$((passed + 1))
	else
		echo "FAIL $name: exit $rc after $runs runs; the report:"
		grep -E 'ERROR|SUMMARY|fuzz_[a-z_]*:|libpcap:|Test unit written|#[0-9]+ .* in (LLVMFuzzerTestOneInput|bpfcap_|filter_)|(filter|vm|jit)\/[a-z_]+\.c' "$log" | head -25 | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
if [[ -n ${CHECK_SUMMARY:-} ]]; then
	echo "$passed $failed 0" >>"$CHECK_SUMMARY"
fi
[[ $failed -eq 0 ]]
