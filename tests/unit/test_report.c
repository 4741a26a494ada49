/*
 * The report (lib/report.c, lib/report_html.c): a hand-built year whose
 * every figure is counted here, the month it falls in, agreement with
 * event-stats, and the HTML page escaping what comes from the database.
 */
#include <sys/stat.h>
#include "testutil.h"

/* The value of section,metric in the CSV report in f->out; -1 when empty,
 * fails when the row is missing. */
static double figure(fixture *f, const char *section, const char *metric)
{
	char key[128];
	const char *p, *end;

	snprintf(key, sizeof(key), "\n%s,%s,", section, metric);
	p = strstr(f->out, key);
	if (!p)
		fail_msg("no figure %s,%s in:\n%s", section, metric, f->out);
	end = strchr(p + 1, '\n');
	while (end > p && end[-1] != ',')
		end--;
	return end[0] == '\r' || end[0] == '\n' ? -1 : strtod(end, NULL);
}

static int64_t at(fixture *f, const char *when)
{
	int64_t t;

	assert_int_equal(dt_time_parse_local(f->ctx, when, &t), DT_OK);
	return t;
}

static int64_t event(fixture *f, const char *kind, const char *starts, const char *ends)
{
	dt_event e = DT_EVENT_INIT;
	int64_t id;

	e.kind = kind;
	e.title = "活动";
	e.starts_at = at(f, starts);
	e.ends_at = at(f, ends);
	e.announce_at = e.starts_at - 86400;
	assert_int_equal(dt_event_create(f->ctx, &e, &id), DT_OK);
	return id;
}

static void vote(fixture *f, int64_t survey, const char *code, const char *answer)
{
	dt_ballot b = DT_BALLOT_INIT;
	const char *answers[] = { answer };

	b.deputy = code;
	b.channel = "online";
	b.answers = answers;
	b.nanswers = 1;
	assert_int_equal(dt_survey_vote(f->ctx, survey, &b), DT_OK);
}

