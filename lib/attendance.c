/*
 * Attendance: a deputy's mode at an event, by hand or from the streaming
 * service's join/leave log.
 *
 * A log is read whole before anything is written, so one bad row leaves the
 * database as it was. Rows are kept in 12 bytes each (deputy index, join
 * and leave as seconds from the event's window), sorted by deputy and join,
 * and merged with the intervals already stored: the union of intervals is
 * idempotent, so the same log twice, or a log split in two files, gives the
 * same minutes. Deputy codes are looked up once each through a small hash
 * table, so a million-row log costs a million hash probes, not a million
 * queries.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "csvread.h"
#include "events_internal.h"

#define MAX_REPORTED 50 /* bad rows reported one by one; the rest are counted */

typedef struct {
	char *code;
	int64_t deputy_id;
	int retired_before; /* retired before the event: refused */
} deputy_slot;

typedef struct {
	uint32_t dep;       /* index into the deputies seen */
	int32_t join, left; /* seconds from the window's start */
} log_row;

typedef struct {
	dt_ctx *ctx;
	const char *name;
	dt_event_info ev;
	int64_t base, limit; /* the window: start - grace, end + grace */
	int header_done;
	int col_code, col_join, col_left;
	sqlite3_stmt *lookup;
	/* codes seen: open addressing into deps */
	uint32_t *table;     /* 1 + index into deps; 0 empty */
	size_t table_size;
	deputy_slot *deps;
	size_t ndeps, deps_cap;
	log_row *rows;
	size_t nrows, rows_cap;
	uint64_t errors;
	int offset_fixed;    /* the zone's offset is the same over the window */
	int offset;
} log_import;

static uint64_t hash_code(const char *s)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

static int grow_table(log_import *im)
{
	size_t size = im->table_size ? im->table_size * 2 : 1024;
	uint32_t *t = calloc(size, sizeof(*t));

	if (!t)
		return 0;
	for (size_t i = 0; i < im->ndeps; i++) {
		size_t j = hash_code(im->deps[i].code) & (size - 1);

		while (t[j])
			j = (j + 1) & (size - 1);
		t[j] = (uint32_t)i + 1;
	}
	free(im->table);
	im->table = t;
	im->table_size = size;
	return 1;
}

/* The index of code among the deputies seen, looked up the first time:
 * DT_ENOTFOUND (no message) for an unknown code, else a status with one. */
static int deputy_index(log_import *im, const char *code, size_t *idx)
{
	deputy_slot *d;
	size_t j;
	int rc;

	if (im->ndeps * 2 >= im->table_size && !grow_table(im))
		return dt__error(im->ctx, DT_ENOMEM, "out of memory");
	for (j = hash_code(code) & (im->table_size - 1); im->table[j]; j = (j + 1) & (im->table_size - 1))
		if (strcmp(im->deps[im->table[j] - 1].code, code) == 0) {
			*idx = im->table[j] - 1;
			return DT_OK;
		}
	if (im->ndeps == im->deps_cap) {
		size_t cap = im->deps_cap ? im->deps_cap * 2 : 256;
		deputy_slot *n = realloc(im->deps, cap * sizeof(*n));

		if (!n)
			return dt__error(im->ctx, DT_ENOMEM, "out of memory");
		im->deps = n;
		im->deps_cap = cap;
	}
	d = &im->deps[im->ndeps];
	sqlite3_bind_text(im->lookup, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(im->lookup);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(im->lookup);
		/* unknown codes are not remembered: each row is reported */
		return rc == SQLITE_DONE ? DT_ENOTFOUND : dt__sqlerr(im->ctx, rc, "looking up a deputy");
	}
	d->deputy_id = sqlite3_column_int64(im->lookup, 0);
	d->retired_before = sqlite3_column_type(im->lookup, 1) != SQLITE_NULL &&
	                    sqlite3_column_int64(im->lookup, 1) <= im->ev.starts_at;
	sqlite3_reset(im->lookup);
	d->code = strdup(code);
	if (!d->code)
		return dt__error(im->ctx, DT_ENOMEM, "out of memory");
	im->table[j] = (uint32_t)++im->ndeps;
	*idx = im->ndeps - 1;
	return DT_OK;
}

