/*
 * Cases: submitting requests, filing suggestions, and the one table-driven
 * state machine both flows go through (see cases.h for the flows).
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "cases_internal.h"

/* Who may act is checked by the action's function; the table says which
 * state an action leads from and to, per kind. */
typedef struct {
	const char *kind;
	dt_case_action action;
	const char *from; /* space-separated states */
	const char *to;
} transition;

static const transition transitions[] = {
	{ "request", DT_CASE_TAKE, "submitted", "taken" },
	{ "request", DT_CASE_ASSIGN, "taken", "forwarded" },
	{ "request", DT_CASE_RESOLVE, "taken forwarded", "resolved" },
	{ "request", DT_CASE_ANSWER, "resolved", "fed_back" },
	{ "request", DT_CASE_CLOSE, "fed_back", "closed" },
	{ "suggestion", DT_CASE_ASSIGN, "filed assigned", "assigned" },
	{ "suggestion", DT_CASE_ACCEPT, "assigned", "accepted" },
	{ "suggestion", DT_CASE_ANSWER, "accepted", "answered" },
	{ "suggestion", DT_CASE_RATE, "answered", "rated" },
	{ "suggestion", DT_CASE_CLOSE, "rated", "closed" },
};

static const char *const action_names[] = { "take", "assign", "accept", "resolve", "answer", "rate", "close" };

const char *dt_case_action_name(dt_case_action a)
{
	return (unsigned)a < sizeof(action_names) / sizeof(action_names[0]) ? action_names[a] : "?";
}

static int in_words(const char *words, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = words; (p = strstr(p, w)) != NULL; p += n)
		if ((p == words || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/* The states a case of kind can be in when action applies, for messages. */
static const transition *find_transition(const char *kind, dt_case_action a)
{
	for (size_t i = 0; i < sizeof(transitions) / sizeof(transitions[0]); i++)
		if (strcmp(transitions[i].kind, kind) == 0 && transitions[i].action == a)
			return &transitions[i];
	return NULL;
}

/* The due time of a case entering state at t, from the settings; 0 for none. */
static int due_for(dt_ctx *ctx, const char *kind, const char *state, int64_t t, int64_t *due)
{
	int64_t n;
	int rc = DT_OK;

	*due = 0;
	if (!strcmp(kind, "request") && !strcmp(state, "submitted")) {
		rc = dt__config_int(ctx, "case.request_take_hours", &n);
		*due = t + n * 3600;
	} else if (!strcmp(kind, "suggestion") && !strcmp(state, "assigned")) {
		rc = dt__config_int(ctx, "case.accept_working_days", &n);
		if (rc == DT_OK)
			rc = dt_calendar_add_working_days(ctx, t, (int)n, due);
	} else if (!strcmp(kind, "suggestion") && !strcmp(state, "accepted")) {
		rc = dt__config_int(ctx, "case.answer_working_days", &n);
		if (rc == DT_OK)
			rc = dt_calendar_add_working_days(ctx, t, (int)n, due);
	}
	return rc;
}

int dt__case_event(dt_ctx *ctx, int64_t id, const char *action, const char *from, const char *to, const char *note)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     "INSERT INTO case_event(case_id, action, from_state, to_state, actor, at, note)"
	                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, action, -1, SQLITE_STATIC);
	dt__bind_text_or_null(st, 3, from);
	sqlite3_bind_text(st, 4, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, dt_ctx_actor(ctx), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, dt_ctx_now(ctx));
	dt__bind_text_or_null(st, 7, note);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, rc, "recording the case's history");
}

static int check_text(dt_ctx *ctx, const char *what, const char *v, size_t max, int required, int one_line)
{
	if (!v || !*v)
		return required ? dt__error(ctx, DT_EDATA, "%s is required", what) : DT_OK;
	if (!dt__utf8_valid(v, strlen(v)))
		return dt__error(ctx, DT_EDATA, "%s is not UTF-8 text", what);
	if (strlen(v) > max)
		return dt__error(ctx, DT_EDATA, "%s is longer than %zu bytes", what, max);
	if (one_line && strpbrk(v, "\r\n"))
		return dt__error(ctx, DT_EDATA, "%s must be one line", what);
	return DT_OK;
}

