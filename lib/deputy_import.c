/*
 * Importing a roster: every row is checked and written inside one
 * transaction, which is committed only when the whole file was good.
 * Writing while checking costs nothing when the file turns out bad (the
 * transaction is rolled back) and lets the database itself find codes that
 * occur twice in the file, without holding a million codes in memory.
 *
 * Rows without a code get the next free number as they are written, so
 * numbers follow roster order without a second pass. A number given out
 * here that a later row of the file claims as its own code moves on to the
 * next free number; the list of numbers given out (ascending, so searched
 * by halves) tells those apart from codes the file has twice.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "csvread.h"
#include "deputy_internal.h"

#define MAX_REPORTED 100

typedef struct {
	dt_ctx *ctx;
	const dt_import_options *o;
	const char *name;
	dt_import_result res;
	int col[64];           /* header column -> field, -1 unknown/ignored */
	size_t ncols;
	int have[DT_DEPUTY_NFIELDS];
	int header_done;
	int header_failed;
	int64_t import_id;
	sqlite3_stmt *upsert;     /* rows with a code */
	sqlite3_stmt *insert;     /* rows given one */
	sqlite3_stmt *recode;     /* move a given code on */
	char *prefix;
	int width;
	int64_t first_last;       /* the highest number before this import */
	int64_t last;             /* the highest number given out so far */
	int64_t *given;           /* numbers given out here, ascending; 0: moved on */
	size_t ngiven, cap_given;
} importer;

static void row_error(importer *im, uint64_t line, const char *column, const char *why)
{
	im->res.errors++;
	if (im->res.errors > MAX_REPORTED)
		return;
	if (column)
		dt__diag(im->ctx, "%s:%" PRIu64 ": column '%s': %s", im->name, line, column, why);
	else
		dt__diag(im->ctx, "%s:%" PRIu64 ": %s", im->name, line, why);
}

#define COL_BLANK (-2)
#define COL_SKIP (-3)

/* Header names with the spaces a quoted cell kept cut off, in place. */
static char *trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

static int header(importer *im, uint64_t line, char **f, size_t n)
{
	char why[256];

	if (n > sizeof(im->col) / sizeof(im->col[0])) {
		row_error(im, line, NULL, "the header has more than 64 columns");
		return DT_EDATA;
	}
	im->ncols = n;
	for (size_t i = 0; i < n; i++) {
		int k = dt_deputy_field_lookup(trim(f[i]));

		im->col[i] = k;
		if (k < 0 && (strcmp(f[i], "序号") == 0 || strcasecmp(f[i], "no.") == 0)) {
			/* the row numbers every printed roster starts with: not data */
			im->col[i] = COL_SKIP;
		} else if (k < 0 && !*f[i]) {
			/* spreadsheets export trailing columns without a name: they must stay empty */
			im->col[i] = COL_BLANK;
		} else if (k < 0 && !im->o->ignore_unknown) {
			char shown[64];
			snprintf(why, sizeof(why),
			         "unknown column '%s' (known: code/编号, name/姓名, gender/性别, post/职务, unit/工作单位,"
			         " delegation/代表团, grid/负责网格, station/联络站, phone/联系电话, email/邮箱,"
			         " photo/照片; or give --ignore-unknown)",
			         dt__shown(f[i], shown, sizeof(shown)));
			row_error(im, line, NULL, why);
		} else if (k >= 0 && im->have[k]) {
			snprintf(why, sizeof(why), "column '%s' appears twice", dt_deputy_field_name(k));
			row_error(im, line, NULL, why);
		} else if (k >= 0) {
			im->have[k] = 1;
		}
	}
	if (!im->have[DT_DEPUTY_NAME])
		row_error(im, line, NULL, "the header has no name/姓名 column");
	return im->res.errors ? DT_EDATA : DT_OK;
}

/*
 * The upsert touches only the columns the file has, so a roster without
 * e-mails does not wipe the e-mails already known. Its WHERE makes a row
 * that this same import wrote already a no-op: that is a code occurring
 * twice in the file.
 */
