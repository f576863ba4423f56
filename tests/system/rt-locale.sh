#!/bin/bash
# A launch does not load the user's locale (issue 20.3): it prints nothing
# that the locale shapes, and glibc opens and maps a dozen files for
# C.UTF-8. So under LANG=C.UTF-8 the processes of `nstop run` (the
# command, which is the monitor in the foreground; a detached monitor) and
# of `nstop exec` map no locale file, as /proc/PID/maps shows while they
# run; the pair: a verb that prints a table (nstop list), and the view's
# batch snapshot, map them. Names stay checked by ASCII's rule whatever the
# locale says.
. "$NSTOP_TESTLIB"
. "$(dirname "$NSTOP_TESTLIB")/rt-lib.sh"

require_root
require_cmd jq perl

RTC=nstop-test-rtloc-$$	# rtc_name and rtc_reap work on $RTC-*
loc=$(locale -a 2>/dev/null | grep -iE '^c\.utf-?8$' | head -1)
[ -n "$loc" ] || cannot_run "no C.UTF-8 locale (locale -a)"
unset LC_ALL LC_CTYPE LC_NUMERIC LC_TIME LC_COLLATE LC_MONETARY LC_MESSAGES
export LANG=$loc

# The locale files glibc maps for LANG: its archive or its directory's files.
maps_locale() { grep -Eo '/[^ ]*(locale-archive|/locale/[^ /]+/LC_[A-Z_]+)$' "/proc/$1/maps" 2>/dev/null |
	sort -u | tr '\n' ' '; }

# ---- the pair: a batch snapshot that runs maps them -------------------------------
"$NSTOP" -b -d 10 -n 2 </dev/null >/dev/null 2>&1 &
scan=$!
register_pid "$scan"
for i in $(seq 50); do
	[ -n "$(maps_locale "$scan")" ] && break
	sleep 0.1
done
ok "a batch snapshot maps the locale's files: $(maps_locale "$scan")" test -n "$(maps_locale "$scan")"
kill -TERM "$scan"
wait "$scan" 2>/dev/null

# ---- a foreground run: the command is the monitor ----------------------------------
rtc_name fg
run_bg "$RTC_NAME" sleep 100
mon=$MON
ok "the container runs" test "$(state_get "$RTC_NAME" state)" = running
is "$(maps_locale "$mon")" "" "nstop run (the command, its monitor) maps no locale file"

# ---- nstop exec into it, caught while it waits for its command ------------------------
"$NSTOP" exec "$RTC_NAME" -- sleep 100 </dev/null >/dev/null 2>&1 &
ex=$!
register_pid "$ex"
wait_children "$ex" 1
is "$(maps_locale "$ex")" "" "nstop exec maps no locale file"
kill -TERM "$ex" "$mon"
wait "$ex" "$mon" 2>/dev/null
"$NSTOP" rm -f "$RTC_NAME" >/dev/null 2>&1

# ---- a detached container's monitor, and nstop list (the pair) ------------------------
rtc_name det
"$NSTOP" run -d --name "$RTC_NAME" -- sleep 100 </dev/null >/dev/null 2>&1
is "$?" 0 "a detached container starts"
dmon=$(state_get "$RTC_NAME" monitor)
ok "state.json names its monitor ($dmon)" test -n "$dmon"
is "$(maps_locale "$dmon")" "" "the detached monitor maps no locale file"
out=$("$NSTOP" list -o NAME,COMMAND 2>&1)
is "$?" 0 "nstop list prints its table"
ok "with the container in it" eval '[[ "$out" == *"$RTC_NAME"* ]]'
# (a list, kept from ending by a pipe no one reads, is caught in its write)
fifo=$TEST_TMP/full
mkfifo "$fifo" || exit 1
exec {hold}<>"$fifo"
perl -e 'use Fcntl; my $f = fcntl(STDOUT, F_GETFL, 0); fcntl(STDOUT, F_SETFL, $f | O_NONBLOCK);
	for (my $n = 65536; $n >= 1; $n >>= 1) { 1 while syswrite(STDOUT, "x" x $n) }
	fcntl(STDOUT, F_SETFL, $f)' >&"$hold"
"$NSTOP" list >"$fifo" 2>/dev/null </dev/null &
ls_pid=$!
register_pid "$ls_pid"
lm=
for i in $(seq 100); do
	lm=$(maps_locale "$ls_pid")
	[ -n "$lm" ] && break
	sleep 0.05
done
ok "and nstop list, held in its write, maps them: $lm" test -n "$lm"
kill -KILL "$ls_pid" 2>/dev/null
wait "$ls_pid" 2>/dev/null
exec {hold}>&-
"$NSTOP" rm -f "$RTC_NAME" >/dev/null 2>&1

# ---- names are ASCII's, whatever the locale -------------------------------------------
out=$("$NSTOP" run --rm --name "$RTC-caf$(printf '\303\251')" -- true 2>&1)
is "$?" 2 "a name with a byte past ASCII is a usage error under $LANG too"
ok "said in one line: $out" eval '[ "$(echo "$out" | wc -l)" = 1 ] && [[ "$out" == "nstop: "* ]]'
done_testing