/* Report a bad row: "NAME:LINE: column 'c': <before>'<value>'<after>". */
static void row_error(log_import *im, uint64_t line, const char *column, const char *before, const char *value,
                      const char *after)
{
	char shown[64];

	if (++im->errors <= MAX_REPORTED)
		dt__diag(im->ctx, "%s:%llu: column '%s': %s%s%s%s%s", im->name, (unsigned long long)line, column, before,
		         value ? "'" : "", value ? dt__shown(value, shown, sizeof(shown)) : "", value ? "'" : "", after);
}

/* A log time: local unless it names its offset. */
static int log_time(log_import *im, const char *text, int64_t *out)
{
	int64_t wall;
	int has_offset, offset;

	if (!dt__time_parse_wall(text, &wall, &has_offset, &offset))
		return 0;
	if (has_offset) {
		*out = wall - offset;
		return 1;
	}
	if (im->offset_fixed) {
		*out = wall - im->offset;
		return 1;
	}
	return dt__time_local(wall, out);
}

static int header(log_import *im, uint64_t line, char **f, size_t n)
{
	im->col_code = im->col_join = im->col_left = -1;
	for (size_t i = 0; i < n; i++) {
		const char *h = f[i];

		if (!strcasecmp(h, "code") || !strcmp(h, "代表编号") || !strcmp(h, "编号"))
			im->col_code = (int)i;
		else if (!strcasecmp(h, "joined_at") || !strcasecmp(h, "join_time") || !strcmp(h, "进入时间") ||
		         !strcmp(h, "加入时间"))
			im->col_join = (int)i;
		else if (!strcasecmp(h, "left_at") || !strcasecmp(h, "leave_time") || !strcmp(h, "离开时间") ||
		         !strcmp(h, "退出时间"))
			im->col_left = (int)i;
		/* other columns (nickname, device, address) are the service's own */
	}
	if (im->col_code < 0 || im->col_join < 0 || im->col_left < 0) {
		dt__diag(im->ctx, "%s:%llu: the header needs code, joined_at and left_at (代表编号, 进入时间, 离开时间)",
		         im->name, (unsigned long long)line);
		return DT_EDATA;
	}
	im->header_done = 1;
	return DT_OK;
}

static int log_row_read(void *ud, uint64_t line, char **f, size_t n)
{
	log_import *im = ud;
	int64_t join, left;
	size_t dep = 0;
	int rc;

	if (!im->header_done)
		return header(im, line, f, n);
	if (n == 1 && !*f[0])
		return DT_OK; /* a blank line */
	if ((size_t)im->col_code >= n || (size_t)im->col_join >= n || (size_t)im->col_left >= n) {
		row_error(im, line, "code", "the row has too few fields", NULL, "");
		return DT_OK;
	}
	rc = deputy_index(im, f[im->col_code], &dep);
	if (rc == DT_ENOTFOUND) {
		row_error(im, line, "code", "no deputy with code ", f[im->col_code], "");
		return DT_OK;
	}
	if (rc != DT_OK)
		return rc;
	if (im->deps[dep].retired_before) {
		row_error(im, line, "code", "deputy ", f[im->col_code], " had retired before the event");
		return DT_OK;
	}
	if (!log_time(im, f[im->col_join], &join)) {
		row_error(im, line, "joined_at", "", f[im->col_join], " is not a time that exists (YYYY-MM-DD HH:MM:SS)");
		return DT_OK;
	}
	if (!*f[im->col_left]) {
		left = im->ev.ends_at; /* still connected when the service wrote the log */
	} else if (!log_time(im, f[im->col_left], &left)) {
		row_error(im, line, "left_at", "", f[im->col_left], " is not a time that exists (YYYY-MM-DD HH:MM:SS)");
		return DT_OK;
	}
	if (join < im->base || join > im->limit) {
		row_error(im, line, "joined_at", "", f[im->col_join], " is outside the event's time (with its grace)");
		return DT_OK;
	}
	if (left < join || left > im->limit) {
		row_error(im, line, "left_at", "", f[im->col_left],
		          left < join ? " is before the join" : " is outside the event's time (with its grace)");
		return DT_OK;
	}
	if (im->nrows == im->rows_cap) {
		size_t cap = im->rows_cap ? im->rows_cap * 2 : 4096;
		log_row *r = realloc(im->rows, cap * sizeof(*r));

		if (!r)
			return dt__error(im->ctx, DT_ENOMEM, "out of memory");
		im->rows = r;
		im->rows_cap = cap;
	}
	im->rows[im->nrows].dep = (uint32_t)dep;
	im->rows[im->nrows].join = (int32_t)(join - im->base);
	im->rows[im->nrows].left = (int32_t)(left - im->base);
	im->nrows++;
	return DT_OK;
}

