/*
 * Reading cases: one case with its timeline, listings with filters and
 * overdue detection, statistics, the reminders that overdue cases give,
 * the notices cases send, and erasing citizens' data from old cases.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "cases_internal.h"

static const dt_column case_columns[] = {
	{ "id", DT_COL_INT, 0 },          { "kind", DT_COL_TEXT, 0 },       { "state", DT_COL_TEXT, 0 },
	{ "deputy", DT_COL_TEXT, 0 },     { "department", DT_COL_TEXT, 0 }, { "category", DT_COL_TEXT, 0 },
	{ "title", DT_COL_TEXT, 0 },      { "citizen", DT_COL_TEXT, DT_COL_PERSONAL },
	{ "phone", DT_COL_TEXT, DT_COL_PHONE },
	{ "created_at", DT_COL_TEXT, 0 }, { "due_at", DT_COL_TEXT, 0 },     { "overdue", DT_COL_BOOL, 0 },
	/* the record of show-case only */
	{ "channel", DT_COL_TEXT, 0 },    { "text", DT_COL_TEXT, 0 },       { "place", DT_COL_TEXT, 0 },
	{ "round", DT_COL_INT, 0 },       { "rating", DT_COL_TEXT, 0 },     { "answer", DT_COL_TEXT, 0 },
	{ "tracking", DT_COL_TEXT, 0 },   { "photos", DT_COL_INT, 0 },      { "lat", DT_COL_REAL, 0 },
	{ "lng", DT_COL_REAL, 0 },
};
#define LIST_COLS 12
#define SHOW_COLS 22

#define CASE_SELECT                                                                                         \
	"SELECT c.id, c.kind, c.state, d.code, p.code, c.category, c.title, c.citizen_name, c.citizen_phone," \
	" c.created_at, c.due_at, (c.due_at IS NOT NULL AND c.due_at < ?1 AND " DT__CASE_OPEN "),"              \
	" c.channel, c.text, c.place, c.round, c.rating, c.answer, c.tracking,"                              \
	" (SELECT count(*) FROM case_photo cp WHERE cp.case_id = c.id), c.lat, c.lng"                         \
	" FROM cases c JOIN deputy d ON d.id = c.deputy_id LEFT JOIN department p ON p.id = c.department_id"

static int write_case(dt_ctx *ctx, sqlite3_stmt *st, dt_writer *w, int ncols)
{
	dt_value v[SHOW_COLS] = { { 0 } };
	char created[40], due[40];

	for (int i = 0; i < ncols; i++) {
		v[i].is_null = sqlite3_column_type(st, i) == SQLITE_NULL;
		if (case_columns[i].type == DT_COL_TEXT)
			v[i].text = (const char *)sqlite3_column_text(st, i);
		else if (case_columns[i].type == DT_COL_REAL)
			v[i].r = sqlite3_column_double(st, i);
		else
			v[i].i = sqlite3_column_int64(st, i);
	}
	v[9].text = dt_time_format(ctx, sqlite3_column_int64(st, 9), created, sizeof(created));
	if (!v[10].is_null)
		v[10].text = dt_time_format(ctx, sqlite3_column_int64(st, 10), due, sizeof(due));
	return dt_writer_row(w, v);
}

static const dt_column event_columns[] = {
	{ "at", DT_COL_TEXT, 0 },    { "action", DT_COL_TEXT, 0 }, { "from", DT_COL_TEXT, 0 },
	{ "to", DT_COL_TEXT, 0 },    { "actor", DT_COL_TEXT, 0 },  { "note", DT_COL_TEXT, 0 },
};

int dt_case_show(dt_ctx *ctx, int64_t id, dt_writer *w, dt_writer *timeline)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st, CASE_SELECT " WHERE c.id = ?2");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, dt_ctx_now(ctx));
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		/* a read error (a damaged file) is not a missing row */
		rc = rc == SQLITE_DONE ? dt__error(ctx, DT_ENOTFOUND, "no case %" PRId64, id)
		                       : dt__sqlerr(ctx, rc, "reading a case");
		sqlite3_finalize(st);
		return rc;
	}
	rc = dt_writer_begin(w, case_columns, SHOW_COLS);
	if (rc == DT_OK)
		rc = write_case(ctx, st, w, SHOW_COLS);
	if (rc == DT_OK)
		rc = dt_writer_end(w);
	sqlite3_finalize(st);
	rc = dt__writer_status(ctx, rc);
	if (rc != DT_OK || !timeline)
		return rc == DT_OK ? dt__audit_reveal(ctx, w, "case record") : rc;
	rc = dt__prepare(ctx, &st, "SELECT at, action, from_state, to_state, actor, note FROM case_event"
	                           " WHERE case_id = ?1 ORDER BY id");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = dt_writer_begin(timeline, event_columns, 6);
	while (rc == DT_OK && dt__next(ctx, st, &rc)) {
		dt_value v[6] = { { 0 } };
		char at[40];

		v[0].text = dt_time_format(ctx, sqlite3_column_int64(st, 0), at, sizeof(at));
		for (int i = 1; i < 6; i++) {
			v[i].text = (const char *)sqlite3_column_text(st, i);
			v[i].is_null = !v[i].text;
		}
		rc = dt_writer_row(timeline, v);
	}
	sqlite3_finalize(st);
	if (rc == DT_OK)
		rc = dt_writer_end(timeline);
	rc = dt__writer_status(ctx, rc);
	return rc == DT_OK ? dt__audit_reveal(ctx, w, "case record") : rc;
}

