/*
 * The deputy registry's commands, and the duty archive.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "rdlz.h"

int cmd_import_deputies(rdlz_run *run)
{
	static const dt_column cols[] = {
		{ "rows", DT_COL_INT, 0 },  { "inserted", DT_COL_INT, 0 }, { "updated", DT_COL_INT, 0 },
		{ "coded", DT_COL_INT, 0 }, { "dry_run", DT_COL_BOOL, 0 },
	};
	dt_import_options o = DT_IMPORT_OPTIONS_INIT;
	dt_import_result res = { 0 };
	dt_value v[5] = { { 0 } };
	const char *path = run->argv[0];
	FILE *in;
	dt_writer *w;
	int rc, code;

	o.name = path;
	o.encoding = rdlz_opt(run, "encoding");
	o.ignore_unknown = rdlz_has(run, "ignore-unknown");
	o.dry_run = rdlz_has(run, "dry-run");
	code = rdlz_open_input(path, &in);
	if (code != EXIT_OK)
		return code;
	code = rdlz_writer(run, DT_WRITE_RECORD, &w);
	if (code != EXIT_OK) {
		rdlz_close_input(in);
		return code;
	}
	rc = dt_deputy_import(run->ctx, in, &o, &res);
	rdlz_close_input(in);
	if (rc != DT_OK)
		return rdlz_finish(run, w, rc);
	v[0].i = (int64_t)res.rows;
	v[1].i = (int64_t)res.inserted;
	v[2].i = (int64_t)res.updated;
	v[3].i = (int64_t)res.coded;
	v[4].i = o.dry_run;
	rc = dt_writer_begin(w, cols, 5);
	if (rc == DT_OK)
		rc = dt_writer_row(w, v);
	if (rc == DT_OK)
		rc = dt_writer_end(w);
	return rdlz_finish(run, w, rc);
}

int cmd_assign_codes(rdlz_run *run)
{
	static const dt_column cols[] = { { "assigned", DT_COL_INT, 0 } };
	long width = 0;
	uint64_t n = 0;
	dt_value v = { 0 };
	dt_writer *w;
	int rc, code = rdlz_opt_int(run, "width", 1, 9, &width);

	if (code == EXIT_OK)
		code = rdlz_writer(run, DT_WRITE_RECORD, &w);
	if (code != EXIT_OK)
		return code;
	rc = dt_deputy_assign_codes(run->ctx, rdlz_opt(run, "prefix"), (int)width, &n);
	if (rc != DT_OK)
		return rdlz_finish(run, w, rc);
	v.i = (int64_t)n;
	rc = dt_writer_begin(w, cols, 1);
	if (rc == DT_OK)
		rc = dt_writer_row(w, &v);
	if (rc == DT_OK)
		rc = dt_writer_end(w);
	return rdlz_finish(run, w, rc);
}

int cmd_list_deputies(rdlz_run *run)
{
	dt_deputy_filter f = { 0 };
	dt_writer *w;
	int code = rdlz_writer(run, 0, &w);

	if (code != EXIT_OK)
		return code;
	f.delegation = rdlz_opt(run, "delegation");
	f.grid = rdlz_opt(run, "grid");
	f.station = rdlz_opt(run, "station");
	f.status = rdlz_opt(run, "status");
	return rdlz_finish(run, w, dt_deputy_list(run->ctx, &f, w));
}

int cmd_deputy_stats(rdlz_run *run)
{
	dt_writer *w;
	int code = rdlz_writer(run, 0, &w);

	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, dt_deputy_stats(run->ctx, w));
}

int cmd_show_deputy(rdlz_run *run)
{
	dt_writer *w;
	int code = rdlz_writer(run, DT_WRITE_RECORD, &w);

	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, dt_deputy_show(run->ctx, run->argv[0], w));
}

/* The deputy field options given on the command line. */
static void fields_from_options(const rdlz_run *run, dt_deputy_fields *f)
{
	memset(f, 0, sizeof(*f));
	for (int k = 0; k < DT_DEPUTY_NFIELDS; k++)
		f->value[k] = rdlz_opt(run, dt_deputy_field_name((dt_deputy_field)k));
}

int cmd_add_deputy(rdlz_run *run)
{
	dt_deputy_fields f;
	char *code = NULL;
	int rc;

	fields_from_options(run, &f);
	if (!f.value[DT_DEPUTY_NAME])
		return rdlz_usage_error(run->cmd, "'add-deputy' needs --name");
	rc = dt_deputy_add(run->ctx, &f, &code);
	if (rc != DT_OK)
		return rdlz_fail(run, rc);
	/* the created object: its code is its id, for the next command */
	if (rdlz_opt(run, "format") && strcmp(rdlz_opt(run, "format"), "table") != 0) {
		dt_writer *w;
		int code_ = rdlz_writer(run, DT_WRITE_RECORD, &w);
		if (code_ != EXIT_OK) {
			free(code);
			return code_;
		}
		rc = dt_deputy_show(run->ctx, code, w);
		free(code);
		return rdlz_finish(run, w, rc);
	}
	fprintf(run->out, "%s\n", code);
	free(code);
	return EXIT_OK;
}

int cmd_set_deputy(rdlz_run *run)
{
	dt_deputy_fields f;

	fields_from_options(run, &f);
	for (int k = 0; k < DT_DEPUTY_NFIELDS; k++)
		if (f.value[k])
			return rdlz_finish(run, NULL, dt_deputy_set(run->ctx, run->argv[0], &f));
	return rdlz_usage_error(run->cmd, "nothing to change: give at least one field option");
}

int cmd_retire_deputy(rdlz_run *run)
{
	return rdlz_finish(run, NULL, dt_deputy_retire(run->ctx, run->argv[0]));
}

int cmd_archive(rdlz_run *run)
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
	return rdlz_finish(run, w, dt_archive_list(run->ctx, run->argv[0], from, to, w));
}
