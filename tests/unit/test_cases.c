/* Unit tests of cases (lib/cases.c, lib/calendar.c, lib/department.c,
 * lib/photo.c, lib/case_report.c); both whole flows run in tests/cli. */
#include "testutil.h"

static void setup_cases(fixture *f)
{
	dt_import_result r;
	dt_department d = DT_DEPARTMENT_INIT;

	assert_int_equal(test_import(f, "code,name\nRZ0001,张三\nRZ0002,李四\n", 0, &r), DT_OK);
	d.code = "ZJJ";
	d.name = "住建局";
	assert_int_equal(dt_department_add(f->ctx, &d), DT_OK);
	assert_int_equal(dt_route_set(f->ctx, "道路", "ZJJ"), DT_OK);
}

static void test_working_days_follow_the_calendar(void **state)
{
	fixture *f = *state;
	static const char cal[] = "日期,类型\n2026-10-01,休\n2026-10-02,休\n2026-10-05,休\n2026-10-11,班\n";
	FILE *in = fmemopen((void *)cal, sizeof(cal) - 1, "r");
	int64_t t, due;
	char buf[40];
	uint64_t n;

	assert_int_equal(dt_calendar_load(f->ctx, in, "cal.csv", &n), DT_OK);
	fclose(in);
	assert_int_equal(n, 4);
	/* Tue 2026-09-29 + 2 working days: Wed 30th, (Thu 1st, Fri 2nd, weekend, Mon 5th off) Tue 6th */
	assert_int_equal(dt_time_parse(f->ctx, "2026-09-29T10:00:00+08:00", &t), DT_OK);
	assert_int_equal(dt_calendar_add_working_days(f->ctx, t, 2, &due), DT_OK);
	assert_string_equal(dt_time_format(f->ctx, due, buf, sizeof(buf)), "2026-10-06T10:00:00+08:00");
	/* Fri 2026-10-09 + 1: the swapped working Sunday 11th */
	assert_int_equal(dt_time_parse(f->ctx, "2026-10-09T10:00:00+08:00", &t), DT_OK);
	assert_int_equal(dt_calendar_add_working_days(f->ctx, t, 1, &due), DT_OK);
	assert_string_equal(dt_time_format(f->ctx, due, buf, sizeof(buf)), "2026-10-11T10:00:00+08:00");
	assert_int_equal(dt_calendar_add_working_days(f->ctx, t, -1, &due), DT_EUSAGE);
}

static void test_state_machine(void **state)
{
	fixture *f = *state;
	dt_case_new c = DT_CASE_NEW_INIT;
	dt_case_act a = DT_CASE_ACT_INIT;
	int64_t id = 0;

	setup_cases(f);
	c.deputy = "RZ0002";
	c.title = "井盖缺失";
	c.text = "某路口井盖缺失";
	c.category = "道路";
	assert_int_equal(dt_case_file_suggestion(f->ctx, &c, &id), DT_OK);
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_TAKE, &a), DT_ESTATE);
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_ANSWER, &a), DT_ESTATE);
	assert_non_null(strstr(dt_errmsg(f->ctx), "is assigned"));
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_ACCEPT, &a), DT_OK);
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_ANSWER, &a), DT_EUSAGE); /* no text */
	a.note = "已修复";
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_ANSWER, &a), DT_OK);
	a.rating = "满意";
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_RATE, &a), DT_EUSAGE); /* who rates? */
	a.deputy = "RZ0001";
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_RATE, &a), DT_ESTATE); /* not theirs */
	a.deputy = "RZ0002";
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_RATE, &a), DT_OK);
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_CLOSE, &a), DT_OK);
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_CLOSE, &a), DT_ESTATE);
	assert_int_equal(dt_case_apply(f->ctx, 999, DT_CASE_CLOSE, &a), DT_ENOTFOUND);
	assert_string_equal(dt_case_action_name(DT_CASE_RATE), "rate");
}

