#!/bin/bash
# Every check against Docker, with one test-only dockerd (docker-lib.sh) that
# this script starts once and stops by its PID: its own roots, socket and
# pid file, no iptables, no bridge, no ip forwarding. First the engines'
# checks (docker-engines.inc: names, state, limits, usage, refusals), then
# the isolation's (docker-iso.inc: each flag's exposures, a container's
# union), then the images' (docker-image.inc: nstop run --image of a docker
# save), then nstop serve's (docker-serve.inc: limits and exposures in the
# metrics). Not among the qemu guests' tests: they have no Docker.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/docker-lib.sh"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"
. "$(dirname "$NSTOP_TESTLIB")/iso-lib.sh"

require_root
require_cmd jq timeout tar busybox capsh curl promtool

docker_start || cannot_run "dockerd (docker.io) does not start here"
pass "a test-only dockerd starts ($DOCKERD_PID in $DOCKER_DIR)"

. "$(dirname "$NSTOP_TESTLIB")/docker-engines.inc"
. "$(dirname "$NSTOP_TESTLIB")/docker-iso.inc"
. "$(dirname "$NSTOP_TESTLIB")/docker-image.inc"
. "$(dirname "$NSTOP_TESTLIB")/docker-serve.inc"

DAEMON=$DOCKERD_PID
docker_stop
ok "the test daemon is gone" test ! -e "/proc/$DAEMON"
ok "no mount of the daemon is left" sh -c "! grep -q '$DOCKER_DIR' /proc/self/mountinfo"
done_testing
