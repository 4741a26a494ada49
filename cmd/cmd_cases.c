/*
 * Closed-loop cases: departments, citizens' requests, deputies'
 * micro-suggestions, their state machine, deadlines and statistics.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "rdlz.h"

/* The case id operand. */
static int case_id(rdlz_run *run, int64_t *id)
{
	return rdlz_operand_id(run, 0, "case", id);
}

/* Print a created case's id, or with --format json|jsonl the object. */
static int print_created(rdlz_run *run, int64_t id, const char *tracking)
{
	static const dt_column cols[] = { { "id", DT_COL_INT, 0 }, { "tracking", DT_COL_TEXT, 0 } };
	const char *fmt = rdlz_opt(run, "format");
	dt_value v[2] = { { 0 } };
	dt_writer *w;
	int code, rc;

	if (!fmt || !strcmp(fmt, "table")) {
		fprintf(run->out, "%" PRId64 "\n", id);
		return EXIT_OK;
	}
	code = rdlz_writer(run, DT_WRITE_RECORD, &w);
	if (code != EXIT_OK)
		return code;
	v[0].i = id;
	v[1].text = tracking;
	v[1].is_null = !tracking;
	rc = dt_writer_begin(w, cols, 2);
	if (rc == DT_OK)
		rc = dt_writer_row(w, v);
	if (rc == DT_OK)
		rc = dt_writer_end(w);
	return rdlz_finish(run, w, rc);
}

int cmd_add_department(rdlz_run *run)
{
	dt_department d = DT_DEPARTMENT_INIT;
	int rc;

	d.code = rdlz_opt(run, "code");
	d.name = rdlz_opt(run, "name");
	d.email = rdlz_opt(run, "email");
	d.webhook = rdlz_opt(run, "webhook");
	if (!d.code || !d.name)
		return rdlz_usage_error(run->cmd, "'add-department' needs --code and --name");
	rc = dt_department_add(run->ctx, &d);
	if (rc != DT_OK)
		return rdlz_fail(run, rc);
	fprintf(run->out, "%s\n", d.code);
	return EXIT_OK;
}

int cmd_import_departments(rdlz_run *run)
{
	const char *path = run->argv[0];
	uint64_t n = 0;
	FILE *in;
	int rc, code = rdlz_open_input(path, &in);

	if (code != EXIT_OK)
		return code;
	rc = dt_department_import(run->ctx, in, path, &n);
	rdlz_close_input(in);
	return rdlz_print_number(run, rc, (int64_t)n);
}

int cmd_list_departments(rdlz_run *run)
{
	dt_writer *w;
	int code = rdlz_writer(run, 0, &w);

	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, dt_department_list(run->ctx, w));
}

int cmd_set_route(rdlz_run *run)
{
	return rdlz_finish(run, NULL, dt_route_set(run->ctx, run->argv[0], run->argv[1]));
}

int cmd_submit_request(rdlz_run *run)
{
	dt_case_new c = DT_CASE_NEW_INIT;
	const char *qr = rdlz_opt(run, "qr");
	char *owned = NULL, *code = NULL, *tracking = NULL;
	int64_t id = 0;
	int rc, exit_code = rdlz_text_option(run, "text", "text-file", &c.text, &owned);

	if (exit_code != EXIT_OK)
		return exit_code;
	if (!qr == !rdlz_opt(run, "deputy")) {
		free(owned);
		return rdlz_usage_error(run->cmd, "give the deputy by --qr URL or by --deputy CODE");
	}
	if (qr) {
		/* a forged or altered code never reaches a deputy */
		rc = dt_qr_deputy(run->ctx, qr, &code);
		if (rc != DT_OK) {
			free(owned);
			return rdlz_fail(run, rc);
		}
	}
	c.deputy = code ? code : rdlz_opt(run, "deputy");
	c.channel = qr ? "qr" : "deputy";
	c.citizen = rdlz_opt(run, "citizen");
	c.phone = rdlz_opt(run, "phone");
	c.place = rdlz_opt(run, "place");
	rc = dt_case_submit_request(run->ctx, &c, &id, &tracking);
	free(owned);
	free(code);
	if (rc != DT_OK)
		return rdlz_fail(run, rc);
	exit_code = print_created(run, id, tracking);
	free(tracking);
	return exit_code;
}

int cmd_file_suggestion(rdlz_run *run)
{
	dt_case_new c = DT_CASE_NEW_INIT;
	const char *photos[RDLZ_MAX_VALUES], *p, *geo = rdlz_opt(run, "geo");
	char *owned = NULL;
	int64_t id = 0;
	size_t n = 0;
	int rc, code = rdlz_text_option(run, "text", "text-file", &c.text, &owned);

	if (code != EXIT_OK)
		return code;
	while ((p = rdlz_opt_nth(run, "photo", (int)n)) != NULL)
		photos[n++] = p;
	if (geo) {
		char *end;

		c.lat = strtod(geo, &end);
		if (*end != ',' || (c.lng = strtod(end + 1, &end), *end)) {
			free(owned);
			return rdlz_usage_error(run->cmd, "--geo '%s' is not LAT,LNG", geo);
		}
		c.has_geo = 1;
	}
	if (geo && rdlz_opt(run, "place")) {
		free(owned);
		return rdlz_usage_error(run->cmd, "give --place or --geo, not both");
	}
	c.deputy = rdlz_opt(run, "deputy");
	c.title = rdlz_opt(run, "title");
	c.place = rdlz_opt(run, "place");
	c.channel = rdlz_opt(run, "channel");
	c.category = rdlz_opt(run, "category");
	c.photos = photos;
	c.nphotos = n;
	rc = dt_case_file_suggestion(run->ctx, &c, &id);
	free(owned);
	if (rc != DT_OK)
		return rdlz_fail(run, rc);
	return print_created(run, id, NULL);
}

