/*
 * Announcements, the events module's reminder producer: when an event's
 * announce time has come every active deputy is told once of its title,
 * time, place and stream; a change after that sends a correction, and a
 * cancellation a notice of it. Events without an announce time are not
 * announced. Keys carry the revision, so a second run queues nothing new.
 */
#include <stdlib.h>
#include <string.h>
#include "events_internal.h"

/* Append "label value" to the body at *n, when the column has a value and
 * the body still has room (a notice is cut short, never overrun). */
static void add_line(char *body, size_t bsize, int *n, const char *label, sqlite3_stmt *st, int col)
{
	if (*n >= 0 && (size_t)*n < bsize && sqlite3_column_type(st, col) != SQLITE_NULL)
		*n += snprintf(body + *n, bsize - (size_t)*n, "%s%s\n", label, (const char *)sqlite3_column_text(st, col));
}

/* The notice of one event (st: the columns of the query below). */
static void compose(dt_ctx *ctx, sqlite3_stmt *st, int cancelled, int correction, char *subject, size_t ssize,
                    char *body, size_t bsize)
{
	const char *kind = (const char *)sqlite3_column_text(st, 1);
	const char *title = (const char *)sqlite3_column_text(st, 2);
	char starts[40], ends[40] = "";
	int n;

	dt_time_format(ctx, sqlite3_column_int64(st, 3), starts, sizeof(starts));
	if (sqlite3_column_type(st, 4) != SQLITE_NULL)
		dt_time_format(ctx, sqlite3_column_int64(st, 4), ends, sizeof(ends));
	snprintf(subject, ssize, "%s%s：%s", cancelled ? "【取消】" : correction ? "【更正】" : "", dt__event_kind_label(kind),
	         title);
	n = snprintf(body, bsize, "%s%s\n时间：%s%s%s\n", cancelled ? "以下活动已取消。\n" : correction ? "以下活动信息有变更，以本通知为准。\n" : "",
	             title, starts, *ends ? " 至 " : "", ends);
	add_line(body, bsize, &n, "地点：", st, 5);
	add_line(body, bsize, &n, "直播地址：", st, 6);
	add_line(body, bsize, &n, "法院：", st, 7);
	add_line(body, bsize, &n, "案情：", st, 8);
	if (cancelled)
		add_line(body, bsize, &n, "取消原因：", st, 9);
}

/* Queue the notice to every active deputy; the unreachable are skipped
 * (they show in list-deputies without e-mail). */
static int announce(dt_ctx *ctx, int64_t id, const char *tag, const char *subject, const char *body, uint64_t *queued)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st, "SELECT code FROM deputy WHERE status = 'active' AND code IS NOT NULL ORDER BY id");

	if (rc != DT_OK)
		return rc;
	while (rc == DT_OK && dt__next(ctx, st, &rc)) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		char key[160];
		int q = 0;

		snprintf(key, sizeof(key), "event-%lld-%s:%s", (long long)id, tag, code);
		rc = dt_outbox_queue_deputy(ctx, code, key, subject, body, &q);
		if (rc == DT_EDATA)
			rc = DT_OK;
		*queued += (uint64_t)q;
	}
	sqlite3_finalize(st);
	return rc;
}

int dt__event_announcements(dt_ctx *ctx, uint64_t *queued)
{
	sqlite3_stmt *st, *mark = NULL;
	int64_t now = dt_ctx_now(ctx);
	int rc = dt__prepare(ctx, &st,
	                     "SELECT id, kind, title, starts_at, ends_at, place, stream_url, court, case_summary,"
	                     " cancel_reason, status = 'cancelled', revision, announced FROM event"
	                     " WHERE announce_at IS NOT NULL AND announce_at <= ?1 AND"
	                     " ((status = 'scheduled' AND announced < revision AND coalesce(ends_at, starts_at) > ?1)"
	                     " OR (status = 'cancelled' AND announced > 0)) ORDER BY starts_at, id");

	*queued = 0;
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &mark, "UPDATE event SET announced = ?2 WHERE id = ?1");
	if (rc != DT_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	sqlite3_bind_int64(st, 1, now);
	while (rc == DT_OK && dt__next(ctx, st, &rc)) {
		int64_t id = sqlite3_column_int64(st, 0), revision = sqlite3_column_int64(st, 11);
		int cancelled = sqlite3_column_int(st, 10), correction = sqlite3_column_int64(st, 12) > 0;
		char subject[400], body[6000], tag[32];

		compose(ctx, st, cancelled, correction, subject, sizeof(subject), body, sizeof(body));
		if (cancelled)
			snprintf(tag, sizeof(tag), "cancelled");
		else
			snprintf(tag, sizeof(tag), "r%lld", (long long)revision);
		rc = announce(ctx, id, tag, subject, body, queued);
		if (rc == DT_OK) {
			sqlite3_bind_int64(mark, 1, id);
			sqlite3_bind_int64(mark, 2, cancelled ? -1 : revision);
			if (sqlite3_step(mark) != SQLITE_DONE)
				rc = dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "marking an announcement");
			sqlite3_reset(mark);
		}
	}
	sqlite3_finalize(st);
	sqlite3_finalize(mark);
	return rc;
}
