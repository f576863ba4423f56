#!/bin/bash
# The alerting rules nstop ships (data/nstop-alerts.yml): promtool checks
# them and runs their unit tests (serve-rules.test.yml: each alert firing on
# literal series, and quiet where it must be). Needs no root and touches
# nothing of the host.
. "$NSTOP_TESTLIB"

require_cmd promtool
HERE=$(dirname "$NSTOP_TESTLIB")
RULES=$HERE/../../data/nstop-alerts.yml

promtool check rules "$RULES" >"$TEST_TMP/check.out" 2>&1
rc=$?
is "$rc" 0 "promtool check rules data/nstop-alerts.yml"
[ "$rc" -eq 0 ] || diag "$(cat "$TEST_TMP/check.out")"
ok "four rules" grep -q 'SUCCESS: 4 rules found' "$TEST_TMP/check.out"
promtool test rules "$HERE/serve-rules.test.yml" >"$TEST_TMP/test.out" 2>&1
rc=$?
is "$rc" 0 "promtool test rules serve-rules.test.yml"
[ "$rc" -eq 0 ] || diag "$(cat "$TEST_TMP/test.out")"
for a in NstopContainerCpuThrottled NstopContainerNearMemoryLimit NstopContainerOomKills \
	 NstopContainerGainedExposure; do
	ok "the rules test exercises $a" grep -q "alertname: $a\$" "$HERE/serve-rules.test.yml"
done

done_testing
