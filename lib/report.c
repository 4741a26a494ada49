/*
 * The report across every module for a period, as the office hands it to
 * its leaders: deputies and their codes, requests and micro-suggestions
 * with on-time and satisfaction rates (the same definitions as case-stats),
 * person-times and comments per kind of event (those of event-stats:
 * cancelled events and hidden comments do not count), learning, closed
 * surveys, the ranking's top and the reminders. Each figure is one row of
 * section, metric, a Chinese label and a value, so table, CSV, JSON and
 * Excel carry the same thing and the HTML page draws from it.
 */
#include <stdlib.h>
#include <string.h>
#include "cases_internal.h"
#include "rank_internal.h"
#include "report_internal.h"
#include "dutytrack/report.h"

static int add(dt_ctx *ctx, report *r, const char *section, const char *metric, const char *label, double value,
               int is_null)
{
	report_figure *f;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		report_figure *figs = realloc(r->figs, cap * sizeof(*figs));

		if (!figs)
			return dt__error(ctx, DT_ENOMEM, "out of memory");
		r->figs = figs;
		r->cap = cap;
	}
	f = &r->figs[r->n++];
	f->section = section;
	snprintf(f->metric, sizeof(f->metric), "%s", metric);
	snprintf(f->label, sizeof(f->label), "%s", label);
	f->value = is_null ? 0 : value;
	f->is_null = is_null;
	return DT_OK;
}

/* Run sql with ?1, ?2 the period, ?3 now, ?4 and ?5 texts (may be NULL);
 * the first n columns of its one row into out, NULL columns flagged. */
static int query(dt_ctx *ctx, const report *r, const char *sql, const char *t4, const char *t5, double *out,
                 int *nulls, int n)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st, sql);

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, r->from);
	sqlite3_bind_int64(st, 2, r->to);
	sqlite3_bind_int64(st, 3, dt_ctx_now(ctx));
	dt__bind_text_or_null(st, 4, t4);
	dt__bind_text_or_null(st, 5, t5);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		for (int i = 0; i < n; i++) {
			nulls[i] = sqlite3_column_type(st, i) == SQLITE_NULL;
			out[i] = sqlite3_column_double(st, i);
		}
		rc = DT_OK;
	} else {
		rc = dt__sqlerr(ctx, rc, "computing the report");
	}
	sqlite3_finalize(st);
	return rc;
}

/* One query, one figure per column. */
typedef struct {
	const char *metric, *label;
} figure_name;

static int figures(dt_ctx *ctx, report *r, const char *section, const char *sql, const char *t4,
                   const figure_name *names, int n)
{
	double v[8];
	int nulls[8], rc = query(ctx, r, sql, t4, NULL, v, nulls, n);

	for (int i = 0; rc == DT_OK && i < n; i++)
		rc = add(ctx, r, section, names[i].metric, names[i].label, v[i], nulls[i]);
	return rc;
}

static int deputies(dt_ctx *ctx, report *r)
{
	static const figure_name names[] = {
		{ "serving", "在任代表" },
		{ "with_code", "有编号的代表" },
		{ "with_qr", "已发放二维码的代表" },
		{ "qr_issued", "本期生成的二维码" },
	};

	int rc = figures(ctx, r, "deputies",
	                 "SELECT count(*), count(code) FROM deputy WHERE joined_at < ?2"
	                 " AND (retired_at IS NULL OR retired_at >= ?1)",
	                 NULL, names, 2);

	return rc != DT_OK ? rc :
	       figures(ctx, r, "deputies",
	               "SELECT (SELECT count(DISTINCT deputy_id) FROM qr_issue WHERE issued_at < ?2),"
	               " (SELECT count(*) FROM qr_issue WHERE issued_at >= ?1 AND issued_at < ?2)",
	               NULL, names + 2, 2);
}

typedef struct {
	const char *state, *label;
} state_name;

static const state_name request_states[] = {
	{ "submitted", "待接收" }, { "taken", "已接收" },   { "forwarded", "已转办" },
	{ "resolved", "已办理" },  { "fed_back", "已反馈" }, { "closed", "已办结" },
	{ NULL, NULL },
};

static const state_name suggestion_states[] = {
	{ "filed", "待交办" },   { "assigned", "已交办" }, { "accepted", "已受理" },
	{ "answered", "已答复" }, { "rated", "已评价" },    { "closed", "已办结" },
	{ NULL, NULL },
};

/* The cases of kind filed in the period: how many, where they are now,
 * how many ever reached each state (the funnel), answers, on time,
 * ratings and what is overdue now. */
