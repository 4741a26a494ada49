/*
 * Attendance: records by hand, and join/leave logs merged into intervals.
 * The fixture's clock is 2026-11-28 09:00 +08:00; event 1 ran on
 * 2026-11-20 from 09:00 to 11:00 (120 minutes).
 */
#include <sqlite3.h>
#include "testutil.h"

static void roster(fixture *f)
{
	dt_import_result r;

	assert_int_equal(test_import(f, "code,name,delegation\nRZ0001,张三,甲\nRZ0002,李四,乙\nRZ0003,王五,甲\n", 0, &r),
	                 DT_OK);
}

static int64_t event(fixture *f, const char *kind, const char *starts, const char *ends)
{
	dt_event e = DT_EVENT_INIT;
	int64_t id = 0;

	e.kind = kind;
	e.title = "专题询问：养老服务";
	assert_int_equal(dt_time_parse_local(f->ctx, starts, &e.starts_at), DT_OK);
	if (ends)
		assert_int_equal(dt_time_parse_local(f->ctx, ends, &e.ends_at), DT_OK);
	if (!strcmp(kind, "hearing"))
		e.announce_at = e.starts_at - 86400;
	assert_int_equal(dt_event_create(f->ctx, &e, &id), DT_OK);
	return id;
}

static int import_log(fixture *f, int64_t id, const char *csv, const char *encoding, dt_attendance_summary *s)
{
	FILE *in = fmemopen((void *)csv, strlen(csv), "r");
	int rc;

	f->diag[0] = '\0';
	rc = dt_attendance_import(f->ctx, id, in, "log.csv", encoding, s);
	fclose(in);
	return rc;
}

/* The list as JSON lines, for assertions on whole rows. */
static const char *listing(fixture *f, int64_t id)
{
	dt_writer *w = test_writer(f, DT_FORMAT_JSONL, 0);

	assert_int_equal(dt_attendance_list(f->ctx, id, w), DT_OK);
	dt_writer_free(w);
	return f->out;
}

