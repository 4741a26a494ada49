/*
 * The one error model: status codes, their fixed descriptions, and the
 * per-context last message (like sqlite3_errmsg).
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"

static const char *const status_text[] = {
	"success",                         /* DT_OK */
	"failed",                          /* DT_ERROR */
	"bad usage",                       /* DT_EUSAGE */
	"bad input data",                  /* DT_EDATA */
	"not found",                       /* DT_ENOTFOUND */
	"already exists",                  /* DT_EEXISTS */
	"database busy",                   /* DT_EBUSY */
	"database missing or of another schema version", /* DT_ESCHEMA */
	"integrity check failed",          /* DT_ECORRUPT */
	"changed by someone else",         /* DT_ECONFLICT */
	"out of memory",                   /* DT_ENOMEM */
	"input/output error",              /* DT_EIO */
	"verification failed",             /* DT_EVERIFY */
	"not allowed in this state",       /* DT_ESTATE */
};

const char *dt_strerror(int status)
{
	size_t i = status <= 0 ? (size_t)-status : (size_t)-1;

	if (i >= sizeof(status_text) / sizeof(status_text[0]))
		return "unknown status";
	return status_text[i];
}

const char *dt_errmsg(const dt_ctx *ctx)
{
	if (!ctx)
		return "out of memory";
	return ctx->errmsg;
}

void dt__error_set(dt_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (!ctx)
		return;
	va_start(ap, fmt);
	vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
	va_end(ap);
}

void dt__sqlerr_set(dt_ctx *ctx, int rc, const char *what)
{
	int status = dt__sqlstatus(rc);

	if (status == DT_EBUSY)
		dt__error_set(ctx, "%s: database is locked (still busy after %d ms; try again later)", what,
		              ctx->busy_timeout_ms);
	/* a damaged, full or read-only file: say which file */
	else if ((status == DT_ECORRUPT || status == DT_EIO) && ctx->path && what && strcmp(what, ctx->path) != 0)
		dt__error_set(ctx, "%s: %s: %s", what, ctx->path, ctx->db ? sqlite3_errmsg(ctx->db) : sqlite3_errstr(rc));
	else
		dt__error_set(ctx, "%s: %s", what, ctx->db ? sqlite3_errmsg(ctx->db) : sqlite3_errstr(rc));
}

void dt__diag(dt_ctx *ctx, const char *fmt, ...)
{
	char line[DT_ERRMSG_MAX];
	va_list ap;

	if (!ctx->diag)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ctx->diag(ctx->diag_ud, line);
}
