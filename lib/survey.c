/*
 * Surveys: the definition (by options or a small file), and the life of a
 * survey: draft, open (the eligible deputies fixed), closed.
 */
#include <stdlib.h>
#include <string.h>
#include "survey_internal.h"

static const char *const satisfied3[] = { "满意", "基本满意", "不满意", NULL };
static const char *const score5[] = { "5", "4", "3", "2", "1", NULL };

static const char *const *scale_labels(const char *scale)
{
	if (!scale || !strcmp(scale, "satisfied3"))
		return satisfied3;
	return !strcmp(scale, "score5") ? score5 : NULL;
}

const char *dt__scale_label(const char *scale, size_t i)
{
	const char *const *l = scale_labels(scale);
	size_t n = 0;

	while (l && l[n])
		n++;
	return l && i < n ? l[i] : NULL;
}

const char *dt__scale_choice(const char *scale, const char *text, int *satisfied)
{
	static const char *const aliases[] = { "satisfied", "basic", "dissatisfied" };
	const char *const *l = scale_labels(scale);

	if (!l || !text)
		return NULL;
	for (size_t i = 0; l[i]; i++) {
		if (!strcmp(l[i], text) || (l == satisfied3 && !strcasecmp(aliases[i], text))) {
			/* satisfied: 满意 and 基本满意, or 4 and 5 of five */
			*satisfied = i < 2;
			return l[i];
		}
	}
	return NULL;
}

int dt__survey_get(dt_ctx *ctx, int64_t id, dt_survey_info *s)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     "SELECT state, scale, secret, live, (SELECT count(*) FROM survey_item WHERE survey_id = id),"
	                     " coalesce(opened_at, 0) FROM survey WHERE id = ?1");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		s->id = id;
		snprintf(s->state, sizeof(s->state), "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(s->scale, sizeof(s->scale), "%s", (const char *)sqlite3_column_text(st, 1));
		s->secret = sqlite3_column_int(st, 2);
		s->live = sqlite3_column_int(st, 3);
		s->items = sqlite3_column_int64(st, 4);
		s->opened_at = sqlite3_column_int64(st, 5);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return DT_OK;
	return rc == SQLITE_DONE ? dt__error(ctx, DT_ENOTFOUND, "no survey %lld", (long long)id)
	                         : dt__sqlerr(ctx, rc, "reading a survey");
}

/* A positive id after prefix in text ("case:12"), or 0. */
static int64_t ref_id(const char *text, size_t prefix)
{
	char *end;
	long long v = strtoll(text + prefix, &end, 10);

	return *end || end == text + prefix || v <= 0 ? 0 : v;
}

/* One value of a lookup that must find a row; DT_ENOTFOUND names what. */
static int lookup(dt_ctx *ctx, const char *sql, const char *key, int64_t num, int64_t *out, int *null,
                  const char *what)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st, sql);

	if (rc != DT_OK)
		return rc;
	if (key)
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, num);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*null = sqlite3_column_type(st, 0) == SQLITE_NULL;
		*out = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return DT_OK;
	return rc == SQLITE_DONE ? dt__error(ctx, DT_ENOTFOUND, "no %s", what) : dt__sqlerr(ctx, rc, what);
}

typedef struct {
	int64_t department, case_id, event; /* 0: none */
} subject_refs;