static int cases(dt_ctx *ctx, report *r, const char *kind, const char *noun, const state_name *states)
{
	static const figure_name names[] = {
		{ "received", "" }, { "answered", "已答复" }, { "answered_on_time", "按时答复" },
		{ "on_time_rate", "按时率" }, { "overdue", "当前逾期" }, { "rated", "已评价" },
		{ "satisfaction_rate", "满意率（满意与基本满意）" },
	};
	figure_name named[7];
	const char *section = !strcmp(kind, "request") ? "requests" : "suggestions";
	char label[192], metric[48];
	int rc;

	memcpy(named, names, sizeof(names));
	snprintf(label, sizeof(label), "收到%s", noun);
	named[0].label = label;
	if (!strcmp(kind, "request")) {
		/* a request is answered when it is handled; only suggestions are rated */
		named[1].label = "已办理";
		named[2].label = "按时办理";
	}
	rc = figures(ctx, r, section,
	             "SELECT count(*), count(answered_at), total(answered_on_time), " DT__CASE_ON_TIME ","
	             " total(due_at IS NOT NULL AND due_at < ?3 AND " DT__CASE_OPEN "),"
	             " count(rating), total(rating IN ('satisfied', 'basic')) / nullif(count(rating), 0)"
	             " FROM cases c WHERE kind = ?4 AND created_at >= ?1 AND created_at < ?2",
	             kind, named, !strcmp(kind, "request") ? 5 : 7);
	for (const state_name *s = states; rc == DT_OK && s->state; s++) {
		double v;
		int null;

		rc = query(ctx, r, "SELECT count(*) FROM cases WHERE kind = ?4 AND state = ?5"
		                   " AND created_at >= ?1 AND created_at < ?2",
		           kind, s->state, &v, &null, 1);
		snprintf(metric, sizeof(metric), "now_%s", s->state);
		snprintf(label, sizeof(label), "现为「%s」", s->label);
		if (rc == DT_OK)
			rc = add(ctx, r, section, metric, label, v, 0);
	}
	/* Ever reached: a dissatisfied rating sends a suggestion back, so a
	 * case counts once per state however many rounds it took. */
	for (const state_name *s = states; rc == DT_OK && s->state; s++) {
		double v;
		int null;

		rc = query(ctx, r, "SELECT count(*) FROM cases c WHERE kind = ?4 AND created_at >= ?1 AND created_at < ?2"
		                   " AND EXISTS (SELECT 1 FROM case_event e WHERE e.case_id = c.id AND e.to_state = ?5)",
		           kind, s->state, &v, &null, 1);
		snprintf(metric, sizeof(metric), "reached_%s", s->state);
		snprintf(label, sizeof(label), "经过「%s」", s->label);
		if (rc == DT_OK)
			rc = add(ctx, r, section, metric, label, v, 0);
	}
	return rc;
}

static const char *const kind_labels[] = { "会议", "询问", "庭审", "论坛", "培训", "活动" };

/* Scheduled events of kind ?4 (NULL: every kind) starting in the period. */
#define EVENTS_SQL                                                                                          \
	"WITH ev AS (SELECT id FROM event WHERE status = 'scheduled' AND starts_at >= ?1 AND starts_at < ?2"   \
	" AND (?4 IS NULL OR kind = ?4))"                                                                       \
	" SELECT (SELECT count(*) FROM ev),"                                                                     \
	" (SELECT count(*) FROM attendance WHERE event_id IN ev AND mode IN ('onsite', 'online')),"             \
	" (SELECT count(*) FROM attendance WHERE event_id IN ev AND mode = 'online'),"                          \
	" (SELECT count(*) FROM comment WHERE event_id IN ev AND hidden_at IS NULL)"

static int events(dt_ctx *ctx, report *r)
{
	int rc = DT_OK;

	/* Each kind, then every kind together ("all", when the names run out). */
	for (size_t k = 0; rc == DT_OK; k++) {
		const char *kind = dt_event_kind_name(k), *name = kind ? kind : "all";
		const char *what = !kind ? "全部活动" : k < sizeof(kind_labels) / sizeof(kind_labels[0]) ? kind_labels[k] : kind;
		char metric[4][48], label[4][192];
		figure_name names[4];
		static const char *const suffix[] = { "sessions", "person_times", "online", "comments" };

		snprintf(label[0], sizeof(label[0]), "%s场次", what);
		snprintf(label[1], sizeof(label[1]), "%s出席人次（现场与线上）", what);
		snprintf(label[2], sizeof(label[2]), "%s线上人次", what);
		snprintf(label[3], sizeof(label[3]), "%s%s", what, kind && !strcmp(kind, "hearing") ? "留言" : "评论");
		for (int i = 0; i < 4; i++) {
			snprintf(metric[i], sizeof(metric[i]), "%s_%s", name, suffix[i]);
			names[i].metric = metric[i];
			names[i].label = label[i];
		}
		rc = figures(ctx, r, "events", EVENTS_SQL, kind, names, 4);
		if (!kind)
			break;
	}
	return rc;
}

