/*
 * Comments at meetings and inquiries, messages at hearings: posted one by
 * one or imported from the streaming service's export, and moderated by
 * hiding (a hidden comment is kept for the record, but neither listed nor
 * counted, and leaves the duty archive).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "csvread.h"
#include "events_internal.h"

#define MAX_COMMENT_BYTES 4096

/* Insert one comment; *added 1 when new, 0 when it was there. */
static int add_comment(dt_ctx *ctx, const dt_event_info *ev, int64_t deputy_id, int64_t at, const char *text,
                       int64_t *id, int *added)
{
	sqlite3_stmt *st;
	char ref[40];
	int rc = dt__prepare(ctx, &st,
	                     "INSERT INTO comment(event_id, deputy_id, at, text) VALUES (?1, ?2, ?3, ?4)"
	                     " ON CONFLICT DO NOTHING");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, ev->id);
	sqlite3_bind_int64(st, 2, deputy_id);
	sqlite3_bind_int64(st, 3, at);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dt__sqlerr(ctx, rc, "saving a comment");
	*added = sqlite3_changes(ctx->db) > 0;
	if (!*added)
		return DT_OK;
	*id = sqlite3_last_insert_rowid(ctx->db);
	snprintf(ref, sizeof(ref), "comment:%lld", (long long)*id);
	return dt__archive_add(ctx, deputy_id, "comment_posted", at, 1, ref);
}

static int text_ok(const char *text)
{
	size_t n = text ? strlen(text) : 0;
	dt_text_info info;

	return n && n <= MAX_COMMENT_BYTES && dt__text_scan(text, n, &info) == DT_TEXT_OK && !info.controls &&
	       strspn(text, " \t\r\n") < n;
}

int dt_comment_post(dt_ctx *ctx, int64_t event, const char *code, const char *text, int64_t *id)
{
	dt_event_info ev;
	int64_t deputy_id, new_id = 0;
	int retired, added = 0, rc;

	if (!text_ok(text))
		return dt__error(ctx, DT_EDATA, "a comment is UTF-8 text of 1 to %d bytes without control characters",
		                 MAX_COMMENT_BYTES);
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__event_get(ctx, event, &ev);
	if (rc == DT_OK)
		rc = dt__event_open_for_records(ctx, &ev, "comment");
	if (rc == DT_OK)
		rc = dt__deputy_lookup(ctx, code, &deputy_id, &retired);
	if (rc == DT_OK && retired)
		rc = dt__error(ctx, DT_EUSAGE, "deputy %s is retired", code);
	if (rc == DT_OK)
		rc = add_comment(ctx, &ev, deputy_id, dt_ctx_now(ctx), text, &new_id, &added);
	if (rc == DT_OK && !added)
		rc = dt__error(ctx, DT_EEXISTS, "deputy %s posted this comment at this second already", code);
	if (rc == DT_OK)
		rc = dt__audit(ctx, "comment %lld on event %lld by %s", (long long)new_id, (long long)event, code);
	if (rc == DT_OK && id)
		*id = new_id;
	return dt__end(ctx, rc);
}

typedef struct {
	dt_ctx *ctx;
	const char *name;
	dt_event_info ev;
	int64_t grace;
	int header_done;
	int col_code, col_time, col_text;
	uint64_t errors, added, rows;
	sqlite3_stmt *lookup;
} comment_import;

static int comment_header(comment_import *im, uint64_t line, char **f, size_t n)
{
	im->col_code = im->col_time = im->col_text = -1;
	for (size_t i = 0; i < n; i++) {
		if (!strcasecmp(f[i], "code") || !strcmp(f[i], "代表编号") || !strcmp(f[i], "编号"))
			im->col_code = (int)i;
		else if (!strcasecmp(f[i], "time") || !strcmp(f[i], "时间") || !strcmp(f[i], "发言时间"))
			im->col_time = (int)i;
		else if (!strcasecmp(f[i], "text") || !strcmp(f[i], "内容") || !strcmp(f[i], "评论内容") ||
		         !strcmp(f[i], "留言内容"))
			im->col_text = (int)i;
	}
	if (im->col_code < 0 || im->col_time < 0 || im->col_text < 0) {
		dt__diag(im->ctx, "%s:%llu: the header needs code, time and text (代表编号, 时间, 内容)", im->name,
		         (unsigned long long)line);
		return DT_EDATA;
	}
	im->header_done = 1;
	return DT_OK;
}