int dt_case_list(dt_ctx *ctx, const dt_case_filter *f, dt_writer *w)
{
	static const dt_case_filter none = DT_CASE_FILTER_INIT;
	sqlite3_stmt *st;
	int rc;

	if (!f)
		f = &none;
	rc = dt__prepare(ctx, &st,
	                 CASE_SELECT " WHERE (?2 IS NULL OR c.kind = ?2) AND (?3 IS NULL OR c.state = ?3)"
	                 " AND (?4 IS NULL OR d.code = ?4) AND (?5 IS NULL OR p.code = ?5)"
	                 " AND (?6 IS NULL OR c.category = ?6)"
	                 " AND (NOT ?7 OR (c.due_at IS NOT NULL AND c.due_at < ?1 AND " DT__CASE_OPEN "))"
	                 " ORDER BY c.id");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, dt_ctx_now(ctx));
	dt__bind_text_or_null(st, 2, f->kind);
	dt__bind_text_or_null(st, 3, f->state);
	dt__bind_text_or_null(st, 4, f->deputy);
	dt__bind_text_or_null(st, 5, f->department);
	dt__bind_text_or_null(st, 6, f->category);
	sqlite3_bind_int(st, 7, f->overdue);
	rc = dt_writer_begin(w, case_columns, LIST_COLS);
	while (rc == DT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		rc = write_case(ctx, st, w, LIST_COLS);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = dt_writer_end(w);
	else if (rc > 0)
		return dt__sqlerr(ctx, rc, "listing cases");
	rc = dt__writer_status(ctx, rc);
	return rc == DT_OK ? dt__audit_reveal(ctx, w, "case list") : rc;
}

static const dt_column stats_columns[] = {
	{ "by", DT_COL_TEXT, 0 },          { "value", DT_COL_TEXT, 0 },         { "cases", DT_COL_INT, 0 },
	{ "answered", DT_COL_INT, 0 },     { "median_hours", DT_COL_REAL, 0 }, { "on_time_rate", DT_COL_REAL, 0 },
	{ "satisfaction_rate", DT_COL_REAL, 0 },
};

/*
 * Per state, category and department. The median is taken over the answered
 * cases by ordering their hours; the on-time rate counts the answered cases
 * answered before their due time and the unanswered ones already late;
 * satisfaction is (satisfied + basic) / rated.
 */
/* A department's satisfaction takes in, beside its cases' ratings, the
 * answers of the surveys about it or its cases that closed in the period. */
static const char department_satisfaction[] =
	"(total(rating IN ('satisfied', 'basic')) + coalesce((SELECT sum(a.satisfied) FROM ballot_answer a"
	" JOIN survey u ON u.id = a.survey_id JOIN department d ON d.id = u.department_id WHERE d.code = s.v"
	" AND u.state = 'closed' AND u.closed_at >= ?1 AND u.closed_at < ?2), 0)) * 1.0"
	" / nullif(count(rating) + (SELECT count(*) FROM ballot_answer a JOIN survey u ON u.id = a.survey_id"
	" JOIN department d ON d.id = u.department_id WHERE d.code = s.v AND u.state = 'closed'"
	" AND u.closed_at >= ?1 AND u.closed_at < ?2), 0)";

/* Departments surveyed in the period, so one with no case still shows. */
static const char surveyed_departments[] =
	" UNION ALL SELECT DISTINCT d.code, NULL, NULL, NULL, NULL, NULL, NULL FROM survey u"
	" JOIN department d ON d.id = u.department_id WHERE u.state = 'closed' AND u.closed_at >= ?1 AND u.closed_at < ?2";