static int prepare_statements(importer *im)
{
	char sql[4096], cols[512] = "", vals[512] = "", sets[1024] = "";
	size_t c = 0, v = 0, s = 0;
	int rc;

	for (int f = 1; f < DT_DEPUTY_NFIELDS; f++) {
		if (!im->have[f])
			continue;
		c += (size_t)snprintf(cols + c, sizeof(cols) - c, "%s, ", dt_deputy_field_name(f));
		v += (size_t)snprintf(vals + v, sizeof(vals) - v, "?%d, ", f + 1);
		s += (size_t)snprintf(sets + s, sizeof(sets) - s, "%s = excluded.%s, ", dt_deputy_field_name(f),
		                      dt_deputy_field_name(f));
	}
	snprintf(sql, sizeof(sql),
	         "INSERT INTO deputy(code, %sjoined_at, import_id, updated_at)"
	         " VALUES (?1, %s?21, ?22, ?21)"
	         " ON CONFLICT(code) DO UPDATE SET %simport_id = excluded.import_id, updated_at = excluded.updated_at"
	         " WHERE deputy.import_id IS NOT excluded.import_id",
	         cols, vals, sets);
	rc = dt__prepare(im->ctx, &im->upsert, sql);
	if (rc != DT_OK)
		return rc;
	snprintf(sql, sizeof(sql),
	         "INSERT INTO deputy(code, %sjoined_at, import_id, updated_at) VALUES (?1, %s?21, ?22, ?21)", cols,
	         vals);
	rc = dt__prepare(im->ctx, &im->insert, sql);
	if (rc == DT_OK)
		rc = dt__prepare(im->ctx, &im->recode, "UPDATE deputy SET code = ?2 WHERE code = ?1");
	return rc;
}

static int start_import(importer *im)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(im->ctx, &st, "INSERT INTO roster_import(source, at, actor) VALUES (?1, ?2, ?3)");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_text(st, 1, im->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, dt_ctx_now(im->ctx));
	sqlite3_bind_text(st, 3, dt_ctx_actor(im->ctx), -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dt__sqlerr(im->ctx, rc, "starting the import");
	im->import_id = sqlite3_last_insert_rowid(im->ctx->db);
	rc = dt__code_format(im->ctx, NULL, 0, &im->prefix, &im->width);
	if (rc == DT_OK)
		rc = dt__code_last(im->ctx, im->prefix, &im->first_last);
	im->last = im->first_last;
	return rc;
}

static void bind_fields(importer *im, sqlite3_stmt *st, const char *const *value)
{
	for (int k = 1; k < DT_DEPUTY_NFIELDS; k++) {
		const char *v = value[k];

		if (!im->have[k])
			continue;
		if (k == DT_DEPUTY_GENDER && v && *v)
			v = dt__gender_canon(v);
		dt__bind_text_or_null(st, k + 1, v);
	}
	sqlite3_bind_int64(st, 21, dt_ctx_now(im->ctx));
	sqlite3_bind_int64(st, 22, im->import_id);
}

static int add_given(importer *im, int64_t n)
{
	if (im->ngiven == im->cap_given) {
		size_t cap = im->cap_given ? im->cap_given * 2 : 1024;
		int64_t *g = realloc(im->given, cap * sizeof(*g));
		if (!g)
			return dt__error(im->ctx, DT_ENOMEM, "out of memory");
		im->given = g;
		im->cap_given = cap;
	}
	im->given[im->ngiven++] = n;
	return DT_OK;
}

