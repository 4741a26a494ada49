/*
 * Events: meetings, inquiries, hearings, forums, trainings and activities;
 * attendance, comments, learning, the calendar feed and the statistics.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rdlz.h"

static int event_id(rdlz_run *run, int64_t *id)
{
	return rdlz_operand_id(run, 0, "event", id);
}

/* The event options shared by create-event and set-event. */
static int event_options(rdlz_run *run, dt_event *e)
{
	int code = rdlz_opt_time(run, "starts", &e->starts_at);

	if (code == EXIT_OK)
		code = rdlz_opt_time(run, "ends", &e->ends_at);
	if (code == EXIT_OK)
		code = rdlz_opt_time(run, "announce-at", &e->announce_at);
	e->kind = rdlz_opt(run, "kind");
	e->title = rdlz_opt(run, "title");
	e->place = rdlz_opt(run, "place");
	e->stream_url = rdlz_opt(run, "stream-url");
	e->court = rdlz_opt(run, "court");
	e->case_summary = rdlz_opt(run, "case-summary");
	return code;
}

int cmd_create_event(rdlz_run *run)
{
	dt_event e = DT_EVENT_INIT;
	int64_t id;
	int rc, code = event_options(run, &e);

	if (code != EXIT_OK)
		return code;
	if (!e.kind || !e.title || e.starts_at == DT_TIME_UNSET)
		return rdlz_usage_error(run->cmd, "'create-event' needs --kind, --title and --starts");
	rc = dt_event_create(run->ctx, &e, &id);
	return rdlz_print_number(run, rc, id);
}

int cmd_set_event(rdlz_run *run)
{
	dt_event e = DT_EVENT_INIT;
	int64_t id;
	int code = event_id(run, &id);

	if (code == EXIT_OK)
		code = event_options(run, &e);
	if (code != EXIT_OK)
		return code;
	if (!e.kind && !e.title && !e.place && !e.stream_url && !e.court && !e.case_summary &&
	    e.starts_at == DT_TIME_UNSET && e.ends_at == DT_TIME_UNSET && e.announce_at == DT_TIME_UNSET)
		return rdlz_usage_error(run->cmd, "'set-event' needs at least one field to change");
	return rdlz_finish(run, NULL, dt_event_update(run->ctx, id, &e));
}

int cmd_cancel_event(rdlz_run *run)
{
	int64_t id;
	int code = event_id(run, &id);

	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, NULL, dt_event_cancel(run->ctx, id, rdlz_opt(run, "reason")));
}

int cmd_list_events(rdlz_run *run)
{
	dt_event_filter f = DT_EVENT_FILTER_INIT;
	dt_writer *w;
	int code = rdlz_opt_day(run, "from", 0, &f.from);

	if (code == EXIT_OK)
		code = rdlz_opt_day(run, "to", 1, &f.to);
	if (code == EXIT_OK)
		code = rdlz_writer(run, 0, &w);
	if (code != EXIT_OK)
		return code;
	f.kind = rdlz_opt(run, "kind");
	f.upcoming = rdlz_has(run, "upcoming");
	return rdlz_finish(run, w, dt_event_list(run->ctx, &f, w));
}

int cmd_show_event(rdlz_run *run)
{
	dt_writer *w;
	int64_t id;
	int code = event_id(run, &id);

	if (code == EXIT_OK)
		code = rdlz_writer(run, DT_WRITE_RECORD, &w);
	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, dt_event_show(run->ctx, id, w));
}

static int print_summary(rdlz_run *run, const dt_attendance_summary *s)
{
	static const dt_column cols[] = {
		{ "rows", DT_COL_INT, 0 },    { "deputies", DT_COL_INT, 0 }, { "online", DT_COL_INT, 0 },
		{ "partial", DT_COL_INT, 0 }, { "changed", DT_COL_INT, 0 },
	};
	dt_value v[5] = { { 0 } };
	dt_writer *w;
	int rc, code = rdlz_writer(run, DT_WRITE_RECORD, &w);

	if (code != EXIT_OK)
		return code;
	v[0].i = (int64_t)s->rows;
	v[1].i = (int64_t)s->deputies;
	v[2].i = (int64_t)s->online;
	v[3].i = (int64_t)s->partial;
	v[4].i = (int64_t)s->changed;
	rc = dt_writer_begin(w, cols, 5);
	if (rc == DT_OK)
		rc = dt_writer_row(w, v);
	if (rc == DT_OK)
		rc = dt_writer_end(w);
	return rdlz_finish(run, w, rc);
}

