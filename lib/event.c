/*
 * Events: creation, changes, cancellation and listings. A change deputies
 * must hear of (title, time, place, stream) bumps the revision; the
 * announcement producer (event_notify.c) compares it with the revision it
 * last announced.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "events_internal.h"

static const char *const kinds[] = { "meeting", "inquiry", "hearing", "forum", "training", "activity", NULL };
static const char *const families[] = { "meeting", "meeting", "hearing", "training", "training", "activity" };
static const char *const modes[] = { "onsite", "online", "partial", "excused", "absent", NULL };

const char *dt_event_kind_name(size_t i)
{
	return i < sizeof(kinds) / sizeof(kinds[0]) ? kinds[i] : NULL;
}

const char *dt_attendance_mode_name(size_t i)
{
	return i < sizeof(modes) / sizeof(modes[0]) ? modes[i] : NULL;
}

const char *dt__event_family(const char *kind)
{
	for (size_t i = 0; kinds[i]; i++)
		if (strcmp(kinds[i], kind) == 0)
			return families[i];
	return NULL;
}

const char *dt__event_kind_label(const char *kind)
{
	static const char *const labels[][2] = {
		{ "meeting", "会议列席" }, { "inquiry", "专题询问" }, { "hearing", "庭审旁听" },
		{ "forum", "论坛" },       { "training", "培训" },    { "activity", "活动" },
	};

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (!strcmp(labels[i][0], kind))
			return labels[i][1];
	return kind;
}

int dt__event_grace(dt_ctx *ctx, int64_t *seconds)
{
	int rc = dt__config_int(ctx, "attendance.grace_minutes", seconds);

	*seconds *= 60;
	return rc;
}

int dt__event_get(dt_ctx *ctx, int64_t id, dt_event_info *ev)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st, "SELECT kind, starts_at, ends_at, status FROM event WHERE id = ?1");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		ev->id = id;
		snprintf(ev->kind, sizeof(ev->kind), "%s", (const char *)sqlite3_column_text(st, 0));
		ev->starts_at = sqlite3_column_int64(st, 1);
		ev->ends_at = sqlite3_column_type(st, 2) == SQLITE_NULL ? DT_TIME_UNSET : sqlite3_column_int64(st, 2);
		ev->cancelled = strcmp((const char *)sqlite3_column_text(st, 3), "cancelled") == 0;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return DT_OK;
	return rc == SQLITE_DONE ? dt__error(ctx, DT_ENOTFOUND, "no event %lld", (long long)id)
	                         : dt__sqlerr(ctx, rc, "reading an event");
}

int dt__event_open_for_records(dt_ctx *ctx, const dt_event_info *ev, const char *what)
{
	char at[40];

	if (ev->cancelled)
		return dt__error(ctx, DT_ESTATE, "event %lld is cancelled: no %s can be recorded", (long long)ev->id, what);
	if (ev->starts_at > dt_ctx_now(ctx))
		return dt__error(ctx, DT_ESTATE, "event %lld starts at %s, in the future: no %s can be recorded yet",
		                 (long long)ev->id, dt_time_format(ctx, ev->starts_at, at, sizeof(at)), what);
	return DT_OK;
}

static int optional_text_ok(const char *s, size_t max_bytes)
{
	return !s || (strlen(s) <= max_bytes && dt__utf8_valid(s, strlen(s)));
}

/* Check an event as it will be stored; the message says what is wrong. */
static int check_event(dt_ctx *ctx, const dt_event *e)
{
	char a[40], b[40];

	if (!e->kind || !dt__event_family(e->kind))
		return dt__error(ctx, DT_EUSAGE, "kind '%s' is not one of meeting, inquiry, hearing, forum, training, activity",
		                 e->kind ? e->kind : "");
	if (!dt__one_line(e->title, 200))
		return dt__error(ctx, DT_EUSAGE, "an event needs a title: one line of UTF-8, at most 200 characters");
	if (e->starts_at == DT_TIME_UNSET)
		return dt__error(ctx, DT_EUSAGE, "an event needs a start time");
	if (e->ends_at != DT_TIME_UNSET && e->ends_at <= e->starts_at)
		return dt__error(ctx, DT_EUSAGE, "the end (%s) is not after the start (%s)",
		                 dt_time_format(ctx, e->ends_at, a, sizeof(a)), dt_time_format(ctx, e->starts_at, b, sizeof(b)));
	if (e->ends_at != DT_TIME_UNSET && e->ends_at - e->starts_at > 14 * 86400)
		return dt__error(ctx, DT_EUSAGE, "an event may last at most 14 days");
	if (strcmp(e->kind, "hearing") == 0 && (e->announce_at == DT_TIME_UNSET || e->announce_at >= e->starts_at))
		return dt__error(ctx, DT_EUSAGE,
		                 "a hearing must be announced before it starts: give an announce time earlier than %s",
		                 dt_time_format(ctx, e->starts_at, a, sizeof(a)));
	if (e->announce_at != DT_TIME_UNSET && e->announce_at > e->starts_at)
		return dt__error(ctx, DT_EUSAGE, "the announce time (%s) is after the start (%s)",
		                 dt_time_format(ctx, e->announce_at, a, sizeof(a)),
		                 dt_time_format(ctx, e->starts_at, b, sizeof(b)));
	if (e->stream_url && (strncmp(e->stream_url, "https://", 8) != 0 && strncmp(e->stream_url, "http://", 7) != 0))
		return dt__error(ctx, DT_EUSAGE, "the stream address must start with https:// or http://");
	if (e->stream_url && (strlen(e->stream_url) > 2000 || strcspn(e->stream_url, " \t\r\n\"<>") != strlen(e->stream_url)))
		return dt__error(ctx, DT_EUSAGE, "the stream address holds a space or a character an address cannot hold");
	if ((e->place && !dt__one_line(e->place, 200)) || (e->court && !dt__one_line(e->court, 200)))
		return dt__error(ctx, DT_EUSAGE, "a place or court is one line of UTF-8 of at most 200 characters");
	if (!optional_text_ok(e->case_summary, 4096))
		return dt__error(ctx, DT_EUSAGE, "the case summary must be UTF-8 text of at most 4096 bytes");
	return DT_OK;
}

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

