/*
 * The duty archive (see archive.h for why it is a table). The kinds are
 * declared here, once; each module that produces records adds its kinds to
 * this list, and the ranking rules must name only these.
 */
#include <string.h>
#include "internal.h"

static const struct {
	const char *name;
	const char *unit;
} kinds[] = {
	/* cases */
	{ "suggestion_filed", "item" },  /* a micro-suggestion sent to a department */
	{ "request_taken", "item" },     /* a citizen's request taken by its deputy */
	{ "request_resolved", "item" },  /* a citizen's request handled */
	{ "case_rated", "item" },        /* the deputy rated a department's answer */
	/* events: attendance by family of event and mode; quantity in minutes
	 * (online, or the event's length on site; 0 when excused or absent) */
	{ "meeting_onsite", "minute" },  { "meeting_online", "minute" },  { "meeting_partial", "minute" },
	{ "meeting_excused", "minute" }, { "meeting_absent", "minute" },
	{ "hearing_onsite", "minute" },  { "hearing_online", "minute" },  { "hearing_partial", "minute" },
	{ "hearing_excused", "minute" }, { "hearing_absent", "minute" },
	{ "training_onsite", "minute" }, { "training_online", "minute" }, { "training_partial", "minute" },
	{ "training_excused", "minute" }, { "training_absent", "minute" },
	{ "activity_onsite", "minute" }, { "activity_online", "minute" }, { "activity_partial", "minute" },
	{ "activity_excused", "minute" }, { "activity_absent", "minute" },
	{ "comment_posted", "item" },    /* a comment or message at an event, while not hidden */
	{ "learning", "minute" },        /* an article read or an event watched again */
	/* surveys */
	{ "ballot_cast", "item" },       /* a ballot in a satisfaction survey (never what it said) */
	/* each module adds its kinds above this sentinel */
	{ NULL, NULL },
};

size_t dt_archive_kind_count(void)
{
	return sizeof(kinds) / sizeof(kinds[0]) - 1;
}

const char *dt_archive_kind_name(size_t i)
{
	return i < dt_archive_kind_count() ? kinds[i].name : NULL;
}

const char *dt_archive_kind_unit(size_t i)
{
	return i < dt_archive_kind_count() ? kinds[i].unit : NULL;
}

static const dt_column archive_columns[] = {
	{ "code", DT_COL_TEXT, 0 },      { "kind", DT_COL_TEXT, 0 }, { "occurred_at", DT_COL_TEXT, 0 },
	{ "quantity", DT_COL_REAL, 0 },  { "unit", DT_COL_TEXT, 0 }, { "ref", DT_COL_TEXT, 0 },
};

int dt_archive_list(dt_ctx *ctx, const char *code, int64_t from, int64_t to, dt_writer *w)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st, "SELECT 1 FROM deputy WHERE code = ?1");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? dt__error(ctx, DT_ENOTFOUND, "no deputy with code '%s'", code)
		                         : dt__sqlerr(ctx, rc, "looking up a deputy");
	rc = dt__prepare(ctx, &st,
	                 "SELECT d.code, r.kind, r.occurred_at, r.quantity, r.unit, r.ref"
	                 " FROM duty_record r JOIN deputy d ON d.id = r.deputy_id"
	                 " WHERE d.code = ?1 AND r.occurred_at >= ?2 AND r.occurred_at < ?3"
	                 " ORDER BY r.occurred_at, r.id");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	rc = dt_writer_begin(w, archive_columns, 6);
	while (rc == DT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		dt_value v[6] = { { 0 } };
		char at[40];

		v[0].text = (const char *)sqlite3_column_text(st, 0);
		v[1].text = (const char *)sqlite3_column_text(st, 1);
		v[2].text = dt_time_format(ctx, sqlite3_column_int64(st, 2), at, sizeof(at));
		v[3].r = sqlite3_column_double(st, 3);
		v[4].text = (const char *)sqlite3_column_text(st, 4);
		v[5].text = (const char *)sqlite3_column_text(st, 5);
		rc = dt_writer_row(w, v);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = dt_writer_end(w);
	else if (rc > 0)
		return dt__sqlerr(ctx, rc, "reading the archive");
	return dt__writer_status(ctx, rc);
}

static const char *unit_of(const char *kind)
{
	for (size_t i = 0; i < dt_archive_kind_count(); i++)
		if (strcmp(kinds[i].name, kind) == 0)
			return kinds[i].unit;
	return NULL;
}

int dt__archive_add(dt_ctx *ctx, int64_t deputy_id, const char *kind, int64_t at, double quantity, const char *ref)
{
	const char *unit = unit_of(kind);
	sqlite3_stmt *st = ctx->archive_add;
	int rc;

	if (!unit)
		return dt__error(ctx, DT_ERROR, "internal error: duty record kind '%s' is not declared", kind);
	if (!st) {
		rc = sqlite3_prepare_v3(ctx->db,
		                        "INSERT INTO duty_record(deputy_id, kind, occurred_at, quantity, unit, ref)"
		                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(kind, ref, deputy_id) DO NOTHING",
		                        -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
		if (rc != SQLITE_OK)
			return dt__sqlerr(ctx, rc, "recording a duty record");
		ctx->archive_add = st;
	}
	sqlite3_bind_int64(st, 1, deputy_id);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, at);
	sqlite3_bind_double(st, 4, quantity);
	sqlite3_bind_text(st, 5, unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, ref, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, rc, "recording a duty record");
}
