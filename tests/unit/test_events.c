/*
 * Events: creation and its refusals, changes and revisions, the
 * announcement producer, the iCalendar feed and the statistics.
 */
#include "testutil.h"

static int64_t at(fixture *f, const char *local)
{
	int64_t t;

	assert_int_equal(dt_time_parse_local(f->ctx, local, &t), DT_OK);
	return t;
}

static void roster(fixture *f)
{
	dt_import_result r;

	assert_int_equal(test_import(f, "code,name,email\nRZ0001,张三,a@example.com\nRZ0002,李四,\nRZ0003,王五,c@example.com\n",
	                             0, &r),
	                 DT_OK);
}

static dt_event hearing(fixture *f)
{
	dt_event e = DT_EVENT_INIT;

	e.kind = "hearing";
	e.title = "合同纠纷案庭审";
	e.starts_at = at(f, "2026-12-05 09:00");
	e.ends_at = at(f, "2026-12-05 11:30");
	e.announce_at = at(f, "2026-11-28 08:00");
	e.court = "区人民法院";
	e.case_summary = "买卖合同纠纷";
	e.stream_url = "https://live.example.com/h/1";
	return e;
}

static void test_create_and_refusals(void **state)
{
	fixture *f = *state;
	dt_event e = hearing(f);
	int64_t id;

	assert_int_equal(dt_event_create(f->ctx, &e, &id), DT_OK);
	assert_int_equal(id, 1);
	e.announce_at = e.starts_at;
	assert_int_equal(dt_event_create(f->ctx, &e, &id), DT_EUSAGE);
	assert_non_null(strstr(dt_errmsg(f->ctx), "a hearing must be announced before it starts"));
	e.announce_at = DT_TIME_UNSET;
	assert_int_equal(dt_event_create(f->ctx, &e, &id), DT_EUSAGE);
	e = hearing(f);
	e.ends_at = e.starts_at;
	assert_int_equal(dt_event_create(f->ctx, &e, &id), DT_EUSAGE);
	assert_non_null(strstr(dt_errmsg(f->ctx), "is not after the start"));
	e = hearing(f);
	e.kind = "party";
	assert_int_equal(dt_event_create(f->ctx, &e, &id), DT_EUSAGE);
	e = hearing(f);
	e.stream_url = "javascript:alert(1)";
	assert_int_equal(dt_event_create(f->ctx, &e, &id), DT_EUSAGE);
	e = hearing(f);
	e.title = "two\nlines";
	assert_int_equal(dt_event_create(f->ctx, &e, &id), DT_EUSAGE);
	e = hearing(f);
	e.kind = "meeting";
	e.announce_at = e.starts_at + 60;
	assert_int_equal(dt_event_create(f->ctx, &e, &id), DT_EUSAGE);
	assert_non_null(strstr(dt_errmsg(f->ctx), "is after the start"));
	/* a time a DST change skips does not exist */
	assert_int_equal(dt_config_set(f->ctx, "time.zone", "Europe/Berlin"), DT_OK);
	dt_ctx_free(f->ctx);
	assert_int_equal(test_open(f, 0), DT_OK);
	assert_int_equal(dt_time_parse_local(f->ctx, "2026-03-29 02:30", &id), DT_EDATA);
}

static void test_update_bumps_revision_and_cancel(void **state)
{
	fixture *f = *state;
	dt_event e = hearing(f), c = DT_EVENT_INIT;
	dt_writer *w;
	int64_t id;

	assert_int_equal(dt_event_create(f->ctx, &e, &id), DT_OK);
	c.court = "";       /* clears */
	assert_int_equal(dt_event_update(f->ctx, id, &c), DT_OK);
	w = test_writer(f, DT_FORMAT_JSON, DT_WRITE_RECORD);
	assert_int_equal(dt_event_show(f->ctx, id, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "\"court\":null"));
	assert_non_null(strstr(f->out, "\"revision\":1")); /* the court is not something deputies are re-told */
	c = (dt_event)DT_EVENT_INIT;
	c.place = "第三法庭";
	assert_int_equal(dt_event_update(f->ctx, id, &c), DT_OK);
	w = test_writer(f, DT_FORMAT_JSON, DT_WRITE_RECORD);
	assert_int_equal(dt_event_show(f->ctx, id, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "\"place\":\"第三法庭\""));
	assert_non_null(strstr(f->out, "\"revision\":2"));
	/* a change that breaks the rules is refused whole */
	c = (dt_event)DT_EVENT_INIT;
	c.announce_at = e.starts_at + 1;
	assert_int_equal(dt_event_update(f->ctx, id, &c), DT_EUSAGE);
	assert_int_equal(dt_event_cancel(f->ctx, id, "延期"), DT_OK);
	assert_int_equal(dt_event_cancel(f->ctx, id, NULL), DT_ESTATE);
	assert_int_equal(dt_event_update(f->ctx, id, &c), DT_ESTATE);
	assert_int_equal(dt_event_update(f->ctx, 42, &c), DT_ENOTFOUND);
}