/* Resolve the subject: a case brings its department, a department itself. */
static int resolve_subject(dt_ctx *ctx, const char *subject, subject_refs *r)
{
	char what[120];
	int64_t v = 0;
	int null = 0, rc;

	memset(r, 0, sizeof(*r));
	if (!subject)
		return dt__error(ctx, DT_EUSAGE, "a survey needs a subject: case:ID, department:CODE, event:ID or text:T");
	snprintf(what, sizeof(what), "subject '%.80s'", subject);
	if (!strncmp(subject, "case:", 5)) {
		r->case_id = ref_id(subject, 5);
		if (!r->case_id)
			return dt__error(ctx, DT_EUSAGE, "'%s' is not case:ID", subject);
		rc = lookup(ctx, "SELECT department_id FROM cases WHERE id = ?1", NULL, r->case_id, &v, &null, what);
		if (rc == DT_OK && !null)
			r->department = v;
		return rc;
	}
	if (!strncmp(subject, "department:", 11))
		return lookup(ctx, "SELECT id FROM department WHERE code = ?1 AND active", subject + 11, 0, &r->department,
		              &null, what);
	if (!strncmp(subject, "event:", 6)) {
		r->event = ref_id(subject, 6);
		if (!r->event)
			return dt__error(ctx, DT_EUSAGE, "'%s' is not event:ID", subject);
		return lookup(ctx, "SELECT id FROM event WHERE id = ?1", NULL, r->event, &v, &null, what);
	}
	if (!strncmp(subject, "text:", 5) && dt__text_scan(subject + 5, strlen(subject + 5), NULL) == DT_TEXT_OK &&
	    subject[5])
		return DT_OK;
	return dt__error(ctx, DT_EUSAGE, "subject '%.80s' is not case:ID, department:CODE, event:ID or text:T", subject);
}

/* all, event:ID (deputies who attended it), delegation:NAME. */
static int check_eligible(dt_ctx *ctx, const char *e)
{
	int64_t v;
	int null;

	if (!strcmp(e, "all"))
		return DT_OK;
	if (!strncmp(e, "delegation:", 11) && e[11])
		return DT_OK;
	if (!strncmp(e, "event:", 6) && ref_id(e, 6))
		return lookup(ctx, "SELECT id FROM event WHERE id = ?1", NULL, ref_id(e, 6), &v, &null, "such event");
	return dt__error(ctx, DT_EUSAGE, "eligible '%.80s' is not all, event:ID or delegation:NAME", e);
}

int dt_survey_create(dt_ctx *ctx, const dt_survey *s, int64_t *id)
{
	const char *eligible = s->eligible ? s->eligible : "all", *scale = s->scale ? s->scale : "satisfied3";
	subject_refs r;
	sqlite3_stmt *st;
	int64_t new_id = 0;
	int rc;

	if (!dt__one_line(s->title, 200))
		return dt__error(ctx, DT_EUSAGE, "a survey needs a title: one line of UTF-8, at most 200 characters");
	if (!scale_labels(scale))
		return dt__error(ctx, DT_EUSAGE, "scale '%s' is not satisfied3 or score5", scale);
	if (!s->nitems || s->nitems > 50)
		return dt__error(ctx, DT_EUSAGE, "a survey needs 1 to 50 questions (--item)");
	for (size_t i = 0; i < s->nitems; i++)
		if (!dt__one_line(s->items[i], 500))
			return dt__error(ctx, DT_EUSAGE, "question %zu is not one line of UTF-8 of at most 500 characters", i + 1);
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = resolve_subject(ctx, s->subject, &r);
	if (rc == DT_OK)
		rc = check_eligible(ctx, eligible);
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st,
		                 "INSERT INTO survey(title, subject, department_id, case_id, event_id, scale, secret, live,"
		                 " eligible, created_at) VALUES (?1, ?2, nullif(?3, 0), nullif(?4, 0), nullif(?5, 0), ?6, ?7,"
		                 " ?8, ?9, ?10)");
	if (rc == DT_OK) {
		sqlite3_bind_text(st, 1, s->title, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, s->subject, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, r.department);
		sqlite3_bind_int64(st, 4, r.case_id);
		sqlite3_bind_int64(st, 5, r.event);
		sqlite3_bind_text(st, 6, scale, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 7, s->secret != 0);
		sqlite3_bind_int(st, 8, s->live_results != 0);
		sqlite3_bind_text(st, 9, eligible, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 10, dt_ctx_now(ctx));
		rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "saving a survey");
		sqlite3_finalize(st);
		new_id = sqlite3_last_insert_rowid(ctx->db);
	}
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st, "INSERT INTO survey_item(survey_id, item, question) VALUES (?1, ?2, ?3)");
	if (rc == DT_OK) {
		for (size_t i = 0; rc == DT_OK && i < s->nitems; i++) {
			sqlite3_bind_int64(st, 1, new_id);
			sqlite3_bind_int64(st, 2, (int64_t)i + 1);
			sqlite3_bind_text(st, 3, s->items[i], -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "saving a question");
			sqlite3_reset(st);
		}
		sqlite3_finalize(st);
	}
	if (rc == DT_OK)
		rc = dt__audit(ctx, "survey %lld created: %s%s", (long long)new_id, s->subject, s->secret ? " (secret)" : "");
	if (rc == DT_OK && id)
		*id = new_id;
	return dt__end(ctx, rc);
}

