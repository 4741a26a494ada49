/* Unit tests of the hash-chained audit log (lib/audit.c). */
#include <sqlite3.h>
#include "testutil.h"

/* Change the database behind the library's back, as an attacker with the file would. */
static void tamper(fixture *f, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void make_entries(fixture *f)
{
	assert_int_equal(dt_config_set(f->ctx, "deputy.code_width", "5"), DT_OK);
	assert_int_equal(dt_config_set(f->ctx, "deputy.code_width", "6"), DT_OK);
	assert_int_equal(dt_config_set(f->ctx, "deputy.code_width", "4"), DT_OK);
}

static void test_chain_verifies(void **state)
{
	fixture *f = *state;
	char head[65];
	uint64_t n = 0;

	make_entries(f);
	assert_int_equal(dt_audit_verify(f->ctx, head, &n), DT_OK);
	assert_int_equal(n, 4); /* the schema migration and three settings */
	assert_int_equal(strlen(head), 64);
	assert_true(dt_audit_has_hash(f->ctx, head));
	assert_false(dt_audit_has_hash(f->ctx, "00"));
}

static void test_edited_entry_named(void **state)
{
	fixture *f = *state;
	char head[65];

	make_entries(f);
	tamper(f, "UPDATE audit SET actor = 'someone' WHERE id = 3");
	assert_int_equal(dt_audit_verify(f->ctx, head, NULL), DT_ECORRUPT);
	assert_non_null(strstr(dt_errmsg(f->ctx), "entry 3 was edited"));
}

static void test_deleted_entry_named(void **state)
{
	fixture *f = *state;
	char head[65];

	make_entries(f);
	tamper(f, "DELETE FROM audit WHERE id = 2");
	assert_int_equal(dt_audit_verify(f->ctx, head, NULL), DT_ECORRUPT);
	assert_non_null(strstr(dt_errmsg(f->ctx), "entry 3 does not follow entry 1"));
}

static void test_cut_tail_caught_by_expected_head(void **state)
{
	fixture *f = *state;
	char head[65];

	make_entries(f);
	assert_int_equal(dt_audit_verify(f->ctx, head, NULL), DT_OK);
	tamper(f, "DELETE FROM audit WHERE id = 4");
	/* the shorter chain is valid on its own ... */
	assert_int_equal(dt_audit_verify(f->ctx, (char[65]){ 0 }, NULL), DT_OK);
	/* ... but no longer reaches the head recorded elsewhere */
	assert_false(dt_audit_has_hash(f->ctx, head));
}

static void test_list(void **state)
{
	fixture *f = *state;
	dt_writer *w;

	make_entries(f);
	w = test_writer(f, DT_FORMAT_JSONL, 0);
	assert_int_equal(dt_audit_list(f->ctx, 2, w), DT_OK);
	assert_int_equal(dt_writer_rows(w), 2);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "\"id\":3,"));
	assert_non_null(strstr(f->out, "\"actor\":\"unit\""));
	assert_non_null(strstr(f->out, "setting deputy.code_width = 4"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_chain_verifies), TEST(test_edited_entry_named), TEST(test_deleted_entry_named),
		TEST(test_cut_tail_caught_by_expected_head), TEST(test_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
