/* Unit tests of the deputy registry (lib/deputy.c). */
#include "testutil.h"

static void add_two(fixture *f)
{
	dt_deputy_fields a = { 0 }, b = { 0 };
	char *code = NULL;

	a.value[DT_DEPUTY_NAME] = "张三";
	a.value[DT_DEPUTY_GENDER] = "男";
	a.value[DT_DEPUTY_PHONE] = "13712340743";
	a.value[DT_DEPUTY_DELEGATION] = "东港区代表团";
	assert_int_equal(dt_deputy_add(f->ctx, &a, &code), DT_OK);
	assert_string_equal(code, "RZ0001");
	free(code);
	b.value[DT_DEPUTY_NAME] = "李四";
	b.value[DT_DEPUTY_DELEGATION] = "岚山区代表团";
	assert_int_equal(dt_deputy_add(f->ctx, &b, &code), DT_OK);
	assert_string_equal(code, "RZ0002");
	free(code);
}

static void test_field_lookup(void **state)
{
	(void)state;
	assert_int_equal(dt_deputy_field_lookup("phone"), DT_DEPUTY_PHONE);
	assert_int_equal(dt_deputy_field_lookup("PHONE"), DT_DEPUTY_PHONE);
	assert_int_equal(dt_deputy_field_lookup("联系电话"), DT_DEPUTY_PHONE);
	assert_int_equal(dt_deputy_field_lookup("手机"), DT_DEPUTY_PHONE);
	assert_int_equal(dt_deputy_field_lookup("编号"), DT_DEPUTY_CODE);
	assert_int_equal(dt_deputy_field_lookup("shoe"), -1);
	for (int i = 0; i < DT_DEPUTY_NFIELDS; i++)
		assert_int_equal(dt_deputy_field_lookup(dt_deputy_field_header_zh((dt_deputy_field)i)), i);
}

static void test_field_checks(void **state)
{
	fixture *f = *state;

	assert_int_equal(dt_deputy_field_check(f->ctx, DT_DEPUTY_PHONE, "13712340743"), DT_OK);
	assert_int_equal(dt_deputy_field_check(f->ctx, DT_DEPUTY_PHONE, "+86 137 1234 0743"), DT_OK);
	assert_int_equal(dt_deputy_field_check(f->ctx, DT_DEPUTY_PHONE, "0633-8781234"), DT_OK);
	assert_int_equal(dt_deputy_field_check(f->ctx, DT_DEPUTY_PHONE, "12x45"), DT_EDATA);
	assert_non_null(strstr(dt_errmsg(f->ctx), "'12x45' is not a mobile number"));
	assert_int_equal(dt_deputy_field_check(f->ctx, DT_DEPUTY_PHONE, "12712340743"), DT_EDATA);
	assert_int_equal(dt_deputy_field_check(f->ctx, DT_DEPUTY_EMAIL, "a@b.cn"), DT_OK);
	assert_int_equal(dt_deputy_field_check(f->ctx, DT_DEPUTY_EMAIL, "a@b"), DT_EDATA);
	assert_int_equal(dt_deputy_field_check(f->ctx, DT_DEPUTY_EMAIL, "a b@c.cn"), DT_EDATA);
	assert_int_equal(dt_deputy_field_check(f->ctx, DT_DEPUTY_GENDER, "女"), DT_OK);
	assert_int_equal(dt_deputy_field_check(f->ctx, DT_DEPUTY_GENDER, "x"), DT_EDATA);
	assert_int_equal(dt_deputy_field_check(f->ctx, DT_DEPUTY_NAME, ""), DT_EDATA);
	assert_int_equal(dt_deputy_field_check(f->ctx, DT_DEPUTY_NAME, "a\nb"), DT_EDATA);
	assert_int_equal(dt_deputy_field_check(f->ctx, DT_DEPUTY_UNIT, "a\nb"), DT_OK);
	assert_int_equal(dt_deputy_field_check(f->ctx, DT_DEPUTY_CODE, "RZ 1"), DT_EDATA);
	assert_int_equal(dt_deputy_field_check(f->ctx, DT_DEPUTY_NAME, "\xff\xfe"), DT_EDATA);
}

