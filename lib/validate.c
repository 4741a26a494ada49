/*
 * Checks of outside text: UTF-8, phone numbers, e-mail addresses.
 */
#include <ctype.h>
#include <string.h>
#include "internal.h"

/* Decode one strictly valid UTF-8 sequence at s (n > 0 bytes available);
 * returns its length, or 0 when the first byte starts no valid sequence
 * (overlong forms, surrogates and values past U+10FFFF are invalid, so
 * whatever passes through is valid UTF-8). */
size_t dt__utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char b = s[0], lo = 0x80, hi = 0xBF;
	size_t len;
	uint32_t c;

	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xC2 && b <= 0xDF) {
		len = 2;
		c = b & 0x1F;
	} else if (b >= 0xE0 && b <= 0xEF) {
		len = 3;
		c = b & 0x0F;
		if (b == 0xE0)
			lo = 0xA0;
		else if (b == 0xED)
			hi = 0x9F;
	} else if (b >= 0xF0 && b <= 0xF4) {
		len = 4;
		c = b & 0x07;
		if (b == 0xF0)
			lo = 0x90;
		else if (b == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
		c = (c << 6) | (s[i] & 0x3F);
	}
	*cp = c;
	return len;
}

int dt__utf8_valid(const char *str, size_t len)
{
	return dt__text_scan(str, len, NULL) != DT_TEXT_BAD_UTF8;
}

/* One pass over a field: UTF-8, control characters and length together,
 * since importing a million-row roster checks every field. */
int dt__text_scan(const char *str, size_t len, dt_text_info *info)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, chars = 0;
	int controls = 0, breaks = 0;

	while (i < len) {
		unsigned char c = s[i];
		uint32_t cp;
		size_t n;

		chars++;
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f) {
				if (c == '\n' || c == '\r' || c == '\t')
					breaks = 1;
				else
					controls = 1;
			}
			i++;
			continue;
		}
		n = dt__utf8_decode(s + i, len - i, &cp);
		if (n == 0)
			return DT_TEXT_BAD_UTF8;
		i += n;
	}
	if (info) {
		info->chars = chars;
		info->controls = controls;
		info->breaks = breaks;
	}
	return DT_TEXT_OK;
}

/*
 * A mainland mobile (1[3-9] and 9 more digits, optionally after +86 or 86)
 * or a landline with its area code (0 and 2-3 digits, then 7-8 digits, an
 * optional extension). Spaces and hyphens are allowed between groups, as
 * rosters write them.
 */
int dt__phone_valid(const char *s)
{
	char d[32];
	size_t n = 0;
	int plus = 0;

	if (*s == '+') {
		plus = 1;
		s++;
	}
	for (; *s; s++) {
		if (isdigit((unsigned char)*s)) {
			if (n + 1 >= sizeof(d))
				return 0;
			d[n++] = *s;
		} else if (*s != ' ' && *s != '-') {
			return 0;
		}
	}
	d[n] = '\0';
	if (plus || (n == 13 && strncmp(d, "86", 2) == 0)) {
		if (strncmp(d, "86", 2) != 0)
			return 0;
		memmove(d, d + 2, n - 1);
		n -= 2;
	}
	if (n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9')
		return 1;
	/* landline: area code 0xx or 0xxx + 7 or 8 digits (+ extension up to 6) */
	return d[0] == '0' && n >= 10 && n <= 12 + 6;
}

/* local@domain.tld: printable ASCII, one '@', a dot in the domain, no spaces. */
int dt__email_valid(const char *s)
{
	const char *at = strchr(s, '@');
	const char *dot;
	size_t len = strlen(s);

	if (!at || at == s || strchr(at + 1, '@') || len > 254)
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f || strchr("<>()[]\\,;:\"", *p))
			return 0;
	dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] != '\0' && at[1] != '.' && !strstr(at, "..");
}

int dt__one_line(const char *s, size_t max_chars)
{
	dt_text_info info;

	return s && *s && dt__text_scan(s, strlen(s), &info) == DT_TEXT_OK && !info.controls && !info.breaks &&
	       info.chars <= max_chars;
}
