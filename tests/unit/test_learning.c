/*
 * Learning: articles and the sessions deputies spend on them or on events
 * watched again, by hand and from the e-learning platform's log.
 */
#include "testutil.h"

static void setup_roster(fixture *f)
{
	dt_import_result r;

	assert_int_equal(test_import(f, "code,name\nRZ0001,张三\nRZ0002,李四\n", 0, &r), DT_OK);
}

static int import(fixture *f, const char *csv, uint64_t *added)
{
	FILE *in = fmemopen((void *)csv, strlen(csv), "r");
	int rc;

	f->diag[0] = '\0';
	rc = dt_learning_import(f->ctx, in, "learning.csv", NULL, added);
	fclose(in);
	return rc;
}

static void test_articles(void **state)
{
	fixture *f = *state;
	dt_article a = DT_ARTICLE_INIT;
	const char *tags[] = { "法律", "入门" };
	dt_writer *w;
	int64_t id;

	a.title = "代表法解读";
	a.url = "https://example.com/law";
	a.tags = tags;
	a.ntags = 2;
	assert_int_equal(dt_article_add(f->ctx, &a, &id), DT_OK);
	a.body = "正文";
	assert_int_equal(dt_article_add(f->ctx, &a, &id), DT_EUSAGE); /* both */
	a.url = NULL;
	a.tags = NULL;
	a.ntags = 0;
	a.title = "履职指南";
	assert_int_equal(dt_article_add(f->ctx, &a, &id), DT_OK);
	a.body = NULL;
	a.url = "ftp://example.com/x";
	assert_int_equal(dt_article_add(f->ctx, &a, &id), DT_EUSAGE);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_article_list(f->ctx, "法律", w), DT_OK);
	dt_writer_free(w);
	assert_string_equal(f->out, "id,title,url,tags,created_at,readers,minutes\r\n"
	                            "1,代表法解读,https://example.com/law,\"入门,法律\",2026-11-28T09:00:00+08:00,0,0\r\n");
}

static void test_sessions_by_hand_and_from_the_log(void **state)
{
	fixture *f = *state;
	dt_article a = DT_ARTICLE_INIT;
	dt_writer *w;
	uint64_t added = 9;
	int64_t t;

	setup_roster(f);
	a.title = "代表法解读";
	a.url = "https://example.com/law";
	assert_int_equal(dt_article_add(f->ctx, &a, NULL), DT_OK);
	assert_int_equal(dt_time_parse_local(f->ctx, "2026-11-27 20:00", &t), DT_OK);
	assert_int_equal(dt_learning_record(f->ctx, "RZ0001", 1, 0, 20, t), DT_OK);
	assert_int_equal(dt_learning_record(f->ctx, "RZ0001", 1, 0, 20, t), DT_EEXISTS);
	assert_int_equal(dt_learning_record(f->ctx, "RZ0001", 1, 0, 0, t), DT_EDATA);
	assert_int_equal(dt_learning_record(f->ctx, "RZ0001", 7, 0, 10, t), DT_ENOTFOUND);
	assert_int_equal(dt_learning_record(f->ctx, "RZ0001", 1, 0, 10, t + 86400), DT_EDATA); /* the future */
	assert_int_equal(dt_learning_record(f->ctx, "RZ0001", 1, 1, 10, t), DT_EUSAGE);
	assert_int_equal(import(f,
	                        "代表编号,分钟,时间,文章\n"
	                        "RZ0002,15,2026-11-26 10:00,1\n"
	                        "RZ0002,5,2026-11-26 11:00,\n",
	                        &added),
	                 DT_OK);
	assert_int_equal(added, 2);
	assert_int_equal(import(f, "code,minutes,time\nRZ0002,5,2026-11-26 11:00\n", &added), DT_OK);
	assert_int_equal(added, 0);
	assert_int_equal(import(f,
	                        "code,minutes,time,article\n"
	                        "RZ0001,30,2026-11-25 10:00,\n"
	                        "RZ0404,30,2026-11-25 10:00,\n"
	                        "RZ0001,thirty,2026-11-25 10:00,\n"
	                        "RZ0001,30,2026-13-25 10:00,\n"
	                        "RZ0001,30,2026-11-25 10:00,9\n",
	                        &added),
	                 DT_EDATA);
	assert_non_null(strstr(f->diag, "learning.csv:3: column 'code'"));
	assert_non_null(strstr(f->diag, "learning.csv:4: column 'minutes'"));
	assert_non_null(strstr(f->diag, "learning.csv:5: column 'time'"));
	assert_non_null(strstr(f->diag, "learning.csv:6: column 'article'"));
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_article_list(f->ctx, NULL, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, ",2,35\r\n")); /* two readers, 20 + 15 minutes */
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_archive_list(f->ctx, "RZ0002", 0, INT64_MAX, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "RZ0002,learning,2026-11-26T10:00:00+08:00,15,minute,learning:2\r\n"));
	assert_non_null(strstr(f->out, "RZ0002,learning,2026-11-26T11:00:00+08:00,5,minute,learning:3\r\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_articles),
		TEST(test_sessions_by_hand_and_from_the_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
