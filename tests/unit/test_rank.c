/*
 * Ranking: rules and their refusals, a hand-built month with caps,
 * negative points, ties, a deputy without records and a newcomer, the
 * explanation against the ranking, saved rankings across rule changes,
 * and reminders once per period.
 */
#include <sqlite3.h>
#include "testutil.h"

static const char *RULES = "kind,category,points,per,cap\n"
                           "meeting_onsite,meetings,10,event,\n"
                           "meeting_absent,meetings,-5,event,\n"
                           "comment_posted,meetings,1,item,3\n"
                           "learning,learning,2,hour,5\n";

static int load_rules(fixture *f, const char *csv, int64_t *version)
{
	FILE *in = fmemopen((void *)csv, strlen(csv), "r");
	int rc;

	f->diag[0] = '\0';
	rc = dt_rules_load(f->ctx, in, "rules.csv", version);
	fclose(in);
	return rc;
}

/* Records straight into the archive: deputy code, kind, local day, quantity, count. */
static void records(fixture *f, const char *code, const char *kind, const char *day, double quantity, int count)
{
	static int serial;
	sqlite3 *db;
	char sql[512];

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	for (int i = 0; i < count; i++) {
		snprintf(sql, sizeof(sql),
		         "INSERT INTO duty_record(deputy_id, kind, occurred_at, quantity, unit, ref)"
		         " SELECT id, '%s', CAST(strftime('%%s', '%s 04:00:00') AS INTEGER), %g, 'item', 'test:%d'"
		         " FROM deputy WHERE code = '%s'",
		         kind, day, quantity, ++serial, code);
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	}
	sqlite3_close(db);
}

static dt_rank_options november(fixture *f)
{
	dt_rank_options o = DT_RANK_OPTIONS_INIT;

	assert_int_equal(dt_period_parse(f->ctx, "2026-11", &o.from, &o.to), DT_OK);
	o.period = "2026-11";
	return o;
}

/* A 26, B 25, C 25, E 0, D -10 (see each line). */
static void month(fixture *f)
{
	dt_import_result r;
	int64_t version;

	assert_int_equal(test_import(f,
	                             "code,name,delegation,email\nRZ0001,甲一,甲,a@example.cn\nRZ0002,甲二,甲,b@example.cn\n"
	                             "RZ0003,乙一,乙,c@example.cn\nRZ0004,乙二,乙,d@example.cn\nRZ0005,乙三,乙,e@example.cn\n",
	                             0, &r),
	                 DT_OK);
	assert_int_equal(load_rules(f, RULES, &version), DT_OK);
	assert_int_equal(version, 2);
	records(f, "RZ0001", "meeting_onsite", "2026-11-03", 120, 2); /* 20 */
	records(f, "RZ0001", "comment_posted", "2026-11-03", 1, 5);   /* 5, capped at 3 */
	records(f, "RZ0001", "learning", "2026-11-04", 90, 1);        /* 1.5 h: 3 */
	records(f, "RZ0001", "meeting_onsite", "2026-10-30", 120, 3); /* October: not counted */
	records(f, "RZ0001", "request_taken", "2026-11-05", 1, 4);    /* no rule: nothing */
	records(f, "RZ0002", "meeting_onsite", "2026-11-03", 120, 2); /* 20 */
	records(f, "RZ0002", "learning", "2026-11-04", 240, 1);       /* 4 h: 8, capped at 5 */
	records(f, "RZ0003", "meeting_onsite", "2026-11-03", 120, 2); /* 20 */
	records(f, "RZ0003", "comment_posted", "2026-11-03", 1, 5);   /* 3 */
	records(f, "RZ0003", "learning", "2026-11-04", 60, 1);        /* 2 */
	records(f, "RZ0004", "meeting_absent", "2026-11-03", 0, 2);   /* -10 */
}

static void test_rules_and_refusals(void **state)
{
	fixture *f = *state;
	dt_writer *w;
	int64_t version = 0;

	/* the default rules cover every kind of duty record */
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_rules_show(f->ctx, 1, w), DT_OK);
	dt_writer_free(w);
	for (size_t i = 0; i < dt_archive_kind_count(); i++) {
		char line[64];

		snprintf(line, sizeof(line), "\n%s,", dt_archive_kind_name(i));
		assert_non_null(strstr(f->out, line));
	}
	assert_int_equal(load_rules(f,
	                            "kind,category,points,per,cap\n"
	                            "meeting_onsite,meetings,10,event,\n"
	                            "dancing,fun,1,item,\n"
	                            "meeting_online,meetings,eight,event,\n"
	                            "meeting_onsite,meetings,10,event,\n"
	                            "comment_posted,meetings,1,hour,\n"
	                            "learning,learning,1,hour,-3\n"
	                            "ballot_cast,surveys,1,fortnight,\n",
	                            &version),
	                 DT_EDATA);
	assert_non_null(strstr(f->diag, "rules.csv:3: column 'kind': 'dancing' is not a kind"));
	assert_non_null(strstr(f->diag, "rules.csv:4: column 'points': 'eight' is not a number"));
	assert_non_null(strstr(f->diag, "rules.csv:5: column 'kind': meeting_onsite has a rule already"));
	assert_non_null(strstr(f->diag, "rules.csv:6: column 'per': comment_posted is counted in items"));
	assert_non_null(strstr(f->diag, "rules.csv:7: column 'cap'"));
	assert_non_null(strstr(f->diag, "rules.csv:8: column 'per'"));
	assert_null(strstr(f->diag, "rules.csv:2:"));
	assert_int_equal(load_rules(f, "kind,category,points,per,cap\n", &version), DT_EDATA);
	/* nothing was stored: the newest version is still the default */
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_rules_show(f->ctx, 0, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, ",1\r\n"));
	assert_null(strstr(f->out, ",2\r\n"));
	assert_int_equal(dt_rules_show(f->ctx, 9, w = test_writer(f, DT_FORMAT_CSV, 0)), DT_ENOTFOUND);
	dt_writer_free(w);
}

