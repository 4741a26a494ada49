/* Unit tests of roster import (lib/deputy_import.c). */
#include "testutil.h"

#define HEADER "code,name,gender,post,unit,delegation,grid,station,phone,email\n"

static void test_import_counts(void **state)
{
	fixture *f = *state;
	dt_import_result r;

	assert_int_equal(test_import(f, HEADER "RZ0005,张三,男,,,,,,13712340743,\n,李四,女,,,,,,,\n", 0, &r), DT_OK);
	assert_int_equal(r.rows, 2);
	assert_int_equal(r.inserted, 2);
	assert_int_equal(r.updated, 0);
	assert_int_equal(r.coded, 1);
	assert_int_equal(test_import(f, HEADER "RZ0005,张三丰,男,,,,,,13712340743,\n", 0, &r), DT_OK);
	assert_int_equal(r.inserted, 0);
	assert_int_equal(r.updated, 1);
}

static void test_codeless_rows_numbered_in_roster_order(void **state)
{
	fixture *f = *state;
	dt_writer *w;
	dt_import_result r;

	assert_int_equal(test_import(f, "code,name\nRZ0041,甲\n,乙\n", 0, &r), DT_OK);
	/* a later file: code-less rows continue after the highest code in use */
	assert_int_equal(test_import(f, "name,code\n丙,\n丁,RZ0050\n戊,\n", 0, &r), DT_OK);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_deputy_list(f->ctx, NULL, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "RZ0041,甲"));
	assert_non_null(strstr(f->out, "RZ0042,乙"));
	assert_non_null(strstr(f->out, "RZ0043,丙"));
	assert_non_null(strstr(f->out, "RZ0050,丁"));
	assert_non_null(strstr(f->out, "RZ0051,戊"));
}

/* Found by tests/fuzz (corpus/roster/crash-code-number-overflow): a code of
 * more digits than an int64 holds was read as 2^63 - 1 by the next import,
 * and the number after it overflowed. Such a code is no number of ours. */
static void test_code_of_too_many_digits_is_not_a_number(void **state)
{
	fixture *f = *state;
	dt_deputy_fields d = { { 0 } };
	dt_writer *w;
	dt_import_result r;
	char *code = NULL;

	assert_int_equal(test_import(f, "code,name\nRZ99999999999999999999,甲\nRZ0007,乙\n", 0, &r), DT_OK);
	assert_int_equal(test_import(f, "name\n丙\n", 0, &r), DT_OK);
	d.value[DT_DEPUTY_NAME] = "丁";
	assert_int_equal(dt_deputy_add(f->ctx, &d, &code), DT_OK);
	assert_string_equal(code, "RZ0009");
	free(code);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_deputy_list(f->ctx, NULL, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "RZ99999999999999999999,甲"));
	assert_non_null(strstr(f->out, "RZ0008,丙"));
}

/* A number given to a code-less row that a later row claims as its own code
 * moves on to the next free number; the claim is not a duplicate. */
static void test_given_number_claimed_later_moves_on(void **state)
{
	fixture *f = *state;
	dt_writer *w;
	dt_import_result r;

	assert_int_equal(test_import(f, "code,name\n,甲\nRZ0001,乙\n,丙\nRZ0003,丁\n,己\n", 0, &r), DT_OK);
	assert_int_equal(r.inserted, 5);
	assert_int_equal(r.coded, 3);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_deputy_list(f->ctx, NULL, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "RZ0002,甲"));
	assert_non_null(strstr(f->out, "RZ0001,乙"));
	assert_non_null(strstr(f->out, "RZ0004,丙"));
	assert_non_null(strstr(f->out, "RZ0003,丁"));
	assert_non_null(strstr(f->out, "RZ0005,己"));
	/* while a code the file really has twice is still an error */
	assert_int_equal(test_import(f, "code,name\n,庚\nRZ0009,辛\nRZ0009,壬\n", 0, &r), DT_EDATA);
	assert_non_null(strstr(f->diag, "roster.csv:4: column 'code': 'RZ0009' occurs twice"));
}