static int time_or_null_bind(sqlite3_stmt *st, int idx, int64_t t)
{
	return t == DT_TIME_UNSET ? sqlite3_bind_null(st, idx) : sqlite3_bind_int64(st, idx, t);
}

/* The stored fields of e as parameters 2 to 10, in the order of the table. */
static void bind_fields(sqlite3_stmt *st, const dt_event *e)
{
	sqlite3_bind_text(st, 2, e->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, e->title, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, e->starts_at);
	time_or_null_bind(st, 5, e->ends_at);
	dt__bind_text_or_null(st, 6, e->place);
	dt__bind_text_or_null(st, 7, e->stream_url);
	time_or_null_bind(st, 8, e->announce_at);
	dt__bind_text_or_null(st, 9, e->court);
	dt__bind_text_or_null(st, 10, e->case_summary);
}

int dt_event_create(dt_ctx *ctx, const dt_event *in, int64_t *id)
{
	dt_event e = *in;
	unsigned char raw[16];
	char uid[48];
	sqlite3_stmt *st;
	int rc;

	e.place = or_null(e.place);
	e.stream_url = or_null(e.stream_url);
	e.court = or_null(e.court);
	e.case_summary = or_null(e.case_summary);
	rc = check_event(ctx, &e);
	if (rc != DT_OK)
		return rc;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(uid, sizeof(uid), raw, sizeof(raw));
	strcat(uid, "@rdlz");
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__prepare(ctx, &st,
	                 "INSERT INTO event(uid, kind, title, starts_at, ends_at, place, stream_url, announce_at, court,"
	                 " case_summary, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)");
	if (rc == DT_OK) {
		sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
		bind_fields(st, &e);
		sqlite3_bind_int64(st, 11, dt_ctx_now(ctx));
		rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "saving an event");
		sqlite3_finalize(st);
	}
	if (rc == DT_OK) {
		int64_t new_id = sqlite3_last_insert_rowid(ctx->db);

		rc = dt__audit(ctx, "event %lld created: %s", (long long)new_id, e.kind);
		if (id)
			*id = new_id;
	}
	return dt__end(ctx, rc);
}

/* A copy of a text column (NULL for NULL); 1 when the copy ran out of memory. */
static int copy_text(sqlite3_stmt *st, int i, const char **out)
{
	const char *v;

	*out = NULL;
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return 0;
	v = (const char *)sqlite3_column_text(st, i);
	*out = v ? strdup(v) : NULL;
	return !*out;
}

/* The stored event id into e; strings are copies the caller frees with free_event. */
static int load_event(dt_ctx *ctx, int64_t id, dt_event *e, int *cancelled)
{
	int oom = 0;
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     "SELECT kind, title, starts_at, ends_at, place, stream_url, announce_at, court, case_summary,"
	                     " status FROM event WHERE id = ?1");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
#define TIME(i) (sqlite3_column_type(st, i) == SQLITE_NULL ? DT_TIME_UNSET : sqlite3_column_int64(st, i))
		oom = copy_text(st, 0, &e->kind) | copy_text(st, 1, &e->title) | copy_text(st, 4, &e->place) |
		      copy_text(st, 5, &e->stream_url) | copy_text(st, 7, &e->court) | copy_text(st, 8, &e->case_summary);
		e->starts_at = sqlite3_column_int64(st, 2);
		e->ends_at = TIME(3);
		e->announce_at = TIME(6);
		*cancelled = strcmp((const char *)sqlite3_column_text(st, 9), "cancelled") == 0;
