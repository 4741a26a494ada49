/*
 * Points rules: each kind of duty record earns points per item, event,
 * hour or minute, counted in a category, at most cap points a period.
 * A rules file becomes a new numbered version; versions are never edited,
 * so a saved ranking can always be recomputed with its own.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "csvread.h"
#include "rank_internal.h"

typedef struct {
	dt_ctx *ctx;
	const char *name;
	int header_done;
	int col[5]; /* kind, category, points, per, cap */
	uint64_t errors, rules;
	char **kinds;
	size_t nkinds;
	int64_t version;
	sqlite3_stmt *put;
} rules_import;

static const char *const columns[5] = { "kind", "category", "points", "per", "cap" };
static const char *const columns_zh[5] = { "类型", "类别", "分值", "计分单位", "上限" };

static int rules_header(rules_import *im, uint64_t line, char **f, size_t n)
{
	for (int c = 0; c < 5; c++) {
		im->col[c] = -1;
		for (size_t i = 0; i < n; i++)
			if (!strcasecmp(f[i], columns[c]) || !strcmp(f[i], columns_zh[c]))
				im->col[c] = (int)i;
		if (c < 4 && im->col[c] < 0) { /* cap may be left out */
			dt__diag(im->ctx, "%s:%llu: the header needs kind, category, points, per and cap", im->name,
			         (unsigned long long)line);
			return DT_EDATA;
		}
	}
	im->header_done = 1;
	return DT_OK;
}

/* The ranking's own columns (dt__rank_columns in rank.c), beside which each
 * category is a column: a category of the same name would make a JSON row
 * (and leaderboard.json) hold that key twice. */
static int column_of_ranking(const char *category)
{
	static const char *const fixed[] = { "rank", "code", "name", "delegation", "total", "index",
		                             "served_days", "partial", "delegation_percentile" };

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (!strcasecmp(category, fixed[i]))
			return 1;
	return 0;
}

/* A finite number, as points or a cap. */
static int number(const char *s, double *out)
{
	char *end;

	if (!*s)
		return 0;
	*out = strtod(s, &end);
	return !*end && isfinite(*out) && fabs(*out) < 1e9;
}

