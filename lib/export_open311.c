/*
 * Cases as Open311 GeoReport v2 service requests
 * (http://wiki.open311.org/GeoReport_v2/#get-service-requests), the form
 * city service portals and their maps read.
 *
 * The file is meant to be published, so nothing personal goes into it:
 * not the citizen's name or phone, not the tracking number (it is what the
 * citizen checks their request with, and unguessable only while unseen),
 * not the deputy, not the rating, not the timeline's remarks. The texts
 * that do go out (description, status notes, address) are people's own
 * words and may name someone: the case's citizen name, the citizen's and
 * the deputy's phones, anything shaped like a phone, ID card number or
 * e-mail address are blanked from them as "***".
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "cases_internal.h"
#include "json.h"

#define BLANK "***"

/* What happens next, per state: Open311's service_notice. Whether a case
 * is open is DT__CASE_OPEN's answer, the one case-stats gives. */
static const struct {
	const char *kind, *state, *notice;
} notices[] = {
	{ "request", "submitted", "等待代表接收" },
	{ "request", "taken", "代表已接收，正在办理" },
	{ "request", "forwarded", "已转交职能部门办理" },
	{ "request", "resolved", "已办结，待向群众反馈" },
	{ "request", "fed_back", "已办结并反馈" },
	{ "request", "closed", "已办结" },
	{ "suggestion", "filed", "等待交办" },
	{ "suggestion", "assigned", "已交办，等待部门受理" },
	{ "suggestion", "accepted", "部门已受理，正在办理" },
	{ "suggestion", "answered", "部门已答复，等待代表评价" },
	{ "suggestion", "rated", "代表已评价" },
	{ "suggestion", "closed", "已办结" },
};

static const char *notice(const char *kind, const char *state)
{
	for (size_t i = 0; i < sizeof(notices) / sizeof(notices[0]); i++)
		if (!strcmp(notices[i].kind, kind) && !strcmp(notices[i].state, state))
			return notices[i].notice;
	return NULL;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_email_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c && strchr("._%+-", c));
}

/* The length of a phone-like run at s (digits in groups joined by one
 * space or hyphen), or 0: a group of 7 digits or more (a number, a
 * landline, an ID card number with its check letter) or 11 digits in all
 * (a mobile written 138 1234 5678). Dates (2026-11-28) and sums stay. */
static size_t phone_run(const char *s)
{
	size_t i = 0, digits = 0, longest = 0, end = 0;

	for (;;) {
		size_t group = 0;

		while (is_digit(s[i])) {
			i++;
			group++;
		}
		digits += group;
		longest = group > longest ? group : longest;
		end = i;
		if ((s[i] == ' ' || s[i] == '-') && is_digit(s[i + 1]))
			i++;
		else
			break;
	}
	if (longest >= 17 && (s[end] == 'X' || s[end] == 'x'))
		end++;
	return longest >= 7 || digits >= 11 ? end : 0;
}

/* The length of an e-mail address at s (local part, '@', a domain with a
 * dot), or 0. */
static size_t email_run(const char *s)
{
	size_t i = 0, dot = 0;

	while (is_email_char(s[i]))
		i++;
	if (i == 0 || s[i] != '@')
		return 0;
	for (i++; is_digit(s[i]) || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-' ||
	          s[i] == '.';
	     i++)
		dot += s[i] == '.';
	return dot && s[i - 1] != '.' ? i : 0;
}

/* s with the personal data found in it blanked (see the top), in a new
 * string; NULL for NULL, and *oom set when memory ran out. known are the
 * case's own personal values (NULL or "" where there are none), blanked
 * wherever they appear. */
static char *blanked(const char *s, const char *const known[], size_t nknown, int *oom)
{
	size_t n, o = 0;
	char *out;

	if (!s)
		return NULL;
	n = strlen(s);
	/* a blank is never longer than 3 bytes, and replaces at least 1 */
	out = malloc(n * 3 + 1);
	if (!out) {
		*oom = 1;
		return NULL;
	}
	for (size_t i = 0; i < n;) {
		size_t skip = 0;

		for (size_t k = 0; k < nknown && !skip; k++)
			if (known[k] && *known[k] && !strncmp(s + i, known[k], strlen(known[k])))
				skip = strlen(known[k]);
		/* a run is only looked for where one starts, not inside a word */
		if (!skip && (i == 0 || !is_email_char(s[i - 1])))
			skip = email_run(s + i);
		if (!skip && is_digit(s[i]) && (i == 0 || !is_digit(s[i - 1])))
			skip = phone_run(s + i);
		if (skip) {
			memcpy(out + o, BLANK, 3);
			o += 3;
			i += skip;
		} else {
			out[o++] = s[i++];
		}
	}
	out[o] = '\0';
	return out;
}

/* A blanked text as the member key, or null. */
static void put_blanked(dt_json *j, const char *key, const char *s, const char *const known[], size_t nknown,
                        int *oom)
{
	char *b = blanked(s, known, nknown, oom);

	dt__json_text(j, key, b);
	free(b);
}