static int check_new(dt_ctx *ctx, const dt_case_new *c, int suggestion)
{
	int rc = check_text(ctx, "the text", c->text, 20000, 1, 0);

	if (rc == DT_OK)
		rc = check_text(ctx, "the title", c->title, 200, suggestion, 1);
	if (rc == DT_OK)
		rc = check_text(ctx, "the place", c->place, 500, 0, 1);
	if (rc == DT_OK)
		rc = check_text(ctx, "the citizen's name", c->citizen, 100, 0, 1);
	if (rc == DT_OK)
		rc = check_text(ctx, "the category", c->category, 100, 0, 1);
	if (rc == DT_OK && c->phone && *c->phone && !dt__phone_valid(c->phone))
		return dt__error(ctx, DT_EDATA, "'%s' is not a phone number", c->phone);
	if (rc == DT_OK && c->has_geo && (c->lat < -90 || c->lat > 90 || c->lng < -180 || c->lng > 180))
		return dt__error(ctx, DT_EDATA, "%g,%g is not a latitude and longitude", c->lat, c->lng);
	return rc;
}

/* Insert the case row and its first history row. */
static int insert_case(dt_ctx *ctx, const dt_case_new *c, const char *kind, const char *state, int64_t deputy_id,
                       int64_t department_id, const char *channel, const char *tracking, int64_t *id)
{
	sqlite3_stmt *st;
	int64_t now = dt_ctx_now(ctx), due;
	int rc = due_for(ctx, kind, state, now, &due);

	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st,
		                 "INSERT INTO cases(kind, tracking, deputy_id, department_id, category, channel, title, text,"
		                 " place, lat, lng, citizen_name, citizen_phone, state, due_at, created_at, updated_at)"
		                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	dt__bind_text_or_null(st, 2, tracking);
	sqlite3_bind_int64(st, 3, deputy_id);
	if (department_id)
		sqlite3_bind_int64(st, 4, department_id);
	dt__bind_text_or_null(st, 5, c->category);
	sqlite3_bind_text(st, 6, channel, -1, SQLITE_STATIC);
	dt__bind_text_or_null(st, 7, c->title);
	sqlite3_bind_text(st, 8, c->text, -1, SQLITE_STATIC);
	dt__bind_text_or_null(st, 9, c->place);
	if (c->has_geo) {
		sqlite3_bind_double(st, 10, c->lat);
		sqlite3_bind_double(st, 11, c->lng);
	}
	dt__bind_text_or_null(st, 12, c->citizen);
	dt__bind_text_or_null(st, 13, c->phone);
	sqlite3_bind_text(st, 14, state, -1, SQLITE_STATIC);
	if (due)
		sqlite3_bind_int64(st, 15, due);
	sqlite3_bind_int64(st, 16, now);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dt__sqlerr(ctx, rc, "saving a case");
	*id = sqlite3_last_insert_rowid(ctx->db);
	rc = dt__case_event(ctx, *id, kind[0] == 'r' ? "submit" : "file", NULL, state,
	                    department_id ? "routed by its category" : NULL);
	for (size_t i = 0; rc == DT_OK && i < c->nphotos; i++)
		rc = dt__photo_attach(ctx, *id, c->photos[i]);
	return rc;
}

static int active_deputy(dt_ctx *ctx, const char *code, int64_t *id)
{
	int retired = 0;
	int rc = code ? dt__deputy_lookup(ctx, code, id, &retired) : dt__error(ctx, DT_EUSAGE, "which deputy?");

	if (rc == DT_OK && retired)
		rc = dt__error(ctx, DT_ESTATE, "deputy %s is no longer serving", code);
	return rc;
}

