/*
 * rdlz check and rdlz backup.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

static const dt_column check_columns[] = {
	{ "check", DT_COL_TEXT, 0 },
	{ "status", DT_COL_TEXT, 0 },
	{ "detail", DT_COL_TEXT, 0 },
};

static int report(dt_writer *w, const char *check, int ok, const char *detail)
{
	dt_value v[3] = { { 0 } };

	v[0].text = check;
	v[1].text = ok ? "ok" : "FAILED";
	v[2].text = detail;
	return dt_writer_row(w, v);
}

/* The first row of a check query, or "ok" when it returns none / "ok". */
static int sqlite_check(dt_ctx *ctx, const char *sql, char *detail, size_t size)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st, sql), ok = 1;

	if (rc != DT_OK) {
		snprintf(detail, size, "%s", dt_errmsg(ctx));
		return 0;
	}
	snprintf(detail, size, "ok");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		int n = sqlite3_column_count(st);

		if (n == 1 && t && strcmp(t, "ok") == 0)
			continue;
		ok = 0;
		if (n >= 4) /* foreign_key_check: table, rowid, parent, fkid */
			snprintf(detail, size, "row %lld of %s refers to a missing %s row",
			         (long long)sqlite3_column_int64(st, 1), t, sqlite3_column_text(st, 2));
		else
			snprintf(detail, size, "%s", t ? t : "failed");
		break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		ok = 0;
		snprintf(detail, size, "%s", sqlite3_errmsg(ctx->db));
	}
	sqlite3_finalize(st);
	return ok;
}

int dt_check(dt_ctx *ctx, const char *expect_head, dt_writer *w)
{
	char detail[DT_ERRMSG_MAX], head[65], first_fail[DT_ERRMSG_MAX + 32] = "", mode[32];
	uint64_t entries = 0;
	int ok, rc;

	rc = dt_writer_begin(w, check_columns, 3);
	/* the mode the file is in, which a copy made elsewhere may have changed */
	sqlite_check(ctx, "PRAGMA journal_mode", mode, sizeof(mode));
	snprintf(detail, sizeof(detail), "SQLite %s, journal mode %s (%s)", dt_sqlite_version(), mode,
	         dt_journal_mode_reason());
	if (rc == DT_OK)
		rc = report(w, "sqlite", 1, detail);
	ok = sqlite_check(ctx, "PRAGMA integrity_check", detail, sizeof(detail));
	if (!ok && !*first_fail)
		snprintf(first_fail, sizeof(first_fail), "integrity: %s", detail);
	if (rc == DT_OK)
		rc = report(w, "integrity", ok, detail);
	ok = sqlite_check(ctx, "PRAGMA foreign_key_check", detail, sizeof(detail));
	if (!ok && !*first_fail)
		snprintf(first_fail, sizeof(first_fail), "foreign keys: %s", detail);
	if (rc == DT_OK)
		rc = report(w, "foreign_keys", ok, detail);
	ok = dt_audit_verify(ctx, head, &entries) == DT_OK;
	if (ok)
		snprintf(detail, sizeof(detail), "%llu entries, head %s", (unsigned long long)entries,
		         *head ? head : "(empty)");
	else
		snprintf(detail, sizeof(detail), "%s", dt_errmsg(ctx));
	if (!ok && !*first_fail)
		snprintf(first_fail, sizeof(first_fail), "%s", detail);
	if (rc == DT_OK)
		rc = report(w, "audit_chain", ok, detail);
	if (expect_head) {
		ok = dt_audit_has_hash(ctx, expect_head);
		snprintf(detail, sizeof(detail), ok ? "the chain holds %s" : "the chain no longer reaches %s (entries were cut off or replaced)",
		         expect_head);
		if (!ok && !*first_fail)
			snprintf(first_fail, sizeof(first_fail), "audit head: %s", detail);
		if (rc == DT_OK)
			rc = report(w, "audit_head", ok, detail);
	}
	if (rc == DT_OK)
		rc = dt_writer_end(w);
	if (rc != DT_OK)
		return dt__writer_status(ctx, rc);
	if (*first_fail)
		return dt__error(ctx, DT_ECORRUPT, "check failed: %s: %s", ctx->path, first_fail);
	return DT_OK;
}

/*
 * Copy into a temporary file beside dest and rename it into place once
 * whole, so a failed backup never leaves a half-copy under the real name.
 */
int dt_backup(dt_ctx *ctx, const char *dest)
{
	size_t n = strlen(dest) + 16;
	char *tmp = malloc(n);
	sqlite3 *out = NULL;
	sqlite3_backup *b;
	int fd, rc;

	if (!tmp)
		return dt__error(ctx, DT_ENOMEM, "out of memory");
	snprintf(tmp, n, "%s.tmp-XXXXXX", dest);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = dt__error(ctx, DT_EIO, "cannot create '%s': %s", dest, strerror(errno));
		free(tmp);
		return rc;
	}
	fchmod(fd, 0600);
	close(fd);
	rc = sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK) {
		b = sqlite3_backup_init(out, "main", ctx->db, "main");
		if (b) {
			do {
				rc = sqlite3_backup_step(b, 256);
				if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
					sqlite3_sleep(50);
			} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
			sqlite3_backup_finish(b);
			rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
		} else {
			rc = sqlite3_errcode(out);
		}
	}
	if (rc != SQLITE_OK) {
		rc = dt__error(ctx, rc == SQLITE_FULL ? DT_EIO : DT_ERROR, "backup to '%s' failed: %s", dest,
		               out ? sqlite3_errmsg(out) : sqlite3_errstr(rc));
		sqlite3_close(out);
		unlink(tmp);
		free(tmp);
		return rc;
	}
	sqlite3_close(out);
	if (rename(tmp, dest) != 0) {
		rc = dt__error(ctx, DT_EIO, "cannot move the backup into '%s': %s", dest, strerror(errno));
		unlink(tmp);
		free(tmp);
		return rc;
	}
	free(tmp);
	return DT_OK;
}
