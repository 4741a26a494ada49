/*
 * The audit log, hash-chained: each entry's hash covers its own fields and
 * the previous entry's hash, so editing or removing an entry breaks every
 * link after it. A cut-off tail leaves a valid shorter chain, which is why
 * dt_check can compare against a head hash kept elsewhere.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

typedef struct {
	int64_t id;
	int64_t at;
	const char *actor;
	const char *command;
	const char *change;
	const char *prev;
} audit_entry;

/* Length-prefix each field so no choice of text can make two different
 * entries hash alike. */
static void hash_field(crypto_hash_sha256_state *h, const char *s)
{
	char len[24];
	size_t n = strlen(s);

	snprintf(len, sizeof(len), "%zu:", n);
	crypto_hash_sha256_update(h, (const unsigned char *)len, strlen(len));
	crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

static void entry_hash(const audit_entry *e, char hex[65])
{
	crypto_hash_sha256_state h;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char num[24];

	crypto_hash_sha256_init(&h);
	hash_field(&h, e->prev);
	snprintf(num, sizeof(num), "%" PRId64, e->id);
	hash_field(&h, num);
	snprintf(num, sizeof(num), "%" PRId64, e->at);
	hash_field(&h, num);
	hash_field(&h, e->actor);
	hash_field(&h, e->command);
	hash_field(&h, e->change);
	crypto_hash_sha256_final(&h, digest);
	sodium_bin2hex(hex, 65, digest, sizeof(digest));
}

int dt__audit(dt_ctx *ctx, const char *change_fmt, ...)
{
	char change[DT_ERRMSG_MAX], prev[65] = "", hex[65];
	audit_entry e = { 0 };
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, change_fmt);
	vsnprintf(change, sizeof(change), change_fmt, ap);
	va_end(ap);
	rc = dt__prepare(ctx, &st, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
	if (rc != DT_OK)
		return rc;
	e.id = 1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		e.id = sqlite3_column_int64(st, 0) + 1;
		snprintf(prev, sizeof(prev), "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	e.at = dt_ctx_now(ctx);
	e.actor = dt_ctx_actor(ctx);
	e.command = ctx->command ? ctx->command : "api";
	e.change = change;
	e.prev = prev;
	entry_hash(&e, hex);
	rc = dt__prepare(ctx, &st,
	                 "INSERT INTO audit(id, at, actor, command, change, prev, hash)"
	                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, e.id);
	sqlite3_bind_int64(st, 2, e.at);
	sqlite3_bind_text(st, 3, e.actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, e.command, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, e.change, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, e.prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, hex, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dt__sqlerr(ctx, rc, "writing the audit log");
	return DT_OK;
}

int dt__audit_reveal_rows(dt_ctx *ctx, const char *what, uint64_t rows)
{
	int rc = dt__begin(ctx);

	if (rc != DT_OK)
		return rc;
	rc = dt__audit(ctx, "unmasked export of personal data: %s, %" PRIu64 " rows", what, rows);
	return dt__end(ctx, rc);
}

int dt__audit_reveal(dt_ctx *ctx, const dt_writer *w, const char *what)
{
	if (!dt_writer_revealed(w))
		return DT_OK;
	return dt__audit_reveal_rows(ctx, what, dt_writer_rows(w));
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? (const char *)s : "";
}

int dt_audit_verify(dt_ctx *ctx, char head[65], uint64_t *entries)
{
	sqlite3_stmt *st;
	char prev[65] = "", hex[65];
	int64_t expect_id = 1;
	uint64_t n = 0;
	int rc = dt__prepare(ctx, &st,
	                     "SELECT id, at, actor, command, change, prev, hash FROM audit ORDER BY id");

	head[0] = '\0';
	if (rc != DT_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		audit_entry e = {
			sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), col_text(st, 2),
			col_text(st, 3), col_text(st, 4), col_text(st, 5),
		};

		if (e.id != expect_id || strcmp(e.prev, prev) != 0) {
			rc = dt__error(ctx, DT_ECORRUPT,
			               "audit log: entry %" PRId64 " does not follow entry %" PRId64
			               " (an entry was removed or edited)", e.id, expect_id - 1);
			goto out;
		}
		entry_hash(&e, hex);
		if (strcmp(hex, col_text(st, 6)) != 0) {
			rc = dt__error(ctx, DT_ECORRUPT, "audit log: entry %" PRId64 " was edited (its hash does not match)",
			               e.id);
			goto out;
		}
		memcpy(prev, hex, sizeof(prev));
		expect_id++;
		n++;
	}
	rc = rc == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, rc, "reading the audit log");
out:
	sqlite3_finalize(st);
	memcpy(head, prev, sizeof(prev));
	if (entries)
		*entries = n;
	return rc;
}

int dt_audit_has_hash(dt_ctx *ctx, const char *hex)
{
	sqlite3_stmt *st;
	int found;

	if (dt__prepare(ctx, &st, "SELECT 1 FROM audit WHERE hash = ?1") != DT_OK)
		return 0;
	sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

static const dt_column audit_columns[] = {
	{ "id", DT_COL_INT, 0 },      { "at", DT_COL_TEXT, 0 },     { "actor", DT_COL_TEXT, 0 },
	{ "command", DT_COL_TEXT, 0 }, { "change", DT_COL_TEXT, 0 }, { "hash", DT_COL_TEXT, 0 },
};

int dt_audit_list(dt_ctx *ctx, uint64_t limit, dt_writer *w)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     "SELECT id, at, actor, command, change, hash FROM ("
	                     " SELECT * FROM audit ORDER BY id DESC LIMIT ?1) ORDER BY id");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, limit ? (int64_t)limit : -1);
	rc = dt_writer_begin(w, audit_columns, 6);
	while (rc == DT_OK && dt__next(ctx, st, &rc)) {
		char at[40];
		dt_value v[6] = { { 0 } };

		v[0].i = sqlite3_column_int64(st, 0);
		v[1].text = dt_time_format(ctx, sqlite3_column_int64(st, 1), at, sizeof(at));
		for (int i = 2; i < 6; i++)
			v[i].text = col_text(st, i);
		rc = dt_writer_row(w, v);
	}
	sqlite3_finalize(st);
	if (rc == DT_OK)
		rc = dt_writer_end(w);
	return dt__writer_status(ctx, rc);
}