int dt_case_submit_request(dt_ctx *ctx, const dt_case_new *c, int64_t *id_out, char **tracking_out)
{
	unsigned char raw[12];
	char tracking[32];
	const char *channel = c->channel && *c->channel ? c->channel : "deputy";
	int64_t deputy, id = 0;
	int rc = check_new(ctx, c, 0);

	if (tracking_out)
		*tracking_out = NULL;
	if (rc != DT_OK)
		return rc;
	if (strcmp(channel, "qr") && strcmp(channel, "deputy"))
		return dt__error(ctx, DT_EUSAGE, "channel '%s' is not qr or deputy", channel);
	/* 96 random bits: a tracking number nobody can guess from another */
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(tracking, sizeof(tracking), raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = active_deputy(ctx, c->deputy, &deputy);
	if (rc == DT_OK)
		rc = insert_case(ctx, c, "request", "submitted", deputy, 0, channel, tracking, &id);
	if (rc == DT_OK)
		rc = dt__case_notify_deputy(ctx, id, "submitted");
	if (rc == DT_OK)
		rc = dt__audit(ctx, "request %" PRId64 " submitted to %s", id, c->deputy);
	if (rc != DT_OK) {
		dt__rollback(ctx);
		return rc;
	}
	rc = dt__commit(ctx);
	if (rc == DT_OK && id_out)
		*id_out = id;
	if (rc == DT_OK && tracking_out && !(*tracking_out = strdup(tracking)))
		rc = dt__error(ctx, DT_ENOMEM, "out of memory");
	return rc;
}

/* The department a category routes to, or 0. */
static int64_t routed(dt_ctx *ctx, const char *category)
{
	sqlite3_stmt *st;
	int64_t id = 0;

	if (!category || dt__prepare(ctx, &st, "SELECT department_id FROM route WHERE category = ?1") != DT_OK)
		return 0;
	sqlite3_bind_text(st, 1, category, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

int dt_case_file_suggestion(dt_ctx *ctx, const dt_case_new *c, int64_t *id_out)
{
	const char *channel = c->channel && *c->channel ? c->channel : (c->nphotos ? "snap" : "direct");
	int64_t deputy, dept, id = 0;
	char ref[32];
	int rc = check_new(ctx, c, 1);

	if (rc != DT_OK)
		return rc;
	if (strcmp(channel, "snap") && strcmp(channel, "direct"))
		return dt__error(ctx, DT_EUSAGE, "channel '%s' is not snap or direct", channel);
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = active_deputy(ctx, c->deputy, &deputy);
	dept = routed(ctx, c->category);
	/* with a route the suggestion goes straight to its department */
	if (rc == DT_OK)
		rc = insert_case(ctx, c, "suggestion", dept ? "assigned" : "filed", deputy, dept, channel, NULL, &id);
	if (rc == DT_OK) {
		snprintf(ref, sizeof(ref), "case:%" PRId64, id);
		rc = dt__archive_add(ctx, deputy, "suggestion_filed", dt_ctx_now(ctx), 1, ref);
	}
	if (rc == DT_OK)
		rc = dt__audit(ctx, "suggestion %" PRId64 " filed by %s", id, c->deputy);
	if (rc != DT_OK) {
		dt__rollback(ctx);
		return rc;
	}
	rc = dt__commit(ctx);
	if (rc == DT_OK && id_out)
		*id_out = id;
	return rc;
}

/* satisfied / basic / dissatisfied, or their Chinese names. */
static const char *rating_canon(const char *r)
{
	if (!r)
		return NULL;
	if (!strcmp(r, "satisfied") || !strcmp(r, "满意"))
		return "satisfied";
	if (!strcmp(r, "basic") || !strcmp(r, "基本满意"))
		return "basic";
	if (!strcmp(r, "dissatisfied") || !strcmp(r, "不满意"))
		return "dissatisfied";
	return NULL;
}

typedef struct {
	char kind[16], state[16];
	int64_t deputy_id, department_id, round;
	char deputy[48];
	char *category;
} case_row;

static int load_case(dt_ctx *ctx, int64_t id, case_row *c)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     "SELECT c.kind, c.state, c.deputy_id, coalesce(c.department_id, 0), c.round, d.code,"
	                     " c.category"
	                     " FROM cases c JOIN deputy d ON d.id = c.deputy_id WHERE c.id = ?1");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		/* a read error (a damaged file) is not a missing row */
		rc = rc == SQLITE_DONE ? dt__error(ctx, DT_ENOTFOUND, "no case %" PRId64, id)
		                       : dt__sqlerr(ctx, rc, "reading a case");
		sqlite3_finalize(st);
		return rc;
	}
	snprintf(c->kind, sizeof(c->kind), "%s", (const char *)sqlite3_column_text(st, 0));
	snprintf(c->state, sizeof(c->state), "%s", (const char *)sqlite3_column_text(st, 1));
	c->deputy_id = sqlite3_column_int64(st, 2);
	c->department_id = sqlite3_column_int64(st, 3);
	c->round = sqlite3_column_int64(st, 4);
	snprintf(c->deputy, sizeof(c->deputy), "%s", (const char *)sqlite3_column_text(st, 5));
	c->category = sqlite3_column_text(st, 6) ? strdup((const char *)sqlite3_column_text(st, 6)) : NULL;
	sqlite3_finalize(st);
	return DT_OK;
}