/* Three deputies; the figures each step adds are in the comments. */
static void year(fixture *f)
{
	dt_import_result r;
	dt_department d = DT_DEPARTMENT_INIT;
	dt_case_new c = DT_CASE_NEW_INIT;
	dt_case_act a = DT_CASE_ACT_INIT;
	dt_survey s = DT_SURVEY_INIT;
	const char *items[] = { "答复是否满意" };
	int64_t march, nov, hearing, cancelled, id, comment, survey;

	assert_int_equal(test_import(f, "code,name,delegation\nRZ0001,甲<一>&,东港\nRZ0002,乙二,东港\nRZ0003,丙三,岚山\n",
	                             0, &r),
	                 DT_OK);
	d.code = "ZJJ";
	d.name = "住建局";
	assert_int_equal(dt_department_add(f->ctx, &d), DT_OK);
	assert_int_equal(dt_route_set(f->ctx, "道路", "ZJJ"), DT_OK);

	/* March: a meeting, RZ0001 on site and RZ0002 online, RZ0003 excused */
	march = event(f, "meeting", "2026-03-10 09:00", "2026-03-10 11:00");
	assert_int_equal(dt_attendance_record(f->ctx, march, "RZ0001", "onsite"), DT_OK);
	assert_int_equal(dt_attendance_record(f->ctx, march, "RZ0002", "online"), DT_OK);
	assert_int_equal(dt_attendance_record(f->ctx, march, "RZ0003", "excused"), DT_OK);
	/* November: an inquiry with two online and three comments */
	nov = event(f, "inquiry", "2026-11-10 09:00", "2026-11-10 11:00");
	assert_int_equal(dt_attendance_record(f->ctx, nov, "RZ0001", "online"), DT_OK);
	assert_int_equal(dt_attendance_record(f->ctx, nov, "RZ0003", "online"), DT_OK);
	assert_int_equal(dt_comment_post(f->ctx, nov, "RZ0001", "意见一", NULL), DT_OK);
	assert_int_equal(dt_comment_post(f->ctx, nov, "RZ0001", "意见二", NULL), DT_OK);
	assert_int_equal(dt_comment_post(f->ctx, nov, "RZ0003", "意见三", NULL), DT_OK);
	/* a hearing with two messages, one of them hidden: one counts */
	hearing = event(f, "hearing", "2026-11-12 09:00", "2026-11-12 11:00");
	assert_int_equal(dt_attendance_record(f->ctx, hearing, "RZ0002", "online"), DT_OK);
	assert_int_equal(dt_comment_post(f->ctx, hearing, "RZ0002", "留言", NULL), DT_OK);
	assert_int_equal(dt_comment_post(f->ctx, hearing, "RZ0002", "广告", &comment), DT_OK);
	assert_int_equal(dt_comment_hide(f->ctx, comment, "广告"), DT_OK);
	/* a cancelled training counts nowhere */
	cancelled = event(f, "training", "2026-11-20 09:00", "2026-11-20 11:00");
	assert_int_equal(dt_event_cancel(f->ctx, cancelled, "改期"), DT_OK);
	/* learning: two sessions, 30 + 45 minutes */
	assert_int_equal(dt_learning_record(f->ctx, "RZ0001", 0, 0, 30, at(f, "2026-11-01 20:00")), DT_OK);
	assert_int_equal(dt_learning_record(f->ctx, "RZ0002", 0, 0, 45, at(f, "2026-11-02 20:00")), DT_OK);

	/* cases: a suggestion closed satisfied, one still assigned; a request
	 * handled and fed back, one not yet taken */
	c.deputy = "RZ0001";
	c.title = "井盖缺失";
	c.text = "某路口井盖缺失";
	c.category = "道路";
	assert_int_equal(dt_case_file_suggestion(f->ctx, &c, &id), DT_OK);
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_ACCEPT, &a), DT_OK);
	a.note = "已修复";
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_ANSWER, &a), DT_OK);
	a.deputy = "RZ0001";
	a.rating = "满意";
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_RATE, &a), DT_OK);
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_CLOSE, &a), DT_OK);
	assert_int_equal(dt_case_file_suggestion(f->ctx, &c, &id), DT_OK);
	c = (dt_case_new)DT_CASE_NEW_INIT;
	c.deputy = "RZ0002";
	c.text = "路灯不亮";
	c.citizen = "王五";
	c.phone = "13800001234";
	assert_int_equal(dt_case_submit_request(f->ctx, &c, &id, NULL), DT_OK);
	a = (dt_case_act)DT_CASE_ACT_INIT;
	a.deputy = "RZ0002";
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_TAKE, &a), DT_OK);
	a.note = "已修好";
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_RESOLVE, &a), DT_OK);
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_ANSWER, &a), DT_OK);
	assert_int_equal(dt_case_submit_request(f->ctx, &c, &id, NULL), DT_OK);

	/* a survey of all three: two ballots, one satisfied */
	s.title = "住建局满意度";
	s.subject = "department:ZJJ";
	s.items = items;
	s.nitems = 1;
	assert_int_equal(dt_survey_create(f->ctx, &s, &survey), DT_OK);
	assert_int_equal(dt_survey_open(f->ctx, survey), DT_OK);
	vote(f, survey, "RZ0001", "1=满意");
	vote(f, survey, "RZ0003", "1=不满意");
	assert_int_equal(dt_survey_close(f->ctx, survey), DT_OK);
}

static void report(fixture *f, const char *period)
{
	int64_t from, to;
	dt_writer *w = test_writer(f, DT_FORMAT_CSV, 0);

	assert_int_equal(dt_period_parse(f->ctx, period, &from, &to), DT_OK);
	assert_int_equal(dt_report(f->ctx, from, to, w), DT_OK);
	dt_writer_free(w);
}