static int64_t count(fixture *f, const char *table)
{
	char sql[128];
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t n;

	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static const char *LOG = "code,joined_at,left_at,nickname\n"
                         "RZ0001,2026-11-20 08:55:00,2026-11-20 09:30:00,a\n"
                         "RZ0001,2026-11-20 09:20:00,2026-11-20 10:10:00,a\n" /* overlaps the first */
                         "RZ0001,2026-11-20 10:30:00,,a\n"                    /* still on at the end */
                         "RZ0002,2026-11-20 09:00:00,2026-11-20 09:40:00,b\n"
                         "RZ0002,2026-11-20 09:40:00,2026-11-20 09:50:00,b\n"; /* touches: one interval */

static void test_log_merges_reconnects_and_overlaps(void **state)
{
	fixture *f = *state;
	dt_attendance_summary s;
	int64_t id;

	roster(f);
	id = event(f, "inquiry", "2026-11-20 09:00", "2026-11-20 11:00");
	assert_int_equal(import_log(f, id, LOG, NULL, &s), DT_OK);
	assert_int_equal(s.rows, 5);
	assert_int_equal(s.deputies, 2);
	assert_int_equal(s.online, 1);
	assert_int_equal(s.partial, 1);
	assert_int_equal(s.changed, 2);
	/* 09:00-10:10 (the 5 minutes early do not count) and 10:30-11:00 */
	assert_non_null(strstr(listing(f, id), "{\"code\":\"RZ0001\",\"name\":\"张三\",\"delegation\":\"甲\",\"mode\":\"online\","
	                                       "\"minutes\":100,\"source\":\"log\"}"));
	assert_non_null(strstr(f->out, "\"code\":\"RZ0002\",\"name\":\"李四\",\"delegation\":\"乙\",\"mode\":\"partial\","
	                               "\"minutes\":50"));
	assert_int_equal(count(f, "attendance WHERE length(spans) = 32"), 1); /* RZ0001: two spans */
	assert_int_equal(count(f, "attendance WHERE length(spans) = 16"), 1);
}

static void test_same_log_twice_changes_nothing(void **state)
{
	fixture *f = *state;
	dt_attendance_summary s;
	int64_t id, audits;
	char before[4096];

	roster(f);
	id = event(f, "meeting", "2026-11-20 09:00", "2026-11-20 11:00");
	assert_int_equal(import_log(f, id, LOG, NULL, &s), DT_OK);
	snprintf(before, sizeof(before), "%s", listing(f, id));
	audits = count(f, "audit");
	assert_int_equal(import_log(f, id, LOG, NULL, &s), DT_OK);
	assert_int_equal(s.changed, 0);
	assert_string_equal(listing(f, id), before);
	assert_int_equal(count(f, "audit"), audits);
	assert_int_equal(count(f, "duty_record"), 2);
}

static void test_log_split_in_two_gives_the_same_minutes(void **state)
{
	fixture *f = *state;
	dt_attendance_summary s;
	int64_t a, b;
	char whole[4096];

	roster(f);
	a = event(f, "meeting", "2026-11-20 09:00", "2026-11-20 11:00");
	b = event(f, "meeting", "2026-11-20 09:00", "2026-11-20 11:00");
	assert_int_equal(import_log(f, a, LOG, NULL, &s), DT_OK);
	snprintf(whole, sizeof(whole), "%s", listing(f, a));
	assert_int_equal(import_log(f, b,
	                            "code,joined_at,left_at\n"
	                            "RZ0001,2026-11-20 09:20:00,2026-11-20 10:10:00\n"
	                            "RZ0002,2026-11-20 09:40:00,2026-11-20 09:50:00\n",
	                            NULL, &s),
	                 DT_OK);
	assert_int_equal(import_log(f, b,
	                            "代表编号,进入时间,离开时间\n"
	                            "RZ0001,2026-11-20 08:55:00,2026-11-20 09:30:00\n"
	                            "RZ0001,2026-11-20T10:30:00+08:00,\n"
	                            "RZ0002,2026/11/20 9:00:00,1795138800000\n", /* 09:40 in Unix milliseconds */
	                            NULL, &s),
	                 DT_OK);
	assert_string_equal(listing(f, b), whole);
}

static void test_share_setting_decides_online(void **state)
{
	fixture *f = *state;
	dt_attendance_summary s;
	int64_t id;

	roster(f);
	assert_int_equal(dt_config_set(f->ctx, "attendance.online_share", "90"), DT_OK);
	id = event(f, "forum", "2026-11-20 09:00", "2026-11-20 11:00");
	/* 107 of 120 minutes: 89%, partial; 108 minutes is 90%, online */
	assert_int_equal(import_log(f, id,
	                            "code,joined_at,left_at\n"
	                            "RZ0001,2026-11-20 09:00:00,2026-11-20 10:47:00\n"
	                            "RZ0002,2026-11-20 09:00:00,2026-11-20 10:48:00\n",
	                            NULL, &s),
	                 DT_OK);
	assert_non_null(strstr(listing(f, id), "\"code\":\"RZ0001\",\"name\":\"张三\",\"delegation\":\"甲\",\"mode\":\"partial\",\"minutes\":107"));
	assert_non_null(strstr(f->out, "\"code\":\"RZ0002\",\"name\":\"李四\",\"delegation\":\"乙\",\"mode\":\"online\",\"minutes\":108"));
}

static void test_bad_rows_are_reported_and_nothing_is_written(void **state)
{
	fixture *f = *state;
	dt_attendance_summary s;
	int64_t id, audits;

	roster(f);
	id = event(f, "meeting", "2026-11-20 09:00", "2026-11-20 11:00");
	audits = count(f, "audit");
	assert_int_equal(import_log(f, id,
	                            "code,joined_at,left_at\n"
	                            "RZ0001,2026-11-20 09:00:00,2026-11-20 10:00:00\n"
	                            "RZ0099,2026-11-20 09:00:00,2026-11-20 10:00:00\n"
	                            "RZ0002,2026-11-20 08:00:00,2026-11-20 10:00:00\n"
	                            "RZ0002,2026-11-20 10:00:00,2026-11-20 09:00:00\n"
	                            "RZ0003,2026-02-30 09:00:00,2026-11-20 10:00:00\n"
	                            "RZ0003,2026-11-20 09:00:00,2026-11-20 12:00:00\n",
	                            NULL, &s),
	                 DT_EDATA);
	assert_non_null(strstr(f->diag, "log.csv:3: column 'code': no deputy with code 'RZ0099'"));
	assert_non_null(strstr(f->diag, "log.csv:4: column 'joined_at': '2026-11-20 08:00:00' is outside the event's time"));
	assert_non_null(strstr(f->diag, "log.csv:5: column 'left_at': '2026-11-20 09:00:00' is before the join"));
	assert_non_null(strstr(f->diag, "log.csv:6: column 'joined_at': '2026-02-30 09:00:00' is not a time that exists"));
	assert_non_null(strstr(f->diag, "log.csv:7: column 'left_at': '2026-11-20 12:00:00' is outside the event's time"));
	assert_null(strstr(f->diag, "log.csv:2:"));
	assert_int_equal(count(f, "attendance"), 0);
	assert_int_equal(count(f, "audit"), audits);
	/* a header without the columns, and a malformed file */
	assert_int_equal(import_log(f, id, "who,when\nRZ0001,now\n", NULL, &s), DT_EDATA);
	assert_non_null(strstr(f->diag, "log.csv:1: the header needs code, joined_at and left_at"));
	assert_int_equal(import_log(f, id, "code,joined_at,left_at\n\"RZ0001,2026-11-20 09:00:00,\n", NULL, &s), DT_EDATA);
	assert_int_equal(count(f, "attendance"), 0);
}

static void test_refused_for_cancelled_future_and_endless_events(void **state)
{
	fixture *f = *state;
	dt_attendance_summary s;
	int64_t future, cancelled, endless;

	roster(f);
	future = event(f, "meeting", "2026-12-01 09:00", "2026-12-01 11:00");
	cancelled = event(f, "meeting", "2026-11-20 09:00", "2026-11-20 11:00");
	endless = event(f, "activity", "2026-11-20 09:00", NULL);
	assert_int_equal(dt_event_cancel(f->ctx, cancelled, "改期"), DT_OK);
	assert_int_equal(dt_attendance_record(f->ctx, future, "RZ0001", "onsite"), DT_ESTATE);
	assert_non_null(strstr(dt_errmsg(f->ctx), "in the future"));
	assert_int_equal(dt_attendance_record(f->ctx, cancelled, "RZ0001", "onsite"), DT_ESTATE);
	assert_non_null(strstr(dt_errmsg(f->ctx), "cancelled"));
	assert_int_equal(import_log(f, cancelled, LOG, NULL, &s), DT_ESTATE);
	assert_int_equal(import_log(f, endless, LOG, NULL, &s), DT_ESTATE);
	assert_non_null(strstr(dt_errmsg(f->ctx), "no end time"));
	assert_int_equal(dt_attendance_record(f->ctx, endless, "RZ0001", "lurking"), DT_EUSAGE);
	assert_int_equal(dt_attendance_record(f->ctx, endless, "RZ0404", "onsite"), DT_ENOTFOUND);
	assert_int_equal(dt_attendance_record(f->ctx, 999, "RZ0001", "onsite"), DT_ENOTFOUND);
	assert_int_equal(count(f, "attendance"), 0);
}

static void test_manual_mode_stands_and_archive_follows_mode(void **state)
{
	fixture *f = *state;
	dt_attendance_summary s;
	dt_writer *w;
	int64_t id;

	roster(f);
	id = event(f, "hearing", "2026-11-20 09:00", "2026-11-20 11:00");
	assert_int_equal(dt_attendance_record(f->ctx, id, "RZ0002", "onsite"), DT_OK);
	assert_int_equal(dt_attendance_record(f->ctx, id, "RZ0003", "excused"), DT_OK);
	assert_int_equal(import_log(f, id, LOG, NULL, &s), DT_OK);
	assert_non_null(strstr(listing(f, id), "\"code\":\"RZ0002\",\"name\":\"李四\",\"delegation\":\"乙\",\"mode\":\"onsite\","
	                                       "\"minutes\":50,\"source\":\"manual\""));
	assert_non_null(strstr(f->out, "\"code\":\"RZ0003\",\"name\":\"王五\",\"delegation\":\"甲\",\"mode\":\"excused\",\"minutes\":0"));
	/* one record per deputy and event, of the current mode; on site counts the event's length */
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_archive_list(f->ctx, "RZ0002", 0, INT64_MAX, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "RZ0002,hearing_onsite,2026-11-20T09:00:00+08:00,120,minute,attendance:1"));
	assert_int_equal(dt_attendance_record(f->ctx, id, "RZ0002", "absent"), DT_OK);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_archive_list(f->ctx, "RZ0002", 0, INT64_MAX, w), DT_OK);
	dt_writer_free(w);
	assert_null(strstr(f->out, "hearing_onsite"));
	assert_non_null(strstr(f->out, "RZ0002,hearing_absent,2026-11-20T09:00:00+08:00,0,minute,attendance:1"));
}