#undef TIME
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return oom || !e->kind || !e->title ? dt__error(ctx, DT_ENOMEM, "out of memory") : DT_OK;
	return rc == SQLITE_DONE ? dt__error(ctx, DT_ENOTFOUND, "no event %lld", (long long)id)
	                         : dt__sqlerr(ctx, rc, "reading an event");
}

static void free_event(dt_event *e)
{
	free((char *)e->kind);
	free((char *)e->title);
	free((char *)e->place);
	free((char *)e->stream_url);
	free((char *)e->court);
	free((char *)e->case_summary);
}

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Apply a change to one string field: NULL keeps, "" clears. */
static const char *changed_text(const char *cur, const char *change)
{
	return change ? or_null(change) : cur;
}

int dt_event_update(dt_ctx *ctx, int64_t id, const dt_event *c)
{
	dt_event old = DT_EVENT_INIT, e;
	sqlite3_stmt *st;
	int cancelled = 0, bump, rc;

	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = load_event(ctx, id, &old, &cancelled);
	if (rc == DT_OK && cancelled)
		rc = dt__error(ctx, DT_ESTATE, "event %lld is cancelled and cannot be changed", (long long)id);
	if (rc != DT_OK) {
		free_event(&old);
		return dt__end(ctx, rc);
	}
	e = old;
	if (c->kind)
		e.kind = c->kind;
	if (c->title)
		e.title = c->title;
	if (c->starts_at != DT_TIME_UNSET)
		e.starts_at = c->starts_at;
	if (c->ends_at != DT_TIME_UNSET)
		e.ends_at = c->ends_at;
	if (c->announce_at != DT_TIME_UNSET)
		e.announce_at = c->announce_at;
	e.place = changed_text(old.place, c->place);
	e.stream_url = changed_text(old.stream_url, c->stream_url);
	e.court = changed_text(old.court, c->court);
	e.case_summary = changed_text(old.case_summary, c->case_summary);
	rc = check_event(ctx, &e);
	bump = rc == DT_OK && (!same_text(e.title, old.title) || e.starts_at != old.starts_at || e.ends_at != old.ends_at ||
	       !same_text(e.place, old.place) || !same_text(e.stream_url, old.stream_url));
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st,
		                 "UPDATE event SET kind = ?2, title = ?3, starts_at = ?4, ends_at = ?5, place = ?6,"
		                 " stream_url = ?7, announce_at = ?8, court = ?9, case_summary = ?10,"
		                 " revision = revision + ?11, updated_at = ?12 WHERE id = ?1");
	if (rc == DT_OK) {
		sqlite3_bind_int64(st, 1, id);
		bind_fields(st, &e);
		sqlite3_bind_int(st, 11, bump);
		sqlite3_bind_int64(st, 12, dt_ctx_now(ctx));
		rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "changing an event");
		sqlite3_finalize(st);
	}
	if (rc == DT_OK)
		rc = dt__audit(ctx, "event %lld changed%s", (long long)id, bump ? " (deputies are told)" : "");
	free_event(&old);
	return dt__end(ctx, rc);
}

int dt_event_cancel(dt_ctx *ctx, int64_t id, const char *reason)
{
	dt_event_info ev;
	sqlite3_stmt *st;
	int rc;

	if (reason && *reason && !dt__one_line(reason, 500))
		return dt__error(ctx, DT_EUSAGE, "the reason must be one line of UTF-8, at most 500 characters");
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__event_get(ctx, id, &ev);
	if (rc == DT_OK && ev.cancelled)
		rc = dt__error(ctx, DT_ESTATE, "event %lld is already cancelled", (long long)id);
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st,
		                 "UPDATE event SET status = 'cancelled', cancel_reason = ?2, updated_at = ?3 WHERE id = ?1");
	if (rc == DT_OK) {
		sqlite3_bind_int64(st, 1, id);
		dt__bind_text_or_null(st, 2, reason);
		sqlite3_bind_int64(st, 3, dt_ctx_now(ctx));
		rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "cancelling an event");
		sqlite3_finalize(st);
	}
	if (rc == DT_OK)
		rc = dt__audit(ctx, "event %lld cancelled", (long long)id);
	return dt__end(ctx, rc);
}

