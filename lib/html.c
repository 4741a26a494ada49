/*
 * HTML escaping for the pages rdlz writes (the leaderboard, the report):
 * every text that comes from the database goes through here.
 */
#include <string.h>
#include "internal.h"

void dt__html_n(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; s && i < n; i++) {
		switch (s[i]) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(s[i], f);
		}
	}
}

void dt__html(FILE *f, const char *s)
{
	if (s)
		dt__html_n(f, s, strlen(s));
}