/* What the action needs besides the state, and what it changes. */
static int act(dt_ctx *ctx, int64_t id, const case_row *c, dt_case_action action, const dt_case_act *a,
               const char **to, char *set, size_t size, int64_t *dept, const char **rating)
{
	int64_t max_rounds;
	int rc = DT_OK;

	switch (action) {
	case DT_CASE_TAKE:
	case DT_CASE_RATE:
		if (!a->deputy)
			return dt__error(ctx, DT_EUSAGE, "which deputy acts? (--deputy CODE)");
		if (strcmp(a->deputy, c->deputy) != 0)
			return dt__error(ctx, DT_ESTATE, "case %" PRId64 " is addressed to deputy %s, not %s", id, c->deputy,
			                 a->deputy);
		if (action == DT_CASE_RATE) {
			*rating = rating_canon(a->rating);
			rc = dt__config_int(ctx, "case.max_rounds", &max_rounds);
			/* not satisfied: another round at the department, while rounds are left */
			if (rc == DT_OK && !strcmp(*rating, "dissatisfied") && c->round < max_rounds) {
				*to = "assigned";
				snprintf(set, size, ", round = round + 1");
			}
		}
		break;
	case DT_CASE_ASSIGN:
		if (a->department)
			rc = dt__department_lookup(ctx, a->department, dept);
		else if (c->department_id)
			*dept = c->department_id;
		else if (!(*dept = routed(ctx, c->category)))
			rc = dt__error(ctx, DT_EUSAGE, "to which department? (--department CODE, or set-route for its category)");
		break;
	case DT_CASE_ANSWER:
	case DT_CASE_RESOLVE:
		if (!a->note || !*a->note)
			return dt__error(ctx, DT_EUSAGE, "%s needs the text of the %s (--text)", dt_case_action_name(action),
			                 action == DT_CASE_ANSWER ? "answer" : "result");
		if (!dt__utf8_valid(a->note, strlen(a->note)))
			return dt__error(ctx, DT_EDATA, "the text is not UTF-8");
		break;
	default:
		break;
	}
	return rc;
}

/* Duty records a transition earns the case's deputy. */
static int archive_for(dt_ctx *ctx, int64_t id, const case_row *c, dt_case_action action)
{
	char ref[32];

	snprintf(ref, sizeof(ref), "case:%" PRId64, id);
	if (action == DT_CASE_TAKE)
		return dt__archive_add(ctx, c->deputy_id, "request_taken", dt_ctx_now(ctx), 1, ref);
	if (action == DT_CASE_RESOLVE)
		return dt__archive_add(ctx, c->deputy_id, "request_resolved", dt_ctx_now(ctx), 1, ref);
	if (action == DT_CASE_RATE) {
		/* one record per round rated */
		snprintf(ref, sizeof(ref), "case:%" PRId64 ":%" PRId64, id, c->round);
		return dt__archive_add(ctx, c->deputy_id, "case_rated", dt_ctx_now(ctx), 1, ref);
	}
	return DT_OK;
}