static void comment_error(comment_import *im, uint64_t line, const char *column, const char *what, const char *value)
{
	char shown[64];

	if (++im->errors <= DT_CSV_MAX_REPORTED)
		dt__diag(im->ctx, "%s:%llu: column '%s': %s%s%s%s", im->name, (unsigned long long)line, column, what,
		         value ? " '" : "", value ? dt__shown(value, shown, sizeof(shown)) : "", value ? "'" : "");
}

static int comment_row(void *ud, uint64_t line, char **f, size_t n)
{
	comment_import *im = ud;
	int64_t deputy_id = 0, retired_at = INT64_MAX, at, id;
	int added, rc;

	if (!im->header_done)
		return comment_header(im, line, f, n);
	if (n == 1 && !*f[0])
		return DT_OK;
	im->rows++;
	if ((size_t)im->col_code >= n || (size_t)im->col_time >= n || (size_t)im->col_text >= n) {
		comment_error(im, line, "code", "the row has too few fields", NULL);
		return DT_OK;
	}
	sqlite3_bind_text(im->lookup, 1, f[im->col_code], -1, SQLITE_STATIC);
	rc = sqlite3_step(im->lookup);
	if (rc == SQLITE_ROW) {
		deputy_id = sqlite3_column_int64(im->lookup, 0);
		retired_at = sqlite3_column_type(im->lookup, 1) == SQLITE_NULL ? INT64_MAX
		                                                             : sqlite3_column_int64(im->lookup, 1);
	}
	sqlite3_reset(im->lookup);
	if (rc != SQLITE_ROW) {
		if (rc != SQLITE_DONE)
			return dt__sqlerr(im->ctx, rc, "looking up a deputy");
		comment_error(im, line, "code", "no deputy with code", f[im->col_code]);
		return DT_OK;
	}
	if (!dt__time_epoch(f[im->col_time], &at) && dt_time_parse_local(im->ctx, f[im->col_time], &at) != DT_OK) {
		comment_error(im, line, "time", "not a time that exists:", f[im->col_time]);
		return DT_OK;
	}
	if (at >= retired_at) {
		comment_error(im, line, "code", "the deputy had retired by then:", f[im->col_code]);
		return DT_OK;
	}
	if (at < im->ev.starts_at - im->grace || at > dt_ctx_now(im->ctx)) {
		comment_error(im, line, "time", "before the event or in the future:", f[im->col_time]);
		return DT_OK;
	}
	if (!text_ok(f[im->col_text])) {
		comment_error(im, line, "text", "empty, or holds control characters", NULL);
		return DT_OK;
	}
	if (im->errors)
		return DT_OK; /* nothing will be kept: stop writing, go on checking */
	rc = add_comment(im->ctx, &im->ev, deputy_id, at, f[im->col_text], &id, &added);
	im->added += (uint64_t)added;
	return rc;
}

int dt_comment_import(dt_ctx *ctx, int64_t event, FILE *in, const char *name, const char *encoding, uint64_t *added)
{
	comment_import im = { 0 };
	dt_csv_options o = { name ? name : "-", encoding, MAX_COMMENT_BYTES, 64 };
	int rc;

	im.ctx = ctx;
	im.name = o.name;
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__event_get(ctx, event, &im.ev);
	if (rc == DT_OK)
		rc = dt__event_open_for_records(ctx, &im.ev, "comment");
	if (rc == DT_OK)
		rc = dt__event_grace(ctx, &im.grace);
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &im.lookup, "SELECT id, retired_at FROM deputy WHERE code = ?1");
	if (rc == DT_OK)
		rc = dt__csv_read(ctx, in, &o, comment_row, &im);
	sqlite3_finalize(im.lookup);
	rc = dt__csv_outcome(ctx, im.name, rc, im.errors, im.header_done, "imported");
	if (rc == DT_OK && im.added)
		rc = dt__audit(ctx, "comments of event %lld from %s: %llu new", (long long)event, im.name,
		               (unsigned long long)im.added);
	if (rc == DT_OK && added)
		*added = im.added;
	return dt__end(ctx, rc);
}