int dt_case_stats(dt_ctx *ctx, int64_t from, int64_t to, dt_writer *w)
{
	static const char *const groups[] = { "state", "category", "department" };
	static const char *const exprs[] = { "c.state", "coalesce(c.category, '(none)')",
		                             "coalesce(p.code, '(none)')" };
	int rc = dt__writer_status(ctx, dt_writer_begin(w, stats_columns, 7));

	for (size_t g = 0; rc == DT_OK && g < 3; g++) {
		sqlite3_stmt *st;
		char sql[2400];

		snprintf(sql, sizeof(sql),
		         "WITH s AS (SELECT %s AS v, c.answered_at, c.answered_on_time, c.created_at, c.due_at, c.rating,"
		         "  c.state"
		         "  FROM cases c LEFT JOIN department p ON p.id = c.department_id"
		         "  WHERE c.created_at >= ?1 AND c.created_at < ?2%s),"
		         " m AS (SELECT v, (answered_at - created_at) / 3600.0 AS h,"
		         "  row_number() OVER (PARTITION BY v ORDER BY answered_at - created_at) AS rn,"
		         "  count(*) OVER (PARTITION BY v) AS n FROM s WHERE answered_at IS NOT NULL)"
		         " SELECT v, count(created_at), count(answered_at),"
		         "  (SELECT avg(h) FROM m WHERE m.v = s.v AND rn IN ((n + 1) / 2, (n + 2) / 2)),"
		         "  " DT__CASE_ON_TIME ","
		         "  %s"
		         " FROM s GROUP BY v ORDER BY v",
		         exprs[g], g == 2 ? surveyed_departments : "", g == 2 ? department_satisfaction : "CAST(sum(rating IN ('satisfied', 'basic')) AS REAL)"
		                                                      " / nullif(count(rating), 0)");
		rc = dt__prepare(ctx, &st, sql);
		if (rc != DT_OK)
			break;
		sqlite3_bind_int64(st, 1, from);
		sqlite3_bind_int64(st, 2, to);
		sqlite3_bind_int64(st, 3, dt_ctx_now(ctx));
		while (rc == DT_OK && dt__next(ctx, st, &rc)) {
			dt_value v[7] = { { 0 } };

			v[0].text = groups[g];
			v[1].text = (const char *)sqlite3_column_text(st, 0);
			v[2].i = sqlite3_column_int64(st, 1);
			v[3].i = sqlite3_column_int64(st, 2);
			for (int i = 4; i < 7; i++) {
				v[i].is_null = sqlite3_column_type(st, i - 1) == SQLITE_NULL;
				v[i].r = sqlite3_column_double(st, i - 1);
			}
			rc = dt__writer_status(ctx, dt_writer_row(w, v));
		}
		sqlite3_finalize(st);
	}
	if (rc == DT_OK)
		rc = dt__writer_status(ctx, dt_writer_end(w));
	return rc;
}

int dt_case_purge_citizen_data(dt_ctx *ctx, int64_t before, uint64_t *count)
{
	sqlite3_stmt *st;
	int rc = dt__begin(ctx);

	if (rc != DT_OK)
		return rc;
	rc = dt__prepare(ctx, &st,
	                 "UPDATE cases SET citizen_name = NULL, citizen_phone = NULL WHERE state = 'closed'"
	                 " AND closed_at < ?1 AND (citizen_name IS NOT NULL OR citizen_phone IS NOT NULL)");
	if (rc == DT_OK) {
		sqlite3_bind_int64(st, 1, before);
		rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "purging");
		sqlite3_finalize(st);
	}
	if (rc == DT_OK && count)
		*count = (uint64_t)sqlite3_changes(ctx->db);
	if (rc == DT_OK)
		rc = dt__audit(ctx, "citizens' data erased from %d closed cases", sqlite3_changes(ctx->db));
	return dt__end(ctx, rc);
}

/* The new request's notice to its deputy. */
int dt__case_notify_deputy(dt_ctx *ctx, int64_t id, const char *state)
{
	sqlite3_stmt *st;
	char key[64], subject[128], *body = NULL, *code = NULL;
	int rc = dt__prepare(ctx, &st, "SELECT d.code, c.text FROM cases c JOIN deputy d ON d.id = c.deputy_id"
	                               " WHERE c.id = ?1");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		code = strdup((const char *)sqlite3_column_text(st, 0));
		body = strdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (!code || !body) {
		free(code);
		free(body);
		return dt__error(ctx, DT_ENOMEM, "out of memory");
	}
	snprintf(key, sizeof(key), "case-%s:%" PRId64, state, id);
	snprintf(subject, sizeof(subject), "群众诉求 %" PRId64 "：请及时接收（码上交）", id);
	rc = dt_outbox_queue_deputy(ctx, code, key, subject, body, NULL);
	/* a deputy nobody can reach still gets the case: it waits in the list */
	if (rc == DT_EDATA)
		rc = DT_OK;
	free(code);
	free(body);
	return rc;
}

