/*
 * Surveys: definition and its refusals, the life of a survey, ballots one
 * by one and in batches, secrecy against the schema, results by hand count.
 */
#include <sqlite3.h>
#include "testutil.h"

static void roster(fixture *f)
{
	dt_import_result r;
	dt_department d = DT_DEPARTMENT_INIT;

	assert_int_equal(test_import(f, "code,name,delegation\nRZ0001,张三,甲\nRZ0002,李四,乙\nRZ0003,王五,甲\nRZ0004,赵六,甲\n",
	                             0, &r),
	                 DT_OK);
	d.code = "ZJJ";
	d.name = "住建局";
	assert_int_equal(dt_department_add(f->ctx, &d), DT_OK);
}

static int64_t survey(fixture *f, int secret, int live, const char *eligible)
{
	static const char *const items[] = { "办理态度", "办理结果" };
	dt_survey s = DT_SURVEY_INIT;
	int64_t id = 0;

	s.title = "住建局办理情况满意度测评";
	s.subject = "department:ZJJ";
	s.items = items;
	s.nitems = 2;
	s.secret = secret;
	s.live_results = live;
	s.eligible = eligible;
	assert_int_equal(dt_survey_create(f->ctx, &s, &id), DT_OK);
	return id;
}

static int vote(fixture *f, int64_t id, const char *code, const char *a1, const char *a2)
{
	const char *answers[2];
	dt_ballot b = DT_BALLOT_INIT;
	size_t n = 0;

	if (a1)
		answers[n++] = a1;
	if (a2)
		answers[n++] = a2;
	b.deputy = code;
	b.answers = answers;
	b.nanswers = n;
	return dt_survey_vote(f->ctx, id, &b);
}

static int batch(fixture *f, int64_t id, const char *csv, uint64_t *count)
{
	FILE *in = fmemopen((void *)csv, strlen(csv), "r");
	int rc;

	f->diag[0] = '\0';
	rc = dt_survey_vote_import(f->ctx, id, in, "ballots.csv", NULL, NULL, count);
	fclose(in);
	return rc;
}

static const char *results(fixture *f, int64_t id, dt_format fmt, int *closed)
{
	dt_writer *w = test_writer(f, fmt, 0);

	assert_int_equal(dt_survey_results(f->ctx, id, w, closed), DT_OK);
	dt_writer_free(w);
	return f->out;
}

static void test_create_refusals(void **state)
{
	fixture *f = *state;
	static const char *const items[] = { "问题" };
	dt_survey s = DT_SURVEY_INIT;
	int64_t id;

	roster(f);
	s.title = "测评";
	s.items = items;
	s.nitems = 1;
	s.subject = "department:NOPE";
	assert_int_equal(dt_survey_create(f->ctx, &s, &id), DT_ENOTFOUND);
	s.subject = "case:7";
	assert_int_equal(dt_survey_create(f->ctx, &s, &id), DT_ENOTFOUND);
	s.subject = "planet:mars";
	assert_int_equal(dt_survey_create(f->ctx, &s, &id), DT_EUSAGE);
	s.subject = "text:询问会";
	s.scale = "score10";
	assert_int_equal(dt_survey_create(f->ctx, &s, &id), DT_EUSAGE);
	s.scale = "score5";
	s.eligible = "friends";
	assert_int_equal(dt_survey_create(f->ctx, &s, &id), DT_EUSAGE);
	s.eligible = NULL;
	s.nitems = 0;
	assert_int_equal(dt_survey_create(f->ctx, &s, &id), DT_EUSAGE);
	s.nitems = 1;
	assert_int_equal(dt_survey_create(f->ctx, &s, &id), DT_OK);
}