/* Person-times and online person-times per month the period touches. */
static int months(dt_ctx *ctx, report *r)
{
	char day[40], next[32], label[192];
	int y, m, rc = DT_OK;
	int64_t start = r->from, end;

	dt_time_format(ctx, r->from, day, sizeof(day));
	if (sscanf(day, "%4d-%2d", &y, &m) != 2)
		return dt__error(ctx, DT_ERROR, "cannot read the month of '%s'", day);
	while (rc == DT_OK && start < r->to) {
		report month = *r;
		double v[2];
		int nulls[2];
		char metric[48];

		snprintf(next, sizeof(next), "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
		rc = dt_date_parse(ctx, next, &end);
		if (rc != DT_OK)
			break;
		month.from = start;
		month.to = end < r->to ? end : r->to;
		rc = query(ctx, &month,
		           "SELECT count(*), total(a.mode = 'online') FROM attendance a JOIN event e ON e.id = a.event_id"
		           " WHERE e.status = 'scheduled' AND e.starts_at >= ?1 AND e.starts_at < ?2"
		           " AND a.mode IN ('onsite', 'online')",
		           NULL, NULL, v, nulls, 2);
		snprintf(metric, sizeof(metric), "%04d-%02d", y, m);
		snprintf(label, sizeof(label), "%d年%d月出席人次", y, m);
		if (rc == DT_OK)
			rc = add(ctx, r, "months", metric, label, v[0], 0);
		snprintf(metric, sizeof(metric), "%04d-%02d_online", y, m);
		snprintf(label, sizeof(label), "%d年%d月线上人次", y, m);
		if (rc == DT_OK)
			rc = add(ctx, r, "months", metric, label, v[1], 0);
		start = end;
		y += m == 12;
		m = m % 12 + 1;
	}
	return rc;
}

static int learning(dt_ctx *ctx, report *r)
{
	static const figure_name names[] = {
		{ "person_times", "学习人次" },
		{ "deputies", "参加学习的代表" },
		{ "minutes", "学习分钟" },
		{ "articles", "新发布文章" },
	};

	return figures(ctx, r, "learning",
	               "SELECT count(*), count(DISTINCT deputy_id), total(minutes),"
	               " (SELECT count(*) FROM article WHERE created_at >= ?1 AND created_at < ?2)"
	               " FROM learning WHERE at >= ?1 AND at < ?2",
	               NULL, names, 4);
}

/* Surveys closed in the period: results of open ones may still be hidden. */
static int surveys(dt_ctx *ctx, report *r)
{
	static const figure_name names[] = {
		{ "closed", "结束的测评" },
		{ "eligible", "应参评人次" },
		{ "ballots", "参评人次" },
		{ "turnout_rate", "参评率" },
		{ "answers", "有效答题" },
		{ "satisfaction_rate", "满意率（满意与基本满意）" },
	};

	return figures(ctx, r, "surveys",
	               "WITH s AS (SELECT id FROM survey WHERE state = 'closed' AND closed_at >= ?1 AND closed_at < ?2),"
	               " n AS (SELECT (SELECT count(*) FROM survey_voter WHERE survey_id IN s) AS eligible,"
	               "  (SELECT count(*) FROM ballot WHERE survey_id IN s) AS ballots)"
	               " SELECT (SELECT count(*) FROM s), eligible, ballots, ballots * 1.0 / nullif(eligible, 0),"
	               " (SELECT count(*) FROM ballot_answer WHERE survey_id IN s),"
	               " (SELECT avg(satisfied) FROM ballot_answer WHERE survey_id IN s) FROM n",
	               NULL, names, 6);
}

/* The ranking of the period under the newest rules: its top rows. */
static int ranking(dt_ctx *ctx, report *r)
{
	rank_table t;
	int rc = dt__rank_compute(ctx, r->from, r->to, 0, &t);

	if (rc != DT_OK) {
		dt__rank_free(&t); /* what was loaded before the failure */
		return rc;
	}
	rc = add(ctx, r, "ranking", "ranked", "参与排名的代表", (double)t.nrows, 0);
	for (size_t i = 0; i < t.nrows && i < REPORT_TOP; i++) {
		report_top *top = &r->top[r->ntop++];

		snprintf(top->code, sizeof(top->code), "%s", t.rows[i].code ? t.rows[i].code : "");
		snprintf(top->name, sizeof(top->name), "%s", t.rows[i].name ? t.rows[i].name : "");
		snprintf(top->delegation, sizeof(top->delegation), "%s", t.rows[i].delegation ? t.rows[i].delegation : "");
		top->points = t.rows[i].total;
	}
	for (size_t i = 0; rc == DT_OK && i < r->ntop && i < 3; i++) {
		char metric[48], label[320];

		snprintf(metric, sizeof(metric), "top_%zu", i + 1);
		snprintf(label, sizeof(label), "第%lld名 %s %s（%s）", (long long)t.rows[i].rank, r->top[i].name,
		         r->top[i].code, r->top[i].delegation);
		rc = add(ctx, r, "ranking", metric, label, r->top[i].points, 0);
	}
	dt__rank_free(&t);
	return rc;
}

static int reminders(dt_ctx *ctx, report *r)
{
	static const figure_name names[] = {
		{ "queued", "生成的提醒与通知" },
		{ "sent", "已发送" },
		{ "failed", "发送失败" },
		{ "ranking", "其中排名提醒" },
	};

	return figures(ctx, r, "reminders",
	               "SELECT (SELECT count(*) FROM outbox WHERE created_at >= ?1 AND created_at < ?2),"
	               " (SELECT count(*) FROM outbox WHERE state = 'sent' AND sent_at >= ?1 AND sent_at < ?2),"
	               " (SELECT count(*) FROM outbox WHERE state = 'failed' AND created_at >= ?1 AND created_at < ?2),"
	               " (SELECT count(*) FROM outbox WHERE key LIKE 'rank-%' AND created_at >= ?1 AND created_at < ?2)",
	               NULL, names, 4);
}

static int requests(dt_ctx *ctx, report *r)
{
	return cases(ctx, r, "request", "群众诉求", request_states);
}

static int suggestions(dt_ctx *ctx, report *r)
{
	return cases(ctx, r, "suggestion", "微建议", suggestion_states);
}

/* The report's parts in the order it lists them. */
static int (*const parts[])(dt_ctx *, report *) = {
	deputies, requests, suggestions, events, months, learning, surveys, ranking, reminders,
};

int dt__report_build(dt_ctx *ctx, int64_t from, int64_t to, report *r)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->from = from;
	r->to = to;
	if (to <= from)
		return dt__error(ctx, DT_EUSAGE, "the period ends before it starts");
	/* One read transaction: every figure sees the same database. */
	rc = dt__exec(ctx, "BEGIN");
	if (rc != DT_OK)
		return rc;
	for (size_t i = 0; rc == DT_OK && i < sizeof(parts) / sizeof(parts[0]); i++)
		rc = parts[i](ctx, r);
	dt__exec(ctx, "COMMIT");
	if (rc != DT_OK)
		dt__report_free(r);
	return rc;
}

