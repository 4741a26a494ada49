/*
 * The figures the original platform reports: per event, attendees by mode
 * and comments; per period and kind of event, sessions, person-times (人次:
 * one per deputy attending on site or online), distinct deputies, comments
 * and learning person-times. Cancelled events and hidden comments do not
 * count; partial online attendance is shown but is not a person-time.
 */
#include <string.h>
#include "events_internal.h"

static const dt_column event_stats_columns[] = {
	{ "id", DT_COL_INT, 0 },           { "kind", DT_COL_TEXT, 0 },       { "title", DT_COL_TEXT, 0 },
	{ "onsite", DT_COL_INT, 0 },       { "online", DT_COL_INT, 0 },      { "partial", DT_COL_INT, 0 },
	{ "excused", DT_COL_INT, 0 },      { "absent", DT_COL_INT, 0 },      { "person_times", DT_COL_INT, 0 },
	{ "online_minutes", DT_COL_INT, 0 }, { "comments", DT_COL_INT, 0 },  { "commenters", DT_COL_INT, 0 },
	{ "hidden_comments", DT_COL_INT, 0 }, { "learning", DT_COL_INT, 0 },
};
#define EVENT_STATS_COLUMNS (sizeof(event_stats_columns) / sizeof(event_stats_columns[0]))

int dt_event_stats(dt_ctx *ctx, int64_t id, dt_writer *w)
{
	dt_event_info ev;
	sqlite3_stmt *st;
	int rc = dt__event_get(ctx, id, &ev);

	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st,
		                 "SELECT e.id, e.kind, e.title,"
		                 " (SELECT count(*) FROM attendance WHERE event_id = e.id AND mode = 'onsite'),"
		                 " (SELECT count(*) FROM attendance WHERE event_id = e.id AND mode = 'online'),"
		                 " (SELECT count(*) FROM attendance WHERE event_id = e.id AND mode = 'partial'),"
		                 " (SELECT count(*) FROM attendance WHERE event_id = e.id AND mode = 'excused'),"
		                 " (SELECT count(*) FROM attendance WHERE event_id = e.id AND mode = 'absent'),"
		                 " (SELECT count(*) FROM attendance WHERE event_id = e.id AND mode IN ('onsite', 'online')),"
		                 " (SELECT coalesce(sum(minutes), 0) FROM attendance WHERE event_id = e.id),"
		                 " (SELECT count(*) FROM comment WHERE event_id = e.id AND hidden_at IS NULL),"
		                 " (SELECT count(DISTINCT deputy_id) FROM comment WHERE event_id = e.id AND hidden_at IS NULL),"
		                 " (SELECT count(*) FROM comment WHERE event_id = e.id AND hidden_at IS NOT NULL),"
		                 " (SELECT count(*) FROM learning WHERE event_id = e.id)"
		                 " FROM event e WHERE e.id = ?1");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = dt_writer_begin(w, event_stats_columns, EVENT_STATS_COLUMNS);
	if (rc == DT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		dt_value v[EVENT_STATS_COLUMNS] = { { 0 } };

		for (size_t i = 0; i < EVENT_STATS_COLUMNS; i++) {
			v[i].i = sqlite3_column_int64(st, (int)i);
			v[i].text = (const char *)sqlite3_column_text(st, (int)i);
		}
		rc = dt_writer_row(w, v);
		if (rc == DT_OK)
			rc = dt_writer_end(w);
	} else if (rc > 0) {
		sqlite3_finalize(st);
		return dt__sqlerr(ctx, rc, "counting an event");
	}
	sqlite3_finalize(st);
	return dt__writer_status(ctx, rc);
}

static const dt_column period_columns[] = {
	{ "kind", DT_COL_TEXT, 0 },     { "sessions", DT_COL_INT, 0 }, { "person_times", DT_COL_INT, 0 },
	{ "deputies", DT_COL_INT, 0 },  { "comments", DT_COL_INT, 0 }, { "learning", DT_COL_INT, 0 },
};

/* The row of kind ?3, the events being the
 * scheduled ones starting in [?1, ?2). */
#define PERIOD_SQL                                                                                             \
	"WITH ev AS (SELECT id FROM event WHERE status = 'scheduled' AND starts_at >= ?1 AND starts_at < ?2"      \
	" AND (?3 IS NULL OR kind = ?3))"                                                                          \
	" SELECT (SELECT count(*) FROM ev),"                                                                        \
	" (SELECT count(*) FROM attendance WHERE event_id IN ev AND mode IN ('onsite', 'online')),"                \
	" (SELECT count(DISTINCT deputy_id) FROM attendance WHERE event_id IN ev AND mode IN ('onsite', 'online')),"\
	" (SELECT count(*) FROM comment WHERE event_id IN ev AND hidden_at IS NULL),"                             \
	" (SELECT count(*) FROM learning WHERE event_id IN (SELECT id FROM event WHERE kind = ?3)"                \
	"  AND at >= ?1 AND at < ?2)"

/* Learning outside events: the knowledge window and the platform's courses. */
#define LEARNING_SQL                                                                                           \
	"SELECT (SELECT count(*) FROM article WHERE created_at >= ?1 AND created_at < ?2),"                        \
	" count(*), count(DISTINCT deputy_id), 0, count(*) FROM learning"                                          \
	" WHERE event_id IS NULL AND at >= ?1 AND at < ?2"

/* The total: every event, and every learning session. */
#define TOTAL_SQL                                                                                              \
	"WITH ev AS (SELECT id FROM event WHERE status = 'scheduled' AND starts_at >= ?1 AND starts_at < ?2)"     \
	" SELECT (SELECT count(*) FROM ev),"                                                                        \
	" (SELECT count(*) FROM attendance WHERE event_id IN ev AND mode IN ('onsite', 'online')),"                \
	" (SELECT count(DISTINCT deputy_id) FROM attendance WHERE event_id IN ev AND mode IN ('onsite', 'online')),"\
	" (SELECT count(*) FROM comment WHERE event_id IN ev AND hidden_at IS NULL),"                             \
	" (SELECT count(*) FROM learning WHERE at >= ?1 AND at < ?2)"

static int period_row(dt_ctx *ctx, const char *sql, const char *label, const char *kind, int64_t from, int64_t to,
                      dt_writer *w)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st, sql);

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	if (kind)
		sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		dt_value v[6] = { { 0 } };

		v[0].text = label;
		for (int i = 1; i < 6; i++)
			v[i].i = sqlite3_column_int64(st, i - 1);
		rc = dt__writer_status(ctx, dt_writer_row(w, v));
	} else {
		rc = dt__sqlerr(ctx, rc, "counting events");
	}
	sqlite3_finalize(st);
	return rc;
}

int dt_event_period_stats(dt_ctx *ctx, int64_t from, int64_t to, dt_writer *w)
{
	int rc;

	if (to <= from)
		return dt__error(ctx, DT_EUSAGE, "the period ends before it starts");
	rc = dt__writer_status(ctx, dt_writer_begin(w, period_columns, 6));
	for (size_t i = 0; rc == DT_OK && dt_event_kind_name(i); i++)
		rc = period_row(ctx, PERIOD_SQL, dt_event_kind_name(i), dt_event_kind_name(i), from, to, w);
	if (rc == DT_OK)
		rc = period_row(ctx, LEARNING_SQL, "learning", NULL, from, to, w);
	if (rc == DT_OK)
		rc = period_row(ctx, TOTAL_SQL, "total", NULL, from, to, w);
	if (rc == DT_OK)
		rc = dt__writer_status(ctx, dt_writer_end(w));
	return rc;
}
