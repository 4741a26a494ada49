/* Unit tests of the outbox (lib/outbox.c, lib/notify.c, lib/secrets.c,
 * lib/send.c; sending against real servers is in tests/cli/test_outbox.py). */
#include <sys/stat.h>
#include "testutil.h"

static void roster(fixture *f)
{
	dt_import_result r;

	assert_int_equal(test_import(f,
	                             "code,name,email,delegation\n"
	                             "RZ0001,张三,zhang@example.cn,东港区代表团\n"
	                             "RZ0002,李四,li@example.cn,岚山区代表团\n"
	                             "RZ0003,王五,,东港区代表团\n",
	                             0, &r),
	                 DT_OK);
}

/* Queue a one-line e-mail under key. */
static void queue_mail(fixture *f, const char *key)
{
	dt_message m = DT_MESSAGE_INIT;

	m.key = key;
	m.channel = "email";
	m.address = "a@example.cn";
	m.subject = "s";
	m.body = "b";
	assert_int_equal(dt_outbox_queue(f->ctx, &m, NULL), DT_OK);
}

static void test_queue_is_idempotent_by_key(void **state)
{
	fixture *f = *state;
	dt_message m = DT_MESSAGE_INIT;
	dt_writer *w;
	int queued = -1;

	m.key = "rank-low:2026-11:RZ0042";
	m.channel = "email";
	m.address = "a@example.cn";
	m.subject = "提醒";
	m.body = "正文";
	assert_int_equal(dt_outbox_queue(f->ctx, &m, &queued), DT_OK);
	assert_int_equal(queued, 1);
	m.body = "another body";
	assert_int_equal(dt_outbox_queue(f->ctx, &m, &queued), DT_OK);
	assert_int_equal(queued, 0);
	w = test_writer(f, DT_FORMAT_JSON, DT_WRITE_RECORD);
	assert_int_equal(dt_outbox_show(f->ctx, m.key, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "\"body\":\"正文\""));
	assert_non_null(strstr(f->out, "\"state\":\"pending\""));
}

static void test_queue_refusals(void **state)
{
	fixture *f = *state;
	dt_message m = DT_MESSAGE_INIT;

	m.key = "k";
	m.channel = "email";
	m.address = "a@example.cn";
	m.subject = "hi\r\nBcc: x@evil.test";
	m.body = "x";
	assert_int_equal(dt_outbox_queue(f->ctx, &m, NULL), DT_EDATA);
	assert_non_null(strstr(dt_errmsg(f->ctx), "line break"));
	m.subject = "hi";
	m.name = "Eve\nBcc: x";
	assert_int_equal(dt_outbox_queue(f->ctx, &m, NULL), DT_EDATA);
	m.name = NULL;
	m.address = "not-an-address";
	assert_int_equal(dt_outbox_queue(f->ctx, &m, NULL), DT_EDATA);
	m.address = "a@example.cn";
	m.channel = "pigeon";
	assert_int_equal(dt_outbox_queue(f->ctx, &m, NULL), DT_EDATA);
	m.channel = "email";
	m.body = "\xff";
	assert_int_equal(dt_outbox_queue(f->ctx, &m, NULL), DT_EDATA);
}

static void test_notify_groups_and_keys(void **state)
{
	fixture *f = *state;
	const char *targets[] = { "delegation:东港区代表团" };
	dt_notice n = DT_NOTICE_INIT;
	dt_writer *w;

	n.targets = targets;
	n.ntargets = 1;
	n.subject = "履职提醒";
	n.body = "请提交";
	roster(f);
	n.subject = "bad\nBcc: x";
	w = test_writer(f, DT_FORMAT_CSV, 0);
	/* a bad notice is refused once, whatever the target */
	assert_int_equal(dt_notify(f->ctx, &n, w), DT_EDATA);
	dt_writer_free(w);
	n.subject = "履职提醒";
	w = test_writer(f, DT_FORMAT_CSV, 0);
	/* RZ0003 has no e-mail and no webhook is set: reported and skipped */
	assert_int_equal(dt_notify(f->ctx, &n, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "RZ0001,notice:"));
	assert_non_null(strstr(f->out, "RZ0003,,false"));
	assert_non_null(strstr(f->diag, "RZ0003 has no e-mail address"));
	targets[0] = "RZ0003";
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_notify(f->ctx, &n, w), DT_EDATA);
	dt_writer_free(w);
	assert_int_equal(dt_config_set(f->ctx, "webhook.url", "http://127.0.0.1:9/robot"), DT_OK);
	n.key = "meeting-12";
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_notify(f->ctx, &n, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "RZ0003,meeting-12:RZ0003,true"));
	targets[0] = "station:nowhere";
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_notify(f->ctx, &n, w), DT_EUSAGE);
	dt_writer_free(w);
}

