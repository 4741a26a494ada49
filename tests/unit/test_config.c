/* Unit tests of settings (lib/config.c). */
#include "testutil.h"

static void test_defaults_and_set(void **state)
{
	fixture *f = *state;
	char *v = NULL;

	assert_int_equal(dt_config_get(f->ctx, "time.zone", &v), DT_OK);
	assert_string_equal(v, "Asia/Shanghai");
	free(v);
	assert_int_equal(dt_config_set(f->ctx, "deputy.code_width", "6"), DT_OK);
	assert_int_equal(dt_config_get(f->ctx, "deputy.code_width", &v), DT_OK);
	assert_string_equal(v, "6");
	free(v);
}

static void test_refusals_list_what_is_accepted(void **state)
{
	fixture *f = *state;
	char *v = NULL;

	assert_int_equal(dt_config_set(f->ctx, "no.such", "1"), DT_EUSAGE);
	assert_non_null(strstr(dt_errmsg(f->ctx), "known: attendance.grace_minutes"));
	assert_non_null(strstr(dt_errmsg(f->ctx), "webhook.url)"));
	assert_int_equal(dt_config_get(f->ctx, "no.such", &v), DT_EUSAGE);
	assert_null(v);
	assert_int_equal(dt_config_set(f->ctx, "deputy.code_width", "0"), DT_EUSAGE);
	assert_non_null(strstr(dt_errmsg(f->ctx), "from 1 to 9"));
	assert_int_equal(dt_config_set(f->ctx, "deputy.code_width", "4x"), DT_EUSAGE);
	assert_int_equal(dt_config_set(f->ctx, "deputy.code_prefix", "rz"), DT_EUSAGE);
	assert_int_equal(dt_config_set(f->ctx, "time.zone", "Mars/Olympus"), DT_EUSAGE);
	assert_int_equal(dt_config_set(f->ctx, "time.zone", "../../etc/passwd"), DT_EUSAGE);
	assert_int_equal(dt_config_set(f->ctx, "time.zone", "UTC"), DT_OK);
}

static void test_list(void **state)
{
	fixture *f = *state;
	dt_writer *w = test_writer(f, DT_FORMAT_JSONL, 0);

	assert_int_equal(dt_config_list(f->ctx, NULL, w), DT_OK);
	assert_int_equal(dt_writer_rows(w), dt_config_count());
	dt_writer_free(w);
	w = test_writer(f, DT_FORMAT_JSONL, 0);
	assert_int_equal(dt_config_list(f->ctx, "time.zone", w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "\"key\":\"time.zone\",\"value\":\"Asia/Shanghai\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_defaults_and_set), TEST(test_refusals_list_what_is_accepted), TEST(test_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
