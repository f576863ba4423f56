#!/bin/sh
# Runs each harness for a bounded time on its seed corpus (make fuzz-check).
# Usage: run.sh BUILD CORPUS SECONDS NAME...
# New inputs the fuzzer finds go to a scratch directory, never into the
# source tree. A crash, leak, hang or UB report fails the run and prints
# the sanitizer's report and the input (hex and base64) with the command
# that reproduces it; the input itself stays in BUILD/artifacts/.
set -u
build=$1 corpus=$2 secs=$3
shift 3
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$build/artifacts"
status=0
for name in "$@"; do
	bin=$build/fuzz_$name
	log=$work/$name.log
	mkdir -p "$work/$name" "$corpus/$name" 2>/dev/null
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$build/artifacts/$name-" -print_final_stats=1 \
		"$work/$name" "$corpus/$name" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		printf 'fuzz_%s: ok, %s runs in %s s\n' "$name" "${runs:-?}" "$secs"
		continue
	fi
	status=1
	printf 'fuzz_%s: FAILED (exit %d)\n' "$name" "$rc"
	# the report: what the harness and the sanitizers said, without
	# libFuzzer's progress lines
	grep -v '^#[0-9]\|^INFO:\|^MS:\|^0x\|^stat::\|^Base64:' "$log" | head -100
	art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
	if [ -n "$art" ] && [ -f "$art" ]; then
		printf 'input (%s bytes), hex:\n' "$(wc -c <"$art")"
		od -A d -t x1z -v "$art" | head -40
		printf 'base64:\n'
		base64 "$art" | head -40
		printf 'reproduce: %s %s\n' "$bin" "$art"
		printf '       or: base64 -d >crash <<.. (the lines above) && %s crash\n' "$bin"
	fi
done
exit "$status"
