/*
 * The working calendar (rdlz set-calendar FILE): dt_calendar_load, then
 * the same file again (a loaded year replaces itself), and what the
 * calendar is for: due dates counted in working days.
 *
 * The first byte is the number of working days to count (0 to 255).
 */
#include "fuzz.h"

static int load(dt_ctx *ctx, const uint8_t *data, size_t size, uint64_t *days)
{
	FILE *in = fz_file(data, size);
	int rc = dt_calendar_load(ctx, in, "calendar.csv", days);

	fclose(in);
	fz_touch(dt_errmsg(ctx));
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t days;
	int64_t due, start;
	dt_ctx *ctx;

	if (size < 1)
		return 0;
	ctx = fz_ctx();
	if (load(ctx, data + 1, size - 1, &days) == DT_OK) {
		if (load(ctx, data + 1, size - 1, &days) != DT_OK)
			fz_fail("a calendar loaded once is refused the second time: %s", dt_errmsg(ctx));
		if (dt_date_parse(ctx, "2026-09-28", &start) != DT_OK)
			fz_fail("a date: %s", dt_errmsg(ctx));
		if (dt_calendar_add_working_days(ctx, start, data[0], &due) != DT_OK)
			fz_fail("%d working days from 2026-09-28: %s", data[0], dt_errmsg(ctx));
		if (due < start + data[0] * 86400LL - 3600)
			fz_fail("%d working days from 2026-09-28 end sooner than as many days", data[0]);
	}
	fz_reset();
	return 0;
}
