/* Unit tests of times and dates (lib/time.c). */
#include "testutil.h"

static void test_parse_iso(void **state)
{
	fixture *f = *state;
	int64_t t;

	assert_int_equal(dt_time_parse(f->ctx, "1970-01-01T00:00:00Z", &t), DT_OK);
	assert_int_equal(t, 0);
	assert_int_equal(dt_time_parse(f->ctx, "2026-11-28T09:00:00+08:00", &t), DT_OK);
	assert_int_equal(t, 1795827600);
	assert_int_equal(dt_time_parse(f->ctx, "2026-11-28T01:00Z", &t), DT_OK);
	assert_int_equal(t, 1795827600);
	assert_int_equal(dt_time_parse(f->ctx, "2026-11-28 09:00:00.123+0800", &t), DT_OK);
	assert_int_equal(t, 1795827600);
	assert_int_equal(dt_time_parse(f->ctx, "2024-02-29T00:00:00Z", &t), DT_OK);
}

static void test_parse_refusals(void **state)
{
	fixture *f = *state;
	int64_t t = 42;

	assert_int_equal(dt_time_parse(f->ctx, "2026-02-30T00:00:00Z", &t), DT_EDATA);
	assert_int_equal(dt_time_parse(f->ctx, "2025-02-29T00:00:00Z", &t), DT_EDATA);
	assert_int_equal(dt_time_parse(f->ctx, "2026-11-28T09:00:00", &t), DT_EDATA);
	assert_int_equal(dt_time_parse(f->ctx, "2026-11-28T24:00:00Z", &t), DT_EDATA);
	assert_int_equal(dt_time_parse(f->ctx, "2026-13-01T00:00:00Z", &t), DT_EDATA);
	assert_int_equal(dt_time_parse(f->ctx, "yesterday", &t), DT_EDATA);
	assert_non_null(strstr(dt_errmsg(f->ctx), "'yesterday' is not a valid ISO-8601 time"));
	assert_int_equal(t, 42);
}

static void test_dates_in_shanghai(void **state)
{
	fixture *f = *state;
	char buf[40];
	int64_t t;

	assert_int_equal(dt_date_parse(f->ctx, "2026-11-28", &t), DT_OK);
	assert_int_equal(t, 1795795200); /* 2026-11-27T16:00:00Z */
	assert_string_equal(dt_time_format(f->ctx, t, buf, sizeof(buf)), "2026-11-28T00:00:00+08:00");
	assert_int_equal(dt_date_parse(f->ctx, "2026-02-29", &t), DT_EDATA);
	assert_int_equal(dt_date_parse(f->ctx, "2026-11-28T00:00", &t), DT_EDATA);
}

static void test_zone_setting_moves_days(void **state)
{
	fixture *f = *state;
	char buf[40];
	int64_t t;

	assert_int_equal(dt_config_set(f->ctx, "time.zone", "UTC"), DT_OK);
	assert_int_equal(dt_date_parse(f->ctx, "2026-11-28", &t), DT_OK);
	assert_int_equal(t, 1795824000);
	assert_string_equal(dt_time_format(f->ctx, t, buf, sizeof(buf)), "2026-11-28T00:00:00Z");
}

static void test_parse_local(void **state)
{
	fixture *f = *state;
	int64_t t;

	/* Asia/Shanghai: +08:00; an offset given wins; "/" separates too */
	assert_int_equal(dt_time_parse_local(f->ctx, "2026-11-28 09:30", &t), DT_OK);
	assert_int_equal(t, 1795829400);
	assert_int_equal(dt_time_parse_local(f->ctx, "2026/11/28 09:30:00", &t), DT_OK);
	assert_int_equal(t, 1795829400);
	assert_int_equal(dt_time_parse_local(f->ctx, "2026-11-28T01:30:00Z", &t), DT_OK);
	assert_int_equal(t, 1795829400);
	assert_int_equal(dt_time_parse_local(f->ctx, "2026/11/28 9:30", &t), DT_OK); /* as spreadsheets write it */
	assert_int_equal(t, 1795829400);
	assert_int_equal(dt_time_parse_local(f->ctx, "2026/1/5 9:30", &t), DT_OK);
	assert_int_equal(t, 1767576600);
	assert_int_equal(dt_time_parse_local(f->ctx, "2026-11-28 9:3", &t), DT_EDATA);
	assert_int_equal(dt_time_parse_local(f->ctx, "2026-11-31 09:30", &t), DT_EDATA);
	assert_int_equal(dt_time_parse_local(f->ctx, "2026-11/28 09:30", &t), DT_EDATA);
	assert_int_equal(dt_time_parse_local(f->ctx, "2026-11-28 24:00", &t), DT_EDATA);
	assert_int_equal(dt_time_parse(f->ctx, "2026-11-28 09:30", &t), DT_EDATA); /* no offset */
	/* a time summer time skips does not exist */
	assert_int_equal(dt_config_set(f->ctx, "time.zone", "Europe/Berlin"), DT_OK);
	dt_ctx_free(f->ctx);
	assert_int_equal(test_open(f, 0), DT_OK);
	assert_int_equal(dt_time_parse_local(f->ctx, "2026-03-29 02:30", &t), DT_EDATA);
	assert_non_null(strstr(dt_errmsg(f->ctx), "does not exist in the configured time zone"));
	assert_int_equal(dt_time_parse_local(f->ctx, "2026-03-29 03:30", &t), DT_OK);
	assert_int_equal(t, 1774747800); /* 03:30 CEST */
}

/* Found by tests/fuzz (corpus/time/crash-date-skipped-day): mktime moved
 * a day the zone skipped to the next one, and that was taken for it. */
static void test_skipped_day_does_not_exist(void **state)
{
	fixture *f = *state;
	char buf[40];
	int64_t t;

	assert_int_equal(dt_config_set(f->ctx, "time.zone", "Pacific/Apia"), DT_OK);
	assert_int_equal(dt_date_parse(f->ctx, "2011-12-30", &t), DT_EDATA);
	assert_non_null(strstr(dt_errmsg(f->ctx), "does not exist in the configured time zone"));
	assert_int_equal(dt_date_parse(f->ctx, "2011-12-31", &t), DT_OK);
	assert_string_equal(dt_time_format(f->ctx, t, buf, sizeof(buf)), "2011-12-31T00:00:00+14:00");
	/* a midnight that summer time skips: the day starts at 01:00 */
	assert_int_equal(dt_config_set(f->ctx, "time.zone", "America/Havana"), DT_OK);
	assert_int_equal(dt_date_parse(f->ctx, "2026-03-08", &t), DT_OK);
	assert_string_equal(dt_time_format(f->ctx, t, buf, sizeof(buf)), "2026-03-08T01:00:00-04:00");
}

static void test_clock(void **state)
{
	fixture *f = *state;

	assert_int_equal(dt_ctx_now(f->ctx), 1795827600); /* RDLZ_NOW from the fixture */
	dt_ctx_set_now(f->ctx, 5);
	assert_int_equal(dt_ctx_now(f->ctx), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_parse_iso), TEST(test_parse_refusals), TEST(test_dates_in_shanghai),
		TEST(test_zone_setting_moves_days), TEST(test_clock), TEST(test_parse_local),
		TEST(test_skipped_day_does_not_exist),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
