/*
 * Results of a survey, a row per question. Counts shown while a survey is
 * open could sway the ballots still to come, so until it closes only the
 * turnout is given, unless it was created with live results.
 */
#include <stdlib.h>
#include <string.h>
#include "survey_internal.h"

#define MAX_CHOICES 5
#define FIXED_BEFORE 2 /* item, question */
#define FIXED_AFTER 10 /* counts, valid, ballots, eligible, turnout, online, onsite, satisfaction_rate, state, title */

static int64_t count_of(dt_ctx *ctx, const char *sql, int64_t id, const char *text, int *rc)
{
	sqlite3_stmt *st;
	int64_t n = 0;

	if (*rc != DT_OK || (*rc = dt__prepare(ctx, &st, sql)) != DT_OK)
		return 0;
	sqlite3_bind_int64(st, 1, id);
	if (text)
		sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		*rc = dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "counting ballots");
	sqlite3_finalize(st);
	return n;
}

/* Append a JSON string (labels are ours: no escaping needed beyond quotes). */
static void json_count(char *buf, size_t size, int first, const char *label, int64_t n)
{
	size_t len = strlen(buf);

	snprintf(buf + len, size - len, "%s\"%s\":%lld", first ? "" : ",", label, (long long)n);
}

int dt_survey_results(dt_ctx *ctx, int64_t id, dt_writer *w, int *closed)
{
	static const dt_column after[FIXED_AFTER] = {
		{ "counts", DT_COL_TEXT, DT_COL_NESTED }, { "valid", DT_COL_INT, 0 },      { "ballots", DT_COL_INT, 0 },
		{ "eligible", DT_COL_INT, 0 },            { "turnout", DT_COL_REAL, 0 },   { "online", DT_COL_INT, 0 },
		{ "onsite", DT_COL_INT, 0 },              { "satisfaction_rate", DT_COL_REAL, 0 },
		{ "state", DT_COL_TEXT, 0 },              { "title", DT_COL_TEXT, 0 },
	};
	dt_column cols[FIXED_BEFORE + MAX_CHOICES + FIXED_AFTER];
	dt_survey_info s;
	sqlite3_stmt *items = NULL, *count = NULL;
	size_t nchoices = 0, ncols;
	int64_t ballots, eligible, online, onsite;
	int show, rc = dt__survey_get(ctx, id, &s);

	if (rc != DT_OK)
		return rc;
	if (closed)
		*closed = !strcmp(s.state, "closed");
	show = !strcmp(s.state, "closed") || s.live;
	cols[0] = (dt_column){ "item", DT_COL_INT, 0 };
	cols[1] = (dt_column){ "question", DT_COL_TEXT, 0 };
	while (nchoices < MAX_CHOICES && dt__scale_label(s.scale, nchoices)) {
		cols[FIXED_BEFORE + nchoices] = (dt_column){ dt__scale_label(s.scale, nchoices), DT_COL_INT, DT_COL_FLAT };
		nchoices++;
	}
	memcpy(cols + FIXED_BEFORE + nchoices, after, sizeof(after));
	ncols = FIXED_BEFORE + nchoices + FIXED_AFTER;
	ballots = count_of(ctx, "SELECT count(*) FROM ballot WHERE survey_id = ?1", id, NULL, &rc);
	eligible = count_of(ctx, "SELECT count(*) FROM survey_voter WHERE survey_id = ?1", id, NULL, &rc);
	online = count_of(ctx, "SELECT count(*) FROM ballot WHERE survey_id = ?1 AND channel = ?2", id, "online", &rc);
	onsite = count_of(ctx, "SELECT count(*) FROM ballot WHERE survey_id = ?1 AND channel = ?2", id, "onsite", &rc);
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &items,
		                 "SELECT i.item, i.question, s.title FROM survey_item i JOIN survey s ON s.id = i.survey_id"
		                 " WHERE i.survey_id = ?1 ORDER BY i.item");
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &count,
		                 "SELECT count(*) FROM ballot_answer WHERE survey_id = ?1 AND item = ?2 AND choice = ?3");
	if (rc != DT_OK) {
		sqlite3_finalize(items);
		return rc;
	}
	sqlite3_bind_int64(items, 1, id);
	rc = dt__writer_status(ctx, dt_writer_begin(w, cols, ncols));
	while (rc == DT_OK && dt__next(ctx, items, &rc)) {
		dt_value v[FIXED_BEFORE + MAX_CHOICES + FIXED_AFTER];
		dt_value *tail = v + FIXED_BEFORE + nchoices;
		int64_t item = sqlite3_column_int64(items, 0), valid = 0, satisfied = 0;
		char counts[256] = "{";

		memset(v, 0, sizeof(v));
		v[0].i = item;
		v[1].text = (const char *)sqlite3_column_text(items, 1);
		for (size_t c = 0; c < nchoices; c++) {
			int sat = 0;
			const char *label = dt__scale_choice(s.scale, dt__scale_label(s.scale, c), &sat);
			int64_t n = 0;

			if (show) {
				sqlite3_bind_int64(count, 1, id);
				sqlite3_bind_int64(count, 2, item);
				sqlite3_bind_text(count, 3, label, -1, SQLITE_STATIC);
				if (sqlite3_step(count) == SQLITE_ROW)
					n = sqlite3_column_int64(count, 0);
				else
					rc = dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "counting answers");
				sqlite3_reset(count);
			}
			v[FIXED_BEFORE + c].i = n;
			v[FIXED_BEFORE + c].is_null = !show;
			json_count(counts, sizeof(counts), c == 0, label, n);
			valid += n;
			satisfied += sat ? n : 0;
		}
		strcat(counts, "}");
		tail[0].text = counts;
		tail[0].is_null = !show;
		tail[1].i = valid;
		tail[1].is_null = !show;
		tail[2].i = ballots;
		tail[3].i = eligible;
		tail[4].r = eligible ? (double)ballots / (double)eligible : 0;
		tail[4].is_null = !eligible;
		tail[5].i = online;
		tail[6].i = onsite;
		tail[7].r = valid ? (double)satisfied / (double)valid : 0;
		tail[7].is_null = !show || !valid;
		tail[8].text = s.state;
		tail[9].text = (const char *)sqlite3_column_text(items, 2);
		if (rc == DT_OK)
			rc = dt__writer_status(ctx, dt_writer_row(w, v));
	}
	sqlite3_finalize(items);
	sqlite3_finalize(count);
	if (rc == DT_OK)
		rc = dt__writer_status(ctx, dt_writer_end(w));
	return rc;
}