static void test_definition_file(void **state)
{
	fixture *f = *state;
	const char *def = "# 专题询问的测评\ntitle: 对询问答复的满意度\nsubject = department:ZJJ\nitem: 答复是否清楚\n"
	                  "item: 措施是否可行\nsecret: yes\neligible: delegation:甲\n";
	const char *bad = "title: x\nsubject: department:ZJJ\ncolour: red\n";
	FILE *in;
	int64_t id = 0;

	roster(f);
	in = fmemopen((void *)def, strlen(def), "r");
	assert_int_equal(dt_survey_create_from(f->ctx, in, "s.txt", &id), DT_OK);
	fclose(in);
	assert_int_equal(dt_survey_open(f->ctx, id), DT_OK);
	assert_int_equal(vote(f, id, "RZ0002", "1=满意", NULL), DT_EUSAGE); /* delegation 乙 */
	assert_int_equal(vote(f, id, "RZ0001", "1=满意", "2=不满意"), DT_OK);
	in = fmemopen((void *)bad, strlen(bad), "r");
	assert_int_equal(dt_survey_create_from(f->ctx, in, "bad.txt", &id), DT_EDATA);
	fclose(in);
	assert_non_null(strstr(dt_errmsg(f->ctx), "bad.txt:3: unknown key 'colour'"));
}

static void test_life_and_refusals(void **state)
{
	fixture *f = *state;
	int64_t id;

	roster(f);
	id = survey(f, 0, 0, NULL);
	assert_int_equal(vote(f, id, "RZ0001", "1=满意", NULL), DT_ESTATE);   /* a draft */
	assert_int_equal(dt_survey_close(f->ctx, id), DT_ESTATE);
	assert_int_equal(dt_survey_open(f->ctx, id), DT_OK);
	assert_int_equal(dt_survey_open(f->ctx, id), DT_ESTATE);
	/* added after the survey opened: not eligible */
	{
		dt_deputy_fields d = { 0 };
		char *code = NULL;

		d.value[DT_DEPUTY_NAME] = "新代表";
		assert_int_equal(dt_deputy_add(f->ctx, &d, &code), DT_OK);
		assert_int_equal(vote(f, id, code, "1=满意", NULL), DT_EUSAGE);
		free(code);
	}
	assert_int_equal(vote(f, id, "RZ0001", "1=满意", "2=basic"), DT_OK);
	assert_int_equal(vote(f, id, "RZ0001", "1=满意", NULL), DT_EEXISTS);
	assert_int_equal(vote(f, id, "RZ0002", "3=满意", NULL), DT_EDATA);
	assert_int_equal(vote(f, id, "RZ0002", "1=很好", NULL), DT_EDATA);
	assert_int_equal(vote(f, id, "RZ0002", "1=满意", "1=不满意"), DT_EDATA);
	assert_int_equal(vote(f, id, "RZ0002", "满意", NULL), DT_EDATA);
	assert_int_equal(vote(f, id, "RZ0002", NULL, NULL), DT_EDATA);
	assert_int_equal(vote(f, id, "RZ0404", "1=满意", NULL), DT_ENOTFOUND);
	assert_int_equal(dt_survey_close(f->ctx, id), DT_OK);
	assert_int_equal(vote(f, id, "RZ0002", "1=满意", NULL), DT_ESTATE);
}

