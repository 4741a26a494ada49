/*
 * The context: opening the database the way every command needs it
 * (mode 0600, foreign keys, busy timeout, a journal mode safe for the SQLite
 * in use, a schema of the right version), the actor and the clock.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

/* 'RDLZ' in the database header, so a stray SQLite file is told apart. */
#define DT_APPLICATION_ID 0x52444c5a

const char *dt_version(void)
{
	return DT_VERSION;
}

const char *dt_sqlite_version(void)
{
	return sqlite3_libversion();
}

/*
 * WAL has a corruption race with several writing connections (the WAL-reset
 * bug) in every release from 3.7.0 to 3.51.2, fixed in 3.51.3 and backported
 * to 3.44.6 and 3.50.7. Use WAL only where the SQLite we run on has the fix.
 */
static int wal_is_safe(void)
{
	int v = sqlite3_libversion_number();

	return v >= 3051003 || (v >= 3044006 && v < 3045000) || (v >= 3050007 && v < 3051000);
}

const char *dt_journal_mode(void)
{
	return wal_is_safe() ? "wal" : "delete";
}

const char *dt_journal_mode_reason(void)
{
	return wal_is_safe() ? "this SQLite has the WAL-reset fix"
	                     : "this SQLite lacks the WAL-reset fix (3.51.3, 3.50.7, 3.44.6)";
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static char *default_actor(void)
{
	const char *a = getenv("RDLZ_ACTOR");
	struct passwd *pw;

	if (a && *a)
		return strdup(a);
	a = getenv("LOGNAME");
	if (a && *a)
		return strdup(a);
	pw = getpwuid(getuid());
	if (pw && pw->pw_name)
		return strdup(pw->pw_name);
	return strdup("unknown");
}

int dt_ctx_set_actor(dt_ctx *ctx, const char *actor)
{
	char *a = actor ? strdup(actor) : default_actor();

	if (!a)
		return dt__error(ctx, DT_ENOMEM, "out of memory");
	free(ctx->actor);
	ctx->actor = a;
	return DT_OK;
}

const char *dt_ctx_actor(const dt_ctx *ctx)
{
	return ctx->actor ? ctx->actor : "unknown";
}

int dt_ctx_set_command(dt_ctx *ctx, const char *command)
{
	char *c = dup_or_null(command);

	if (command && !c)
		return dt__error(ctx, DT_ENOMEM, "out of memory");
	free(ctx->command);
	ctx->command = c;
	return DT_OK;
}

void dt_ctx_set_diag(dt_ctx *ctx, dt_diag_fn fn, void *userdata)
{
	ctx->diag = fn;
	ctx->diag_ud = userdata;
}

void dt_ctx_set_now(dt_ctx *ctx, int64_t now)
{
	ctx->fixed_now = now >= 0 ? now : ctx->env_now;
}

int64_t dt_ctx_now(const dt_ctx *ctx)
{
	if (ctx->fixed_now >= 0)
		return ctx->fixed_now;
	return (int64_t)time(NULL);
}

const char *dt_ctx_path(const dt_ctx *ctx)
{
	return ctx->path;
}

/*
 * Create an empty file with mode 0600 whatever the umask. SQLite gives its
 * journal, WAL and shm files the mode of the database file, so this one
 * fchmod covers them all.
 */
static int create_private_file(dt_ctx *ctx, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0) {
		if (errno == EEXIST)
			return DT_OK;
		return dt__error(ctx, DT_EIO, "cannot create database '%s': %s", path, strerror(errno));
	}
	if (fchmod(fd, 0600) != 0) {
		int e = errno;
		close(fd);
		return dt__error(ctx, DT_EIO, "cannot set mode 0600 on '%s': %s", path, strerror(e));
	}
	close(fd);
	return DT_OK;
}

static int pragma_int(dt_ctx *ctx, const char *sql, int *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(ctx->db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Is this file ours, and of the schema version we write? */
static int check_schema(dt_ctx *ctx, int create)
{
	int appid = 0, version = 0, objects = 0;
	int rc = pragma_int(ctx, "PRAGMA application_id", &appid);

	if (rc == SQLITE_OK)
		rc = pragma_int(ctx, "PRAGMA user_version", &version);
	if (rc == SQLITE_OK)
		rc = pragma_int(ctx, "SELECT count(*) FROM sqlite_schema", &objects);
	if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
		return dt__error(ctx, DT_ECORRUPT, "'%s' is not an rdlz database (%s)", ctx->path,
		                 sqlite3_errstr(rc));
	if (rc != SQLITE_OK)
		return dt__sqlerr(ctx, rc, ctx->path);
	if (objects > 0 && appid != DT_APPLICATION_ID)
		return dt__error(ctx, DT_ESCHEMA, "'%s' is an SQLite database but not an rdlz one", ctx->path);
	if (version > dt_schema_version())
		return dt__error(ctx, DT_ESCHEMA,
		                 "'%s' has schema version %d, newer than this rdlz's %d; upgrade rdlz",
		                 ctx->path, version, dt_schema_version());
	if (create)
		return DT_OK;
	if (objects == 0)
		return dt__error(ctx, DT_ESCHEMA, "'%s' is empty; run 'rdlz init' first", ctx->path);
	if (version < dt_schema_version())
		return dt__error(ctx, DT_ESCHEMA,
		                 "'%s' has schema version %d, older than this rdlz's %d; run 'rdlz init' to migrate it",
		                 ctx->path, version, dt_schema_version());
	return DT_OK;
}

static int parse_env_now(dt_ctx *ctx)
{
	const char *now = getenv("RDLZ_NOW");
	int64_t t;
	int rc;

	if (!now || !*now)
		return DT_OK;
	rc = dt_time_parse(ctx, now, &t);
	if (rc != DT_OK)
		return dt__error(ctx, DT_EUSAGE, "RDLZ_NOW: '%s' is not an ISO-8601 time with offset", now);
	ctx->fixed_now = ctx->env_now = t;
	return DT_OK;
}

/* RDLZ_BUSY_TIMEOUT_MS: the setting lives in the database, so it cannot
 * govern the wait for the lock needed to read it; this can. */
static int parse_env_busy_timeout(dt_ctx *ctx, int *ms)
{
	const char *v = getenv("RDLZ_BUSY_TIMEOUT_MS");
	char *end;
	long n;

	*ms = -1;
	if (!v || !*v)
		return DT_OK;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || *v < '0' || *v > '9' || n > 600000)
		return dt__error(ctx, DT_EUSAGE, "RDLZ_BUSY_TIMEOUT_MS: '%s' is not a number of milliseconds "
		                 "from 0 to 600000", v);
	*ms = (int)n;
	return DT_OK;
}

static int set_journal_mode(dt_ctx *ctx)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA journal_mode=%s", dt_journal_mode());
	return dt__exec(ctx, sql);
}