static int row_cmp(const void *a, const void *b)
{
	const log_row *x = a, *y = b;

	if (x->dep != y->dep)
		return x->dep < y->dep ? -1 : 1;
	return (x->join > y->join) - (x->join < y->join);
}

/*
 * Writing: the merged intervals of one deputy, their minutes within the
 * event and the resulting mode, with the duty record that follows.
 */
typedef struct {
	int64_t join, left;
} span;

typedef struct {
	sqlite3_stmt *old_spans, *del_spans, *put_span, *get_att, *put_att, *del_record, *put_record;
	int64_t share;
} writer_stmts;

static void finalize_stmts(writer_stmts *s)
{
	sqlite3_finalize(s->old_spans);
	sqlite3_finalize(s->del_spans);
	sqlite3_finalize(s->put_span);
	sqlite3_finalize(s->get_att);
	sqlite3_finalize(s->put_att);
	sqlite3_finalize(s->del_record);
	sqlite3_finalize(s->put_record);
}

static int prepare_stmts(dt_ctx *ctx, writer_stmts *s)
{
	int rc = dt__config_int(ctx, "attendance.online_share", &s->share);

	if (rc == DT_OK)
		rc = dt__prepare(ctx, &s->old_spans,
		                 "SELECT joined_at, left_at FROM online_interval WHERE event_id = ?1 AND deputy_id = ?2"
		                 " ORDER BY joined_at");
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &s->del_spans, "DELETE FROM online_interval WHERE event_id = ?1 AND deputy_id = ?2");
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &s->put_span,
		                 "INSERT INTO online_interval(event_id, deputy_id, joined_at, left_at) VALUES (?1, ?2, ?3, ?4)");
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &s->get_att,
		                 "SELECT mode, minutes, manual FROM attendance WHERE event_id = ?1 AND deputy_id = ?2");
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &s->put_att,
		                 "INSERT INTO attendance(event_id, deputy_id, mode, minutes, manual, recorded_at)"
		                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(event_id, deputy_id) DO UPDATE SET"
		                 " mode = excluded.mode, minutes = excluded.minutes, manual = excluded.manual,"
		                 " recorded_at = excluded.recorded_at");
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &s->del_record, "DELETE FROM duty_record WHERE ref = ?1 AND deputy_id = ?2");
	return rc;
}

/* Merge sorted spans in place (overlapping or touching ones become one);
 * returns the new count. */
static size_t merge_spans(span *s, size_t n)
{
	size_t out = 0;

	for (size_t i = 0; i < n; i++) {
		if (out && s[i].join <= s[out - 1].left) {
			if (s[i].left > s[out - 1].left)
				s[out - 1].left = s[i].left;
		} else {
			s[out++] = s[i];
		}
	}
	return out;
}

static int span_cmp(const void *a, const void *b)
{
	const span *x = a, *y = b;

	return (x->join > y->join) - (x->join < y->join);
}