/* Found by tests/fuzz (corpus/rules/crash-category-named-like-a-column):
 * a category is a column of the ranking, so one called "code" or "total"
 * gave JSON rows (and leaderboard.json) that key twice. */
static void test_category_is_not_a_column_of_the_ranking(void **state)
{
	fixture *f = *state;
	int64_t version = 0;

	assert_int_equal(load_rules(f,
	                            "kind,category,points,per,cap\n"
	                            "meeting_onsite,code,10,event,\n"
	                            "meeting_online,Total,8,event,\n"
	                            "learning,学习,1,hour,\n",
	                            &version),
	                 DT_EDATA);
	assert_non_null(strstr(f->diag, "rules.csv:2: column 'category': 'code' is a column of the ranking"));
	assert_non_null(strstr(f->diag, "rules.csv:3: column 'category': 'Total' is a column of the ranking"));
	assert_null(strstr(f->diag, "rules.csv:4:"));
	assert_int_equal(load_rules(f, "kind,category,points,per,cap\nmeeting_onsite,codes,10,event,\n", &version),
	                 DT_OK);
}

static void test_periods(void **state)
{
	fixture *f = *state;
	int64_t a, b;

	assert_int_equal(dt_period_parse(f->ctx, "2026-Q4", &a, &b), DT_OK);
	assert_int_equal(b - a, 92 * 86400);
	assert_int_equal(dt_period_parse(f->ctx, "2026", &a, &b), DT_OK);
	assert_int_equal(b - a, 365 * 86400);
	assert_int_equal(dt_period_parse(f->ctx, "2026-02", &a, &b), DT_OK);
	assert_int_equal(b - a, 28 * 86400);
	assert_int_equal(dt_period_parse(f->ctx, "2026-13", &a, &b), DT_EUSAGE);
	assert_int_equal(dt_period_parse(f->ctx, "2026-Q5", &a, &b), DT_EUSAGE);
	assert_int_equal(dt_period_parse(f->ctx, "last month", &a, &b), DT_EUSAGE);
}

static void test_hand_built_month(void **state)
{
	fixture *f = *state;
	dt_rank_options o;
	dt_writer *w;

	month(f);
	o = november(f);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_rank(f->ctx, &o, w), DT_OK);
	dt_writer_free(w);
	assert_string_equal(f->out,
	                    "rank,code,name,delegation,meetings,learning,total,index,served_days,partial,delegation_percentile\r\n"
	                    "1,RZ0001,甲一,甲,23,3,26,100,30,false,100\r\n"
	                    "2,RZ0002,甲二,甲,20,5,25,96.15,30,false,0\r\n"
	                    "2,RZ0003,乙一,乙,23,2,25,96.15,30,false,100\r\n"
	                    "4,RZ0005,乙三,乙,0,0,0,0,30,false,50\r\n"
	                    "5,RZ0004,乙二,乙,-10,0,-10,0,30,false,0\r\n");
	o.top = 2;
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_rank(f->ctx, &o, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "RZ0003"));
	assert_null(strstr(f->out, "RZ0005"));
	o.top = 0;
	o.bottom = 1;
	o.delegation = NULL;
	w = test_writer(f, DT_FORMAT_JSONL, 0);
	assert_int_equal(dt_rank(f->ctx, &o, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "{\"rank\":5,\"code\":\"RZ0004\",\"name\":\"乙二\",\"delegation\":\"乙\",\"meetings\":-10,"
	                               "\"learning\":0,\"total\":-10,\"index\":0"));
	/* under the default rules (version 1) the same records give other points */
	o = november(f);
	o.rules_version = 1;
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_rank(f->ctx, &o, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "rank,code,name,delegation,meetings,hearings,learning,activities,suggestions,surveys"));
}