static void test_batch_all_or_nothing(void **state)
{
	fixture *f = *state;
	uint64_t n = 0;
	int64_t id;

	roster(f);
	id = survey(f, 0, 1, NULL);
	assert_int_equal(dt_survey_open(f->ctx, id), DT_OK);
	assert_int_equal(vote(f, id, "RZ0004", "1=满意", NULL), DT_OK);
	assert_int_equal(batch(f, id,
	                       "代表编号,1,2\n"
	                       "RZ0001,满意,不满意\n"
	                       "RZ0001,满意,满意\n"     /* a second ballot in the same batch */
	                       "RZ0004,满意,满意\n"     /* voted online already */
	                       "RZ0002,好,满意\n"
	                       "RZ0003,,\n",
	                       &n),
	                 DT_EDATA);
	assert_non_null(strstr(f->diag, "ballots.csv:3: column 'code': deputy RZ0001 has voted in survey 1 already"));
	assert_non_null(strstr(f->diag, "ballots.csv:4: column 'code': deputy RZ0004 has voted"));
	assert_non_null(strstr(f->diag, "ballots.csv:5: column 'answer': '好' is not a choice"));
	assert_non_null(strstr(f->diag, "ballots.csv:6: column 'answer': the ballot answers no question"));
	assert_null(strstr(f->diag, "ballots.csv:2:"));
	assert_non_null(strstr(results(f, id, DT_FORMAT_CSV, NULL), ",1,4,0.25,1,0,")); /* only the online one */
	assert_int_equal(batch(f, id, "code,1,q3\nRZ0001,满意,满意\n", &n), DT_EDATA);
	assert_non_null(strstr(f->diag, "column 'q3' is not code, channel or a question"));
	assert_int_equal(batch(f, id, "code,第1题,item2,channel\nRZ0001,满意,满意,\nRZ0002,不满意,,online\n", &n), DT_OK);
	assert_int_equal(n, 2);
}

/* Hand count: 4 eligible; ballots 满意/满意, 基本满意/不满意, 不满意/(blank). */
static void test_results_by_hand_count_and_hidden_while_open(void **state)
{
	fixture *f = *state;
	uint64_t n;
	int closed = 1;
	int64_t id;

	roster(f);
	id = survey(f, 0, 0, NULL);
	assert_int_equal(dt_survey_open(f->ctx, id), DT_OK);
	assert_int_equal(vote(f, id, "RZ0001", "1=满意", "2=满意"), DT_OK);
	assert_int_equal(batch(f, id, "code,1,2\nRZ0002,基本满意,不满意\nRZ0003,不满意,\n", &n), DT_OK);
	/* open: turnout only */
	assert_string_equal(results(f, id, DT_FORMAT_JSONL, &closed),
	                    "{\"item\":1,\"question\":\"办理态度\",\"counts\":null,\"valid\":null,\"ballots\":3,"
	                    "\"eligible\":4,\"turnout\":0.75,\"online\":1,\"onsite\":2,\"satisfaction_rate\":null,"
	                    "\"state\":\"open\",\"title\":\"住建局办理情况满意度测评\"}\n"
	                    "{\"item\":2,\"question\":\"办理结果\",\"counts\":null,\"valid\":null,\"ballots\":3,"
	                    "\"eligible\":4,\"turnout\":0.75,\"online\":1,\"onsite\":2,\"satisfaction_rate\":null,"
	                    "\"state\":\"open\",\"title\":\"住建局办理情况满意度测评\"}\n");
	assert_int_equal(closed, 0);
	assert_int_equal(dt_survey_close(f->ctx, id), DT_OK);
	assert_string_equal(results(f, id, DT_FORMAT_CSV, &closed),
	                    "item,question,满意,基本满意,不满意,valid,ballots,eligible,turnout,online,onsite,"
	                    "satisfaction_rate,state,title\r\n"
	                    "1,办理态度,1,1,1,3,3,4,0.75,1,2,0.6666666666666666,closed,住建局办理情况满意度测评\r\n"
	                    "2,办理结果,1,0,1,2,3,4,0.75,1,2,0.5,closed,住建局办理情况满意度测评\r\n");
	assert_int_equal(closed, 1);
	assert_non_null(strstr(results(f, id, DT_FORMAT_JSON, NULL), "\"counts\":{\"满意\":1,\"基本满意\":1,\"不满意\":1}"));
}