static void put_time(dt_ctx *ctx, dt_json *j, const char *key, sqlite3_stmt *st, int i)
{
	char buf[40];

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		dt__json_null(j, key);
	else
		dt__json_text(j, key, dt_time_format(ctx, sqlite3_column_int64(st, i), buf, sizeof(buf)));
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* One service request from a row of the query below. */
static int put_request(dt_ctx *ctx, dt_json *j, sqlite3_stmt *st)
{
	const char *kind = col(st, 1), *state = col(st, 2), *title = col(st, 4), *text = col(st, 5);
	const char *known[] = { col(st, 10), col(st, 11), col(st, 12) };
	char id[24], *description;
	size_t n = strlen(text) + (title ? strlen(title) + 1 : 0) + 1;
	int oom = 0;

	description = malloc(n);
	if (!description)
		return dt__error(ctx, DT_ENOMEM, "out of memory");
	snprintf(description, n, "%s%s%s", title ? title : "", title ? "\n" : "", text);
	snprintf(id, sizeof(id), "%" PRId64, (int64_t)sqlite3_column_int64(st, 0));
	dt__json_object(j, NULL);
	dt__json_text(j, "service_request_id", id);
	dt__json_text(j, "status", sqlite3_column_int(st, 3) ? "open" : "closed");
	put_blanked(j, "status_notes", col(st, 16), known, 3, &oom);
	/* the category, or for a case without one its kind */
	dt__json_text(j, "service_name", col(st, 6) ? col(st, 6) : !strcmp(kind, "request") ? "群众诉求" : "微建议");
	dt__json_text(j, "service_code", col(st, 6) ? col(st, 6) : kind);
	put_blanked(j, "description", description, known, 3, &oom);
	dt__json_text(j, "agency_responsible", col(st, 15));
	dt__json_text(j, "service_notice", notice(kind, state));
	put_time(ctx, j, "requested_datetime", st, 13);
	put_time(ctx, j, "updated_datetime", st, 14);
	/* the due time of the state it is in; none once nothing is due */
	put_time(ctx, j, "expected_datetime", st, 17);
	put_blanked(j, "address", col(st, 7), known, 3, &oom);
	dt__json_null(j, "address_id");
	dt__json_null(j, "zipcode");
	if (sqlite3_column_type(st, 8) == SQLITE_NULL) {
		dt__json_null(j, "lat");
		dt__json_null(j, "long");
	} else {
		dt__json_real(j, "lat", sqlite3_column_double(st, 8));
		dt__json_real(j, "long", sqlite3_column_double(st, 9));
	}
	/* photos live in the database: no public address to give */
	dt__json_null(j, "media_url");
	dt__json_end(j);
	free(description);
	return oom ? dt__error(ctx, DT_ENOMEM, "out of memory") : DT_OK;
}

int dt_export_open311(dt_ctx *ctx, const dt_open311_filter *f, FILE *out)
{
	static const dt_open311_filter all = DT_OPEN311_FILTER_INIT;
	sqlite3_stmt *st;
	dt_json j;
	int rc;

	if (!f)
		f = &all;
	if (f->kind && strcmp(f->kind, "request") && strcmp(f->kind, "suggestion"))
		return dt__error(ctx, DT_EUSAGE, "kind '%s' is not request or suggestion", f->kind);
	if (f->from != DT_TIME_UNSET && f->to != DT_TIME_UNSET && f->to <= f->from)
		return dt__error(ctx, DT_EUSAGE, "the period ends before it starts");
	/* the latest answer, result or feedback: texts meant for the one who
	 * asked, unlike the remarks of take, assign, accept and close */
	rc = dt__prepare(ctx, &st,
	                 "SELECT c.id, c.kind, c.state, " DT__CASE_OPEN ", c.title, c.text, c.category, c.place, c.lat,"
	                 " c.lng, c.citizen_name, c.citizen_phone, d.phone, c.created_at, c.updated_at, p.name,"
	                 " (SELECT e.note FROM case_event e WHERE e.case_id = c.id AND e.action IN ('answer', 'resolve')"
	                 "  AND e.note IS NOT NULL ORDER BY e.id DESC LIMIT 1), c.due_at"
	                 " FROM cases c JOIN deputy d ON d.id = c.deputy_id LEFT JOIN department p ON p.id = c.department_id"
	                 " WHERE (?1 IS NULL OR c.kind = ?1) AND (?2 IS NULL OR c.created_at >= ?2)"
	                 " AND (?3 IS NULL OR c.created_at < ?3) ORDER BY c.id");
	if (rc != DT_OK)
		return rc;
	dt__bind_text_or_null(st, 1, f->kind);
	if (f->from != DT_TIME_UNSET)
		sqlite3_bind_int64(st, 2, f->from);
	if (f->to != DT_TIME_UNSET)
		sqlite3_bind_int64(st, 3, f->to);
	dt__json_init(&j, out, 1);
	dt__json_array(&j, NULL);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int prc = put_request(ctx, &j, st);

		if (prc != DT_OK) {
			sqlite3_finalize(st);
			return prc;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dt__sqlerr(ctx, rc, "reading cases");
	dt__json_end(&j);
	return dt__json_finish(ctx, &j);
}
