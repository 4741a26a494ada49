/*
 * Departments (the government bodies that handle cases) and the routes
 * from a suggestion's category to its default department.
 */
#include <stdlib.h>
#include <string.h>
#include "csvread.h"

static int check_department(dt_ctx *ctx, const dt_department *d, char *why, size_t size)
{
	(void)ctx;
	if (!d->code || !*d->code || strlen(d->code) > 32 || strspn(d->code,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(d->code)) {
		snprintf(why, size, "code '%s' is not 1 to 32 letters, digits, '-' or '_'", d->code ? d->code : "");
		return 0;
	}
	if (!d->name || !*d->name || !dt__utf8_valid(d->name, strlen(d->name)) || strpbrk(d->name, "\r\n")) {
		snprintf(why, size, "a department needs a name of one line of UTF-8");
		return 0;
	}
	if (d->email && *d->email && !dt__email_valid(d->email)) {
		snprintf(why, size, "'%s' is not an e-mail address", d->email);
		return 0;
	}
	/* listed as text and sent in webhook posts, as the name is */
	if (d->webhook && (!dt__utf8_valid(d->webhook, strlen(d->webhook)) || strpbrk(d->webhook, "\r\n"))) {
		snprintf(why, size, "the webhook name is not one line of UTF-8");
		return 0;
	}
	return 1;
}

static int upsert(dt_ctx *ctx, const dt_department *d)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     "INSERT INTO department(code, name, email, webhook, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"
	                     " ON CONFLICT(code) DO UPDATE SET name = excluded.name, email = excluded.email,"
	                     " webhook = excluded.webhook, active = 1");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_text(st, 1, d->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d->name, -1, SQLITE_STATIC);
	dt__bind_text_or_null(st, 3, d->email);
	dt__bind_text_or_null(st, 4, d->webhook);
	sqlite3_bind_int64(st, 5, dt_ctx_now(ctx));
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, rc, "saving a department");
}

int dt_department_add(dt_ctx *ctx, const dt_department *d)
{
	char why[256];
	int rc;

	if (!check_department(ctx, d, why, sizeof(why)))
		return dt__error(ctx, DT_EDATA, "%s", why);
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = upsert(ctx, d);
	if (rc == DT_OK)
		rc = dt__audit(ctx, "department %s saved", d->code);
	return dt__end(ctx, rc);
}

typedef struct {
	dt_ctx *ctx;
	const char *name;
	int col[4]; /* code, name, email, webhook -> column, or -1 */
	size_t ncols;
	int header_done;
	uint64_t rows, errors;
} dept_import;

static int dept_row(void *ud, uint64_t line, char **f, size_t n)
{
	static const char *const en[] = { "code", "name", "email", "webhook" };
	static const char *const zh[] = { "代码", "名称", "邮箱", "webhook" };
	dept_import *im = ud;
	dt_department d = DT_DEPARTMENT_INIT;
	const char **v[4] = { &d.code, &d.name, &d.email, &d.webhook };
	char why[256];
	int rc;

	if (!im->header_done) {
		im->header_done = 1;
		im->ncols = n;
		for (int k = 0; k < 4; k++)
			im->col[k] = -1;
		for (size_t i = 0; i < n; i++) {
			int found = 0;
			for (int k = 0; k < 4; k++)
				if (strcasecmp(f[i], en[k]) == 0 || strcmp(f[i], zh[k]) == 0) {
					im->col[k] = (int)i;
					found = 1;
				}
			if (!found) {
				dt__diag(im->ctx, "%s:%llu: unknown column '%s' (known: code/代码, name/名称, email/邮箱, webhook)",
				         im->name, (unsigned long long)line, f[i]);
				im->errors++;
			}
		}
		if (im->col[0] < 0 || im->col[1] < 0) {
			dt__diag(im->ctx, "%s:%llu: the header needs code and name columns", im->name,
			         (unsigned long long)line);
			im->errors++;
		}
		return im->errors ? DT_EDATA : DT_OK;
	}
	im->rows++;
	if (n != im->ncols) {
		dt__diag(im->ctx, "%s:%llu: %zu fields, but the header has %zu", im->name, (unsigned long long)line, n,
		         im->ncols);
		im->errors++;
		return DT_OK;
	}
	for (int k = 0; k < 4; k++)
		*v[k] = im->col[k] >= 0 ? f[im->col[k]] : NULL;
	if (!check_department(im->ctx, &d, why, sizeof(why))) {
		dt__diag(im->ctx, "%s:%llu: %s", im->name, (unsigned long long)line, why);
		im->errors++;
		return DT_OK;
	}
	rc = upsert(im->ctx, &d);
	return rc;
}

