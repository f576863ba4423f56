/*
 * ncursesw through dlopen (src/ui/ui-curses.c): only the interactive view
 * draws, and linked, libncursesw and libtinfo were mapped by every start of
 * nstop, a container's launch more than once (issue 20.3). The ui-*.c files
 * include this instead of <curses.h>: each name of curses they use, a
 * function or a variable, is the pointer ui_curses_load filled, so they read
 * as curses code, and one that uses a name not listed here fails to link.
 */
#ifndef NSTOP_UI_CURSES_H
#define NSTOP_UI_CURSES_H

#include <curses.h>

#include "nstop/err.h"

/* X(name) for every function and variable of ncursesw (and libtinfo behind
 * it) the TUI uses, what the macros of <curses.h> expand to included. */
#define UI_CURSES_NAMES(X) \
	X(cbreak) X(clearok) X(curs_set) X(def_prog_mode) X(delscreen) X(endwin) \
	X(flushinp) X(getmouse) X(has_colors) X(init_pair) X(keypad) \
	X(mouseinterval) X(mousemask) X(mvprintw) X(newterm) X(nodelay) X(noecho) \
	X(nonl) X(reset_prog_mode) X(resizeterm) X(set_escdelay) X(start_color) \
	X(ungetch) X(ungetmouse) X(use_default_colors) X(waddch) X(waddnstr) \
	X(wattr_off) X(wattr_on) X(wclrtoeol) X(werase) X(wgetch) X(wmove) \
	X(wrefresh) X(wtimeout) \
	X(COLS) X(LINES) X(COLORS) X(COLOR_PAIRS) X(curscr) X(stdscr)

/* Typed from <curses.h>, as a link would check them: a function's pointer
 * (its format attribute kept), a variable's address. NULL until loaded. */
#define UI_CURSES_FIELD(name) __typeof__(name) *name;
struct ui_curses {
	UI_CURSES_NAMES(UI_CURSES_FIELD)
};
#undef UI_CURSES_FIELD

extern struct ui_curses ui_curses;

/* Loads libncursesw once, before the TUI makes anything: 0, or -errno with
 * err saying "cannot load SONAME (...): why". */
int ui_curses_load(struct nst_err *err);

/* The names, as the ui-*.c files and the macros of <curses.h> use them
 * (ui-curses.c itself, which names the fields, goes without). */
#ifndef UI_CURSES_LOADER
#define cbreak (ui_curses.cbreak)
#define clearok (ui_curses.clearok)
#define curs_set (ui_curses.curs_set)
#define def_prog_mode (ui_curses.def_prog_mode)
#define delscreen (ui_curses.delscreen)
#define endwin (ui_curses.endwin)
#define flushinp (ui_curses.flushinp)
#define getmouse (ui_curses.getmouse)
#define has_colors (ui_curses.has_colors)
#define init_pair (ui_curses.init_pair)
#define keypad (ui_curses.keypad)
#define mouseinterval (ui_curses.mouseinterval)
#define mousemask (ui_curses.mousemask)
#define mvprintw (ui_curses.mvprintw)
#define newterm (ui_curses.newterm)
#define nodelay (ui_curses.nodelay)
#define noecho (ui_curses.noecho)
#define nonl (ui_curses.nonl)
#define reset_prog_mode (ui_curses.reset_prog_mode)
#define resizeterm (ui_curses.resizeterm)
#define set_escdelay (ui_curses.set_escdelay)
#define start_color (ui_curses.start_color)
#define ungetch (ui_curses.ungetch)
#define ungetmouse (ui_curses.ungetmouse)
#define use_default_colors (ui_curses.use_default_colors)
#define waddch (ui_curses.waddch)
#define waddnstr (ui_curses.waddnstr)
#define wattr_off (ui_curses.wattr_off)
#define wattr_on (ui_curses.wattr_on)
#define wclrtoeol (ui_curses.wclrtoeol)
#define werase (ui_curses.werase)
#define wgetch (ui_curses.wgetch)
#define wmove (ui_curses.wmove)
#define wrefresh (ui_curses.wrefresh)
#define wtimeout (ui_curses.wtimeout)
#define COLS (*ui_curses.COLS)
#define LINES (*ui_curses.LINES)
#define COLORS (*ui_curses.COLORS)
#define COLOR_PAIRS (*ui_curses.COLOR_PAIRS)
#define curscr (*ui_curses.curscr)
#define stdscr (*ui_curses.stdscr)
#endif

#endif
