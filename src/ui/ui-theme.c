/* A theme's colours made curses colour pairs, fitted to the terminal's colours. */
#include "config.h"

#include "ui-impl.h"
#include "ui-curses.h"

/* A colour the terminal lacks becomes the nearest it has, so a 256-colour
 * theme still reads on an 8-colour terminal. */
static short ui_color(int c)
{
	if (c < 0)
		return -1;
	return (short)theme_color_reduce(c, COLORS);
}

void ui_theme_apply(struct ui_state *ui)
{
	for (int e = 0; e < THEME_NELEM; e++) {
		const struct theme_style *s = &ui->theme.s[e];
		int a = A_NORMAL;

		if (s->attrs & THEME_A_BOLD)
			a |= A_BOLD;
		if (s->attrs & THEME_A_DIM)
			a |= A_DIM;
		if (s->attrs & THEME_A_UNDERLINE)
			a |= A_UNDERLINE;
		if (s->attrs & THEME_A_REVERSE)
			a |= A_REVERSE;
#ifdef A_ITALIC
		if (s->attrs & THEME_A_ITALIC)
			a |= A_ITALIC;
#endif
		if (ui->color && e + 1 < COLOR_PAIRS &&
		    init_pair((short)(e + 1), ui_color(s->fg), ui_color(s->bg)) == OK)
			a |= COLOR_PAIR(e + 1);
		ui->attr[e] = a;
	}
	/* Without a distinct look the cursor would vanish on a plain theme. */
	if (ui->attr[THEME_SELECTED] == A_NORMAL)
		ui->attr[THEME_SELECTED] = A_REVERSE;
}