int cmd_record_attendance(rdlz_run *run)
{
	const char *log = rdlz_opt(run, "from-log"), *deputy = rdlz_opt(run, "deputy"), *mode = rdlz_opt(run, "mode");
	dt_attendance_summary s;
	int64_t id;
	FILE *in;
	int rc, code = event_id(run, &id);

	if (code != EXIT_OK)
		return code;
	if (!log == !(deputy || mode))
		return rdlz_usage_error(run->cmd, "give --deputy CODE --mode MODE, or --from-log FILE");
	if (!log) {
		if (!deputy || !mode)
			return rdlz_usage_error(run->cmd, "a record by hand needs both --deputy and --mode");
		return rdlz_finish(run, NULL, dt_attendance_record(run->ctx, id, deputy, mode));
	}
	code = rdlz_open_input(log, &in);
	if (code != EXIT_OK)
		return code;
	rc = dt_attendance_import(run->ctx, id, in, log, rdlz_opt(run, "encoding"), &s);
	rdlz_close_input(in);
	if (rc != DT_OK)
		return rdlz_fail(run, rc);
	return print_summary(run, &s);
}

int cmd_list_attendance(rdlz_run *run)
{
	dt_writer *w;
	int64_t id;
	int code = event_id(run, &id);

	if (code == EXIT_OK)
		code = rdlz_writer(run, 0, &w);
	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, dt_attendance_list(run->ctx, id, w));
}

int cmd_post_comment(rdlz_run *run)
{
	const char *text;
	char *owned;
	int64_t id, comment = 0;
	int rc, code = event_id(run, &id);

	if (code == EXIT_OK)
		code = rdlz_text_option(run, "text", NULL, &text, &owned);
	if (code != EXIT_OK)
		return code;
	if (!rdlz_opt(run, "deputy") || !text) {
		free(owned);
		return rdlz_usage_error(run->cmd, "'post-comment' needs --deputy and --text");
	}
	rc = dt_comment_post(run->ctx, id, rdlz_opt(run, "deputy"), text, &comment);
	free(owned);
	return rdlz_print_number(run, rc, comment);
}

int cmd_import_comments(rdlz_run *run)
{
	uint64_t added = 0;
	int64_t id;
	FILE *in;
	int rc, code = event_id(run, &id);

	if (code == EXIT_OK)
		code = rdlz_open_input(run->argv[1], &in);
	if (code != EXIT_OK)
		return code;
	rc = dt_comment_import(run->ctx, id, in, run->argv[1], rdlz_opt(run, "encoding"), &added);
	rdlz_close_input(in);
	return rdlz_print_number(run, rc, (int64_t)added);
}

int cmd_list_comments(rdlz_run *run)
{
	dt_writer *w;
	int64_t id;
	int code = event_id(run, &id);

	if (code == EXIT_OK)
		code = rdlz_writer(run, 0, &w);
	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, dt_comment_list(run->ctx, id, rdlz_has(run, "all"), w));
}

int cmd_hide_comment(rdlz_run *run)
{
	int64_t id;
	int code = rdlz_operand_id(run, 0, "comment", &id);

	if (code != EXIT_OK)
		return code;
	if (!rdlz_opt(run, "reason"))
		return rdlz_usage_error(run->cmd, "'hide-comment' needs --reason: moderation is on the record");
	return rdlz_finish(run, NULL, dt_comment_hide(run->ctx, id, rdlz_opt(run, "reason")));
}

int cmd_add_article(rdlz_run *run)
{
	dt_article a = DT_ARTICLE_INIT;
	const char *tags[RDLZ_MAX_VALUES], *t;
	char *owned = NULL;
	int64_t id;
	size_t n = 0;
	int rc, code = EXIT_OK;

	while ((t = rdlz_opt_nth(run, "tag", (int)n)) != NULL)
		tags[n++] = t;
	a.title = rdlz_opt(run, "title");
	a.url = rdlz_opt(run, "url");
	if (!a.title || !a.url == !rdlz_opt(run, "body-file"))
		return rdlz_usage_error(run->cmd, "'add-article' needs --title and one of --url and --body-file");
	if (!a.url) {
		const char *body;

		code = rdlz_text_option(run, NULL, "body-file", &body, &owned);
		a.body = body;
	}
	if (code != EXIT_OK)
		return code;
	a.tags = tags;
	a.ntags = n;
	rc = dt_article_add(run->ctx, &a, &id);
	free(owned);
	return rdlz_print_number(run, rc, id);
}