static int yes_no(const char *v, int *out)
{
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "是")) {
		*out = 1;
		return 1;
	}
	if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "否")) {
		*out = 0;
		return 1;
	}
	return 0;
}

#define MAX_DEFINITION (64 * 1024)

int dt_survey_create_from(dt_ctx *ctx, FILE *in, const char *name, int64_t *id)
{
	dt_survey s = DT_SURVEY_INIT;
	const char *items[50];
	char *text = malloc(MAX_DEFINITION + 1), *line, *next;
	size_t n = text ? fread(text, 1, MAX_DEFINITION + 1, in) : 0;
	unsigned lineno = 0;
	int rc = DT_OK;

	name = name ? name : "-";
	if (!text)
		return dt__error(ctx, DT_ENOMEM, "out of memory");
	if (n > MAX_DEFINITION || ferror(in) || !dt__utf8_valid(text, n) || memchr(text, '\0', n)) {
		free(text);
		return dt__error(ctx, DT_EDATA, "%s: not a definition: UTF-8 text of at most 64 KiB", name);
	}
	text[n] = '\0';
	if (!strncmp(text, "\xEF\xBB\xBF", 3))
		memmove(text, text + 3, n - 2);
	s.items = items;
	for (line = text; rc == DT_OK && line && *line; line = next) {
		char *colon, *key, *value, *end;

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		key = line + strspn(line, " \t");
		if (!*key || *key == '#')
			continue;
		colon = strpbrk(key, ":=");
		if (!colon) {
			rc = dt__error(ctx, DT_EDATA, "%s:%u: not 'key: value'", name, lineno);
			break;
		}
		value = colon + 1 + strspn(colon + 1, " \t");
		for (end = colon; end > key && (end[-1] == ' ' || end[-1] == '\t'); end--)
			;
		*end = '\0';
		for (end = value + strlen(value); end > value && (end[-1] == ' ' || end[-1] == '\t'); end--)
			;
		*end = '\0';
		if (!strcmp(key, "title"))
			s.title = value;
		else if (!strcmp(key, "subject"))
			s.subject = value;
		else if (!strcmp(key, "scale"))
			s.scale = value;
		else if (!strcmp(key, "eligible"))
			s.eligible = value;
		else if (!strcmp(key, "item") || !strcmp(key, "question")) {
			if (s.nitems == 50)
				rc = dt__error(ctx, DT_EDATA, "%s:%u: at most 50 questions", name, lineno);
			else
				items[s.nitems++] = value;
		} else if (!strcmp(key, "secret") || !strcmp(key, "live-results")) {
			if (!yes_no(value, !strcmp(key, "secret") ? &s.secret : &s.live_results))
				rc = dt__error(ctx, DT_EDATA, "%s:%u: %s is yes or no, not '%.40s'", name, lineno, key, value);
		} else {
			rc = dt__error(ctx, DT_EDATA,
			               "%s:%u: unknown key '%.40s' (known: title, subject, item, scale, secret, live-results,"
			               " eligible)", name, lineno, key);
		}
	}
	if (rc == DT_OK) {
		rc = dt_survey_create(ctx, &s, id);
		if (rc == DT_EUSAGE) {
			char why[DT_ERRMSG_MAX];

			snprintf(why, sizeof(why), "%s", dt_errmsg(ctx)); /* the message is rewritten in place */
			rc = dt__error(ctx, DT_EDATA, "%s: %s", name, why);
		}
	}
	free(text);
	return rc;
}

/* Fix the voters: every active deputy, those of a delegation, or those who
 * attended an event (on site, online or in part). */
