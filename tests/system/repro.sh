#!/bin/bash
# Reproducible builds: the binary names neither its source nor its build
# tree (a package built in two places is the same file), and a tree's
# themes are still found when nstop runs from it.
. "$NSTOP_TESTLIB"

require_cmd realpath
build=$(dirname "$(realpath "$NSTOP")")
src=$(dirname "$(realpath "${NSTOP_THEMEDIR:-$build/themes}")")
for d in "$build" "$src"; do
	ok "the binary does not contain $d" bash -c "! grep -aqF '$d' '$NSTOP'"
done
# A theme only the tree has (not a built-in), without NSTOP_THEMEDIR: found
# next to the program when it runs from an in-tree build; otherwise through
# NSTOP_THEMEDIR alone.
# tui_theme_says NAME: what the TUI's screen says in two refreshes with -t NAME.
tui_theme_says() {
	env -u NSTOP_THEMEDIR HOME=/nonexistent XDG_CONFIG_HOME= TERM=xterm NSTOP_UI_MAX_REFRESHES=3 \
		timeout 30 script -qec "stty cols 120 rows 40; exec '$NSTOP' -t $1 -d 0.2" /dev/null \
		</dev/null 2>&1 | tr -d '\033' | tr -s ' '
}
if [ -f "$build/themes/light.theme" ]; then
	says=$(tui_theme_says nstop-test-none)
	ok "a theme that is nowhere: the TUI says so (the check can fail)" grep -q "not found" <<<"$says"
	says=$(tui_theme_says light)
	ok "from the tree, -t light is found next to the program" bash -c "! grep -q 'not found' <<<\"\$1\"" _ "$says"
else
	# out of the tree (the sanitizer build): through NSTOP_THEMEDIR, which
	# make check points at the source tree's themes
	[ -n "${NSTOP_THEMEDIR:-}" ] || fail "NSTOP_THEMEDIR is set by make check"
	says=$(HOME=/nonexistent XDG_CONFIG_HOME= TERM=xterm NSTOP_UI_MAX_REFRESHES=3 \
		timeout 30 script -qec "stty cols 120 rows 40; exec '$NSTOP' -t light -d 0.2" /dev/null \
		</dev/null 2>&1 | tr -d '\033' | tr -s ' ')
	ok "out of the tree, -t light is found through NSTOP_THEMEDIR" bash -c "! grep -q 'not found' <<<\"\$1\"" _ "$says"
fi
done_testing