int dt_department_import(dt_ctx *ctx, FILE *in, const char *name, uint64_t *count)
{
	dept_import im = { 0 };
	dt_csv_options o = { name ? name : "-", NULL, 4096, 16 };
	int rc;

	im.ctx = ctx;
	im.name = o.name;
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__csv_read(ctx, in, &o, dept_row, &im);
	if (rc == DT_OK && im.errors)
		rc = dt__error(ctx, DT_EDATA, "%s: %llu errors; nothing was imported", im.name,
		               (unsigned long long)im.errors);
	else if (rc == DT_EDATA)
		rc = dt__error(ctx, DT_EDATA, "%s: bad input; nothing was imported", im.name);
	if (rc == DT_OK && !im.header_done)
		rc = dt__error(ctx, DT_EDATA, "%s: the file is empty", im.name);
	if (rc == DT_OK)
		rc = dt__audit(ctx, "imported %llu departments from %s", (unsigned long long)im.rows, im.name);
	if (rc != DT_OK) {
		dt__rollback(ctx);
		return rc;
	}
	if (count)
		*count = im.rows;
	return dt__commit(ctx);
}

static const dt_column dept_columns[] = {
	{ "code", DT_COL_TEXT, 0 },    { "name", DT_COL_TEXT, 0 },    { "email", DT_COL_TEXT, 0 },
	{ "webhook", DT_COL_TEXT, 0 }, { "active", DT_COL_BOOL, 0 },  { "routes", DT_COL_TEXT, 0 },
};

int dt_department_list(dt_ctx *ctx, dt_writer *w)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     "SELECT code, name, email, webhook, active,"
	                     " (SELECT group_concat(category, ', ') FROM route r WHERE r.department_id = d.id)"
	                     " FROM department d ORDER BY code");

	if (rc != DT_OK)
		return rc;
	rc = dt_writer_begin(w, dept_columns, 6);
	while (rc == DT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		dt_value v[6] = { { 0 } };

		for (int i = 0; i < 6; i++) {
			v[i].text = (const char *)sqlite3_column_text(st, i);
			v[i].is_null = sqlite3_column_type(st, i) == SQLITE_NULL;
		}
		v[4].i = sqlite3_column_int(st, 4);
		rc = dt_writer_row(w, v);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = dt_writer_end(w);
	else if (rc > 0)
		return dt__sqlerr(ctx, rc, "listing departments");
	return dt__writer_status(ctx, rc);
}

int dt__department_lookup(dt_ctx *ctx, const char *code, int64_t *id)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st, "SELECT id FROM department WHERE code = ?1 AND active");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? DT_OK : dt__error(ctx, DT_ENOTFOUND, "no department with code '%s'", code);
}

int dt_route_set(dt_ctx *ctx, const char *category, const char *department)
{
	sqlite3_stmt *st;
	int64_t id;
	int rc;

	if (!category || !*category || strlen(category) > 100 || strpbrk(category, "\r\n"))
		return dt__error(ctx, DT_EUSAGE, "a category is one line of at most 100 bytes");
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__department_lookup(ctx, department, &id);
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st,
		                 "INSERT INTO route(category, department_id) VALUES (?1, ?2)"
		                 " ON CONFLICT(category) DO UPDATE SET department_id = excluded.department_id");
	if (rc == DT_OK) {
		sqlite3_bind_text(st, 1, category, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, id);
		rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "saving a route");
		sqlite3_finalize(st);
	}
	if (rc == DT_OK)
		rc = dt__audit(ctx, "route %s -> %s", category, department);
	return dt__end(ctx, rc);
}
