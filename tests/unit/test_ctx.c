/* Unit tests of opening databases (lib/ctx.c, lib/schema.c, lib/db.c, lib/error.c). */
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>
#include "testutil.h"

static void test_created_0600_whatever_umask(void **state)
{
	fixture *f = *state;
	struct stat sb;
	mode_t old = umask(0);
	char path[128];
	dt_ctx *ctx = NULL;
	dt_open_options o = DT_OPEN_OPTIONS_INIT;

	snprintf(path, sizeof(path), "%s/open.db", f->dir);
	o.path = path;
	o.create = 1;
	assert_int_equal(dt_ctx_open(&ctx, &o), DT_OK);
	umask(old);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	dt_ctx_free(ctx);
}

static void test_missing_database_refused(void **state)
{
	fixture *f = *state;
	dt_ctx *ctx = NULL;
	dt_open_options o = DT_OPEN_OPTIONS_INIT;
	char path[128];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/none.db", f->dir);
	o.path = path;
	assert_int_equal(dt_ctx_open(&ctx, &o), DT_ESCHEMA);
	assert_non_null(strstr(dt_errmsg(ctx), "run 'rdlz init'"));
	assert_int_not_equal(stat(path, &sb), 0); /* not created by a failed open */
	dt_ctx_free(ctx);
}

static void test_not_a_database(void **state)
{
	fixture *f = *state;
	dt_ctx *ctx = NULL;
	dt_open_options o = DT_OPEN_OPTIONS_INIT;
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/junk.db", f->dir);
	fp = fopen(path, "w");
	fputs("this is not an SQLite file, just text long enough to have a header.........\n", fp);
	fclose(fp);
	o.path = path;
	assert_int_not_equal(dt_ctx_open(&ctx, &o), DT_OK);
	assert_non_null(strstr(dt_errmsg(ctx), "not an rdlz database"));
	dt_ctx_free(ctx);
}

static void test_foreign_sqlite_refused(void **state)
{
	fixture *f = *state;
	dt_ctx *ctx = NULL;
	dt_open_options o = DT_OPEN_OPTIONS_INIT;
	char path[128];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/other.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
	sqlite3_close(db);
	o.path = path;
	assert_int_equal(dt_ctx_open(&ctx, &o), DT_ESCHEMA);
	assert_non_null(strstr(dt_errmsg(ctx), "not an rdlz one"));
	dt_ctx_free(ctx);
}

static void test_old_schema_refused_then_migrated(void **state)
{
	fixture *f = *state;
	sqlite3 *db;

	dt_ctx_free(f->ctx);
	f->ctx = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 0", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	/* version 0 with tables present: a migration would fail, but a plain open must refuse first */
	assert_int_equal(test_open(f, 0), DT_ESCHEMA);
	assert_non_null(strstr(dt_errmsg(f->ctx), "older than this rdlz's"));
}

