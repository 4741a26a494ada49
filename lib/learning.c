/*
 * Learning (云课堂): the knowledge window's articles and the minutes
 * deputies spend reading them or watching an event again, recorded by
 * hand or from the e-learning platform's log.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "csvread.h"
#include "events_internal.h"

#define MAX_BODY_BYTES (1u << 20)

int dt_article_add(dt_ctx *ctx, const dt_article *a, int64_t *id)
{
	sqlite3_stmt *st;
	int64_t new_id = 0;
	int rc;

	if (!dt__one_line(a->title, 200))
		return dt__error(ctx, DT_EUSAGE, "an article needs a title: one line of UTF-8, at most 200 characters");
	if (!a->url == !a->body)
		return dt__error(ctx, DT_EUSAGE, "an article is either an address or a body of text");
	if (a->url && ((strncmp(a->url, "https://", 8) && strncmp(a->url, "http://", 7)) || strlen(a->url) > 2000 ||
	               strcspn(a->url, " \t\r\n\"<>") != strlen(a->url)))
		return dt__error(ctx, DT_EUSAGE, "'%.80s' is not an http(s) address", a->url);
	if (a->body && (!*a->body || strlen(a->body) > MAX_BODY_BYTES || !dt__utf8_valid(a->body, strlen(a->body))))
		return dt__error(ctx, DT_EDATA, "the body must be UTF-8 text of 1 byte to 1 MiB");
	for (size_t i = 0; i < a->ntags; i++)
		if (!dt__one_line(a->tags[i], 40) || strchr(a->tags[i], ','))
			return dt__error(ctx, DT_EUSAGE, "a tag is one line of at most 40 characters without a comma");
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__prepare(ctx, &st, "INSERT INTO article(title, url, body, created_at) VALUES (?1, ?2, ?3, ?4)");
	if (rc == DT_OK) {
		sqlite3_bind_text(st, 1, a->title, -1, SQLITE_STATIC);
		dt__bind_text_or_null(st, 2, a->url);
		dt__bind_text_or_null(st, 3, a->body);
		sqlite3_bind_int64(st, 4, dt_ctx_now(ctx));
		rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "saving an article");
		sqlite3_finalize(st);
		new_id = sqlite3_last_insert_rowid(ctx->db);
	}
	if (rc == DT_OK && a->ntags) {
		rc = dt__prepare(ctx, &st,
		                 "INSERT INTO article_tag(article_id, tag) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
		for (size_t i = 0; rc == DT_OK && i < a->ntags; i++) {
			sqlite3_bind_int64(st, 1, new_id);
			sqlite3_bind_text(st, 2, a->tags[i], -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "saving a tag");
			sqlite3_reset(st);
		}
		sqlite3_finalize(st);
	}
	if (rc == DT_OK)
		rc = dt__audit(ctx, "article %lld added", (long long)new_id);
	if (rc == DT_OK && id)
		*id = new_id;
	return dt__end(ctx, rc);
}

static const dt_column article_columns[] = {
	{ "id", DT_COL_INT, 0 },         { "title", DT_COL_TEXT, 0 },   { "url", DT_COL_TEXT, 0 },
	{ "tags", DT_COL_TEXT, 0 },      { "created_at", DT_COL_TEXT, 0 }, { "readers", DT_COL_INT, 0 },
	{ "minutes", DT_COL_INT, 0 },
};

int dt_article_list(dt_ctx *ctx, const char *tag, dt_writer *w)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     "SELECT a.id, a.title, a.url,"
	                     " (SELECT group_concat(tag, ',') FROM (SELECT tag FROM article_tag t WHERE t.article_id = a.id"
	                     " ORDER BY tag)), a.created_at,"
	                     " (SELECT count(DISTINCT deputy_id) FROM learning l WHERE l.article_id = a.id),"
	                     " (SELECT coalesce(sum(minutes), 0) FROM learning l WHERE l.article_id = a.id)"
	                     " FROM article a WHERE ?1 IS NULL OR EXISTS (SELECT 1 FROM article_tag t"
	                     " WHERE t.article_id = a.id AND t.tag = ?1) ORDER BY a.created_at DESC, a.id DESC");

	if (rc != DT_OK)
		return rc;
	dt__bind_text_or_null(st, 1, tag);
	rc = dt_writer_begin(w, article_columns, 7);
	while (rc == DT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		dt_value v[7] = { { 0 } };
		char at[40];

		v[0].i = sqlite3_column_int64(st, 0);
		v[1].text = (const char *)sqlite3_column_text(st, 1);
		v[2].is_null = sqlite3_column_type(st, 2) == SQLITE_NULL;
		v[2].text = (const char *)sqlite3_column_text(st, 2);
		v[3].text = sqlite3_column_type(st, 3) == SQLITE_NULL ? "" : (const char *)sqlite3_column_text(st, 3);
		v[4].text = dt_time_format(ctx, sqlite3_column_int64(st, 4), at, sizeof(at));
		v[5].i = sqlite3_column_int64(st, 5);
		v[6].i = sqlite3_column_int64(st, 6);
		rc = dt_writer_row(w, v);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = dt_writer_end(w);
	else if (rc > 0)
		return dt__sqlerr(ctx, rc, "reading articles");
	return dt__writer_status(ctx, rc);
}

/* Check and insert one session inside the caller's transaction; *added 1
 * when new. The message says what is wrong. */