/* The slot of number n among those given out here, or NULL. */
static int64_t *find_given(const importer *im, int64_t n)
{
	size_t lo = 0, hi = im->ngiven;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t g = im->given[mid] < 0 ? -im->given[mid] : im->given[mid];

		if (g == n)
			return im->given[mid] > 0 ? &im->given[mid] : NULL;
		if (g < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The number of a code of the form prefix + width digits, or 0. */
static int64_t code_number(const importer *im, const char *code)
{
	size_t plen = strlen(im->prefix), dlen;
	int64_t n = 0;

	if (strncmp(code, im->prefix, plen) != 0)
		return 0;
	dlen = strlen(code + plen);
	if (dlen < (size_t)im->width || dlen > 18 || (dlen > (size_t)im->width && code[plen] == '0'))
		return 0;
	for (const char *p = code + plen; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		n = n * 10 + (*p - '0');
	}
	return n;
}

static void format_code(const importer *im, int64_t n, char *buf, size_t size)
{
	snprintf(buf, size, "%s%0*" PRId64, im->prefix, im->width, n);
}

/* Insert a row under the next free number; a number the file took already
 * for a code of its own is skipped. */
static int insert_coded(importer *im, const char *const *value)
{
	sqlite3_stmt *st = im->insert;
	char code[48];
	int rc;

	bind_fields(im, st, value);
	for (;;) {
		format_code(im, ++im->last, code, sizeof(code));
		sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_CONSTRAINT)
			break;
	}
	if (rc != SQLITE_DONE)
		return dt__sqlerr(im->ctx, rc, "writing a deputy");
	im->res.inserted++;
	im->res.coded++;
	return add_given(im, im->last);
}

/* If code is a number this import gave out, move that deputy on to the
 * next free number, so the row that names the code can have it. */
static int free_given_code(importer *im, const char *code)
{
	int64_t n = code_number(im, code);
	int64_t *slot = n ? find_given(im, n) : NULL;
	char moved[48];
	int rc;

	if (!slot)
		return DT_OK;
	*slot = -*slot; /* tombstone: stays sorted */
	sqlite3_bind_text(im->recode, 1, code, -1, SQLITE_STATIC);
	for (;;) {
		format_code(im, ++im->last, moved, sizeof(moved));
		sqlite3_bind_text(im->recode, 2, moved, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(im->recode);
		sqlite3_reset(im->recode);
		if (rc != SQLITE_CONSTRAINT)
			break;
	}
	if (rc != SQLITE_DONE)
		return dt__sqlerr(im->ctx, rc, "renumbering a deputy");
	return add_given(im, im->last);
}

static int data_row(importer *im, uint64_t line, char **f, size_t n)
{
	const char *value[DT_DEPUTY_NFIELDS] = { 0 };
	char why[320];
	uint64_t before = im->res.errors;
	sqlite3_stmt *st = im->upsert;
	int rc;

	im->res.rows++;
	/* trailing empty cells past the header are what spreadsheets add */
	while (n > im->ncols && !*f[n - 1])
		n--;
	if (n != im->ncols) {
		snprintf(why, sizeof(why), "%zu fields, but the header has %zu", n, im->ncols);
		row_error(im, line, NULL, why);
		return DT_OK;
	}
	for (size_t i = 0; i < n; i++) {
		int k = im->col[i];

		if (k == COL_BLANK && *f[i]) {
			snprintf(why, sizeof(why), "column %zu has no name in the header, but holds '%.40s'", i + 1, f[i]);
			row_error(im, line, NULL, why);
		}
		if (k < 0)
			continue;
		if (!dt__deputy_value_ok((dt_deputy_field)k, f[i], why, sizeof(why)))
			row_error(im, line, dt_deputy_field_name(k), why);
		value[k] = f[i];
	}
	if (!value[DT_DEPUTY_NAME] || !*value[DT_DEPUTY_NAME])
		if (im->res.errors == before)
			row_error(im, line, "name", "a name is required");
	if (im->res.errors != before)
		return DT_OK;
	if (!value[DT_DEPUTY_CODE] || !*value[DT_DEPUTY_CODE])
		return insert_coded(im, value);
	rc = free_given_code(im, value[DT_DEPUTY_CODE]);
	if (rc != DT_OK)
		return rc;
	bind_fields(im, st, value);
	sqlite3_bind_text(st, 1, value[DT_DEPUTY_CODE], -1, SQLITE_STATIC);
	/* An upsert that updates leaves the last rowid alone (so: 0); one whose
	 * WHERE was false (the code came earlier in this file) changes nothing. */
	sqlite3_set_last_insert_rowid(im->ctx->db, 0);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE && sqlite3_changes(im->ctx->db) > 0) {
		int64_t number = code_number(im, value[DT_DEPUTY_CODE]);

		if (sqlite3_last_insert_rowid(im->ctx->db) != 0)
			im->res.inserted++;
		else
			im->res.updated++;
		/* code-less rows after this one continue after its number */
		if (number > im->last)
			im->last = number;
		rc = DT_OK;
	} else if (rc == SQLITE_DONE) {
		char shown[64];
		snprintf(why, sizeof(why), "'%s' occurs twice in the file",
		         dt__shown(value[DT_DEPUTY_CODE], shown, sizeof(shown)));
		row_error(im, line, "code", why);
		rc = DT_OK;
	} else {
		rc = dt__sqlerr(im->ctx, rc, "writing a deputy");
	}
	sqlite3_reset(st);
	return rc;
}

static int on_row(void *ud, uint64_t line, char **f, size_t n)
{
	importer *im = ud;

	if (!im->header_done) {
		int rc = header(im, line, f, n);

		im->header_done = 1;
		im->header_failed = rc != DT_OK;
		if (rc == DT_OK)
			rc = prepare_statements(im);
		return rc;
	}
	return data_row(im, line, f, n);
}

int dt_deputy_import(dt_ctx *ctx, FILE *in, const dt_import_options *opts, dt_import_result *res)
{
	dt_import_options o = DT_IMPORT_OPTIONS_INIT;
	importer im = { 0 };
	dt_csv_options co = { 0 };
	int64_t max_field;
	int rc;

	if (opts)
		o = *opts;
	im.ctx = ctx;
	im.o = &o;
	im.name = o.name ? o.name : "-";
	rc = dt__config_int(ctx, "import.max_field_bytes", &max_field);
	if (rc != DT_OK)
		return rc;
	co.name = im.name;
	co.encoding = o.encoding;
	co.max_field = (size_t)max_field;
	co.max_fields = 64;
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = start_import(&im);
	if (rc == DT_OK)
		rc = dt__csv_read(ctx, in, &co, on_row, &im);
	if (rc == DT_OK && !im.header_done) {
		row_error(&im, 1, NULL, "the file is empty (no header row)");
	}
	if (rc == DT_OK && im.res.errors == 0 && im.last > im.first_last)
		rc = dt__code_save(ctx, im.prefix, im.last);
	if (rc == DT_OK && im.res.errors == 0) {
		sqlite3_stmt *st;
		rc = dt__prepare(ctx, &st, "UPDATE roster_import SET rows = ?2 WHERE id = ?1");
		if (rc == DT_OK) {
			sqlite3_bind_int64(st, 1, im.import_id);
			sqlite3_bind_int64(st, 2, (int64_t)im.res.rows);
			rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "import");
			sqlite3_finalize(st);
		}
	}
	if (rc == DT_OK && im.res.errors == 0)
		rc = dt__audit(ctx,
		               "imported roster %s: %" PRIu64 " rows, %" PRIu64 " new, %" PRIu64 " updated, %" PRIu64
		               " coded",
		               im.name, im.res.rows, im.res.inserted, im.res.updated, im.res.coded);
	sqlite3_finalize(im.upsert);
	sqlite3_finalize(im.insert);
	sqlite3_finalize(im.recode);
	free(im.prefix);
	free(im.given);
	if (im.res.errors > MAX_REPORTED)
		dt__diag(ctx, "%s: ... and %" PRIu64 " more errors", im.name, im.res.errors - MAX_REPORTED);
	if (rc == DT_EDATA && !im.header_failed)
		im.res.errors++; /* a structural error, reported by the reader */
	if (rc == DT_OK && im.res.errors > 0)
		rc = dt__error(ctx, DT_EDATA, "%s: %" PRIu64 " error%s; nothing was imported", im.name,
		               im.res.errors, im.res.errors == 1 ? "" : "s");
	else if (rc == DT_EDATA)
		rc = dt__error(ctx, DT_EDATA, "%s: %" PRIu64 " error%s; nothing was imported", im.name,
		               im.res.errors, im.res.errors == 1 ? "" : "s");
	if (rc != DT_OK || o.dry_run) {
		dt__rollback(ctx);
	} else {
		rc = dt__commit(ctx);
	}
	if (res)
		*res = im.res;
	return rc;
}
