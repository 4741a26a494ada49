/*
 * Exchange exports in open standards: the roster and its activity as
 * Popolo JSON, cases as Open311 service requests.
 */
#include "rdlz.h"

/* One export into out; arg is its options. */
typedef int (*export_fn)(dt_ctx *ctx, const void *arg, FILE *out);

static int popolo(dt_ctx *ctx, const void *arg, FILE *out)
{
	return dt_export_popolo(ctx, arg, out);
}

static int open311(dt_ctx *ctx, const void *arg, FILE *out)
{
	return dt_export_open311(ctx, arg, out);
}

/* Write the export to standard output, or with --out to the file through a
 * temporary file beside it renamed over it once whole: a portal fetching
 * the file never reads half of one, and a failed run leaves the previous
 * file as it was. mode is the file's: 0644 for what is published, 0600
 * when it holds personal data in clear. */
static int write_export(rdlz_run *run, export_fn fn, const void *arg, int mode)
{
	const char *path = rdlz_opt(run, "out");
	rdlz_file o;
	int code;

	if (!path)
		return rdlz_finish(run, NULL, fn(run->ctx, arg, run->out));
	code = rdlz_file_open(&o, path, mode);
	if (code != EXIT_OK)
		return code;
	return rdlz_file_finish(run, &o, fn(run->ctx, arg, o.f));
}

int cmd_export_popolo(rdlz_run *run)
{
	dt_popolo_options o = DT_POPOLO_OPTIONS_INIT;

	o.unmask = rdlz_has(run, "unmask");
	return write_export(run, popolo, &o, o.unmask ? 0600 : 0644);
}

int cmd_export_open311(rdlz_run *run)
{
	dt_open311_filter f = DT_OPEN311_FILTER_INIT;
	int code = rdlz_opt_day(run, "from", 0, &f.from);

	if (code == EXIT_OK)
		code = rdlz_opt_day(run, "to", 1, &f.to);
	if (code != EXIT_OK)
		return code;
	if (f.from != DT_TIME_UNSET && f.to != DT_TIME_UNSET && f.to <= f.from)
		return rdlz_usage_error(run->cmd, "--to is before --from");
	f.kind = rdlz_opt(run, "kind");
	/* nothing personal goes in: the file is meant to be published */
	return write_export(run, open311, &f, 0644);
}