int cmd_list_articles(rdlz_run *run)
{
	dt_writer *w;
	int code = rdlz_writer(run, 0, &w);

	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, dt_article_list(run->ctx, rdlz_opt(run, "tag"), w));
}

int cmd_record_learning(rdlz_run *run)
{
	long article = 0, event = 0, minutes = 0;
	int64_t at = dt_ctx_now(run->ctx);
	int code = EXIT_OK;

	if (!rdlz_opt(run, "deputy") || !rdlz_opt(run, "minutes") || !rdlz_opt(run, "article") == !rdlz_opt(run, "event"))
		return rdlz_usage_error(run->cmd, "'record-learning' needs --deputy, --minutes and one of --article and --event");
	if (rdlz_opt(run, "article"))
		code = rdlz_opt_int(run, "article", 1, INT32_MAX, &article);
	else
		code = rdlz_opt_int(run, "event", 1, INT32_MAX, &event);
	if (code == EXIT_OK)
		code = rdlz_opt_int(run, "minutes", 1, 1440, &minutes);
	if (code == EXIT_OK)
		code = rdlz_opt_time(run, "at", &at);
	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, NULL, dt_learning_record(run->ctx, rdlz_opt(run, "deputy"), article, event, minutes, at));
}

int cmd_import_learning(rdlz_run *run)
{
	uint64_t added = 0;
	FILE *in;
	int rc, code = rdlz_open_input(run->argv[0], &in);

	if (code != EXIT_OK)
		return code;
	rc = dt_learning_import(run->ctx, in, run->argv[0], rdlz_opt(run, "encoding"), &added);
	rdlz_close_input(in);
	return rdlz_print_number(run, rc, (int64_t)added);
}

int cmd_export_ical(rdlz_run *run)
{
	int64_t from = DT_TIME_UNSET;
	int code = rdlz_opt_day(run, "from", 0, &from);

	if (code != EXIT_OK)
		return code;
	if (rdlz_opt(run, "out")) {
		/* the schedule is public: calendar clients and web servers read it */
		rdlz_file o;

		code = rdlz_file_open(&o, rdlz_opt(run, "out"), 0644);
		if (code == EXIT_OK)
			code = rdlz_file_finish(run, &o, dt_event_ical(run->ctx, rdlz_opt(run, "kind"), from, o.f));
		return code;
	}
	return rdlz_finish(run, NULL, dt_event_ical(run->ctx, rdlz_opt(run, "kind"), from, run->out));
}

int cmd_event_stats(rdlz_run *run)
{
	int64_t from = DT_TIME_UNSET, to = DT_TIME_UNSET, id;
	const char *year = rdlz_opt(run, "year");
	dt_writer *w;
	int code;

	if (run->argc == 1) {
		if (year || rdlz_opt(run, "from") || rdlz_opt(run, "to"))
			return rdlz_usage_error(run->cmd, "give an EVENT or a period (--year, --from, --to), not both");
		code = event_id(run, &id);
		if (code == EXIT_OK)
			code = rdlz_writer(run, DT_WRITE_RECORD, &w);
		if (code != EXIT_OK)
			return code;
		return rdlz_finish(run, w, dt_event_stats(run->ctx, id, w));
	}
	if (year && (rdlz_opt(run, "from") || rdlz_opt(run, "to")))
		return rdlz_usage_error(run->cmd, "give --year or --from/--to, not both");
	if (year) {
		char first[32], next[32];
		long y;

		code = rdlz_opt_int(run, "year", 1900, 9998, &y);
		if (code != EXIT_OK)
			return code;
		snprintf(first, sizeof(first), "%04ld-01-01", y);
		snprintf(next, sizeof(next), "%04ld-01-01", y + 1);
		if (dt_date_parse(run->ctx, first, &from) != DT_OK || dt_date_parse(run->ctx, next, &to) != DT_OK)
			return rdlz_fail(run, DT_EUSAGE);
	} else {
		code = rdlz_opt_day(run, "from", 0, &from);
		if (code == EXIT_OK)
			code = rdlz_opt_day(run, "to", 1, &to);
		if (code != EXIT_OK)
			return code;
		if (from == DT_TIME_UNSET || to == DT_TIME_UNSET)
			return rdlz_usage_error(run->cmd, "give an EVENT, --year Y, or both --from and --to");
	}
	code = rdlz_writer(run, 0, &w);
	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, dt_event_period_stats(run->ctx, from, to, w));
}
