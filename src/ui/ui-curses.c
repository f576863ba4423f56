/*
 * libncursesw, loaded when the interactive view starts (ui-curses.h): no
 * other verb draws, and a container's launch, which starts nstop more than
 * once, paid for it and libtinfo at each start while they were linked.
 * libtinfo comes with it as its dependency, and dlsym on libncursesw's
 * handle finds the names it holds (stdscr, keypad, ...). Nothing that uses
 * this links ncursesw as well: a program that did would hold two of each
 * variable (its copy-relocated one, which curses' code uses, and the
 * library's, which dlsym here names).
 */
#include "config.h"

#define UI_CURSES_LOADER
#include "nstop/dl.h"
#include "ui-curses.h"

struct ui_curses ui_curses;

int ui_curses_load(struct nst_err *err)
{
#define UI_CURSES_SYM(name) { #name, (void **)&ui_curses.name },
	static const struct nst_dl_sym syms[] = {
		UI_CURSES_NAMES(UI_CURSES_SYM)
	};
#undef UI_CURSES_SYM

	if (ui_curses.newterm)
		return 0;
	return nst_dl_load(NST_NCURSESW_SONAME, "ncursesw, the interactive view", syms,
			   sizeof(syms) / sizeof(syms[0]), err);
}