static void test_errors_reported_all_and_nothing_written(void **state)
{
	fixture *f = *state;
	dt_import_result r;
	dt_writer *w;

	assert_int_equal(test_import(f, HEADER "RZ0001,张三,男,,,,,,1,\nRZ0002,,男,,,,,,,\nRZ0003,王五,男,,,,,,,\n", 0,
	                             &r),
	                 DT_EDATA);
	assert_int_equal(r.errors, 2);
	assert_non_null(strstr(f->diag, "roster.csv:2: column 'phone': '1' is not a mobile number"));
	assert_non_null(strstr(f->diag, "roster.csv:3: column 'name': a name is required"));
	assert_non_null(strstr(dt_errmsg(f->ctx), "2 errors; nothing was imported"));
	w = test_writer(f, DT_FORMAT_JSONL, 0);
	assert_int_equal(dt_deputy_list(f->ctx, NULL, w), DT_OK);
	assert_int_equal(dt_writer_rows(w), 0);
	dt_writer_free(w);
}

static void test_duplicate_code(void **state)
{
	fixture *f = *state;
	dt_import_result r;

	assert_int_equal(test_import(f, "code,name\nA1,甲\nA2,乙\nA1,丙\n", 0, &r), DT_EDATA);
	assert_non_null(strstr(f->diag, "roster.csv:4: column 'code': 'A1' occurs twice in the file"));
}

static void test_dry_run(void **state)
{
	fixture *f = *state;
	dt_import_result r;
	dt_writer *w;

	assert_int_equal(test_import(f, "name\n甲\n乙\n", 1, &r), DT_OK);
	assert_int_equal(r.inserted, 2);
	w = test_writer(f, DT_FORMAT_JSONL, 0);
	assert_int_equal(dt_deputy_list(f->ctx, NULL, w), DT_OK);
	assert_int_equal(dt_writer_rows(w), 0);
	dt_writer_free(w);
}

static void test_header_problems(void **state)
{
	fixture *f = *state;
	dt_import_result r;

	assert_int_equal(test_import(f, "name,name\n甲,乙\n", 0, &r), DT_EDATA);
	assert_non_null(strstr(f->diag, "column 'name' appears twice"));
	assert_int_equal(test_import(f, "code\nA1\n", 0, &r), DT_EDATA);
	assert_non_null(strstr(f->diag, "no name/姓名 column"));
	assert_int_equal(test_import(f, "", 0, &r), DT_EDATA);
	assert_non_null(strstr(f->diag, "empty"));
}

/* What spreadsheets export: unnamed trailing columns, extra empty cells,
 * spaces around quoted header names. */
static void test_spreadsheet_leftovers(void **state)
{
	fixture *f = *state;
	dt_import_result r;

	assert_int_equal(test_import(f, "序号,\" 姓名 \",联系电话,,\n1,张三,13712340743,,\n2,李四,,,,,\n", 0, &r), DT_OK);
	assert_int_equal(r.inserted, 2);
	assert_int_equal(test_import(f, "name,,\n王五,,x\n", 0, &r), DT_EDATA);
	assert_non_null(strstr(f->diag, "roster.csv:2: column 3 has no name in the header, but holds 'x'"));
	assert_int_equal(test_import(f, "name,phone\n王五,,x\n", 0, &r), DT_EDATA);
	assert_non_null(strstr(f->diag, "roster.csv:2: 3 fields, but the header has 2"));
}

static void test_gbk(void **state)
{
	fixture *f = *state;
	/* "姓名\n张三\n" in GBK */
	static const char gbk[] = "\xd0\xd5\xc3\xfb\n\xd5\xc5\xc8\xfd\n";
	dt_import_options o = DT_IMPORT_OPTIONS_INIT;
	dt_import_result r;
	FILE *in = fmemopen((void *)gbk, sizeof(gbk) - 1, "r");
	dt_writer *w;

	o.name = "gbk.csv";
	o.encoding = "gbk";
	assert_int_equal(dt_deputy_import(f->ctx, in, &o, &r), DT_OK);
	fclose(in);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_deputy_list(f->ctx, NULL, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "RZ0001,张三"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_import_counts), TEST(test_codeless_rows_numbered_in_roster_order),
		TEST(test_given_number_claimed_later_moves_on), TEST(test_code_of_too_many_digits_is_not_a_number),
		TEST(test_errors_reported_all_and_nothing_written), TEST(test_duplicate_code),
		TEST(test_dry_run), TEST(test_header_problems), TEST(test_spreadsheet_leftovers), TEST(test_gbk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