static int64_t query_int(fixture *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t n;

	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* Secrecy against the schema: no column of the ballot tables names a
 * deputy or a time, they have no rowid, voters keep no channel or time,
 * and the stored order of ballots is not the order they were cast in. */
static void test_secret_ballots_cannot_be_tied_to_deputies(void **state)
{
	fixture *f = *state;
	dt_import_result r;
	char csv[4096] = "code,name\n", first[64];
	int64_t id;
	int same_order = 1;

	for (int i = 1; i <= 30; i++)
		snprintf(csv + strlen(csv), sizeof(csv) - strlen(csv), "S%03d,代表%d\n", i, i);
	roster(f);
	assert_int_equal(test_import(f, csv, 0, &r), DT_OK);
	id = survey(f, 1, 0, NULL);
	assert_int_equal(dt_survey_open(f->ctx, id), DT_OK);
	/* cast in code order, each with a choice that says who it was: 满意 for odd, 不满意 for even */
	for (int i = 1; i <= 30; i++) {
		char code[8];

		snprintf(code, sizeof(code), "S%03d", i);
		dt_ctx_set_now(f->ctx, dt_ctx_now(f->ctx) + 60);
		assert_int_equal(vote(f, id, code, i % 2 ? "1=满意" : "1=不满意", NULL), DT_OK);
	}
	assert_int_equal(query_int(f, "SELECT count(*) FROM pragma_table_info('ballot') WHERE name LIKE '%deputy%'"
	                              " OR name LIKE '%_at' OR name LIKE '%time%'"), 1); /* deputy_id, always NULL: */
	assert_int_equal(query_int(f, "SELECT count(*) FROM ballot WHERE deputy_id IS NOT NULL"), 0);
	assert_int_equal(query_int(f, "SELECT count(*) FROM pragma_table_info('ballot_answer') WHERE name LIKE '%deputy%'"
	                              " OR name LIKE '%_at' OR name LIKE '%time%'"), 0);
	assert_int_equal(query_int(f, "SELECT count(*) FROM survey_voter WHERE channel IS NOT NULL OR voted_at IS NOT NULL"),
	                 0);
	assert_int_equal(query_int(f, "SELECT count(*) FROM sqlite_schema WHERE name IN ('ballot', 'ballot_answer')"
	                              " AND sql LIKE '%WITHOUT ROWID%'"), 2);
	/* the duty records all carry the survey's opening time */
	assert_int_equal(query_int(f, "SELECT count(DISTINCT occurred_at) FROM duty_record WHERE kind = 'ballot_cast'"), 1);
	/* stored order: by the random key; the choices in that order are not odd/even alternating */
	{
		sqlite3 *db;
		sqlite3_stmt *st;
		int i = 1;

		assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT choice FROM ballot_answer", -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *c = (const char *)sqlite3_column_text(st, 0);

			if (i == 1)
				snprintf(first, sizeof(first), "%s", c);
			same_order = same_order && !strcmp(c, i % 2 ? "满意" : "不满意");
			i++;
		}
		sqlite3_finalize(st);
		sqlite3_close(db);
		assert_int_equal(i, 31);
	}
	assert_false(same_order); /* by chance 1 in 2^30 */
}

static void test_survey_feeds_department_satisfaction(void **state)
{
	fixture *f = *state;
	dt_writer *w;
	int64_t id;

	roster(f);
	id = survey(f, 0, 0, NULL);
	assert_int_equal(dt_survey_open(f->ctx, id), DT_OK);
	assert_int_equal(vote(f, id, "RZ0001", "1=满意", "2=不满意"), DT_OK);
	assert_int_equal(vote(f, id, "RZ0002", "1=基本满意", "2=满意"), DT_OK);
	assert_int_equal(dt_survey_close(f->ctx, id), DT_OK);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_case_stats(f->ctx, 0, INT64_MAX, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "department,ZJJ,0,0,,,0.75\r\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_create_refusals),
		TEST(test_definition_file),
		TEST(test_life_and_refusals),
		TEST(test_batch_all_or_nothing),
		TEST(test_results_by_hand_count_and_hidden_while_open),
		TEST(test_secret_ballots_cannot_be_tied_to_deputies),
		TEST(test_survey_feeds_department_satisfaction),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