int dt_case_apply(dt_ctx *ctx, int64_t id, dt_case_action action, const dt_case_act *args)
{
	dt_case_act a = DT_CASE_ACT_INIT;
	const transition *t;
	const char *to, *rating = NULL;
	char set[64] = "", sql[512];
	int64_t dept = 0, due = 0;
	sqlite3_stmt *st;
	case_row c;
	int rc;

	if (args)
		a = *args;
	if (action == DT_CASE_RATE && !rating_canon(a.rating))
		return dt__error(ctx, DT_EUSAGE, "rating '%s' is not satisfied, basic or dissatisfied (满意, 基本满意, 不满意)",
		                 a.rating ? a.rating : "");
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	c.category = NULL;
	rc = load_case(ctx, id, &c);
	if (rc != DT_OK)
		goto fail;
	t = find_transition(c.kind, action);
	if (!t) {
		rc = dt__error(ctx, DT_ESTATE, "a %s cannot be %s", c.kind,
		               action == DT_CASE_TAKE ? "taken (only requests are)" : "given that action");
		goto fail;
	}
	if (!in_words(t->from, c.state)) {
		rc = dt__error(ctx, DT_ESTATE, "case %" PRId64 " is %s: '%s' applies to a %s that is %s", id, c.state,
		               dt_case_action_name(action), c.kind, t->from);
		goto fail;
	}
	to = t->to;
	rc = act(ctx, id, &c, action, &a, &to, set, sizeof(set), &dept, &rating);
	if (rc == DT_OK)
		rc = due_for(ctx, c.kind, to, dt_ctx_now(ctx), &due);
	if (rc != DT_OK)
		goto fail;
	snprintf(sql, sizeof(sql),
	         "UPDATE cases SET state = ?2, updated_at = ?3, due_at = ?4,"
	         " department_id = coalesce(?5, department_id), rating = coalesce(?6, rating),"
	         " answer = CASE WHEN ?7 IS NOT NULL AND ?8 THEN ?7 ELSE answer END,"
	         " answered_at = CASE WHEN ?8 THEN ?3 ELSE answered_at END,"
	         " answered_on_time = CASE WHEN ?8 THEN (due_at IS NULL OR ?3 <= due_at) ELSE answered_on_time END,"
	         " closed_at = CASE WHEN ?2 = 'closed' THEN ?3 ELSE closed_at END%s"
	         " WHERE id = ?1 AND state = ?9",
	         set);
	rc = dt__prepare(ctx, &st, sql);
	if (rc != DT_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, dt_ctx_now(ctx));
	if (due)
		sqlite3_bind_int64(st, 4, due);
	if (dept)
		sqlite3_bind_int64(st, 5, dept);
	dt__bind_text_or_null(st, 6, rating);
	dt__bind_text_or_null(st, 7, a.note);
	/* the time to answer: a suggestion's answer, a request's result (its feedback comes after) */
	sqlite3_bind_int(st, 8, (action == DT_CASE_ANSWER && !strcmp(c.kind, "suggestion")) || action == DT_CASE_RESOLVE);
	sqlite3_bind_text(st, 9, c.state, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "changing a case");
	sqlite3_finalize(st);
	if (rc == DT_OK && sqlite3_changes(ctx->db) != 1)
		rc = dt__error(ctx, DT_ECONFLICT, "case %" PRId64 " changed meanwhile; look again", id);
	if (rc == DT_OK) {
		char note[1024];
		const char *head = rating ? rating : a.department;

		snprintf(note, sizeof(note), "%s%s%s", head ? head : "", head && a.note ? ": " : "", a.note ? a.note : "");
		rc = dt__case_event(ctx, id, dt_case_action_name(action), c.state, to, *note ? note : NULL);
	}
	if (rc == DT_OK)
		rc = archive_for(ctx, id, &c, action);
	if (rc == DT_OK && !strcmp(c.kind, "request") && !strcmp(to, "resolved"))
		rc = dt__case_notify_citizen(ctx, id, to);
	if (rc == DT_OK)
		rc = dt__audit(ctx, "case %" PRId64 ": %s, %s -> %s", id, dt_case_action_name(action), c.state, to);
	if (rc != DT_OK)
		goto fail;
	free(c.category);
	return dt__commit(ctx);
fail:
	free(c.category);
	dt__rollback(ctx);
	return rc;
}