static const dt_column event_columns[] = {
	{ "id", DT_COL_INT, 0 },           { "kind", DT_COL_TEXT, 0 },       { "title", DT_COL_TEXT, 0 },
	{ "starts_at", DT_COL_TEXT, 0 },   { "ends_at", DT_COL_TEXT, 0 },    { "place", DT_COL_TEXT, 0 },
	{ "stream_url", DT_COL_TEXT, 0 },  { "status", DT_COL_TEXT, 0 },     { "attendees", DT_COL_INT, 0 },
	{ "comments", DT_COL_INT, 0 },     { "announce_at", DT_COL_TEXT, 0 }, { "court", DT_COL_TEXT, 0 },
	{ "case_summary", DT_COL_TEXT, 0 }, { "cancel_reason", DT_COL_TEXT, 0 }, { "revision", DT_COL_INT, 0 },
	{ "uid", DT_COL_TEXT, 0 },
};
#define LIST_COLUMNS 10
#define SHOW_COLUMNS (sizeof(event_columns) / sizeof(event_columns[0]))

#define EVENT_SELECT                                                                                   \
	"SELECT e.id, e.kind, e.title, e.starts_at, e.ends_at, e.place, e.stream_url, e.status,"       \
	" (SELECT count(*) FROM attendance a WHERE a.event_id = e.id AND a.mode IN ('onsite', 'online')),"  \
	" (SELECT count(*) FROM comment c WHERE c.event_id = e.id AND c.hidden_at IS NULL),"            \
	" e.announce_at, e.court, e.case_summary, e.cancel_reason, e.revision, e.uid FROM event e"

/* Write the event rows of st (EVENT_SELECT) with ncols columns. */
static int write_events(dt_ctx *ctx, sqlite3_stmt *st, size_t ncols, dt_writer *w, int *any)
{
	int rc = dt_writer_begin(w, event_columns, ncols);

	*any = 0;
	while (rc == DT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		dt_value v[SHOW_COLUMNS] = { { 0 } };
		char t[3][40];

		*any = 1;
		for (size_t i = 0; i < ncols; i++) {
			v[i].is_null = sqlite3_column_type(st, (int)i) == SQLITE_NULL;
			if (event_columns[i].type == DT_COL_INT)
				v[i].i = sqlite3_column_int64(st, (int)i);
			else
				v[i].text = (const char *)sqlite3_column_text(st, (int)i);
		}
		if (!v[3].is_null)
			v[3].text = dt_time_format(ctx, sqlite3_column_int64(st, 3), t[0], sizeof(t[0]));
		if (!v[4].is_null)
			v[4].text = dt_time_format(ctx, sqlite3_column_int64(st, 4), t[1], sizeof(t[1]));
		if (ncols > 10 && !v[10].is_null)
			v[10].text = dt_time_format(ctx, sqlite3_column_int64(st, 10), t[2], sizeof(t[2]));
		rc = dt_writer_row(w, v);
	}
	if (rc == SQLITE_DONE)
		rc = dt_writer_end(w);
	else if (rc > 0)
		return dt__sqlerr(ctx, rc, "reading events");
	return dt__writer_status(ctx, rc);
}

int dt_event_list(dt_ctx *ctx, const dt_event_filter *f, dt_writer *w)
{
	sqlite3_stmt *st;
	int any, rc;

	if (f->kind && !dt__event_family(f->kind))
		return dt__error(ctx, DT_EUSAGE, "kind '%s' is not one of meeting, inquiry, hearing, forum, training, activity",
		                 f->kind);
	rc = dt__prepare(ctx, &st,
	                 EVENT_SELECT " WHERE (?1 IS NULL OR e.kind = ?1) AND (?2 IS NULL OR e.starts_at >= ?2)"
	                 " AND (?3 IS NULL OR e.starts_at < ?3) AND (NOT ?4 OR (e.status = 'scheduled' AND"
	                 " coalesce(e.ends_at, e.starts_at) >= ?5)) ORDER BY e.starts_at, e.id");
	if (rc != DT_OK)
		return rc;
	dt__bind_text_or_null(st, 1, f->kind);
	time_or_null_bind(st, 2, f->from);
	time_or_null_bind(st, 3, f->to);
	sqlite3_bind_int(st, 4, f->upcoming);
	sqlite3_bind_int64(st, 5, dt_ctx_now(ctx));
	rc = write_events(ctx, st, LIST_COLUMNS, w, &any);
	sqlite3_finalize(st);
	return rc;
}

int dt_event_show(dt_ctx *ctx, int64_t id, dt_writer *w)
{
	dt_event_info ev;
	sqlite3_stmt *st;
	int any, rc = dt__event_get(ctx, id, &ev);

	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st, EVENT_SELECT " WHERE e.id = ?1");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = write_events(ctx, st, SHOW_COLUMNS, w, &any);
	sqlite3_finalize(st);
	return rc;
}