static int fix_voters(dt_ctx *ctx, int64_t id, int64_t *count)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     "INSERT INTO survey_voter(survey_id, deputy_id)"
	                     " SELECT s.id, d.id FROM survey s JOIN deputy d ON d.status = 'active' AND d.code IS NOT NULL"
	                     " WHERE s.id = ?1 AND (s.eligible = 'all'"
	                     "  OR (s.eligible LIKE 'delegation:%' AND d.delegation = substr(s.eligible, 12))"
	                     "  OR (s.eligible LIKE 'event:%' AND d.id IN (SELECT deputy_id FROM attendance a"
	                     "   WHERE a.event_id = CAST(substr(s.eligible, 7) AS INTEGER)"
	                     "   AND a.mode IN ('onsite', 'online', 'partial'))))");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "fixing the voters");
	*count = sqlite3_changes(ctx->db);
	sqlite3_finalize(st);
	return rc;
}

static int set_state(dt_ctx *ctx, int64_t id, const char *from, const char *to)
{
	dt_survey_info s;
	sqlite3_stmt *st;
	int64_t voters = 0;
	int rc = dt__begin(ctx);

	if (rc != DT_OK)
		return rc;
	rc = dt__survey_get(ctx, id, &s);
	if (rc == DT_OK && strcmp(s.state, from))
		rc = dt__error(ctx, DT_ESTATE, "survey %lld is %s, not %s", (long long)id, s.state, from);
	if (rc == DT_OK && !strcmp(to, "open")) {
		rc = fix_voters(ctx, id, &voters);
		if (rc == DT_OK && !voters)
			rc = dt__error(ctx, DT_ESTATE, "survey %lld has no eligible deputy", (long long)id);
	}
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st,
		                 !strcmp(to, "open") ? "UPDATE survey SET state = 'open', opened_at = ?2 WHERE id = ?1"
		                                     : "UPDATE survey SET state = 'closed', closed_at = ?2 WHERE id = ?1");
	if (rc == DT_OK) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, dt_ctx_now(ctx));
		rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "changing a survey");
		sqlite3_finalize(st);
	}
	if (rc == DT_OK)
		rc = !strcmp(to, "open")
		         ? dt__audit(ctx, "survey %lld opened to %lld deputies", (long long)id, (long long)voters)
		         : dt__audit(ctx, "survey %lld closed", (long long)id);
	return dt__end(ctx, rc);
}

int dt_survey_open(dt_ctx *ctx, int64_t id)
{
	return set_state(ctx, id, "draft", "open");
}

int dt_survey_close(dt_ctx *ctx, int64_t id)
{
	return set_state(ctx, id, "open", "closed");
}

static const dt_column list_columns[] = {
	{ "id", DT_COL_INT, 0 },      { "title", DT_COL_TEXT, 0 },    { "subject", DT_COL_TEXT, 0 },
	{ "scale", DT_COL_TEXT, 0 },  { "secret", DT_COL_BOOL, 0 },   { "state", DT_COL_TEXT, 0 },
	{ "eligible", DT_COL_INT, 0 }, { "ballots", DT_COL_INT, 0 },
};

int dt_survey_list(dt_ctx *ctx, dt_writer *w)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     "SELECT id, title, subject, scale, secret, state,"
	                     " (SELECT count(*) FROM survey_voter v WHERE v.survey_id = s.id),"
	                     " (SELECT count(*) FROM ballot b WHERE b.survey_id = s.id) FROM survey s ORDER BY id");

	if (rc != DT_OK)
		return rc;
	rc = dt_writer_begin(w, list_columns, 8);
	while (rc == DT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		dt_value v[8] = { { 0 } };

		for (int i = 0; i < 8; i++) {
			v[i].i = sqlite3_column_int64(st, i);
			v[i].text = (const char *)sqlite3_column_text(st, i);
		}
		rc = dt_writer_row(w, v);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = dt_writer_end(w);
	else if (rc > 0)
		return dt__sqlerr(ctx, rc, "reading surveys");
	return dt__writer_status(ctx, rc);
}