/* A version-1 database (before QR codes and the outbox) is refused, then migrated by init. */
static void test_migration_from_version_1(void **state)
{
	fixture *f = *state;
	sqlite3 *db;
	sqlite3_stmt *st;

	dt_ctx_free(f->ctx);
	f->ctx = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE ranking_row; DROP TABLE ranking; DROP TABLE rule; DROP TABLE rules_version;"
	                              " DROP TABLE ballot_answer; DROP TABLE ballot; DROP TABLE survey_voter; DROP TABLE survey_item;"
	                              " DROP TABLE survey; DROP TABLE learning; DROP TABLE article_tag; DROP TABLE article;"
	                              " DROP TABLE comment; DROP TABLE attendance; DROP TABLE event;"
	                              " DROP TABLE calendar_day; DROP TABLE case_photo; DROP TABLE photo; DROP TABLE case_event;"
	                              " DROP TABLE cases; DROP TABLE route; DROP TABLE department;"
	                              " DROP TABLE outbox; DROP TABLE qr_issue; DROP TABLE qr_key; PRAGMA user_version = 1", NULL, NULL,
	                              NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(test_open(f, 0), DT_ESCHEMA);
	assert_non_null(strstr(dt_errmsg(f->ctx), "schema version 1, older than this rdlz's 7; run 'rdlz init'"));
	dt_ctx_free(f->ctx);
	f->ctx = NULL;
	assert_int_equal(test_open(f, 1), DT_OK);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM qr_key", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_newer_schema_refused(void **state)
{
	fixture *f = *state;
	sqlite3 *db;

	dt_ctx_free(f->ctx);
	f->ctx = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(test_open(f, 0), DT_ESCHEMA);
	assert_non_null(strstr(dt_errmsg(f->ctx), "newer than"));
}

static void test_bad_now_env(void **state)
{
	fixture *f = *state;

	dt_ctx_free(f->ctx);
	f->ctx = NULL;
	setenv("RDLZ_NOW", "2026-02-30T00:00:00Z", 1);
	assert_int_equal(test_open(f, 0), DT_EUSAGE);
	assert_non_null(strstr(dt_errmsg(f->ctx), "RDLZ_NOW"));
	setenv("RDLZ_NOW", "2026-11-28T09:00:00+08:00", 1);
}

/* A fixed clock given back with -1 returns to RDLZ_NOW when that is set,
 * else to the system clock. */
static void test_set_now_restores_the_default(void **state)
{
	fixture *f = *state;
	int64_t env, t;

	env = dt_ctx_now(f->ctx);
	assert_int_equal(dt_time_parse(f->ctx, "2026-11-28T09:00:00+08:00", &t), DT_OK);
	assert_int_equal(env, t);
	dt_ctx_set_now(f->ctx, 42);
	assert_int_equal(dt_ctx_now(f->ctx), 42);
	dt_ctx_set_now(f->ctx, -1);
	assert_int_equal(dt_ctx_now(f->ctx), env);

	dt_ctx_free(f->ctx);
	f->ctx = NULL;
	unsetenv("RDLZ_NOW");
	assert_int_equal(test_open(f, 0), DT_OK);
	dt_ctx_set_now(f->ctx, 42);
	dt_ctx_set_now(f->ctx, -1);
	t = (int64_t)time(NULL);
	assert_true(dt_ctx_now(f->ctx) >= t - 1 && dt_ctx_now(f->ctx) <= t + 1);
	setenv("RDLZ_NOW", "2026-11-28T09:00:00+08:00", 1);
}

/* RDLZ_BUSY_TIMEOUT_MS out of range or not a number is refused at the open. */
static void test_bad_busy_timeout_env(void **state)
{
	static const char *const bad[] = { "-1", "600001", "5s", "", " 5" };
	fixture *f = *state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dt_ctx_free(f->ctx);
		f->ctx = NULL;
		setenv("RDLZ_BUSY_TIMEOUT_MS", bad[i], 1);
		/* empty means unset */
		if (!*bad[i]) {
			assert_int_equal(test_open(f, 0), DT_OK);
			continue;
		}
		assert_int_equal(test_open(f, 0), DT_EUSAGE);
		assert_non_null(strstr(dt_errmsg(f->ctx), "RDLZ_BUSY_TIMEOUT_MS"));
	}
	setenv("RDLZ_BUSY_TIMEOUT_MS", "0", 1);
	dt_ctx_free(f->ctx);
	f->ctx = NULL;
	assert_int_equal(test_open(f, 0), DT_OK);
	unsetenv("RDLZ_BUSY_TIMEOUT_MS");
}

static void test_strerror_and_journal(void **state)
{
	(void)state;
	assert_string_equal(dt_strerror(DT_OK), "success");
	assert_string_equal(dt_strerror(DT_EBUSY), "database busy");
	assert_string_equal(dt_strerror(-999), "unknown status");
	assert_string_equal(dt_strerror(5), "unknown status");
	/* Debian 12's SQLite (3.40) lacks the WAL-reset fix: rollback journal */
	if (sqlite3_libversion_number() < 3044006)
		assert_string_equal(dt_journal_mode(), "delete");
	assert_int_equal(dt_schema_version(), 7);
}

static void test_actor(void **state)
{
	fixture *f = *state;

	assert_string_equal(dt_ctx_actor(f->ctx), "unit");
	assert_int_equal(dt_ctx_set_actor(f->ctx, "clerk"), DT_OK);
	assert_string_equal(dt_ctx_actor(f->ctx), "clerk");
	assert_int_equal(dt_ctx_set_actor(f->ctx, NULL), DT_OK);
	assert_string_equal(dt_ctx_actor(f->ctx), "unit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_created_0600_whatever_umask), TEST(test_missing_database_refused),
		TEST(test_not_a_database),              TEST(test_foreign_sqlite_refused),
		TEST(test_old_schema_refused_then_migrated), TEST(test_migration_from_version_1),
		TEST(test_newer_schema_refused),
		TEST(test_bad_now_env),                 TEST(test_strerror_and_journal),
		TEST(test_actor),                       TEST(test_set_now_restores_the_default),
		TEST(test_bad_busy_timeout_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
