/*
 * Terminal display width of UTF-8 text, so table columns holding Chinese
 * names line up. A deliberately small subset of Unicode's East Asian Width
 * and zero-width data: enough for the scripts a duty-performance listing
 * shows, without pulling in a full wcwidth table or depending on the locale.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "dutytrack/writer.h"
#include "internal.h"

typedef struct {
	uint32_t lo;
	uint32_t hi;
	unsigned char width;
} width_range;

/* Sorted, non-overlapping: binary-searched by range_width(). */
static const width_range ranges[] = {
	{ 0x0300, 0x036F, 0 },   /* combining diacritical marks */
	{ 0x1100, 0x115F, 2 },   /* Hangul Jamo leading consonants */
	{ 0x200B, 0x200F, 0 },   /* zero width space, joiners, direction marks */
	{ 0x2E80, 0x4DBF, 2 },   /* CJK radicals, CJK symbols and punctuation
				  * (U+3000-303F), kana, bopomofo, enclosed CJK,
				  * CJK compatibility, extension A */
	{ 0x4E00, 0xA4CF, 2 },   /* CJK unified ideographs, Yi */
	{ 0xA960, 0xA97F, 2 },   /* Hangul Jamo extended A */
	{ 0xAC00, 0xD7A3, 2 },   /* Hangul syllables */
	{ 0xF900, 0xFAFF, 2 },   /* CJK compatibility ideographs */
	{ 0xFE00, 0xFE0F, 0 },   /* variation selectors (U+FE0F emoji style) */
	{ 0xFE10, 0xFE19, 2 },   /* vertical forms */
	{ 0xFE30, 0xFE6F, 2 },   /* CJK compatibility forms, small forms */
	{ 0xFF00, 0xFF60, 2 },   /* fullwidth forms */
	{ 0xFFE0, 0xFFE6, 2 },   /* fullwidth signs */
	{ 0x1F300, 0x1F64F, 2 }, /* pictographs, emoticons */
	{ 0x1F900, 0x1F9FF, 2 }, /* supplemental symbols and pictographs */
	{ 0x20000, 0x2FFFD, 2 }, /* CJK extension B and later */
	{ 0x30000, 0x3FFFD, 2 }, /* CJK extension G and later */
};

/* Columns taken by one code point. */
static size_t cp_width(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(ranges) / sizeof(ranges[0]);

	/* C0, DEL and C1 controls move the cursor or do nothing visible. */
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 0;
	if (cp < ranges[0].lo)
		return 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < ranges[mid].lo)
			hi = mid;
		else if (cp > ranges[mid].hi)
			lo = mid + 1;
		else
			return ranges[mid].width;
	}
	return 1;
}

/* A byte that starts no valid sequence counts as one column: terminals
 * usually draw a replacement glyph for it. */
size_t dt_display_width(const char *utf8)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t n, width = 0;

	if (!s)
		return 0;
	n = strlen(utf8);
	while (n > 0) {
		uint32_t cp;
		size_t len = dt__utf8_decode(s, n, &cp);

		if (len == 0) {
			width++;
			len = 1;
		} else {
			width += cp_width(cp);
		}
		s += len;
		n -= len;
	}
	return width;
}
