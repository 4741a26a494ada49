/*
 * A citizen's request as its citizen may see it by the tracking number:
 * the state, the steps with their times, the deputy's result and feedback.
 * Never the citizen's name or phone, nor the text of internal notes other
 * than the result and the feedback.
 */
#include <string.h>
#include "web_internal.h"

/* The Chinese name of a request's state. */
static const char *state_name(const char *s)
{
	static const char *const names[][2] = {
		{ "submitted", "已提交，等待代表受理" }, { "taken", "代表已受理" },
		{ "forwarded", "已转交有关部门" },      { "resolved", "已办理" },
		{ "fed_back", "已向您反馈" },           { "closed", "已办结" },
	};

	for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i][0]) == 0)
			return names[i][1];
	return s ? s : "";
}

/* "2026-11-28 09:30" in the configured zone. */
static void when(dt_ctx *ctx, FILE *f, int64_t t)
{
	char buf[40];

	dt_time_format(ctx, t, buf, sizeof(buf));
	if (strlen(buf) >= 16) {
		buf[10] = ' ';
		buf[16] = '\0';
	}
	dt__html(f, buf);
}

int dt__case_public_render(dt_ctx *ctx, const char *tracking, FILE *f, int *found)
{
	sqlite3_stmt *st;
	int64_t id;
	int rc = dt__prepare(ctx, &st,
	                     "SELECT c.id, c.state, c.created_at, c.answer, d.name FROM cases c"
	                     " JOIN deputy d ON d.id = c.deputy_id WHERE c.kind = 'request' AND c.tracking = ?1");

	*found = 0;
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_text(st, 1, tracking, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rc == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, rc, "reading a request");
	}
	*found = 1;
	id = sqlite3_column_int64(st, 0);
	fputs("<div class=\"card\"><h1>诉求办理进度</h1><dl><dt>查询号</dt><dd class=\"num\">", f);
	dt__html(f, tracking);
	fputs("</dd><dt>代表</dt><dd>", f);
	dt__html(f, (const char *)sqlite3_column_text(st, 4));
	fputs("</dd><dt>状态</dt><dd>", f);
	dt__html(f, state_name((const char *)sqlite3_column_text(st, 1)));
	fputs("</dd><dt>提交时间</dt><dd>", f);
	when(ctx, f, sqlite3_column_int64(st, 2));
	fputs("</dd>", f);
	if (sqlite3_column_text(st, 3)) {
		fputs("<dt>办理结果</dt><dd>", f);
		dt__html(f, (const char *)sqlite3_column_text(st, 3));
		fputs("</dd>", f);
	}
	fputs("</dl></div>\n", f);
	sqlite3_finalize(st);
	rc = dt__prepare(ctx, &st, "SELECT to_state, at, action, note FROM case_event WHERE case_id = ?1 ORDER BY id");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	fputs("<div class=\"card\"><h1>办理经过</h1><ol>", f);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *action = (const char *)sqlite3_column_text(st, 2);

		fputs("<li>", f);
		when(ctx, f, sqlite3_column_int64(st, 1));
		fputs(" ", f);
		dt__html(f, state_name((const char *)sqlite3_column_text(st, 0)));
		/* the feedback to the citizen is theirs to read; other notes are internal */
		if (action && strcmp(action, "answer") == 0 && sqlite3_column_text(st, 3)) {
			fputs("：", f);
			dt__html(f, (const char *)sqlite3_column_text(st, 3));
		}
		fputs("</li>", f);
	}
	sqlite3_finalize(st);
	fputs("</ol></div>\n", f);
	return rc == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, rc, "reading a request's history");
}