static const dt_column comment_columns[] = {
	{ "id", DT_COL_INT, 0 },   { "code", DT_COL_TEXT, 0 },    { "name", DT_COL_TEXT, 0 },
	{ "at", DT_COL_TEXT, 0 },  { "text", DT_COL_TEXT, 0 },    { "hidden", DT_COL_BOOL, 0 },
	{ "hidden_reason", DT_COL_TEXT, 0 },
};

int dt_comment_list(dt_ctx *ctx, int64_t event, int include_hidden, dt_writer *w)
{
	dt_event_info ev;
	sqlite3_stmt *st;
	int rc = dt__event_get(ctx, event, &ev);

	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st,
		                 "SELECT c.id, d.code, d.name, c.at, c.text, c.hidden_at IS NOT NULL, c.hidden_reason"
		                 " FROM comment c JOIN deputy d ON d.id = c.deputy_id WHERE c.event_id = ?1"
		                 " AND (?2 OR c.hidden_at IS NULL) ORDER BY c.at, c.id");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, event);
	sqlite3_bind_int(st, 2, include_hidden);
	rc = dt_writer_begin(w, comment_columns, 7);
	while (rc == DT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		dt_value v[7] = { { 0 } };
		char at[40];

		v[0].i = sqlite3_column_int64(st, 0);
		v[1].text = (const char *)sqlite3_column_text(st, 1);
		v[2].text = (const char *)sqlite3_column_text(st, 2);
		v[3].text = dt_time_format(ctx, sqlite3_column_int64(st, 3), at, sizeof(at));
		v[4].text = (const char *)sqlite3_column_text(st, 4);
		v[5].i = sqlite3_column_int(st, 5);
		v[6].is_null = sqlite3_column_type(st, 6) == SQLITE_NULL;
		v[6].text = (const char *)sqlite3_column_text(st, 6);
		rc = dt_writer_row(w, v);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = dt_writer_end(w);
	else if (rc > 0)
		return dt__sqlerr(ctx, rc, "reading comments");
	return dt__writer_status(ctx, rc);
}

int dt_comment_hide(dt_ctx *ctx, int64_t id, const char *reason)
{
	sqlite3_stmt *st;
	char ref[40];
	int rc, hidden = -1;

	if (!reason || !dt__one_line(reason, 500))
		return dt__error(ctx, DT_EUSAGE, "hiding a comment needs a reason: one line of UTF-8, at most 500 characters");
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__prepare(ctx, &st, "SELECT hidden_at IS NOT NULL FROM comment WHERE id = ?1");
	if (rc == DT_OK) {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW)
			hidden = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (hidden < 0)
			rc = dt__error(ctx, DT_ENOTFOUND, "no comment %lld", (long long)id);
		else if (hidden)
			rc = dt__error(ctx, DT_ESTATE, "comment %lld is hidden already", (long long)id);
	}
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st, "UPDATE comment SET hidden_at = ?2, hidden_reason = ?3 WHERE id = ?1");
	if (rc == DT_OK) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, dt_ctx_now(ctx));
		sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "hiding a comment");
		sqlite3_finalize(st);
	}
	snprintf(ref, sizeof(ref), "comment:%lld", (long long)id);
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st, "DELETE FROM duty_record WHERE ref = ?1 AND kind = 'comment_posted'");
	if (rc == DT_OK) {
		sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "hiding a comment");
		sqlite3_finalize(st);
	}
	if (rc == DT_OK)
		rc = dt__audit(ctx, "comment %lld hidden: %s", (long long)id, reason);
	return dt__end(ctx, rc);
}