static void test_add_show_masks_phone(void **state)
{
	fixture *f = *state;
	dt_writer *w;

	add_two(f);
	w = test_writer(f, DT_FORMAT_JSON, DT_WRITE_RECORD);
	assert_int_equal(dt_deputy_show(f->ctx, "RZ0001", w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "\"id\":\"RZ0001\""));
	assert_non_null(strstr(f->out, "\"phone\":\"137****0743\""));
	assert_non_null(strstr(f->out, "\"gender\":\"male\""));
	w = test_writer(f, DT_FORMAT_JSON, DT_WRITE_RECORD);
	assert_int_equal(dt_deputy_show(f->ctx, "RZ9999", w), DT_ENOTFOUND);
	dt_writer_free(w);
}

static void test_add_refuses_existing_code(void **state)
{
	fixture *f = *state;
	dt_deputy_fields a = { 0 };

	add_two(f);
	a.value[DT_DEPUTY_NAME] = "王五";
	a.value[DT_DEPUTY_CODE] = "RZ0002";
	assert_int_equal(dt_deputy_add(f->ctx, &a, NULL), DT_EEXISTS);
}

static void test_set_and_retire(void **state)
{
	fixture *f = *state;
	dt_deputy_fields s = { 0 };
	dt_writer *w;

	add_two(f);
	s.value[DT_DEPUTY_POST] = "主任";
	s.value[DT_DEPUTY_PHONE] = "";
	assert_int_equal(dt_deputy_set(f->ctx, "RZ0001", &s), DT_OK);
	s.value[DT_DEPUTY_PHONE] = "bad";
	assert_int_equal(dt_deputy_set(f->ctx, "RZ0001", &s), DT_EDATA);
	assert_int_equal(dt_deputy_retire(f->ctx, "RZ0002"), DT_OK);
	assert_int_equal(dt_deputy_retire(f->ctx, "RZ0002"), DT_EEXISTS);
	assert_int_equal(dt_deputy_retire(f->ctx, "RZ0404"), DT_ENOTFOUND);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_deputy_list(f->ctx, NULL, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "RZ0001,张三,male,主任,,东港区代表团,,,,,active\r\n"));
	assert_non_null(strstr(f->out, "RZ0002,李四,,,,岚山区代表团,,,,,retired\r\n"));
}

static void test_list_filter(void **state)
{
	fixture *f = *state;
	dt_deputy_filter flt = { 0 };
	dt_writer *w;

	add_two(f);
	flt.delegation = "岚山区代表团";
	w = test_writer(f, DT_FORMAT_JSONL, 0);
	assert_int_equal(dt_deputy_list(f->ctx, &flt, w), DT_OK);
	assert_int_equal(dt_writer_rows(w), 1);
	dt_writer_free(w);
	assert_null(strstr(f->out, "RZ0001"));
	flt.status = "sleeping";
	w = test_writer(f, DT_FORMAT_JSONL, 0);
	assert_int_equal(dt_deputy_list(f->ctx, &flt, w), DT_EUSAGE);
	dt_writer_free(w);
}

static void test_codes_never_reused(void **state)
{
	fixture *f = *state;
	dt_deputy_fields a = { 0 };
	char *code = NULL;
	uint64_t n = 99;

	add_two(f);
	assert_int_equal(dt_deputy_retire(f->ctx, "RZ0002"), DT_OK);
	a.value[DT_DEPUTY_NAME] = "王五";
	assert_int_equal(dt_deputy_add(f->ctx, &a, &code), DT_OK);
	assert_string_equal(code, "RZ0003");
	free(code);
	assert_int_equal(dt_deputy_assign_codes(f->ctx, NULL, 0, &n), DT_OK);
	assert_int_equal(n, 0);
	assert_int_equal(dt_deputy_assign_codes(f->ctx, "rz", 0, &n), DT_EUSAGE);
	assert_int_equal(dt_deputy_assign_codes(f->ctx, NULL, 12, &n), DT_EUSAGE);
}

static void test_stats(void **state)
{
	fixture *f = *state;
	dt_writer *w;

	add_two(f);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_deputy_stats(f->ctx, w), DT_OK);
	dt_writer_free(w);
	assert_string_equal(f->out,
	                    "delegation,deputies,active,retired,female,with_code,with_phone,with_email\r\n"
	                    "东港区代表团,1,1,0,0,1,1,0\r\n"
	                    "岚山区代表团,1,1,0,0,1,0,0\r\n"
	                    "total,2,2,0,0,2,1,0\r\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_field_lookup),     TEST(test_field_checks),   TEST(test_add_show_masks_phone),
		TEST(test_add_refuses_existing_code), TEST(test_set_and_retire), TEST(test_list_filter),
		TEST(test_codes_never_reused), TEST(test_stats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