static int64_t outbox_count(fixture *f, const char *needle)
{
	dt_writer *w = test_writer(f, DT_FORMAT_CSV, 0);
	int64_t n = 0;

	assert_int_equal(dt_outbox_list(f->ctx, NULL, w), DT_OK);
	dt_writer_free(w);
	for (const char *p = f->out; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static int64_t queue(fixture *f)
{
	dt_writer *w = test_writer(f, DT_FORMAT_CSV, 0);
	const char *p;

	assert_int_equal(dt_reminders_queue(f->ctx, w), DT_OK);
	dt_writer_free(w);
	p = strstr(f->out, "events,");
	assert_non_null(p);
	return atoll(p + 7);
}

static void test_announcements_once_then_corrections(void **state)
{
	fixture *f = *state;
	dt_event e = hearing(f), c = DT_EVENT_INIT, quiet = DT_EVENT_INIT;
	int64_t id, other;

	roster(f);
	e.announce_at = at(f, "2026-11-29 08:00");
	assert_int_equal(dt_event_create(f->ctx, &e, &id), DT_OK);
	quiet.kind = "meeting";
	quiet.title = "常委会会议";
	quiet.starts_at = at(f, "2026-12-10 09:00");
	assert_int_equal(dt_event_create(f->ctx, &quiet, &other), DT_OK);
	/* not yet time: nothing */
	assert_int_equal(queue(f), 0);
	dt_ctx_set_now(f->ctx, at(f, "2026-11-29 08:00"));
	/* two deputies have e-mail; the third cannot be reached and is skipped */
	assert_int_equal(queue(f), 2);
	assert_int_equal(queue(f), 0);
	assert_int_equal(outbox_count(f, "event-1-r1:"), 2);
	assert_int_equal(outbox_count(f, "合同纠纷案庭审"), 2);
	c.starts_at = at(f, "2026-12-06 09:00");
	c.ends_at = at(f, "2026-12-06 11:00");
	assert_int_equal(dt_event_update(f->ctx, id, &c), DT_OK);
	assert_int_equal(queue(f), 2);
	assert_int_equal(outbox_count(f, "【更正】"), 2);
	assert_int_equal(dt_event_cancel(f->ctx, id, "延期审理"), DT_OK);
	assert_int_equal(queue(f), 2);
	assert_int_equal(queue(f), 0);
	assert_int_equal(outbox_count(f, "event-1-cancelled:"), 2);
	assert_int_equal(outbox_count(f, "event-2-"), 0); /* no announce time: never announced */
}

static void test_cancelled_before_announcement_sends_nothing(void **state)
{
	fixture *f = *state;
	dt_event e = hearing(f);
	int64_t id;

	roster(f);
	e.announce_at = at(f, "2026-11-30 08:00");
	assert_int_equal(dt_event_create(f->ctx, &e, &id), DT_OK);
	assert_int_equal(dt_event_cancel(f->ctx, id, NULL), DT_OK);
	dt_ctx_set_now(f->ctx, at(f, "2026-12-01 08:00"));
	assert_int_equal(queue(f), 0);
}

/* Unfold RFC 5545 lines into buf. */
static void unfold(const char *in, char *out, size_t size)
{
	size_t n = 0;

	for (const char *p = in; *p && n + 1 < size; p++) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
			p += 2;
			continue;
		}
		out[n++] = *p;
	}
	out[n] = '\0';
}

