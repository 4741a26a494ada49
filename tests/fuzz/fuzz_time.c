/*
 * Times, dates and periods as users and files write them: dt_time_parse
 * (--at, RDLZ_NOW), dt_time_parse_local (--starts, log and comment
 * times), dt_date_parse (--from, calendar days) and dt_period_parse
 * (--period), each checked against dt_time_format: what parses and is
 * formatted again parses to the same instant.
 *
 * The first byte picks the zone the local times are taken in. The library
 * applies the setting time.zone to the process (TZ); setting TZ here does
 * the same without a commit per input. Zones with DST gaps, half-hour
 * changes and a skipped day are among them.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fuzz.h"

static const char *const zones[] = { "Asia/Shanghai", "UTC", "America/New_York", "Australia/Lord_Howe",
	                             "Pacific/Apia", "Europe/Dublin", "America/Sao_Paulo", "Asia/Kathmandu" };

/* The instants the check holds for: from 1970 to the end of 9999 (earlier
 * zones had offsets in seconds, which the format leaves out). */
static int in_range(int64_t t)
{
	return t >= 0 && t < 253402300800;
}

static void round_trip(dt_ctx *ctx, const char *what, const char *text, int64_t t)
{
	char buf[64];
	int64_t back;

	if (!in_range(t))
		return;
	dt_time_format(ctx, t, buf, sizeof(buf));
	if (dt_time_parse(ctx, buf, &back) != DT_OK || back != t)
		fz_fail("%s('%s') = %lld, formatted '%s', which parses back to %lld (%s)", what, text, (long long)t, buf,
		        (long long)back, dt_errmsg(ctx));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dt_ctx *ctx;
	int64_t t, from, to;
	char *text, buf[64];
	int y, m, d;

	if (size < 1)
		return 0;
	ctx = fz_ctx();
	setenv("TZ", zones[data[0] % (sizeof(zones) / sizeof(zones[0]))], 1);
	tzset();
	text = fz_string(data + 1, size - 1);
	if (dt_time_parse(ctx, text, &t) == DT_OK)
		round_trip(ctx, "dt_time_parse", text, t);
	fz_touch(dt_errmsg(ctx));
	if (dt_time_parse_local(ctx, text, &t) == DT_OK)
		round_trip(ctx, "dt_time_parse_local", text, t);
	fz_touch(dt_errmsg(ctx));
	if (dt_date_parse(ctx, text, &t) == DT_OK) {
		round_trip(ctx, "dt_date_parse", text, t);
		/* the day's start is on that day (a zone may start it at 01:00) */
		if (in_range(t) && sscanf(text, "%d%*c%d%*c%d", &y, &m, &d) == 3) {
			char day[16];

			snprintf(day, sizeof(day), "%04d-%02d-%02d", y, m, d);
			dt_time_format(ctx, t, buf, sizeof(buf));
			if (strncmp(buf, day, 10) != 0)
				fz_fail("dt_date_parse('%s') = %s, another day", text, buf);
		}
	}
	fz_touch(dt_errmsg(ctx));
	if (dt_period_parse(ctx, text, &from, &to) == DT_OK) {
		if (from >= to)
			fz_fail("dt_period_parse('%s') = [%lld, %lld), empty", text, (long long)from, (long long)to);
		round_trip(ctx, "dt_period_parse", text, from);
		round_trip(ctx, "dt_period_parse", text, to);
	}
	fz_touch(dt_errmsg(ctx));
	free(text);
	return 0;
}