/* Seconds of the spans within [from, to). */
static int64_t seconds_within(const span *s, size_t n, int64_t from, int64_t to)
{
	int64_t total = 0;

	for (size_t i = 0; i < n; i++) {
		int64_t a = s[i].join > from ? s[i].join : from, b = s[i].left < to ? s[i].left : to;

		if (b > a)
			total += b - a;
	}
	return total;
}

/* The duty record of a deputy's attendance: one per event, replaced when
 * the mode changes. Its quantity is minutes: those online, or the event's
 * length on site. */
static int attendance_record(dt_ctx *ctx, writer_stmts *s, const dt_event_info *ev, int64_t deputy_id, const char *mode,
                             int64_t minutes)
{
	char ref[40], kind[40];
	int rc;

	snprintf(ref, sizeof(ref), "attendance:%lld", (long long)ev->id);
	snprintf(kind, sizeof(kind), "%s_%s", dt__event_family(ev->kind), mode);
	sqlite3_bind_text(s->del_record, 1, ref, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s->del_record, 2, deputy_id);
	rc = sqlite3_step(s->del_record);
	sqlite3_reset(s->del_record);
	if (rc != SQLITE_DONE)
		return dt__sqlerr(ctx, rc, "replacing a duty record");
	if (!strcmp(mode, "onsite") && ev->ends_at != DT_TIME_UNSET)
		minutes = (ev->ends_at - ev->starts_at) / 60;
	else if (!strcmp(mode, "excused") || !strcmp(mode, "absent"))
		minutes = 0;
	return dt__archive_add(ctx, deputy_id, kind, ev->starts_at, (double)minutes, ref);
}

static int put_attendance(dt_ctx *ctx, writer_stmts *s, const dt_event_info *ev, int64_t deputy_id, const char *mode,
                          int64_t minutes, int manual)
{
	int rc;

	sqlite3_bind_int64(s->put_att, 1, ev->id);
	sqlite3_bind_int64(s->put_att, 2, deputy_id);
	sqlite3_bind_text(s->put_att, 3, mode, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->put_att, 4, minutes);
	sqlite3_bind_int(s->put_att, 5, manual);
	sqlite3_bind_int64(s->put_att, 6, dt_ctx_now(ctx));
	rc = sqlite3_step(s->put_att);
	sqlite3_reset(s->put_att);
	if (rc != SQLITE_DONE)
		return dt__sqlerr(ctx, rc, "saving attendance");
	return attendance_record(ctx, s, ev, deputy_id, mode, minutes);
}

/* The stored attendance of a deputy: *found 0 when none. */
static int get_attendance(dt_ctx *ctx, writer_stmts *s, int64_t event, int64_t deputy_id, char *mode, size_t size,
                          int64_t *minutes, int *manual, int *found)
{
	int rc;

	sqlite3_bind_int64(s->get_att, 1, event);
	sqlite3_bind_int64(s->get_att, 2, deputy_id);
	rc = sqlite3_step(s->get_att);
	*found = rc == SQLITE_ROW;
	if (*found) {
		snprintf(mode, size, "%s", (const char *)sqlite3_column_text(s->get_att, 0));
		*minutes = sqlite3_column_int64(s->get_att, 1);
		*manual = sqlite3_column_int(s->get_att, 2);
	}
	sqlite3_reset(s->get_att);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, rc, "reading attendance");
}

/* Merge one deputy's new spans (sorted, in buf[0..n)) with the stored ones
 * and save what changed. buf has room for n + stored spans. */
