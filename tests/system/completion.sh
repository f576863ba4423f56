#!/bin/bash
# Shell completion: generated from each verb's --help, every option it
# offers is one the program takes (run, it is never "unknown option"), every
# verb main.c dispatches is offered, nstop.1 documents each option, and bash
# completes with it.
. "$NSTOP_TESTLIB"

require_cmd bash
top=$(dirname "$(dirname "$(dirname "$NSTOP_TESTLIB")")")
gen=$top/src/cli/mkcompletion.sh
sh "$gen" bash "$NSTOP" >"$TEST_TMP/nstop.bash" || fail "the bash completion is generated"
sh "$gen" zsh "$NSTOP" >"$TEST_TMP/_nstop" || fail "the zsh completion is generated"
ok "the bash completion parses" bash -n "$TEST_TMP/nstop.bash"
if command -v zsh >/dev/null; then
	ok "the zsh completion parses" zsh -n "$TEST_TMP/_nstop"
fi

# complete WORDS...: what bash completes for the last word.
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _nstop; printf "%s\n" "${COMPREPLY[@]}"' \
		_ "$TEST_TMP/nstop.bash" "$@" | sort | paste -sd' '
}
is "$(complete_words nstop ns --no)" "--noheadings --notruncate --nowrap" "bash: nstop ns --no<Tab>"
is "$(complete_words nstop enter --pr)" "--preserve-credentials" "bash: nstop enter --pr<Tab>"
# The verbs that take several NAMEs complete a word that is no option to the
# containers, as list -q names them (a stand-in nstop here: no container
# need exist, and none is touched).
printf '#!/bin/sh\n[ "$*" = "list -q" ] && printf "web\\nwebdb\\ncache\\n"\n' >"$TEST_TMP/nstop"
chmod +x "$TEST_TMP/nstop"
is "$(complete_words "$TEST_TMP/nstop" rm -f web)" "web webdb" "bash: nstop rm -f web<Tab> offers the containers"
is "$(complete_words "$TEST_TMP/nstop" kill web c)" "cache" "bash: nstop kill web c<Tab>: a second NAME"
is "$(complete_words "$TEST_TMP/nstop" freeze --t)" "--timeout" "bash: nstop freeze --t<Tab> is still an option"

verbs=$(sed -n 's/^\t{ "\([a-z]*\)", cli_[a-z]*\(, [a-z]*\)\? },$/\1/p' "$top/src/cli/main.c" | sort | paste -sd' ')
offered=$(complete_words nstop "" | tr ' ' '\n' | grep -v '^-' | sort | paste -sd' ')
is "$offered" "$verbs" "every verb main.c dispatches is offered, no other"

# Every option offered is taken: with --help after it (and a value when it
# wants one), the program never says "unknown option".
for v in "" $verbs; do
	for o in $(complete_words nstop $v -); do
		case $o in -h|--help|-V|--version) continue ;; esac
		# in the test's own directory: an option that takes a file takes
		# "--help" as its name (metrics -o wrote ./--help into the tree)
		(cd "$TEST_TMP" && "$NSTOP" $v "$o" --help) >"$TEST_TMP/o.out" 2>&1
		if grep -q "unknown option" "$TEST_TMP/o.out"; then
			fail "nstop $v $o: offered but unknown" "$(cat "$TEST_TMP/o.out")"
		fi
		case $o in --*) grep -q -- "$(sed 's/-/\\\\-/g' <<<"$o")" "$top/man/nstop.1" ||
			fail "nstop $v $o is in nstop.1" ;;
		esac
	done
done
pass "every offered option is taken by the program"
done_testing
