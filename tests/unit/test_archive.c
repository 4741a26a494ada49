/* Unit tests of the duty archive (lib/archive.c). */
#include <sqlite3.h>
#include "testutil.h"

static void test_empty_archive_lists_nothing(void **state)
{
	fixture *f = *state;
	dt_deputy_fields a = { 0 };
	dt_writer *w;

	a.value[DT_DEPUTY_NAME] = "张三";
	assert_int_equal(dt_deputy_add(f->ctx, &a, NULL), DT_OK);
	w = test_writer(f, DT_FORMAT_JSON, 0);
	assert_int_equal(dt_archive_list(f->ctx, "RZ0001", INT64_MIN, INT64_MAX, w), DT_OK);
	dt_writer_free(w);
	assert_string_equal(f->out, "[]\n");
	w = test_writer(f, DT_FORMAT_JSON, 0);
	assert_int_equal(dt_archive_list(f->ctx, "RZ0404", INT64_MIN, INT64_MAX, w), DT_ENOTFOUND);
	dt_writer_free(w);
}

/* Records written straight into the table list oldest first, within [from, to). */
static void test_records_in_range(void **state)
{
	fixture *f = *state;
	dt_deputy_fields a = { 0 };
	dt_writer *w;
	sqlite3 *db;

	a.value[DT_DEPUTY_NAME] = "张三";
	assert_int_equal(dt_deputy_add(f->ctx, &a, NULL), DT_OK);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	                              "INSERT INTO duty_record(deputy_id, kind, occurred_at, quantity, unit, ref) VALUES"
	                              " (1, 'b', 200, 2.5, 'hour', 'event:2'),"
	                              " (1, 'a', 100, 1, 'item', 'event:1'),"
	                              " (1, 'c', 300, 1, 'item', 'event:3')",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(dt_config_set(f->ctx, "time.zone", "UTC"), DT_OK);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_archive_list(f->ctx, "RZ0001", 100, 300, w), DT_OK);
	dt_writer_free(w);
	assert_string_equal(f->out, "code,kind,occurred_at,quantity,unit,ref\r\n"
	                            "RZ0001,a,1970-01-01T00:01:40Z,1,item,event:1\r\n"
	                            "RZ0001,b,1970-01-01T00:03:20Z,2.5,hour,event:2\r\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_empty_archive_lists_nothing),
		TEST(test_records_in_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