static int rules_row(void *ud, uint64_t line, char **f, size_t n)
{
	rules_import *im = ud;
	const char *kind, *unit = NULL, *per, *column = "kind";
	double points = 0, cap = 0;
	int has_cap, rc = DT_OK;

	if (!im->header_done)
		return rules_header(im, line, f, n);
	if (n == 1 && !*f[0])
		return DT_OK;
	for (int c = 0; c < 5; c++)
		if (im->col[c] >= 0 && (size_t)im->col[c] >= n)
			return dt__csv_row_failed(im->ctx, im->name, line, "kind",
			                          dt__error(im->ctx, DT_EDATA, "the row has too few fields"), &im->errors);
	kind = f[im->col[0]];
	per = f[im->col[3]];
	has_cap = im->col[4] >= 0 && *f[im->col[4]];
	for (size_t i = 0; i < dt_archive_kind_count(); i++)
		if (!strcmp(dt_archive_kind_name(i), kind))
			unit = dt_archive_kind_unit(i);
	if (!unit) {
		rc = dt__error(im->ctx, DT_EDATA, "'%.40s' is not a kind of duty record (rdlz show-rules lists them)", kind);
	} else if (!dt__one_line(f[im->col[1]], 40)) {
		column = "category";
		rc = dt__error(im->ctx, DT_EDATA, "a category is one line of 1 to 40 characters");
	} else if (column_of_ranking(f[im->col[1]])) {
		column = "category";
		rc = dt__error(im->ctx, DT_EDATA, "'%s' is a column of the ranking already; name the category otherwise",
		               f[im->col[1]]);
	} else if (!number(f[im->col[2]], &points)) {
		column = "points";
		rc = dt__error(im->ctx, DT_EDATA, "'%.40s' is not a number", f[im->col[2]]);
	} else if (strcmp(per, "item") && strcmp(per, "event") && strcmp(per, "hour") && strcmp(per, "minute")) {
		column = "per";
		rc = dt__error(im->ctx, DT_EDATA, "'%.40s' is not item, event, hour or minute", per);
	} else if ((!strcmp(per, "hour") || !strcmp(per, "minute")) && strcmp(unit, "minute")) {
		column = "per";
		rc = dt__error(im->ctx, DT_EDATA, "%s is counted in items, not in time", kind);
	} else if (has_cap && (!number(f[im->col[4]], &cap) || cap < 0)) {
		column = "cap";
		rc = dt__error(im->ctx, DT_EDATA, "'%.40s' is not a number of points at least 0", f[im->col[4]]);
	}
	for (size_t i = 0; rc == DT_OK && i < im->nkinds; i++)
		if (!strcmp(im->kinds[i], kind))
			rc = dt__error(im->ctx, DT_EDATA, "%s has a rule already, above", kind);
	if (rc != DT_OK)
		return dt__csv_row_failed(im->ctx, im->name, line, column, rc, &im->errors);
	if (im->nkinds % 16 == 0) {
		char **k = realloc(im->kinds, (im->nkinds + 16) * sizeof(*k));

		if (!k)
			return dt__error(im->ctx, DT_ENOMEM, "out of memory");
		im->kinds = k;
	}
	if (!(im->kinds[im->nkinds] = strdup(kind)))
		return dt__error(im->ctx, DT_ENOMEM, "out of memory");
	im->nkinds++;
	if (im->errors)
		return DT_OK;
	sqlite3_bind_int64(im->put, 1, im->version);
	sqlite3_bind_text(im->put, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(im->put, 3, f[im->col[1]], -1, SQLITE_STATIC);
	sqlite3_bind_double(im->put, 4, points);
	sqlite3_bind_text(im->put, 5, per, -1, SQLITE_STATIC);
	if (has_cap)
		sqlite3_bind_double(im->put, 6, cap);
	else
		sqlite3_bind_null(im->put, 6);
	sqlite3_bind_int64(im->put, 7, (int64_t)im->rules + 1);
	rc = sqlite3_step(im->put) == SQLITE_DONE ? DT_OK : dt__sqlerr(im->ctx, sqlite3_errcode(im->ctx->db), "saving a rule");
	sqlite3_reset(im->put);
	im->rules++;
	return rc;
}

int dt_rules_load(dt_ctx *ctx, FILE *in, const char *name, int64_t *version)
{
	rules_import im = { 0 };
	dt_csv_options o = { name ? name : "-", NULL, 256, 16 };
	sqlite3_stmt *st;
	int rc;

	im.ctx = ctx;
	im.name = o.name;
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__prepare(ctx, &st, "INSERT INTO rules_version(version, source, created_at)"
	                           " VALUES ((SELECT max(version) + 1 FROM rules_version), ?1, ?2)");
	if (rc == DT_OK) {
		sqlite3_bind_text(st, 1, im.name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, dt_ctx_now(ctx));
		rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "saving rules");
		sqlite3_finalize(st);
		im.version = sqlite3_last_insert_rowid(ctx->db);
	}
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &im.put,
		                 "INSERT INTO rule(version, kind, category, points, per, cap, position)"
		                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (rc == DT_OK)
		rc = dt__csv_read(ctx, in, &o, rules_row, &im);
	sqlite3_finalize(im.put);
	rc = dt__csv_outcome(ctx, im.name, rc, im.errors, im.header_done, "stored");
	if (rc == DT_OK && !im.rules)
		rc = dt__error(ctx, DT_EDATA, "%s: no rules; nothing was stored", im.name);
	if (rc == DT_OK)
		rc = dt__audit(ctx, "rules version %lld from %s: %llu rules", (long long)im.version, im.name,
		               (unsigned long long)im.rules);
	for (size_t i = 0; i < im.nkinds; i++)
		free(im.kinds[i]);
	free(im.kinds);
	if (rc == DT_OK && version)
		*version = im.version;
	return dt__end(ctx, rc);
}

int dt__rules_version(dt_ctx *ctx, int64_t asked, int64_t *version)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     asked ? "SELECT version FROM rules_version WHERE version = ?1"
	                           : "SELECT max(version) FROM rules_version");

	if (rc != DT_OK)
		return rc;
	if (asked)
		sqlite3_bind_int64(st, 1, asked);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		*version = sqlite3_column_int64(st, 0);
	else
		rc = SQLITE_DONE;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? DT_OK : dt__error(ctx, DT_ENOTFOUND, "no rules version %lld", (long long)asked);
}

static const dt_column rules_columns[] = {
	{ "kind", DT_COL_TEXT, 0 }, { "category", DT_COL_TEXT, 0 }, { "points", DT_COL_REAL, 0 },
	{ "per", DT_COL_TEXT, 0 },  { "cap", DT_COL_REAL, 0 },      { "version", DT_COL_INT, 0 },
};

int dt_rules_show(dt_ctx *ctx, int64_t asked, dt_writer *w)
{
	sqlite3_stmt *st;
	int64_t version = 0;
	int rc = dt__rules_version(ctx, asked, &version);

	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st, "SELECT kind, category, points, per, cap, version FROM rule WHERE version = ?1"
		                           " ORDER BY position");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, version);
	rc = dt_writer_begin(w, rules_columns, 6);
	while (rc == DT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		dt_value v[6] = { { 0 } };

		v[0].text = (const char *)sqlite3_column_text(st, 0);
		v[1].text = (const char *)sqlite3_column_text(st, 1);
		v[2].r = sqlite3_column_double(st, 2);
		v[3].text = (const char *)sqlite3_column_text(st, 3);
		v[4].r = sqlite3_column_double(st, 4);
		v[4].is_null = sqlite3_column_type(st, 4) == SQLITE_NULL;
		v[5].i = sqlite3_column_int64(st, 5);
		rc = dt_writer_row(w, v);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = dt_writer_end(w);
	else if (rc > 0)
		return dt__sqlerr(ctx, rc, "reading rules");
	return dt__writer_status(ctx, rc);
}