static void test_year_counted_by_hand(void **state)
{
	fixture *f = *state;

	year(f);
	report(f, "2026");
	assert_non_null(strstr(f->out, "section,metric,label,value\r\n"));
	assert_true(figure(f, "deputies", "serving") == 3);
	assert_true(figure(f, "deputies", "with_code") == 3);
	assert_true(figure(f, "deputies", "with_qr") == 0);
	assert_true(figure(f, "requests", "received") == 2);
	assert_true(figure(f, "requests", "answered") == 1);
	assert_true(figure(f, "requests", "now_fed_back") == 1);
	assert_true(figure(f, "requests", "now_submitted") == 1);
	assert_true(figure(f, "requests", "reached_taken") == 1);
	assert_true(figure(f, "requests", "reached_resolved") == 1);
	assert_true(figure(f, "requests", "reached_closed") == 0);
	assert_true(figure(f, "suggestions", "received") == 2);
	assert_true(figure(f, "suggestions", "reached_assigned") == 2);
	assert_true(figure(f, "suggestions", "reached_closed") == 1);
	assert_true(figure(f, "suggestions", "now_assigned") == 1);
	assert_true(figure(f, "suggestions", "answered_on_time") == 1);
	assert_true(figure(f, "suggestions", "on_time_rate") == 1);
	assert_true(figure(f, "suggestions", "rated") == 1);
	assert_true(figure(f, "suggestions", "satisfaction_rate") == 1);
	assert_null(strstr(f->out, "requests,satisfaction_rate")); /* requests are not rated */
	assert_true(figure(f, "events", "meeting_sessions") == 1);
	assert_true(figure(f, "events", "meeting_person_times") == 2);
	assert_true(figure(f, "events", "meeting_online") == 1);
	assert_true(figure(f, "events", "inquiry_online") == 2);
	assert_true(figure(f, "events", "inquiry_comments") == 3);
	assert_true(figure(f, "events", "hearing_person_times") == 1);
	assert_true(figure(f, "events", "hearing_comments") == 1);
	assert_true(figure(f, "events", "training_sessions") == 0);
	assert_true(figure(f, "events", "all_sessions") == 3);
	assert_true(figure(f, "events", "all_person_times") == 5);
	assert_true(figure(f, "events", "all_online") == 4);
	assert_true(figure(f, "events", "all_comments") == 4);
	assert_true(figure(f, "months", "2026-03") == 2);
	assert_true(figure(f, "months", "2026-03_online") == 1);
	assert_true(figure(f, "months", "2026-11") == 3);
	assert_true(figure(f, "months", "2026-12") == 0);
	assert_true(figure(f, "learning", "person_times") == 2);
	assert_true(figure(f, "learning", "minutes") == 75);
	assert_true(figure(f, "surveys", "closed") == 1);
	assert_true(figure(f, "surveys", "eligible") == 3);
	assert_true(figure(f, "surveys", "ballots") == 2);
	assert_true(figure(f, "surveys", "satisfaction_rate") == 0.5);
	assert_true(figure(f, "ranking", "ranked") == 3);
	assert_non_null(strstr(f->out, "ranking,top_1,"));
	assert_non_null(strstr(f->out, "ranking,top_3,"));
	assert_true(figure(f, "reminders", "sent") == 0);
}

static void test_month_and_empty_rates(void **state)
{
	fixture *f = *state;
	int64_t from, to;
	dt_writer *w;

	year(f);
	report(f, "2026-03");
	assert_true(figure(f, "events", "all_person_times") == 2);
	assert_true(figure(f, "events", "inquiry_comments") == 0);
	assert_true(figure(f, "suggestions", "received") == 0);
	assert_true(figure(f, "suggestions", "on_time_rate") == -1); /* nothing to rate: empty */
	assert_true(figure(f, "surveys", "turnout_rate") == -1);
	assert_null(strstr(f->out, "months,2026-04"));
	/* event-stats counts the same way */
	assert_int_equal(dt_period_parse(f->ctx, "2026", &from, &to), DT_OK);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_event_period_stats(f->ctx, from, to, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "\nmeeting,1,2,"));
	assert_non_null(strstr(f->out, "\ninquiry,1,2,2,3,"));
	assert_non_null(strstr(f->out, "\nhearing,1,1,1,1,"));
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_report(f->ctx, to, from, w), DT_EUSAGE);
	dt_writer_free(w);
}

static void test_html_page(void **state)
{
	fixture *f = *state;
	int64_t from, to;
	char path[160];
	struct stat sb;
	FILE *in;
	static char page[1 << 20];
	size_t n;

	year(f);
	assert_int_equal(dt_period_parse(f->ctx, "2026", &from, &to), DT_OK);
	snprintf(path, sizeof(path), "%s/report.html", f->dir);
	assert_int_equal(dt_report_html(f->ctx, "2026<年>", from, to, path), DT_OK);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0644);
	in = fopen(path, "r");
	assert_non_null(in);
	n = fread(page, 1, sizeof(page) - 1, in);
	fclose(in);
	page[n] = '\0';
	/* what came from outside is escaped; three charts; nothing fetched */
	assert_non_null(strstr(page, "2026&lt;年&gt;"));
	assert_non_null(strstr(page, "甲&lt;一&gt;&amp;"));
	assert_null(strstr(page, "甲<一>"));
	assert_non_null(strstr(page, "aria-label=\"出席人次按月\""));
	assert_non_null(strstr(page, "aria-label=\"微建议办理漏斗\""));
	assert_non_null(strstr(page, "aria-label=\"前十名\""));
	assert_null(strstr(page, "<script"));
	assert_null(strstr(page, "http://"));
	assert_null(strstr(page, "https://"));
	assert_null(strstr(page, "src="));
	assert_non_null(strstr(page, "</html>"));
	/* a directory that does not exist: an error, no page */
	snprintf(path, sizeof(path), "%s/missing/report.html", f->dir);
	assert_int_not_equal(dt_report_html(f->ctx, "2026", from, to, path), DT_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_year_counted_by_hand),
		TEST(test_month_and_empty_rates),
		TEST(test_html_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
