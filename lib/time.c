/*
 * Times: ISO-8601 parsing and formatting, and calendar dates in the
 * configured zone. Instants are computed without the C library's time zone
 * (days_from_civil), so parsing never depends on TZ; only local dates do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 ? 28 + leap : dim[m - 1];
}

/* Read exactly n digits at *p into *out, advancing *p. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return 0;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 1;
}

/* One or two digits: spreadsheets write 2026/1/5 9:03. */
static int short_number(const char **p, int *out)
{
	return digits(p, (*p)[0] >= '0' && (*p)[0] <= '9' && (*p)[1] >= '0' && (*p)[1] <= '9' ? 2 : 1, out);
}

/* "YYYY-MM-DD" at *p (or "YYYY/MM/DD", as spreadsheets and stream
 * services write it, month and day of one digit too): a date that exists. */
static int parse_ymd(const char **p, int *y, int *m, int *d)
{
	char sep;

	if (!digits(p, 4, y) || (**p != '-' && **p != '/'))
		return 0;
	sep = *(*p)++;
	if (!short_number(p, m) || *(*p)++ != sep || !short_number(p, d))
		return 0;
	return *y >= 1900 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= days_in_month(*y, *m);
}

/* A date and time: *wall the seconds of its wall-clock reading as if in
 * UTC, *has_offset whether it names its offset and *offset that offset. */
static int parse_time_fields(const char *text, int64_t *wall, int *has_offset, int *offset)
{
	const char *p = text;
	int y, mo, d, h, mi, s = 0, oh = 0, om = 0, sign = 0;

	if (!parse_ymd(&p, &y, &mo, &d) || (*p != 'T' && *p != ' '))
		return 0;
	p++;
	if (!short_number(&p, &h) || *p++ != ':' || !digits(&p, 2, &mi))
		return 0;
	if (*p == ':') {
		p++;
		if (!digits(&p, 2, &s))
			return 0;
		if (*p == '.') /* fractions of a second are dropped */
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
	}
	*has_offset = 1;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (!digits(&p, 2, &oh))
			return 0;
		if (*p == ':')
			p++;
		if (!digits(&p, 2, &om))
			return 0;
	} else {
		*has_offset = 0;
	}
	if (*p || h > 23 || mi > 59 || s > 60 || oh > 14 || om > 59)
		return 0;
	*wall = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + (s == 60 ? 59 : s);
	*offset = sign * (oh * 3600 + om * 60);
	return 1;
}

int dt_time_parse(dt_ctx *ctx, const char *text, int64_t *out)
{
	int64_t wall;
	int has_offset, offset;

	if (!parse_time_fields(text, &wall, &has_offset, &offset) || !has_offset)
		return dt__error(ctx, DT_EDATA,
		                 "'%s' is not a valid ISO-8601 time with offset (e.g. 2026-11-28T09:30:00+08:00)",
		                 text);
	*out = wall - offset;
	return DT_OK;
}

int dt__time_local(int64_t wall, int64_t *out)
{
	time_t tt = (time_t)wall, t;
	struct tm tm, back;

	gmtime_r(&tt, &tm);
	tm.tm_isdst = -1;
	t = mktime(&tm);
	/* mktime moves a time skipped by a DST change; such a time does not exist */
	if (t == (time_t)-1 || !localtime_r(&t, &back))
		return 0;
	if (days_from_civil(back.tm_year + 1900, back.tm_mon + 1, back.tm_mday) * 86400 + back.tm_hour * 3600 +
	        back.tm_min * 60 + back.tm_sec != wall)
		return 0;
	*out = (int64_t)t;
	return 1;
}

int dt__time_epoch(const char *text, int64_t *out)
{
	size_t n = strspn(text, "0123456789");

	if (text[n] || (n != 10 && n != 13))
		return 0;
	*out = strtoll(text, NULL, 10) / (n == 13 ? 1000 : 1);
	return 1;
}

int dt__time_parse_wall(const char *text, int64_t *wall, int *has_offset, int *offset)
{
	return parse_time_fields(text, wall, has_offset, offset);
}

int dt_time_parse_local(dt_ctx *ctx, const char *text, int64_t *out)
{
	int64_t wall;
	int has_offset, offset;

	if (!parse_time_fields(text, &wall, &has_offset, &offset))
		return dt__error(ctx, DT_EDATA,
		                 "'%s' is not a time that exists (YYYY-MM-DD HH:MM[:SS], optionally with an offset)",
		                 text);
	if (has_offset) {
		*out = wall - offset;
		return DT_OK;
	}
	if (!dt__time_local(wall, out))
		return dt__error(ctx, DT_EDATA, "'%s' does not exist in the configured time zone", text);
	return DT_OK;
}

int dt_date_parse(dt_ctx *ctx, const char *text, int64_t *out)
{
	const char *p = text;
	struct tm tm = { 0 };
	int y, m, d;
	time_t t;

	if (!parse_ymd(&p, &y, &m, &d) || *p)
		return dt__error(ctx, DT_EDATA, "'%s' is not a date that exists (YYYY-MM-DD)", text);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1)
		return dt__error(ctx, DT_EDATA, "'%s' cannot be placed in the time zone", text);
	/* mktime leaves tm at the local time it found: a midnight skipped by
	 * DST is 01:00 of the same day, but a day the zone skipped whole
	 * (Pacific/Apia, 2011-12-30) is the next one */
	if (tm.tm_year != y - 1900 || tm.tm_mon != m - 1 || tm.tm_mday != d)
		return dt__error(ctx, DT_EDATA, "'%s' does not exist in the configured time zone", text);
	*out = (int64_t)t;
	return DT_OK;
}

char *dt_time_format(dt_ctx *ctx, int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	long off;

	(void)ctx;
	if (!localtime_r(&tt, &tm)) {
		snprintf(buf, size, "%lld", (long long)t);
		return buf;
	}
	off = tm.tm_gmtoff;
	if (off == 0 && strcmp(getenv("TZ") ? getenv("TZ") : "", "UTC") == 0) {
		strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
		return buf;
	}
	{
		char base[24];
		char sign = off < 0 ? '-' : '+';

		if (off < 0)
			off = -off;
		strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(buf, size, "%s%c%02ld:%02ld", base, sign, off / 3600, off / 60 % 60);
	}
	return buf;
}

/*
 * Local days need the C library's zone rules, which are process-wide (TZ).
 * A front end embedding the library with several zones at once must keep
 * them in separate processes.
 */
int dt__tz_apply(dt_ctx *ctx)
{
	char *zone;
	int rc = dt__config_text(ctx, "time.zone", &zone);

	if (rc != DT_OK)
		return rc;
	/* the zone is process-wide: leave the environment alone when it already
	 * says this zone, so a server's worker threads opening their contexts
	 * never write it while another thread reads it */
	if (!getenv("TZ") || strcmp(getenv("TZ"), zone) != 0) {
		setenv("TZ", zone, 1);
		tzset();
	}
	free(zone);
	return DT_OK;
}
