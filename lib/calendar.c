/*
 * The working calendar: weekends, public holidays and the swapped working
 * weekends (调休) of the official schedule. Without a loaded year, Monday to
 * Friday are working days. Days are local dates in the configured zone.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "csvread.h"

typedef struct {
	dt_ctx *ctx;
	const char *name;
	int header_done;
	int col_date, col_type;
	uint64_t days, errors;
	sqlite3_stmt *put;
	int years[16]; /* the years cleared so far: a loaded year replaces the old one whole */
	int nyears;
} cal_import;

static int clear_year(cal_import *im, const char *day)
{
	sqlite3_stmt *st;
	int year = atoi(day), rc;

	for (int i = 0; i < im->nyears; i++)
		if (im->years[i] == year)
			return DT_OK;
	if (im->nyears == 16)
		return dt__error(im->ctx, DT_EDATA, "%s: a calendar file may hold at most 16 years", im->name);
	im->years[im->nyears++] = year;
	rc = dt__prepare(im->ctx, &st, "DELETE FROM calendar_day WHERE day >= ?1 || '-01-01' AND day <= ?1 || '-12-31'");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int(st, 1, year);
	rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(im->ctx, sqlite3_errcode(im->ctx->db), "calendar");
	sqlite3_finalize(st);
	return rc;
}

static int type_working(const char *t)
{
	if (!strcasecmp(t, "workday") || !strcmp(t, "班") || !strcmp(t, "上班") || !strcmp(t, "工作日"))
		return 1;
	if (!strcasecmp(t, "holiday") || !strcmp(t, "休") || !strcmp(t, "休息") || !strcmp(t, "节假日"))
		return 0;
	return -1;
}

static int cal_row(void *ud, uint64_t line, char **f, size_t n)
{
	cal_import *im = ud;
	int64_t t;
	time_t tt;
	struct tm tm;
	char day[16];
	int working;

	if (!im->header_done) {
		im->header_done = 1;
		im->col_date = im->col_type = -1;
		for (size_t i = 0; i < n; i++) {
			if (!strcasecmp(f[i], "date") || !strcmp(f[i], "日期"))
				im->col_date = (int)i;
			else if (!strcasecmp(f[i], "type") || !strcmp(f[i], "类型"))
				im->col_type = (int)i;
		}
		if (im->col_date < 0 || im->col_type < 0) {
			dt__diag(im->ctx, "%s:%llu: the header needs date/日期 and type/类型 columns", im->name,
			         (unsigned long long)line);
			return DT_EDATA;
		}
		return DT_OK;
	}
	if ((size_t)im->col_date >= n || (size_t)im->col_type >= n) {
		dt__diag(im->ctx, "%s:%llu: too few fields", im->name, (unsigned long long)line);
		im->errors++;
		return DT_OK;
	}
	if (dt_date_parse(im->ctx, f[im->col_date], &t) != DT_OK) {
		dt__diag(im->ctx, "%s:%llu: column 'date': %s", im->name, (unsigned long long)line, dt_errmsg(im->ctx));
		im->errors++;
		return DT_OK;
	}
	/* kept as YYYY-MM-DD, the form days are looked up by, however the file
	 * wrote it (spreadsheets write 2026/10/1) */
	tt = (time_t)t;
	localtime_r(&tt, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	working = type_working(f[im->col_type]);
	if (working < 0) {
		dt__diag(im->ctx, "%s:%llu: column 'type': '%.40s' is not holiday or workday (休 or 班)", im->name,
		         (unsigned long long)line, f[im->col_type]);
		im->errors++;
		return DT_OK;
	}
	if (clear_year(im, day) != DT_OK)
		return DT_EDATA;
	sqlite3_bind_text(im->put, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_int(im->put, 2, working);
	if (sqlite3_step(im->put) != SQLITE_DONE) {
		sqlite3_reset(im->put);
		return dt__sqlerr(im->ctx, sqlite3_errcode(im->ctx->db), "saving the calendar");
	}
	sqlite3_reset(im->put);
	im->days++;
	return DT_OK;
}

int dt_calendar_load(dt_ctx *ctx, FILE *in, const char *name, uint64_t *days)
{
	cal_import im = { 0 };
	dt_csv_options o = { name ? name : "-", NULL, 256, 8 };
	int rc;

	im.ctx = ctx;
	im.name = o.name;
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__prepare(ctx, &im.put,
	                 "INSERT INTO calendar_day(day, working) VALUES (?1, ?2)"
	                 " ON CONFLICT(day) DO UPDATE SET working = excluded.working");
	if (rc == DT_OK)
		rc = dt__csv_read(ctx, in, &o, cal_row, &im);
	sqlite3_finalize(im.put);
	if (rc == DT_OK && (im.errors || !im.header_done))
		rc = dt__error(ctx, DT_EDATA, "%s: %llu errors; nothing was loaded", im.name,
		               (unsigned long long)(im.errors ? im.errors : 1));
	else if (rc == DT_EDATA)
		rc = dt__error(ctx, DT_EDATA, "%s: bad input; nothing was loaded", im.name);
	if (rc == DT_OK)
		rc = dt__audit(ctx, "calendar %s: %llu days", im.name, (unsigned long long)im.days);
	if (rc != DT_OK) {
		dt__rollback(ctx);
		return rc;
	}
	if (days)
		*days = im.days;
	return dt__commit(ctx);
}

/* Is the local day of t a working day? */
static int is_working(dt_ctx *ctx, time_t t)
{
	sqlite3_stmt *st;
	struct tm tm;
	char day[16];
	int working;

	localtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	working = tm.tm_wday != 0 && tm.tm_wday != 6;
	if (dt__prepare(ctx, &st, "SELECT working FROM calendar_day WHERE day = ?1") == DT_OK) {
		sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			working = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return working;
}

int dt_calendar_add_working_days(dt_ctx *ctx, int64_t t, int n, int64_t *out)
{
	time_t cur = (time_t)t;

	if (n < 0 || n > 3660)
		return dt__error(ctx, DT_EUSAGE, "%d working days is out of range", n);
	while (n > 0) {
		struct tm tm;

		/* the next calendar day at the same local time (mktime mends DST) */
		localtime_r(&cur, &tm);
		tm.tm_mday++;
		tm.tm_isdst = -1;
		cur = mktime(&tm);
		if (is_working(ctx, cur))
			n--;
	}
	*out = (int64_t)cur;
	return DT_OK;
}