static int open_database(dt_ctx *ctx, const dt_open_options *o)
{
	struct stat sb;
	int flags, rc, env_ms;
	int64_t timeout;

	if (stat(ctx->path, &sb) != 0) {
		if (!o->create)
			return dt__error(ctx, DT_ESCHEMA, "no database at '%s'; run 'rdlz init' first (or give --db)",
			                 ctx->path);
		rc = create_private_file(ctx, ctx->path);
		if (rc != DT_OK)
			return rc;
	} else if (!S_ISREG(sb.st_mode)) {
		return dt__error(ctx, DT_EUSAGE, "'%s' is not a regular file", ctx->path);
	}
	flags = o->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	/* one connection per context, used by one thread at a time: no mutexes */
	rc = sqlite3_open_v2(ctx->path, &ctx->db, flags | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK)
		return dt__error(ctx, DT_EIO, "cannot open '%s': %s", ctx->path,
		                 ctx->db ? sqlite3_errmsg(ctx->db) : sqlite3_errstr(rc));
	sqlite3_extended_result_codes(ctx->db, 1);
	rc = parse_env_busy_timeout(ctx, &env_ms);
	if (rc != DT_OK)
		return rc;
	ctx->busy_timeout_ms = o->busy_timeout_ms >= 0 ? o->busy_timeout_ms : env_ms >= 0 ? env_ms : 5000;
	sqlite3_busy_timeout(ctx->db, ctx->busy_timeout_ms);
	rc = check_schema(ctx, o->create);
	if (rc != DT_OK)
		return rc;
	rc = dt__exec(ctx, "PRAGMA foreign_keys=ON");
	if (rc == DT_OK && o->create)
		rc = set_journal_mode(ctx);
	if (rc == DT_OK && o->create) {
		char sql[64];
		/* only `rdlz init` creates or migrates: say so in the audit log */
		if (!ctx->command)
			ctx->command = strdup("init");
		snprintf(sql, sizeof(sql), "PRAGMA application_id=%d", DT_APPLICATION_ID);
		rc = dt__exec(ctx, sql);
		if (rc == DT_OK)
			rc = dt__schema_migrate(ctx);
	}
	if (rc != DT_OK)
		return rc;
	if (o->busy_timeout_ms < 0 && env_ms < 0 && dt__config_int(ctx, "db.busy_timeout_ms", &timeout) == DT_OK) {
		ctx->busy_timeout_ms = (int)timeout;
		sqlite3_busy_timeout(ctx->db, ctx->busy_timeout_ms);
	}
	return dt__tz_apply(ctx);
}

int dt_ctx_open(dt_ctx **out, const dt_open_options *opts)
{
	dt_open_options o = DT_OPEN_OPTIONS_INIT;
	const char *path;
	dt_ctx *ctx;
	int rc;

	*out = NULL;
	if (opts)
		o = *opts;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return DT_ENOMEM;
	*out = ctx;
	ctx->fixed_now = ctx->env_now = -1;
	ctx->busy_timeout_ms = 5000;
	path = o.path;
	if (!path || !*path)
		path = getenv("RDLZ_DB");
	if (!path || !*path)
		path = "rdlz.db";
	ctx->path = strdup(path);
	ctx->actor = default_actor();
	if (!ctx->path || !ctx->actor)
		return dt__error(ctx, DT_ENOMEM, "out of memory");
	rc = parse_env_now(ctx);
	if (rc != DT_OK)
		return rc;
	return open_database(ctx, &o);
}

void dt_ctx_free(dt_ctx *ctx)
{
	if (!ctx)
		return;
	sqlite3_finalize(ctx->archive_add);
	if (ctx->db) {
		if (ctx->in_tx)
			sqlite3_exec(ctx->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close_v2(ctx->db);
	}
	free(ctx->path);
	free(ctx->actor);
	free(ctx->command);
	free(ctx);
}
