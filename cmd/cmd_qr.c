/*
 * Cloud contact: the deputies' personal QR codes.
 */
#include <stdlib.h>
#include <string.h>
#include "rdlz.h"

static int qr_options(rdlz_run *run, dt_qr_options *o)
{
	const char *type = rdlz_opt(run, "type"), *level = rdlz_opt(run, "level");
	long size = 0, margin = o->margin;
	int code = rdlz_opt_int(run, "size", 1, 20000, &size);

	if (code == EXIT_OK)
		code = rdlz_opt_int(run, "margin", 0, 40, &margin);
	if (code != EXIT_OK)
		return code;
	if (type)
		dt_qr_type_parse(type, &o->type); /* one of the table's choices */
	if (level)
		o->level = level[0];
	o->size = (int)size;
	o->margin = (int)margin;
	return EXIT_OK;
}

int cmd_issue_qr(rdlz_run *run)
{
	dt_qr_options o = DT_QR_OPTIONS_INIT;
	dt_qr_selection sel = { 0 };
	dt_writer *w;
	int code = qr_options(run, &o);

	if (code != EXIT_OK)
		return code;
	sel.codes = (const char *const *)run->argv;
	sel.ncodes = (size_t)run->argc;
	sel.delegation = rdlz_opt(run, "delegation");
	sel.station = rdlz_opt(run, "station");
	if (!run->argc && !rdlz_has(run, "all") && !sel.delegation && !sel.station)
		return rdlz_usage_error(run->cmd, "name the deputies (CODE...), or give --all, --delegation or --station");
	if (run->argc && (rdlz_has(run, "all") || sel.delegation || sel.station))
		return rdlz_usage_error(run->cmd, "give either codes or --all/--delegation/--station, not both");
	if (o.type == DT_QR_UTF8) {
		if (!run->argc)
			return rdlz_usage_error(run->cmd, "--type utf8 draws named codes on the terminal: name them");
		for (int i = 0; i < run->argc; i++) {
			int rc = dt_qr_draw(run->ctx, run->argv[i], &o, dt_writer_sink_file, run->out);
			if (rc != DT_OK)
				return rdlz_fail(run, rc);
		}
		return EXIT_OK;
	}
	if (!rdlz_opt(run, "out"))
		return rdlz_usage_error(run->cmd, "where should the files go? give --out DIR");
	code = rdlz_writer(run, 0, &w);
	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, dt_qr_issue(run->ctx, &sel, &o, rdlz_opt(run, "out"), w));
}

/* The first line of standard input, as a scanner app pipes it. */
static char *read_line(FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, in);

	if (n < 0) {
		free(line);
		return NULL;
	}
	return line;
}

int cmd_verify_qr(rdlz_run *run)
{
	const char *text = run->argv[0];
	char *line = NULL;
	dt_writer *w;
	int code, rc;

	if (strcmp(text, "-") == 0) {
		line = read_line(stdin);
		if (!line)
			return rdlz_usage_error(run->cmd, "nothing on standard input");
		text = line;
	}
	code = rdlz_writer(run, DT_WRITE_RECORD, &w);
	if (code != EXIT_OK) {
		free(line);
		return code;
	}
	rc = dt_qr_verify(run->ctx, text, w);
	free(line);
	return rdlz_finish(run, w, rc);
}

int cmd_rotate_qr_key(rdlz_run *run)
{
	char *kid = NULL;
	int rc = dt_qr_rotate_key(run->ctx, rdlz_has(run, "revoke-old"), &kid);

	if (rc != DT_OK)
		return rdlz_fail(run, rc);
	fprintf(run->out, "%s\n", kid);
	free(kid);
	return EXIT_OK;
}

int cmd_list_qr(rdlz_run *run)
{
	dt_writer *w;
	int code = rdlz_writer(run, 0, &w);

	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, dt_qr_list(run->ctx, w));
}