static int add_learning(dt_ctx *ctx, int64_t deputy_id, int64_t article, int64_t event, int64_t minutes, int64_t at,
                        int *added)
{
	sqlite3_stmt *st;
	char ref[40];
	int rc;

	if (minutes < 1 || minutes > 1440)
		return dt__error(ctx, DT_EDATA, "%lld minutes is not 1 to 1440", (long long)minutes);
	if (at > dt_ctx_now(ctx))
		return dt__error(ctx, DT_EDATA, "the session's time is in the future");
	if (article > 0) {
		rc = dt__prepare(ctx, &st, "SELECT 1 FROM article WHERE id = ?1");
		if (rc != DT_OK)
			return rc;
		sqlite3_bind_int64(st, 1, article);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW)
			return dt__error(ctx, DT_ENOTFOUND, "no article %lld", (long long)article);
	}
	if (event > 0) {
		dt_event_info ev;

		rc = dt__event_get(ctx, event, &ev);
		if (rc == DT_OK)
			rc = dt__event_open_for_records(ctx, &ev, "learning");
		if (rc == DT_OK && at < ev.starts_at)
			rc = dt__error(ctx, DT_EDATA, "the session is before event %lld started", (long long)event);
		if (rc != DT_OK)
			return rc;
	}
	rc = dt__prepare(ctx, &st,
	                 "INSERT INTO learning(deputy_id, article_id, event_id, minutes, at) VALUES (?1, ?2, ?3, ?4, ?5)"
	                 " ON CONFLICT DO NOTHING");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, deputy_id);
	if (article > 0)
		sqlite3_bind_int64(st, 2, article);
	if (event > 0)
		sqlite3_bind_int64(st, 3, event);
	sqlite3_bind_int64(st, 4, minutes);
	sqlite3_bind_int64(st, 5, at);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dt__sqlerr(ctx, rc, "saving learning");
	*added = sqlite3_changes(ctx->db) > 0;
	if (!*added)
		return DT_OK;
	snprintf(ref, sizeof(ref), "learning:%lld", (long long)sqlite3_last_insert_rowid(ctx->db));
	return dt__archive_add(ctx, deputy_id, "learning", at, (double)minutes, ref);
}

int dt_learning_record(dt_ctx *ctx, const char *code, int64_t article, int64_t event, int64_t minutes, int64_t at)
{
	int64_t deputy_id;
	int retired, added = 0, rc;

	if (article > 0 && event > 0)
		return dt__error(ctx, DT_EUSAGE, "a session is an article or an event, not both");
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__deputy_lookup(ctx, code, &deputy_id, &retired);
	if (rc == DT_OK)
		rc = add_learning(ctx, deputy_id, article, event, minutes, at, &added);
	if (rc == DT_OK && !added)
		rc = dt__error(ctx, DT_EEXISTS, "this session of deputy %s is recorded already", code);
	if (rc == DT_OK)
		rc = dt__audit(ctx, "learning of %s: %lld minutes", code, (long long)minutes);
	return dt__end(ctx, rc);
}