static void test_gbk_log_and_retired_deputy(void **state)
{
	fixture *f = *state;
	dt_attendance_summary s;
	/* 代表编号,进入时间,离开时间 in GBK */
	const char gbk[] = "\xb4\xfa\xb1\xed\xb1\xe0\xba\xc5,\xbd\xf8\xc8\xeb\xca\xb1\xbc\xe4,\xc0\xeb\xbf\xaa\xca\xb1\xbc\xe4\n"
	                   "RZ0001,2026-11-20 09:00:00,2026-11-20 11:00:00\n";
	int64_t id;

	roster(f);
	id = event(f, "training", "2026-11-20 09:00", "2026-11-20 11:00");
	assert_int_equal(import_log(f, id, gbk, "gbk", &s), DT_OK);
	assert_int_equal(s.online, 1);
	assert_int_equal(dt_deputy_retire(f->ctx, "RZ0003"), DT_OK);
	/* retired on the 28th: the event of the 20th was still theirs */
	assert_int_equal(import_log(f, id, "code,joined_at,left_at\nRZ0003,2026-11-20 09:00:00,2026-11-20 10:00:00\n", NULL, &s),
	                 DT_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_log_merges_reconnects_and_overlaps),
		TEST(test_same_log_twice_changes_nothing),
		TEST(test_log_split_in_two_gives_the_same_minutes),
		TEST(test_share_setting_decides_online),
		TEST(test_bad_rows_are_reported_and_nothing_is_written),
		TEST(test_refused_for_cancelled_future_and_endless_events),
		TEST(test_manual_mode_stands_and_archive_follows_mode),
		TEST(test_gbk_log_and_retired_deputy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
