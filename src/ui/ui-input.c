/*
 * A key's or a click's escape sequence whose rest came later than ESCDELAY
 * (a slow link split it): curses has handed over its Esc alone, and the rest
 * would be read as keys, where '[' renices the selected process, '<' opens
 * the sort menu and digits jump to a PID. The rest is read here instead, to
 * its final byte (ECMA-48: parameters 0x30-0x3f, intermediates 0x20-0x2f,
 * a final 0x40-0x7e), and what it meant is pushed back for the main loop:
 * a click through ungetmouse, a key through ungetch; anything else is
 * dropped. Once curses has seen a mouse report's start (Esc [ < or Esc [ M)
 * it reads the rest however slowly it comes; before that, and for a key's
 * whole sequence, the bytes race ESCDELAY, and what lost is found here:
 * Esc alone, then '[' or 'O' and the rest. A press and release that were
 * read together are ui-main.c's mouse_key's part.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui-impl.h"
#include "ui-input.h"
#include "ui-curses.h"

/* When the last Esc read alone came: the rest of a sequence split after
 * its Esc comes within this long, or is taken for keys. */
#define UI_LATE_WINDOW 1.0
/* How long each further byte of a sequence under way may take. */
#define UI_LATE_BYTE_MS 500

static double lone_esc_at = -100;

void ui_input_lone_esc(void)
{
	lone_esc_at = ui_now();
}

static int byte_within(int ms)
{
	timeout(ms);
	return getch();
}

static bool is_param(int c)
{
	return c >= 0x30 && c <= 0x3f;
}

static bool is_inter(int c)
{
	return c >= 0x20 && c <= 0x2f;
}

static bool is_final(int c)
{
	return c >= 0x40 && c <= 0x7e;
}

/* A mouse report's button byte (X10's less 32, SGR's as is) and its end
 * ('M' press, 'm' release; X10 says release as button 3): the events the
 * view's mask asks for, or 0. */
static mmask_t late_bstate(int b, bool release)
{
	if (b & 64) {
		if (release)
			return 0;
		if ((b & 3) == 0)
			return BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
		if ((b & 3) == 1)
			return BUTTON5_PRESSED;
#endif
		return 0;
	}
	if (b & 32)	/* motion */
		return 0;
	if ((b & 3) == 3 || release)
		return BUTTON1_RELEASED;
	return (b & 3) == 0 ? BUTTON1_PRESSED : 0;
}

static void late_click(mmask_t bstate, int x, int y)
{
	MEVENT ev;

	if (!bstate || x < 0 || y < 0)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.bstate = bstate;
	ev.x = x;
	ev.y = y;
	ungetmouse(&ev);
}

/* The key of a cursor or editing sequence: CSI A..D H F Z, CSI n ~ and
 * SS3 A..D H F P..S, with or without modifier parameters. */
static int late_key(int intro, const char *par, int final)
{
	switch (final) {
	case 'A': return KEY_UP;
	case 'B': return KEY_DOWN;
	case 'C': return KEY_RIGHT;
	case 'D': return KEY_LEFT;
	case 'H': return KEY_HOME;
	case 'F': return KEY_END;
	case 'Z': return KEY_BTAB;
	}
	if (intro == 'O' && final >= 'P' && final <= 'S')
		return KEY_F(1 + final - 'P');
	if (intro == '[' && final == '~') {
		switch (atoi(par)) {
		case 1: case 7: return KEY_HOME;
		case 4: case 8: return KEY_END;
		case 5: return KEY_PPAGE;
		case 6: return KEY_NPAGE;
		case 11: case 12: case 13: case 14: case 15:
			return KEY_F(atoi(par) - 10);
		case 17: case 18: case 19: case 20: case 21:
			return KEY_F(atoi(par) - 11);
		case 23: case 24:
			return KEY_F(atoi(par) - 12);
		}
	}
	return ERR;
}

/* The rest of a sequence after INTRO ('[' or 'O'), its first byte waited
 * for up to FIRST_MS. False, with nothing read, when no such byte comes
 * (a plain '[' typed after Esc, or Alt-[): the caller acts on INTRO. */
static bool late_seq(int intro, int first_ms)
{
	char par[32];
	size_t n = 0;
	int c, key;

	c = byte_within(first_ms);
	if (c == ERR)
		return false;
	if (c >= 0x100 || !(is_param(c) || is_inter(c) || is_final(c))) {
		ungetch(c);
		return false;
	}
	while (!is_final(c)) {
		if (c == ERR || c >= 0x100 || !(is_param(c) || is_inter(c)))
			return true;	/* broken off: dropped */
		if (n + 1 < sizeof(par))
			par[n++] = (char)c;
		c = byte_within(UI_LATE_BYTE_MS);
	}
	par[n] = '\0';
	if (intro == '[' && c == 'M' && n == 0) {
		/* X10: three raw bytes follow, each 32 past its value */
		int b = byte_within(UI_LATE_BYTE_MS), x = ERR, y = ERR;

		if (b != ERR)
			x = byte_within(UI_LATE_BYTE_MS);
		if (x != ERR)
			y = byte_within(UI_LATE_BYTE_MS);
		if (y != ERR && b >= 32 && b < 0x100)
			late_click(late_bstate(b - 32, false), x - 33, y - 33);
		return true;
	}
	if (intro == '[' && par[0] == '<' && (c == 'M' || c == 'm')) {
		int b, x, y;

		if (sscanf(par + 1, "%d;%d;%d", &b, &x, &y) == 3)
			late_click(late_bstate(b, c == 'm'), x - 1, y - 1);
		return true;
	}
	if ((key = late_key(intro, par, c)) != ERR)
		ungetch(key);
	return true;
}

bool ui_input_late_seq(int intro)
{
	return late_seq(intro, UI_LATE_BYTE_MS);
}

bool ui_input_after_esc(int ch)
{
	bool soon = ui_now() - lone_esc_at <= UI_LATE_WINDOW;

	/* the first key after the Esc only */
	lone_esc_at = -100;
	if (ch != '[' || !soon)
		return false;
	/* only what is there at once: a '[' typed alone acts without delay */
	return late_seq(ch, 0);
}