static int merge_deputy(dt_ctx *ctx, writer_stmts *s, const dt_event_info *ev, int64_t deputy_id, span **buf,
                        size_t *cap, size_t n, dt_attendance_summary *sum)
{
	size_t nold = 0, nmerged;
	int64_t secs, minutes, old_minutes = 0;
	char old_mode[16] = "";
	int manual = 0, found, same, rc;
	const char *mode;

	sqlite3_bind_int64(s->old_spans, 1, ev->id);
	sqlite3_bind_int64(s->old_spans, 2, deputy_id);
	while ((rc = sqlite3_step(s->old_spans)) == SQLITE_ROW) {
		if (n + nold == *cap) {
			span *b = realloc(*buf, *cap * 2 * sizeof(**buf));

			if (!b) {
				sqlite3_reset(s->old_spans);
				return dt__error(ctx, DT_ENOMEM, "out of memory");
			}
			*buf = b;
			*cap *= 2;
		}
		(*buf)[n + nold].join = sqlite3_column_int64(s->old_spans, 0);
		(*buf)[n + nold].left = sqlite3_column_int64(s->old_spans, 1);
		nold++;
	}
	sqlite3_reset(s->old_spans);
	if (rc != SQLITE_DONE)
		return dt__sqlerr(ctx, rc, "reading intervals");
	/* the stored spans are merged already: the union is unchanged when each new span lies inside one */
	same = nold > 0;
	for (size_t i = 0; same && i < n; i++) {
		size_t k = 0;

		while (k < nold && (*buf)[n + k].left < (*buf)[i].left)
			k++;
		same = k < nold && (*buf)[n + k].join <= (*buf)[i].join;
	}
	if (nold)
		qsort(*buf, n + nold, sizeof(span), span_cmp);
	nmerged = merge_spans(*buf, n + nold);
	secs = seconds_within(*buf, nmerged, ev->starts_at, ev->ends_at);
	minutes = secs / 60;
	mode = secs * 100 >= s->share * (ev->ends_at - ev->starts_at) ? "online" : "partial";
	rc = get_attendance(ctx, s, ev->id, deputy_id, old_mode, sizeof(old_mode), &old_minutes, &manual, &found);
	if (rc != DT_OK)
		return rc;
	if (manual)
		mode = old_mode; /* a mode recorded by hand stands; the minutes follow the log */
	if (!strcmp(mode, "online"))
		sum->online++;
	else if (!strcmp(mode, "partial"))
		sum->partial++;
	if (same && found && old_minutes == minutes && !strcmp(old_mode, mode))
		return DT_OK;
	sum->changed++;
	if (!same) {
		sqlite3_bind_int64(s->del_spans, 1, ev->id);
		sqlite3_bind_int64(s->del_spans, 2, deputy_id);
		rc = sqlite3_step(s->del_spans);
		sqlite3_reset(s->del_spans);
		if (rc != SQLITE_DONE)
			return dt__sqlerr(ctx, rc, "replacing intervals");
		for (size_t i = 0; i < nmerged; i++) {
			sqlite3_bind_int64(s->put_span, 1, ev->id);
			sqlite3_bind_int64(s->put_span, 2, deputy_id);
			sqlite3_bind_int64(s->put_span, 3, (*buf)[i].join);
			sqlite3_bind_int64(s->put_span, 4, (*buf)[i].left);
			rc = sqlite3_step(s->put_span);
			sqlite3_reset(s->put_span);
			if (rc != SQLITE_DONE)
				return dt__sqlerr(ctx, rc, "saving intervals");
		}
	}
	return put_attendance(ctx, s, ev, deputy_id, mode, minutes, manual);
}

static int write_log(log_import *im, dt_attendance_summary *sum)
{
	writer_stmts s = { 0 };
	size_t cap = 64;
	span *buf = malloc(cap * sizeof(*buf));
	int rc = buf ? prepare_stmts(im->ctx, &s) : dt__error(im->ctx, DT_ENOMEM, "out of memory");

	for (size_t i = 0; rc == DT_OK && i < im->nrows;) {
		size_t j = i, n;

		while (j < im->nrows && im->rows[j].dep == im->rows[i].dep)
			j++;
		n = j - i;
		if (n * 2 > cap) {
			span *b = realloc(buf, n * 2 * sizeof(*b));

			if (!b) {
				rc = dt__error(im->ctx, DT_ENOMEM, "out of memory");
				break;
			}
			buf = b;
			cap = n * 2;
		}
		for (size_t k = 0; k < n; k++) {
			buf[k].join = im->base + im->rows[i + k].join;
			buf[k].left = im->base + im->rows[i + k].left;
		}
		n = merge_spans(buf, n);
		sum->deputies++;
		rc = merge_deputy(im->ctx, &s, &im->ev, im->deps[im->rows[i].dep].deputy_id, &buf, &cap, n, sum);
		i = j;
	}
	finalize_stmts(&s);
	free(buf);
	return rc;
}

