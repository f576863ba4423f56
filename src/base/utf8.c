/* UTF-8 by one rule for every front and the state files; see utf8.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "nstop/utf8.h"

size_t nst_utf8_len(const unsigned char *s)
{
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* no overlong forms, no surrogates, nothing above U+10FFFF */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return n;
}

size_t nst_utf8_append(char *out, size_t len, size_t size, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;

	while (*p && len + 5 < size) {
		size_t n = nst_utf8_len(p);
		if (n == 0) {
			len += (size_t)snprintf(out + len, size - len, "\\x%02x", *p);
			p++;
			continue;
		}
		memcpy(out + len, p, n);
		len += n;
		p += n;
	}
	out[len] = '\0';
	return len;
}
