/* Unit tests of check and backup (lib/maint.c). */
#include <sqlite3.h>
#include <sys/stat.h>
#include "testutil.h"

static void test_check_passes_then_fails_on_tampering(void **state)
{
	fixture *f = *state;
	dt_writer *w;
	sqlite3 *db;

	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_check(f->ctx, NULL, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "integrity,ok,ok"));
	assert_non_null(strstr(f->out, "audit_chain,ok,\"1 entries, head "));
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	sqlite3_exec(db, "UPDATE audit SET change = 'nothing happened'", NULL, NULL, NULL);
	sqlite3_close(db);
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_check(f->ctx, NULL, w), DT_ECORRUPT);
	dt_writer_free(w);
	assert_non_null(strstr(dt_errmsg(f->ctx), "entry 1 was edited"));
}

static void test_expect_head(void **state)
{
	fixture *f = *state;
	dt_writer *w = test_writer(f, DT_FORMAT_CSV, 0);

	assert_int_equal(dt_check(f->ctx, "ab12", w), DT_ECORRUPT);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "audit_head,FAILED"));
}

static void test_backup_is_a_whole_private_copy(void **state)
{
	fixture *f = *state;
	dt_deputy_fields a = { 0 };
	char dest[160];
	struct stat sb;
	sqlite3 *db;
	sqlite3_stmt *st;

	a.value[DT_DEPUTY_NAME] = "张三";
	assert_int_equal(dt_deputy_add(f->ctx, &a, NULL), DT_OK);
	snprintf(dest, sizeof(dest), "%s/backup.db", f->dir);
	assert_int_equal(dt_backup(f->ctx, dest), DT_OK);
	assert_int_equal(stat(dest, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sqlite3_open(dest, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM deputy", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "张三");
	sqlite3_finalize(st);
	sqlite3_close(db);
	snprintf(dest, sizeof(dest), "%s/no/such/dir/backup.db", f->dir);
	assert_int_equal(dt_backup(f->ctx, dest), DT_EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_check_passes_then_fails_on_tampering),
		TEST(test_expect_head),
		TEST(test_backup_is_a_whole_private_copy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
