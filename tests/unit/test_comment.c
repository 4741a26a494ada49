/*
 * Comments and messages: posting, importing the stream's export (all or
 * nothing, once each), listing and hiding.
 */
#include "testutil.h"

static int64_t setup_event(fixture *f)
{
	dt_import_result r;
	dt_event e = DT_EVENT_INIT;
	int64_t id;

	assert_int_equal(test_import(f, "code,name\nRZ0001,张三\nRZ0002,李四\n", 0, &r), DT_OK);
	e.kind = "inquiry";
	e.title = "专题询问";
	assert_int_equal(dt_time_parse_local(f->ctx, "2026-11-20 09:00", &e.starts_at), DT_OK);
	e.ends_at = e.starts_at + 7200;
	assert_int_equal(dt_event_create(f->ctx, &e, &id), DT_OK);
	return id;
}

static int import(fixture *f, int64_t id, const char *csv, uint64_t *added)
{
	FILE *in = fmemopen((void *)csv, strlen(csv), "r");
	int rc;

	f->diag[0] = '\0';
	rc = dt_comment_import(f->ctx, id, in, "comments.csv", NULL, added);
	fclose(in);
	return rc;
}

static const char *list(fixture *f, int64_t id, int all)
{
	dt_writer *w = test_writer(f, DT_FORMAT_CSV, 0);

	assert_int_equal(dt_comment_list(f->ctx, id, all, w), DT_OK);
	dt_writer_free(w);
	return f->out;
}

static void test_post_and_refusals(void **state)
{
	fixture *f = *state;
	int64_t id = setup_event(f), c;
	dt_event e = DT_EVENT_INIT;
	int64_t future;

	assert_int_equal(dt_comment_post(f->ctx, id, "RZ0001", "建议增加养老床位", &c), DT_OK);
	assert_int_equal(c, 1);
	assert_int_equal(dt_comment_post(f->ctx, id, "RZ0001", "建议增加养老床位", &c), DT_EEXISTS);
	assert_int_equal(dt_comment_post(f->ctx, id, "RZ0001", "", &c), DT_EDATA);
	assert_int_equal(dt_comment_post(f->ctx, id, "RZ0001", "bad \x01 control", &c), DT_EDATA);
	assert_int_equal(dt_comment_post(f->ctx, id, "RZ0001", "\xff\xfe", &c), DT_EDATA);
	assert_int_equal(dt_comment_post(f->ctx, id, "RZ0404", "谁", &c), DT_ENOTFOUND);
	e.kind = "meeting";
	e.title = "下周的会";
	assert_int_equal(dt_time_parse_local(f->ctx, "2026-12-01 09:00", &e.starts_at), DT_OK);
	assert_int_equal(dt_event_create(f->ctx, &e, &future), DT_OK);
	assert_int_equal(dt_comment_post(f->ctx, future, "RZ0001", "太早", &c), DT_ESTATE);
	assert_int_equal(dt_event_cancel(f->ctx, id, NULL), DT_OK);
	assert_int_equal(dt_comment_post(f->ctx, id, "RZ0002", "已取消", &c), DT_ESTATE);
}

static void test_import_once_all_or_nothing(void **state)
{
	fixture *f = *state;
	int64_t id = setup_event(f);
	uint64_t added = 99;
	const char *good = "代表编号,时间,内容\n"
	                   "RZ0001,2026-11-20 09:10:00,\"多行\n留言，含逗号\"\n"
	                   "RZ0002,1795137120,好\n"; /* Unix seconds: 09:12 */

	assert_int_equal(import(f, id, good, &added), DT_OK);
	assert_int_equal(added, 2);
	assert_int_equal(import(f, id, good, &added), DT_OK);
	assert_int_equal(added, 0);
	assert_string_equal(list(f, id, 0), "id,code,name,at,text,hidden,hidden_reason\r\n"
	                                    "1,RZ0001,张三,2026-11-20T09:10:00+08:00,\"多行\n留言，含逗号\",false,\r\n"
	                                    "2,RZ0002,李四,2026-11-20T09:12:00+08:00,好,false,\r\n");
	assert_int_equal(import(f, id,
	                        "code,time,text\n"
	                        "RZ0001,2026-11-20 10:00:00,新的\n"
	                        "RZ0009,2026-11-20 10:00:00,谁\n"
	                        "RZ0002,2026-11-19 10:00:00,太早\n"
	                        "RZ0002,2026-11-29 10:00:00,将来\n"
	                        "RZ0002,2026-11-20 10:00:00,\n",
	                        &added),
	                 DT_EDATA);
	assert_non_null(strstr(f->diag, "comments.csv:3: column 'code'"));
	assert_non_null(strstr(f->diag, "comments.csv:4: column 'time'"));
	assert_non_null(strstr(f->diag, "comments.csv:5: column 'time'"));
	assert_non_null(strstr(f->diag, "comments.csv:6: column 'text'"));
	assert_null(strstr(list(f, id, 0), "新的"));
}

static void test_hide_keeps_but_does_not_count(void **state)
{
	fixture *f = *state;
	int64_t id = setup_event(f), c;
	dt_writer *w;

	assert_int_equal(dt_comment_post(f->ctx, id, "RZ0001", "广告内容", &c), DT_OK);
	assert_int_equal(dt_comment_hide(f->ctx, c, NULL), DT_EUSAGE);
	assert_int_equal(dt_comment_hide(f->ctx, c, "广告"), DT_OK);
	assert_int_equal(dt_comment_hide(f->ctx, c, "广告"), DT_ESTATE);
	assert_int_equal(dt_comment_hide(f->ctx, 77, "无"), DT_ENOTFOUND);
	assert_null(strstr(list(f, id, 0), "广告内容"));
	assert_non_null(strstr(list(f, id, 1), "1,RZ0001,张三,2026-11-28T09:00:00+08:00,广告内容,true,广告"));
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_archive_list(f->ctx, "RZ0001", 0, INT64_MAX, w), DT_OK);
	dt_writer_free(w);
	assert_null(strstr(f->out, "comment_posted"));
}

static void test_import_refuses_comments_after_retirement(void **state)
{
	fixture *f = *state;
	int64_t id = setup_event(f), t;
	uint64_t added = 0;

	assert_int_equal(dt_time_parse_local(f->ctx, "2026-11-20 10:00", &t), DT_OK);
	dt_ctx_set_now(f->ctx, t);
	assert_int_equal(dt_deputy_retire(f->ctx, "RZ0002"), DT_OK);
	dt_ctx_set_now(f->ctx, t + 3600);
	assert_int_equal(import(f, id, "code,time,text\nRZ0002,2026-11-20 09:30:00,之前\nRZ0002,2026-11-20 10:30:00,之后\n",
	                        &added),
	                 DT_EDATA);
	assert_non_null(strstr(f->diag, "comments.csv:3: column 'code': the deputy had retired by then"));
	assert_null(strstr(f->diag, "comments.csv:2:"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_post_and_refusals),
		TEST(test_import_once_all_or_nothing),
		TEST(test_hide_keeps_but_does_not_count),
		TEST(test_import_refuses_comments_after_retirement),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