static void test_newcomer_is_pro_rated(void **state)
{
	fixture *f = *state;
	dt_deputy_fields d = { 0 };
	dt_rank_options o;
	dt_writer *w;
	char *code = NULL;

	month(f);
	d.value[DT_DEPUTY_NAME] = "新人";
	d.value[DT_DEPUTY_DELEGATION] = "甲";
	assert_int_equal(dt_deputy_add(f->ctx, &d, &code), DT_OK); /* on 11-28 at 09:00 */
	records(f, code, "meeting_onsite", "2026-11-29", 120, 1);  /* 10 in 2.625 of 30 days: 114.29 a month */
	o = november(f);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_rank(f->ctx, &o, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, ",新人,甲,10,0,10,100,2.63,true,"));
	/* in October the newcomer was not yet a deputy */
	assert_int_equal(dt_period_parse(f->ctx, "2026-10", &o.from, &o.to), DT_OK);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_rank(f->ctx, &o, w), DT_OK);
	dt_writer_free(w);
	assert_null(strstr(f->out, "新人"));
	assert_non_null(strstr(f->out, "1,RZ0001,甲一,甲,30,0,30,100,31,false"));
	free(code);
}

static void test_explain_sums_equal_the_ranking(void **state)
{
	fixture *f = *state;
	dt_rank_options o;
	dt_writer *w;

	month(f);
	o = november(f);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_rank_explain(f->ctx, &o, "RZ0001", w), DT_OK);
	dt_writer_free(w);
	/* five comments under a cap of 3: the first three count, the last two are cut */
	{
		const char *p = f->out;
		int cut = 0, counted = 0;

		while ((p = strstr(p, ",comment_posted,meetings,")) != NULL) {
			p += 25;
			static const char cap[] = ",1,item,0,cap 3: 0 of 1 points count\r\n", one[] = ",1,item,1,\r\n";

			cut += strncmp(strchr(p, ','), cap, sizeof(cap) - 1) == 0;
			counted += strncmp(strchr(p, ','), one, sizeof(one) - 1) == 0;
		}
		assert_int_equal(cut, 2);
		assert_int_equal(counted, 3);
	}
	assert_non_null(strstr(f->out, "request_taken,,test:"));
	assert_non_null(strstr(f->out, ",,meetings,,,,23,category sum\r\n"));
	assert_non_null(strstr(f->out, ",,learning,,,,3,category sum\r\n"));
	assert_non_null(strstr(f->out, ",,total,,,,26,total\r\n"));
	assert_null(strstr(f->out, "2026-10-30"));
	assert_int_equal(dt_rank_explain(f->ctx, &o, "RZ0404", w = test_writer(f, DT_FORMAT_CSV, 0)), DT_ENOTFOUND);
	dt_writer_free(w);
}

static void test_saved_ranking_survives_rule_changes(void **state)
{
	fixture *f = *state;
	dt_rank_options o;
	dt_writer *w;
	static char before[sizeof(((fixture *)0)->out)];
	int64_t id = 0, version;

	month(f);
	o = november(f);
	assert_int_equal(dt_rank_save(f->ctx, &o, &id), DT_OK);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_rank_saved(f->ctx, id, w), DT_OK);
	dt_writer_free(w);
	snprintf(before, sizeof(before), "%s", f->out);
	assert_non_null(strstr(before, "1,RZ0001,甲一,甲,\"{\"\"meetings\"\":23,\"\"learning\"\":3}\",26,100,30,false,100"));
	/* a new rules version changes neither the saved rows nor the verdict */
	assert_int_equal(load_rules(f, "kind,category,points,per,cap\nmeeting_onsite,meetings,1,event,\n", &version), DT_OK);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_rank_saved(f->ctx, id, w), DT_OK);
	dt_writer_free(w);
	assert_string_equal(f->out, before);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_rank_verify(f->ctx, id, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, ",true\r\n"));
	/* a record added to the month afterwards is noticed */
	records(f, "RZ0005", "meeting_onsite", "2026-11-20", 120, 1);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_rank_verify(f->ctx, id, w), DT_EVERIFY);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, ",false\r\n"));
	assert_int_equal(dt_rank_verify(f->ctx, 99, w = test_writer(f, DT_FORMAT_CSV, 0)), DT_ENOTFOUND);
	dt_writer_free(w);
}

static void test_reminders_once_per_period(void **state)
{
	fixture *f = *state;
	dt_rank_options o;
	dt_writer *w;
	uint64_t queued = 0;

	month(f);
	o = november(f);
	assert_int_equal(dt_rank_remind(f->ctx, &o, 2, 0, &queued), DT_OK);
	assert_int_equal(queued, 2); /* RZ0005 and RZ0004 */
	assert_int_equal(dt_rank_remind(f->ctx, &o, 2, 0, &queued), DT_OK);
	assert_int_equal(queued, 0);
	assert_int_equal(dt_rank_remind(f->ctx, &o, 0, 97, &queued), DT_OK);
	assert_int_equal(queued, 2); /* RZ0002 and RZ0003 at 96.15 */
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_outbox_show(f->ctx, "rank-2026-11:RZ0004", w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "排名第 5 位（共 5 位）"));
	assert_non_null(strstr(f->out, "中位数为 25 分，您还差 35 分"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_rules_and_refusals),
		TEST(test_category_is_not_a_column_of_the_ranking),
		TEST(test_periods),
		TEST(test_hand_built_month),
		TEST(test_newcomer_is_pro_rated),
		TEST(test_explain_sums_equal_the_ranking),
		TEST(test_saved_ranking_survives_rule_changes),
		TEST(test_reminders_once_per_period),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