typedef struct {
	dt_ctx *ctx;
	const char *name;
	int header_done;
	int col_code, col_minutes, col_time, col_article;
	uint64_t errors, added;
} learning_import;

static int learning_header(learning_import *im, uint64_t line, char **f, size_t n)
{
	im->col_code = im->col_minutes = im->col_time = im->col_article = -1;
	for (size_t i = 0; i < n; i++) {
		if (!strcasecmp(f[i], "code") || !strcmp(f[i], "代表编号") || !strcmp(f[i], "编号"))
			im->col_code = (int)i;
		else if (!strcasecmp(f[i], "minutes") || !strcmp(f[i], "分钟") || !strcmp(f[i], "学习时长"))
			im->col_minutes = (int)i;
		else if (!strcasecmp(f[i], "time") || !strcmp(f[i], "时间") || !strcmp(f[i], "学习时间"))
			im->col_time = (int)i;
		else if (!strcasecmp(f[i], "article") || !strcmp(f[i], "文章"))
			im->col_article = (int)i;
	}
	if (im->col_code < 0 || im->col_minutes < 0 || im->col_time < 0) {
		dt__diag(im->ctx, "%s:%llu: the header needs code, minutes and time (代表编号, 分钟, 时间)", im->name,
		         (unsigned long long)line);
		return DT_EDATA;
	}
	im->header_done = 1;
	return DT_OK;
}

static int whole_number(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!*s || *s == '-' || *s == '+')
		return 0;
	v = strtoll(s, &end, 10);
	*out = v;
	return !*end && v > 0 && v < INT32_MAX;
}

static int learning_row(void *ud, uint64_t line, char **f, size_t n)
{
	learning_import *im = ud;
	int64_t deputy_id, minutes, at, article = 0;
	int retired, added = 0, rc;
	const char *column = "code";
	char shown[64];

	if (!im->header_done)
		return learning_header(im, line, f, n);
	if (n == 1 && !*f[0])
		return DT_OK;
	if ((size_t)im->col_code >= n || (size_t)im->col_minutes >= n || (size_t)im->col_time >= n) {
		rc = dt__error(im->ctx, DT_EDATA, "the row has too few fields");
	} else if ((rc = dt__deputy_lookup(im->ctx, f[im->col_code], &deputy_id, &retired)) != DT_OK) {
		column = "code";
	} else if (!whole_number(f[im->col_minutes], &minutes)) {
		column = "minutes";
		rc = dt__error(im->ctx, DT_EDATA, "'%s' is not a whole number of minutes",
		               dt__shown(f[im->col_minutes], shown, sizeof(shown)));
	} else if (!dt__time_epoch(f[im->col_time], &at) && dt_time_parse_local(im->ctx, f[im->col_time], &at) != DT_OK) {
		column = "time";
		rc = DT_EDATA;
	} else if (im->col_article >= 0 && (size_t)im->col_article < n && *f[im->col_article] &&
	           !whole_number(f[im->col_article], &article)) {
		column = "article";
		rc = dt__error(im->ctx, DT_EDATA, "'%s' is not an article id",
		               dt__shown(f[im->col_article], shown, sizeof(shown)));
	} else {
		column = article ? "article" : "minutes";
		rc = add_learning(im->ctx, deputy_id, article, 0, minutes, at, &added);
	}
	if (rc != DT_OK)
		return dt__csv_row_failed(im->ctx, im->name, line, column, rc, &im->errors);
	im->added += (uint64_t)added;
	return DT_OK;
}

int dt_learning_import(dt_ctx *ctx, FILE *in, const char *name, const char *encoding, uint64_t *added)
{
	learning_import im = { 0 };
	dt_csv_options o = { name ? name : "-", encoding, 1024, 64 };
	int rc;

	im.ctx = ctx;
	im.name = o.name;
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__csv_read(ctx, in, &o, learning_row, &im);
	rc = dt__csv_outcome(ctx, im.name, rc, im.errors, im.header_done, "imported");
	if (rc == DT_OK && im.added)
		rc = dt__audit(ctx, "learning from %s: %llu sessions", im.name, (unsigned long long)im.added);
	if (rc == DT_OK && added)
		*added = im.added;
	return dt__end(ctx, rc);
}
