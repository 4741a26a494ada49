/*
 * Transactions and statement helpers shared by every module.
 */
#include <string.h>
#include "internal.h"

int dt__prepare(dt_ctx *ctx, sqlite3_stmt **st, const char *sql)
{
	int rc = sqlite3_prepare_v2(ctx->db, sql, -1, st, NULL);

	if (rc != SQLITE_OK)
		return dt__sqlerr(ctx, rc, "preparing a statement");
	return DT_OK;
}

int dt__exec(dt_ctx *ctx, const char *sql)
{
	int rc = sqlite3_exec(ctx->db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return dt__sqlerr(ctx, rc, ctx->path);
	return DT_OK;
}

int dt__begin(dt_ctx *ctx)
{
	int rc;

	if (ctx->in_tx)
		return dt__error(ctx, DT_ERROR, "internal error: nested transaction");
	rc = sqlite3_exec(ctx->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return dt__sqlerr(ctx, rc, ctx->path);
	ctx->in_tx = 1;
	return DT_OK;
}

int dt__commit(dt_ctx *ctx)
{
	int rc = sqlite3_exec(ctx->db, "COMMIT", NULL, NULL, NULL);

	if (rc != SQLITE_OK) {
		int status = dt__sqlerr(ctx, rc, ctx->path);
		dt__rollback(ctx);
		return status;
	}
	ctx->in_tx = 0;
	return DT_OK;
}

void dt__rollback(dt_ctx *ctx)
{
	if (!ctx->in_tx)
		return;
	/* Keep the message of the failure that led here. */
	if (!sqlite3_get_autocommit(ctx->db))
		sqlite3_exec(ctx->db, "ROLLBACK", NULL, NULL, NULL);
	ctx->in_tx = 0;
}

int dt__end(dt_ctx *ctx, int rc)
{
	if (rc != DT_OK) {
		dt__rollback(ctx);
		return rc;
	}
	return dt__commit(ctx);
}

int dt__bind_text_or_null(sqlite3_stmt *st, int idx, const char *s)
{
	if (!s || !*s)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
}

int dt__writer_status(dt_ctx *ctx, int rc)
{
	int read_failed = ctx->read_failed;

	ctx->read_failed = 0;
	if (rc != DT_OK && read_failed)
		return rc;
	switch (rc) {
	case DT_OK:
		return DT_OK;
	case DT_EIO:
		return dt__error(ctx, rc, "writing the output failed");
	case DT_ENOMEM:
		return dt__error(ctx, rc, "out of memory");
	default:
		return dt__error(ctx, rc, "internal error: writer misused");
	}
}