static void test_retry_and_cancel(void **state)
{
	fixture *f = *state;
	dt_writer *w;

	queue_mail(f, "k1");
	assert_int_equal(dt_outbox_cancel(f->ctx, "k1"), DT_OK);
	assert_int_equal(dt_outbox_cancel(f->ctx, "k1"), DT_EEXISTS);
	assert_int_equal(dt_outbox_retry(f->ctx, "k1"), DT_OK);
	assert_int_equal(dt_outbox_retry(f->ctx, "nope"), DT_ENOTFOUND);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_outbox_list(f->ctx, "pending", w), DT_OK);
	assert_int_equal(dt_writer_rows(w), 1);
	dt_writer_free(w);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_outbox_list(f->ctx, "lost", w), DT_EUSAGE);
	dt_writer_free(w);
}

/* Nothing listens on port 9 of 127.0.0.1: a temporary failure, retried later. */
static void test_send_to_a_closed_port_retries(void **state)
{
	fixture *f = *state;
	dt_send_options o = DT_SEND_OPTIONS_INIT;
	dt_send_result r;
	dt_writer *w;

	assert_int_equal(dt_config_set(f->ctx, "smtp.url", "smtp://127.0.0.1:9"), DT_OK);
	assert_int_equal(dt_config_set(f->ctx, "smtp.from", "rd@example.cn"), DT_OK);
	assert_int_equal(dt_config_set(f->ctx, "smtp.tls", "none"), DT_OK);
	queue_mail(f, "k1");
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_outbox_send(f->ctx, &o, w, &r), DT_OK);
	dt_writer_free(w);
	assert_int_equal(r.sent, 0);
	assert_int_equal(r.retrying, 1);
	assert_non_null(strstr(f->out, "k1,email,a@example.cn,retry,"));
	/* not due again until the backoff has passed */
	assert_int_equal(dt_outbox_send(f->ctx, &o, NULL, &r), DT_OK);
	assert_int_equal(r.retrying, 0);
	dt_ctx_set_now(f->ctx, dt_ctx_now(f->ctx) + 3600);
	o.dry_run = 1;
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_outbox_send(f->ctx, &o, w, &r), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "k1,email,a@example.cn,due,"));
}

static void test_secrets_file_must_be_private(void **state)
{
	fixture *f = *state;
	dt_send_options o = DT_SEND_OPTIONS_INIT;
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/test.db.secrets", f->dir);
	fp = fopen(path, "w");
	fputs("smtp.password = x\n", fp);
	fclose(fp);
	chmod(path, 0644);
	queue_mail(f, "k1");
	assert_int_equal(dt_outbox_send(f->ctx, &o, NULL, NULL), DT_EUSAGE);
	assert_non_null(strstr(dt_errmsg(f->ctx), "chmod 600"));
	/* nothing was claimed: the message is still due */
	o.dry_run = 1;
	{
		dt_writer *w = test_writer(f, DT_FORMAT_CSV, 0);
		assert_int_equal(dt_outbox_send(f->ctx, &o, w, NULL), DT_OK);
		dt_writer_free(w);
		assert_non_null(strstr(f->out, "k1,email"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_queue_is_idempotent_by_key), TEST(test_queue_refusals),
		TEST(test_notify_groups_and_keys),     TEST(test_retry_and_cancel),
		TEST(test_send_to_a_closed_port_retries), TEST(test_secrets_file_must_be_private),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