/* take-request, assign-case, accept-case, ...: one action each. */
static int apply(rdlz_run *run, dt_case_action action)
{
	dt_case_act a = DT_CASE_ACT_INIT;
	char *owned = NULL;
	int64_t id;
	int rc, code = case_id(run, &id);

	if (code == EXIT_OK && (action == DT_CASE_ANSWER || action == DT_CASE_RESOLVE))
		code = rdlz_text_option(run, "text", "text-file", &a.note, &owned);
	if (code != EXIT_OK)
		return code;
	if (!a.note)
		a.note = rdlz_opt(run, "note");
	a.deputy = rdlz_opt(run, "deputy");
	a.department = rdlz_opt(run, "department");
	if (action == DT_CASE_RATE)
		a.rating = run->argv[1];
	rc = dt_case_apply(run->ctx, id, action, &a);
	free(owned);
	return rdlz_finish(run, NULL, rc);
}

int cmd_take_request(rdlz_run *run)
{
	return apply(run, DT_CASE_TAKE);
}

int cmd_assign_case(rdlz_run *run)
{
	return apply(run, DT_CASE_ASSIGN);
}

int cmd_accept_case(rdlz_run *run)
{
	return apply(run, DT_CASE_ACCEPT);
}

int cmd_answer_case(rdlz_run *run)
{
	return apply(run, DT_CASE_ANSWER);
}

int cmd_resolve_case(rdlz_run *run)
{
	return apply(run, DT_CASE_RESOLVE);
}

int cmd_rate_case(rdlz_run *run)
{
	return apply(run, DT_CASE_RATE);
}

int cmd_close_case(rdlz_run *run)
{
	return apply(run, DT_CASE_CLOSE);
}

int cmd_show_case(rdlz_run *run)
{
	dt_writer *w, *t = NULL;
	int64_t id;
	int code = case_id(run, &id), rc;
	const char *fmt = rdlz_opt(run, "format");

	if (code == EXIT_OK)
		code = rdlz_writer(run, DT_WRITE_RECORD, &w);
	if (code != EXIT_OK)
		return code;
	/* the timeline follows in a table; CSV and JSON hold the record alone, one shape a stream */
	if (!fmt || !strcmp(fmt, "table"))
		code = rdlz_writer(run, 0, &t);
	if (code != EXIT_OK) {
		dt_writer_free(w);
		return code;
	}
	rc = dt_case_show(run->ctx, id, w, t);
	dt_writer_free(t);
	return rdlz_finish(run, w, rc);
}

int cmd_list_cases(rdlz_run *run)
{
	dt_case_filter f = DT_CASE_FILTER_INIT;
	dt_writer *w;
	int code = rdlz_writer(run, 0, &w);

	if (code != EXIT_OK)
		return code;
	f.kind = rdlz_opt(run, "kind");
	f.state = rdlz_opt(run, "state");
	f.deputy = rdlz_opt(run, "deputy");
	f.department = rdlz_opt(run, "department");
	f.category = rdlz_opt(run, "category");
	f.overdue = rdlz_has(run, "overdue");
	return rdlz_finish(run, w, dt_case_list(run->ctx, &f, w));
}

int cmd_case_stats(rdlz_run *run)
{
	int64_t from = INT64_MIN, to = INT64_MAX;
	dt_writer *w;
	int code = rdlz_opt_day(run, "from", 0, &from);

	if (code == EXIT_OK)
		code = rdlz_opt_day(run, "to", 1, &to);
	if (code == EXIT_OK)
		code = rdlz_writer(run, 0, &w);
	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, dt_case_stats(run->ctx, from, to, w));
}

int cmd_set_calendar(rdlz_run *run)
{
	const char *path = run->argv[0];
	uint64_t n = 0;
	FILE *in;
	int rc, code = rdlz_open_input(path, &in);

	if (code != EXIT_OK)
		return code;
	rc = dt_calendar_load(run->ctx, in, path, &n);
	rdlz_close_input(in);
	return rdlz_print_number(run, rc, (int64_t)n);
}

int cmd_export_photos(rdlz_run *run)
{
	dt_writer *w;
	int64_t id;
	int code = case_id(run, &id);

	if (code == EXIT_OK)
		code = rdlz_writer(run, 0, &w);
	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, dt_case_export_photos(run->ctx, id, run->argv[1], rdlz_has(run, "public"), w));
}

int cmd_purge_citizen_data(rdlz_run *run)
{
	const char *before = rdlz_opt(run, "before");
	uint64_t n = 0;
	int64_t t;
	int rc;

	if (!before)
		return rdlz_usage_error(run->cmd, "'purge-citizen-data' needs --before DATE");
	if (dt_date_parse(run->ctx, before, &t) != DT_OK)
		return rdlz_usage_error(run->cmd, "option '--before': %s", dt_errmsg(run->ctx));
	rc = dt_case_purge_citizen_data(run->ctx, t, &n);
	return rdlz_print_number(run, rc, (int64_t)n);
}