static void test_request_needs_text_and_serving_deputy(void **state)
{
	fixture *f = *state;
	dt_case_new c = DT_CASE_NEW_INIT;
	char *tracking = NULL;
	int64_t id;

	setup_cases(f);
	c.deputy = "RZ0001";
	assert_int_equal(dt_case_submit_request(f->ctx, &c, &id, &tracking), DT_EDATA);
	c.text = "噪音扰民";
	c.phone = "12x45";
	assert_int_equal(dt_case_submit_request(f->ctx, &c, &id, &tracking), DT_EDATA);
	c.phone = "13900001111";
	assert_int_equal(dt_case_submit_request(f->ctx, &c, &id, &tracking), DT_OK);
	assert_true(strlen(tracking) >= 16);
	free(tracking);
	assert_int_equal(dt_deputy_retire(f->ctx, "RZ0001"), DT_OK);
	assert_int_equal(dt_case_submit_request(f->ctx, &c, &id, NULL), DT_ESTATE);
}

static void test_photo_must_be_an_image(void **state)
{
	fixture *f = *state;
	dt_case_new c = DT_CASE_NEW_INIT;
	const char *photos[1];
	char path[128];
	FILE *fp;
	int64_t id;

	setup_cases(f);
	snprintf(path, sizeof(path), "%s/x.png", f->dir);
	fp = fopen(path, "wb");
	fputs("GIF89a not accepted", fp);
	fclose(fp);
	photos[0] = path;
	c.deputy = "RZ0002";
	c.title = "t";
	c.text = "x";
	c.photos = photos;
	c.nphotos = 1;
	assert_int_equal(dt_case_file_suggestion(f->ctx, &c, &id), DT_EDATA);
	assert_non_null(strstr(dt_errmsg(f->ctx), "not a JPEG, PNG, WebP or HEIC"));
	fp = fopen(path, "wb");
	fwrite("\x00\x00\x00\x18" "ftypheic\x00\x00\x00\x00", 1, 16, fp);
	fclose(fp);
	assert_int_equal(dt_case_file_suggestion(f->ctx, &c, &id), DT_OK);
}

/* A day written as spreadsheets write it (2026/10/1) was accepted, but
 * stored as written, where no lookup by YYYY-MM-DD found it. */
static void test_calendar_days_as_spreadsheets_write_them(void **state)
{
	fixture *f = *state;
	static const char cal[] = "date,type\n2026/10/1,holiday\n2026/10/2,休\n";
	FILE *in = fmemopen((void *)cal, sizeof(cal) - 1, "r");
	int64_t t, due;
	char buf[40];
	uint64_t n;

	assert_int_equal(dt_calendar_load(f->ctx, in, "cal.csv", &n), DT_OK);
	fclose(in);
	assert_int_equal(n, 2);
	/* Wed 2026-09-30 + 1 working day: (Thu 1st, Fri 2nd off, weekend) Mon 5th */
	assert_int_equal(dt_time_parse(f->ctx, "2026-09-30T10:00:00+08:00", &t), DT_OK);
	assert_int_equal(dt_calendar_add_working_days(f->ctx, t, 1, &due), DT_OK);
	assert_string_equal(dt_time_format(f->ctx, due, buf, sizeof(buf)), "2026-10-05T10:00:00+08:00");
}

/* Found by tests/fuzz (corpus/departments/crash-webhook-not-utf8): a
 * webhook name of any bytes came in and broke the listings' UTF-8. */
static void test_department_webhook_is_utf8(void **state)
{
	fixture *f = *state;
	static const char csv[] = "code,name,webhook\nZJJ,住建局,\xb0V\xbc\n";
	dt_department d = DT_DEPARTMENT_INIT;
	FILE *in = fmemopen((void *)csv, sizeof(csv) - 1, "r");
	uint64_t n;

	assert_int_equal(dt_department_import(f->ctx, in, "d.csv", &n), DT_EDATA);
	fclose(in);
	assert_non_null(strstr(f->diag, "d.csv:2: the webhook name is not one line of UTF-8"));
	d.code = "ZJJ";
	d.name = "住建局";
	d.webhook = "\xe4\xbd";
	assert_int_equal(dt_department_add(f->ctx, &d), DT_EDATA);
	d.webhook = "住建局值班";
	assert_int_equal(dt_department_add(f->ctx, &d), DT_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_working_days_follow_the_calendar), TEST(test_state_machine),
		TEST(test_request_needs_text_and_serving_deputy), TEST(test_photo_must_be_an_image),
		TEST(test_department_webhook_is_utf8), TEST(test_calendar_days_as_spreadsheets_write_them),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