void dt__report_free(report *r)
{
	free(r->figs);
	r->figs = NULL;
	r->n = r->cap = 0;
}

const report_figure *dt__report_find(const report *r, const char *section, const char *metric)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->figs[i].section, section) && !strcmp(r->figs[i].metric, metric))
			return &r->figs[i];
	return NULL;
}

double dt__report_value(const report *r, const char *section, const char *metric)
{
	const report_figure *f = dt__report_find(r, section, metric);

	return f && !f->is_null ? f->value : 0;
}

static const dt_column report_columns[] = {
	{ "section", DT_COL_TEXT, 0 },
	{ "metric", DT_COL_TEXT, 0 },
	{ "label", DT_COL_TEXT, 0 },
	{ "value", DT_COL_REAL, 0 },
};

int dt_report(dt_ctx *ctx, int64_t from, int64_t to, dt_writer *w)
{
	report r;
	int rc = dt__report_build(ctx, from, to, &r);

	if (rc != DT_OK)
		return rc;
	rc = dt_writer_begin(w, report_columns, 4);
	for (size_t i = 0; rc == DT_OK && i < r.n; i++) {
		dt_value v[4] = { { 0 } };

		v[0].text = r.figs[i].section;
		v[1].text = r.figs[i].metric;
		v[2].text = r.figs[i].label;
		v[3].r = r.figs[i].value;
		v[3].is_null = r.figs[i].is_null;
		rc = dt_writer_row(w, v);
	}
	if (rc == DT_OK)
		rc = dt_writer_end(w);
	dt__report_free(&r);
	return dt__writer_status(ctx, rc);
}