static void free_import(log_import *im)
{
	for (size_t i = 0; i < im->ndeps; i++)
		free(im->deps[i].code);
	free(im->deps);
	free(im->table);
	free(im->rows);
	sqlite3_finalize(im->lookup);
}

/* The zone's offset when it is the same over the whole window, so local
 * times convert without the C library. */
static void fix_offset(log_import *im)
{
	time_t a = (time_t)im->base, b = (time_t)im->limit;
	struct tm ta, tb;

	im->offset_fixed = localtime_r(&a, &ta) && localtime_r(&b, &tb) && ta.tm_gmtoff == tb.tm_gmtoff;
	im->offset = im->offset_fixed ? (int)ta.tm_gmtoff : 0;
}

int dt_attendance_import(dt_ctx *ctx, int64_t event, FILE *in, const char *name, const char *encoding,
                         dt_attendance_summary *summary)
{
	log_import im = { 0 };
	dt_attendance_summary sum = { 0 };
	int64_t grace, max_field;
	dt_csv_options o = { name ? name : "-", encoding, 4096, 64 };
	int rc;

	im.ctx = ctx;
	im.name = o.name;
	rc = dt__event_get(ctx, event, &im.ev);
	if (rc == DT_OK)
		rc = dt__event_open_for_records(ctx, &im.ev, "attendance");
	if (rc == DT_OK && im.ev.ends_at == DT_TIME_UNSET)
		rc = dt__error(ctx, DT_ESTATE, "event %lld has no end time, so its minutes cannot be counted: set one with"
		               " set-event --ends", (long long)event);
	if (rc == DT_OK)
		rc = dt__event_grace(ctx, &grace);
	if (rc == DT_OK)
		rc = dt__config_int(ctx, "import.max_field_bytes", &max_field);
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &im.lookup, "SELECT id, retired_at FROM deputy WHERE code = ?1");
	if (rc != DT_OK) {
		free_import(&im);
		return rc;
	}
	o.max_field = (size_t)max_field;
	im.base = im.ev.starts_at - grace;
	im.limit = im.ev.ends_at + grace;
	fix_offset(&im);
	rc = dt__csv_read(ctx, in, &o, log_row_read, &im);
	sum.rows = im.nrows + im.errors;
	if (rc == DT_OK && (im.errors || !im.header_done)) {
		if (im.errors > MAX_REPORTED)
			dt__diag(ctx, "%s: ... and %llu more bad rows", im.name, (unsigned long long)(im.errors - MAX_REPORTED));
		rc = dt__error(ctx, DT_EDATA, "%s: %llu bad rows; nothing was recorded", im.name,
		               (unsigned long long)(im.errors ? im.errors : 1));
	} else if (rc == DT_EDATA) {
		rc = dt__error(ctx, DT_EDATA, "%s: bad input; nothing was recorded", im.name);
	}
	if (rc == DT_OK) {
		qsort(im.rows, im.nrows, sizeof(*im.rows), row_cmp);
		rc = dt__begin(ctx);
		if (rc == DT_OK) {
			/* the event may have been cancelled while the log was read */
			rc = dt__event_get(ctx, event, &im.ev);
			if (rc == DT_OK)
				rc = dt__event_open_for_records(ctx, &im.ev, "attendance");
			if (rc == DT_OK)
				rc = write_log(&im, &sum);
			if (rc == DT_OK && sum.changed)
				rc = dt__audit(ctx, "attendance of event %lld from %s: %llu rows, %llu deputies changed",
				               (long long)event, im.name, (unsigned long long)sum.rows,
				               (unsigned long long)sum.changed);
			rc = dt__end(ctx, rc);
		}
	}
	free_import(&im);
	if (rc == DT_OK && summary)
		*summary = sum;
	return rc;
}

