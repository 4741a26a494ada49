/*
 * Exchange exports in open standards: the roster and its activity as
 * Popolo JSON, cases as Open311 service requests.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
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
static int write_export(rdlz_run *run, export_fn fn, const void *arg, mode_t mode)
{
	const char *path = rdlz_opt(run, "out");
	size_t n;
	char *tmp;
	FILE *f = NULL;
	int fd = -1, rc, e;

	if (!path)
		return rdlz_finish(run, NULL, fn(run->ctx, arg, run->out));
	n = strlen(path);
	tmp = malloc(n + 8);
	if (!tmp)
		return rdlz_fail(run, DT_ENOMEM);
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".XXXXXX", 8);
	fd = mkstemp(tmp);
	if (fd >= 0 && fchmod(fd, mode) == 0)
		f = fdopen(fd, "wb");
	if (!f) {
		e = errno;
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		fprintf(stderr, "rdlz: cannot write '%s': %s\n", path, strerror(e));
		return EXIT_FAILED;
	}
	rc = fn(run->ctx, arg, f);
	e = errno;
	if (fclose(f) != 0 && rc == DT_OK) {
		e = errno;
		rc = DT_EIO;
	}
	if (rc == DT_OK && rename(tmp, path) != 0) {
		e = errno;
		rc = DT_EIO;
	}
	if (rc != DT_OK)
		unlink(tmp);
	free(tmp);
	if (rc == DT_EIO) {
		fprintf(stderr, "rdlz: cannot write '%s': %s\n", path, strerror(e));
		return rdlz_exit_code(rc);
	}
	return rdlz_finish(run, NULL, rc);
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