/* A resolved request tells the citizen by SMS gateway (the webhook) when
 * case.notify_citizens is on and the citizen left a phone. The message is
 * addressed to citizen:<case id>, and the phone looked up when it is sent,
 * so the outbox holds no copy of it and a purge reaches it too. */
int dt__case_notify_citizen(dt_ctx *ctx, int64_t id, const char *state)
{
	dt_message m = DT_MESSAGE_INIT;
	sqlite3_stmt *st;
	char key[64], *on = NULL, *phone = NULL, *tracking = NULL, body[256], to[40];
	char *kind = NULL;
	int rc = dt__config_text(ctx, "case.notify_citizens", &on);

	if (rc == DT_OK)
		rc = dt__config_text(ctx, "webhook.kind", &kind);
	/* a group robot would post the citizen's notice into the office's chat */
	if (rc != DT_OK || strcmp(on, "on") != 0 || strcmp(kind, "generic") != 0) {
		free(on);
		free(kind);
		return rc;
	}
	free(on);
	free(kind);
	rc = dt__prepare(ctx, &st, "SELECT citizen_phone, tracking FROM cases WHERE id = ?1");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		phone = strdup((const char *)sqlite3_column_text(st, 0));
		tracking = sqlite3_column_text(st, 1) ? strdup((const char *)sqlite3_column_text(st, 1)) : NULL;
	}
	sqlite3_finalize(st);
	if (phone) {
		snprintf(key, sizeof(key), "case-citizen-%s:%" PRId64, state, id);
		snprintf(body, sizeof(body), "您的诉求（查询号 %s）已%s，感谢您的监督。", tracking ? tracking : "",
		         !strcmp(state, "resolved") ? "办结" : "反馈");
		snprintf(to, sizeof(to), "citizen:%" PRId64, id);
		m.key = key;
		m.channel = "webhook";
		m.address = to;
		m.subject = "诉求办理结果";
		m.body = body;
		rc = dt_outbox_queue(ctx, &m, NULL);
	}
	free(phone);
	free(tracking);
	return rc;
}

/* Overdue: a request not taken reminds its deputy; a suggestion overdue at
 * its department reminds the department. One reminder per case and state. */
int dt__case_reminders(dt_ctx *ctx, uint64_t *queued)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     "SELECT c.id, c.kind, c.state, d.code, p.code, p.email, p.name, coalesce(c.title, c.text), c.round,"
	                     " p.webhook"
	                     " FROM cases c JOIN deputy d ON d.id = c.deputy_id LEFT JOIN department p"
	                     " ON p.id = c.department_id WHERE c.due_at < ?1 AND c.state IN ('submitted', 'assigned',"
	                     " 'accepted') ORDER BY c.id");

	*queued = 0;
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, dt_ctx_now(ctx));
	while (rc == DT_OK && dt__next(ctx, st, &rc)) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *state = (const char *)sqlite3_column_text(st, 2);
		const char *title = (const char *)sqlite3_column_text(st, 7);
		char key[80], subject[200];
		int q = 0;

		/* once per case, state and round: a suggestion sent back is reminded again */
		if (sqlite3_column_int64(st, 8) > 1)
			snprintf(key, sizeof(key), "case-overdue-%s:%" PRId64 ":%" PRId64, state, id,
			         (int64_t)sqlite3_column_int64(st, 8));
		else
			snprintf(key, sizeof(key), "case-overdue-%s:%" PRId64, state, id);
		if (!strcmp(state, "submitted")) {
			snprintf(subject, sizeof(subject), "群众诉求 %" PRId64 " 已超时未接收", id);
			rc = dt_outbox_queue_deputy(ctx, (const char *)sqlite3_column_text(st, 3), key, subject, title, &q);
			if (rc == DT_EDATA)
				rc = DT_OK; /* nobody to remind: the case shows in list-cases --overdue */
		} else if (sqlite3_column_text(st, 5) || sqlite3_column_text(st, 9)) {
			/* the department by e-mail, else by its name on the office's webhook */
			dt_message m = DT_MESSAGE_INIT;
			int mail = sqlite3_column_text(st, 5) != NULL;

			snprintf(subject, sizeof(subject), "微建议 %" PRId64 " 办理已超期", id);
			m.key = key;
			m.channel = mail ? "email" : "webhook";
			m.address = (const char *)sqlite3_column_text(st, mail ? 5 : 9);
			m.name = (const char *)sqlite3_column_text(st, 6);
			m.subject = subject;
			m.body = title;
			rc = dt_outbox_queue(ctx, &m, &q);
		}
		*queued += (uint64_t)q;
	}
	sqlite3_finalize(st);
	return rc;
}