/* DT_EUSAGE when the retired deputy had left before the event started. */
static int retired_before(dt_ctx *ctx, int64_t deputy_id, const dt_event_info *ev, const char *code)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st, "SELECT retired_at <= ?2 FROM deputy WHERE id = ?1");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, deputy_id);
	sqlite3_bind_int64(st, 2, ev->starts_at);
	rc = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc ? dt__error(ctx, DT_EUSAGE, "deputy %s had retired before event %lld", code, (long long)ev->id) : DT_OK;
}

int dt_attendance_record(dt_ctx *ctx, int64_t event, const char *code, const char *mode)
{
	writer_stmts s = { 0 };
	dt_event_info ev;
	char old_mode[16];
	int64_t deputy_id, minutes = 0;
	int retired, manual, found, rc;

	if (!mode || (strcmp(mode, "onsite") && strcmp(mode, "online") && strcmp(mode, "excused") && strcmp(mode, "absent")))
		return dt__error(ctx, DT_EUSAGE, "mode '%s' is not one of onsite, online, excused, absent", mode ? mode : "");
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__event_get(ctx, event, &ev);
	if (rc == DT_OK)
		rc = dt__event_open_for_records(ctx, &ev, "attendance");
	if (rc == DT_OK)
		rc = dt__deputy_lookup(ctx, code, &deputy_id, &retired);
	if (rc == DT_OK && retired)
		rc = retired_before(ctx, deputy_id, &ev, code);
	if (rc == DT_OK)
		rc = prepare_stmts(ctx, &s);
	if (rc == DT_OK)
		rc = get_attendance(ctx, &s, event, deputy_id, old_mode, sizeof(old_mode), &minutes, &manual, &found);
	if (rc == DT_OK)
		rc = put_attendance(ctx, &s, &ev, deputy_id, mode, minutes, 1);
	if (rc == DT_OK)
		rc = dt__audit(ctx, "attendance of event %lld: %s %s", (long long)event, code, mode);
	finalize_stmts(&s);
	return dt__end(ctx, rc);
}

static const dt_column attendance_columns[] = {
	{ "code", DT_COL_TEXT, 0 }, { "name", DT_COL_TEXT, 0 },    { "delegation", DT_COL_TEXT, 0 },
	{ "mode", DT_COL_TEXT, 0 }, { "minutes", DT_COL_INT, 0 }, { "source", DT_COL_TEXT, 0 },
};

int dt_attendance_list(dt_ctx *ctx, int64_t event, dt_writer *w)
{
	dt_event_info ev;
	sqlite3_stmt *st;
	int rc = dt__event_get(ctx, event, &ev);

	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st,
		                 "SELECT d.code, d.name, d.delegation, a.mode, a.minutes, CASE a.manual WHEN 1 THEN 'manual'"
		                 " ELSE 'log' END FROM attendance a JOIN deputy d ON d.id = a.deputy_id"
		                 " WHERE a.event_id = ?1 ORDER BY d.code");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, event);
	rc = dt_writer_begin(w, attendance_columns, 6);
	while (rc == DT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		dt_value v[6] = { { 0 } };

		for (int i = 0; i < 6; i++) {
			v[i].is_null = sqlite3_column_type(st, i) == SQLITE_NULL;
			v[i].text = (const char *)sqlite3_column_text(st, i);
		}
		v[4].i = sqlite3_column_int64(st, 4);
		rc = dt_writer_row(w, v);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = dt_writer_end(w);
	else if (rc > 0)
		return dt__sqlerr(ctx, rc, "reading attendance");
	return dt__writer_status(ctx, rc);
}