static void test_ical_feed(void **state)
{
	fixture *f = *state;
	dt_event e = hearing(f);
	char *buf = NULL, uid[64], unfolded[16384];
	size_t len = 0;
	const char *p;
	FILE *out;
	int64_t id;

	e.case_summary = "原告诉称, 被告未按合同约定交付货物; 双方就货款结算、违约责任及损失赔偿发生争议，诉至法院。";
	assert_int_equal(dt_event_create(f->ctx, &e, &id), DT_OK);
	out = open_memstream(&buf, &len);
	assert_int_equal(dt_event_ical(f->ctx, NULL, DT_TIME_UNSET, out), DT_OK);
	fclose(out);
	/* every line ends in CRLF and is at most 75 octets */
	for (p = buf; *p;) {
		const char *eol = strstr(p, "\r\n");

		assert_non_null(eol);
		assert_true(eol - p <= 75);
		p = eol + 2;
	}
	unfold(buf, unfolded, sizeof(unfolded));
	assert_non_null(strstr(unfolded, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
	assert_non_null(strstr(unfolded, "TZID:Asia/Shanghai\r\n"));
	assert_non_null(strstr(unfolded, "DTSTART;TZID=Asia/Shanghai:20261205T090000\r\n"));
	assert_non_null(strstr(unfolded, "DTEND;TZID=Asia/Shanghai:20261205T113000\r\n"));
	assert_non_null(strstr(unfolded, "URL:https://live.example.com/h/1\r\n"));
	assert_non_null(strstr(unfolded, "原告诉称\\, 被告未按合同约定交付货物\\; 双方"));
	assert_non_null(strstr(unfolded, "STATUS:CONFIRMED\r\nEND:VEVENT"));
	p = strstr(unfolded, "UID:");
	assert_non_null(p);
	snprintf(uid, sizeof(uid), "%.*s", (int)strcspn(p, "\r"), p);
	free(buf);
	/* cancelled: the same UID, a higher SEQUENCE, CANCELLED */
	assert_int_equal(dt_event_cancel(f->ctx, id, NULL), DT_OK);
	out = open_memstream(&buf, &len);
	assert_int_equal(dt_event_ical(f->ctx, "hearing", DT_TIME_UNSET, out), DT_OK);
	fclose(out);
	unfold(buf, unfolded, sizeof(unfolded));
	assert_non_null(strstr(unfolded, uid));
	assert_non_null(strstr(unfolded, "SEQUENCE:1\r\n"));
	assert_non_null(strstr(unfolded, "STATUS:CANCELLED\r\n"));
	free(buf);
	/* a kind or a start filter leaves it out */
	out = open_memstream(&buf, &len);
	assert_int_equal(dt_event_ical(f->ctx, "meeting", DT_TIME_UNSET, out), DT_OK);
	fclose(out);
	assert_null(strstr(buf, "BEGIN:VEVENT"));
	free(buf);
	out = open_memstream(&buf, &len);
	assert_int_equal(dt_event_ical(f->ctx, NULL, at(f, "2026-12-06 00:00"), out), DT_OK);
	fclose(out);
	assert_null(strstr(buf, "BEGIN:VEVENT"));
	free(buf);
}

static void test_ical_in_a_zone_with_summer_time_is_utc(void **state)
{
	fixture *f = *state;
	dt_event e = hearing(f);
	char *buf = NULL;
	size_t len = 0;
	FILE *out;
	int64_t id;

	assert_int_equal(dt_config_set(f->ctx, "time.zone", "Europe/Berlin"), DT_OK);
	dt_ctx_free(f->ctx);
	assert_int_equal(test_open(f, 0), DT_OK);
	e.starts_at = at(f, "2026-12-05 09:00");
	e.ends_at = at(f, "2026-12-05 10:00");
	assert_int_equal(dt_event_create(f->ctx, &e, &id), DT_OK);
	out = open_memstream(&buf, &len);
	assert_int_equal(dt_event_ical(f->ctx, NULL, DT_TIME_UNSET, out), DT_OK);
	fclose(out);
	assert_null(strstr(buf, "VTIMEZONE"));
	assert_non_null(strstr(buf, "DTSTART:20261205T080000Z\r\n"));
	free(buf);
}

/* Hand-counted fixture: two inquiries and a cancelled meeting in November,
 * one forum in December; five attendances, comments and learning. */
static void test_statistics_against_hand_counts(void **state)
{
	fixture *f = *state;
	dt_event e = DT_EVENT_INIT;
	dt_writer *w;
	int64_t a, b, cancelled, forum, comment;
	dt_article art = DT_ARTICLE_INIT;

	roster(f);
	e.kind = "inquiry";
	e.title = "专题询问一";
	e.starts_at = at(f, "2026-11-10 09:00");
	e.ends_at = at(f, "2026-11-10 11:00");
	assert_int_equal(dt_event_create(f->ctx, &e, &a), DT_OK);
	e.title = "专题询问二";
	e.starts_at = at(f, "2026-11-12 09:00");
	e.ends_at = at(f, "2026-11-12 11:00");
	assert_int_equal(dt_event_create(f->ctx, &e, &b), DT_OK);
	e.kind = "meeting";
	e.title = "取消的会议";
	assert_int_equal(dt_event_create(f->ctx, &e, &cancelled), DT_OK);
	e.kind = "forum";
	e.title = "论坛";
	e.starts_at = at(f, "2025-12-12 09:00");
	e.ends_at = at(f, "2025-12-12 11:00");
	assert_int_equal(dt_event_create(f->ctx, &e, &forum), DT_OK);
	assert_int_equal(dt_attendance_record(f->ctx, a, "RZ0001", "onsite"), DT_OK);
	assert_int_equal(dt_attendance_record(f->ctx, a, "RZ0002", "online"), DT_OK);
	assert_int_equal(dt_attendance_record(f->ctx, a, "RZ0003", "absent"), DT_OK);
	assert_int_equal(dt_attendance_record(f->ctx, b, "RZ0001", "online"), DT_OK);
	assert_int_equal(dt_attendance_record(f->ctx, b, "RZ0003", "excused"), DT_OK);
	assert_int_equal(dt_attendance_record(f->ctx, forum, "RZ0002", "onsite"), DT_OK);
	assert_int_equal(dt_comment_post(f->ctx, a, "RZ0001", "第一条", &comment), DT_OK);
	assert_int_equal(dt_comment_post(f->ctx, a, "RZ0002", "第二条", NULL), DT_OK);
	assert_int_equal(dt_comment_post(f->ctx, b, "RZ0002", "第三条", NULL), DT_OK);
	assert_int_equal(dt_comment_hide(f->ctx, comment, "无关内容"), DT_OK);
	assert_int_equal(dt_learning_record(f->ctx, "RZ0003", 0, a, 45, at(f, "2026-11-20 20:00")), DT_OK);
	art.title = "代表法";
	art.url = "https://example.com/law";
	assert_int_equal(dt_article_add(f->ctx, &art, NULL), DT_OK);
	assert_int_equal(dt_learning_record(f->ctx, "RZ0001", 1, 0, 30, at(f, "2026-11-21 20:00")), DT_OK);
	assert_int_equal(dt_event_cancel(f->ctx, cancelled, NULL), DT_OK);

	w = test_writer(f, DT_FORMAT_CSV, DT_WRITE_RECORD);
	assert_int_equal(dt_event_stats(f->ctx, a, w), DT_OK);
	dt_writer_free(w);
	assert_string_equal(f->out, "id,kind,title,onsite,online,partial,excused,absent,person_times,online_minutes,comments,"
	                            "commenters,hidden_comments,learning\r\n"
	                            "1,inquiry,专题询问一,1,1,0,0,1,2,0,1,1,1,1\r\n");
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_event_period_stats(f->ctx, at(f, "2026-01-01 00:00"), at(f, "2027-01-01 00:00"), w), DT_OK);
	dt_writer_free(w);
	assert_string_equal(f->out, "kind,sessions,person_times,deputies,comments,learning\r\n"
	                            "meeting,0,0,0,0,0\r\n"
	                            "inquiry,2,3,2,2,1\r\n"
	                            "hearing,0,0,0,0,0\r\n"
	                            "forum,0,0,0,0,0\r\n"
	                            "training,0,0,0,0,0\r\n"
	                            "activity,0,0,0,0,0\r\n"
	                            "learning,1,1,1,0,1\r\n"
	                            "total,2,3,2,2,2\r\n");
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_event_period_stats(f->ctx, at(f, "2025-12-01 00:00"), at(f, "2026-01-01 00:00"), w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "forum,1,1,1,0,0\r\n"));
	assert_non_null(strstr(f->out, "total,1,1,1,0,0\r\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_create_and_refusals),
		TEST(test_update_bumps_revision_and_cancel),
		TEST(test_announcements_once_then_corrections),
		TEST(test_cancelled_before_announcement_sends_nothing),
		TEST(test_ical_feed),
		TEST(test_ical_in_a_zone_with_summer_time_is_utc),
		TEST(test_statistics_against_hand_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
