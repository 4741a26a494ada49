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

#define LOOKUPS_PER_READ 4096 /* deputy lookups per read transaction */

typedef struct {
	int64_t deputy_id;
	int retired_before; /* retired before the event: refused */
	uint32_t rank;      /* position by deputy_id, for writing in order */
	char *long_code;    /* a code too long for short_code, else NULL */
	char short_code[20]; /* in the slot: one cache miss per lookup, not two */
} deputy_slot;

/* A hash table entry: the deputy's index and 32 more bits of the hash, so
 * a probe that is not the code is passed over without reading its slot. */
typedef struct {
	uint32_t index; /* 1 + index into deps; 0 empty */
	uint32_t tag;
} table_entry;

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
	table_entry *table;
	size_t table_size;
	deputy_slot *deps;
	size_t ndeps, deps_cap;
	log_row *rows;
	size_t nrows, rows_cap;
	uint64_t errors;
	int reading;         /* inside a read transaction of lookups */
	uint32_t lookups;
	int offset_fixed;    /* the zone's offset is the same over the window */
	int offset;
} log_import;

static uint64_t hash_code(const char *s)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	/* FNV's low bits vary little over codes that differ in a digit or two:
	 * mix the high bits down before masking */
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93u;
	h ^= h >> 32;
	return h;
}

static const char *slot_code(const deputy_slot *d)
{
	return d->long_code ? d->long_code : d->short_code;
}

static int grow_table(log_import *im)
{
	size_t size = im->table_size ? im->table_size * 2 : 1024;
	table_entry *t = calloc(size, sizeof(*t));

	if (!t)
		return 0;
	for (size_t i = 0; i < im->ndeps; i++) {
		uint64_t h = hash_code(slot_code(&im->deps[i]));
		size_t j = h & (size - 1);

		while (t[j].index)
			j = (j + 1) & (size - 1);
		t[j].index = (uint32_t)i + 1;
		t[j].tag = (uint32_t)(h >> 32);
	}
	free(im->table);
	im->table = t;
	im->table_size = size;
	return 1;
}

/* Room for one more deputy in deps. */
static int reserve_deputy(log_import *im)
{
	if (im->ndeps == im->deps_cap) {
		size_t cap = im->deps_cap ? im->deps_cap * 2 : 256;
		deputy_slot *n = realloc(im->deps, cap * sizeof(*n));

		if (!n)
			return 0;
		im->deps = n;
		im->deps_cap = cap;
	}
	return 1;
}

static void end_read(log_import *im)
{
	if (im->reading)
		sqlite3_exec(im->ctx->db, "COMMIT", NULL, NULL, NULL);
	im->reading = 0;
}

/* Put code, whose slot is filled in, at table position j. */
/* analyzer: long_code is owned by im->deps[], freed by free_import */
DT__ANALYZER_NOT_A_LEAK_BEGIN
static int remember(log_import *im, size_t j, uint64_t h, const char *code, size_t *idx)
{
	deputy_slot *d = &im->deps[im->ndeps];
	size_t len = strlen(code);

	d->long_code = NULL;
	if (len < sizeof(d->short_code))
		memcpy(d->short_code, code, len + 1);
	else if (!(d->long_code = strdup(code)))
		return dt__error(im->ctx, DT_ENOMEM, "out of memory");
	im->table[j].index = (uint32_t)++im->ndeps;
	im->table[j].tag = (uint32_t)(h >> 32);
	if (idx)
		*idx = im->ndeps - 1;
	return DT_OK;
}
DT__ANALYZER_NOT_A_LEAK_END

/* The index of code among the deputies seen, looked up the first time:
 * DT_ENOTFOUND (no message) for an unknown code, else a status with one. */
static int deputy_index(log_import *im, const char *code, size_t *idx)
{
	uint64_t h = hash_code(code);
	uint32_t tag = (uint32_t)(h >> 32);
	deputy_slot *d;
	size_t j;
	int rc;

	if (im->ndeps * 2 >= im->table_size && !grow_table(im))
		return dt__error(im->ctx, DT_ENOMEM, "out of memory");
	for (j = h & (im->table_size - 1); im->table[j].index; j = (j + 1) & (im->table_size - 1))
		if (im->table[j].tag == tag && strcmp(slot_code(&im->deps[im->table[j].index - 1]), code) == 0) {
			*idx = im->table[j].index - 1;
			return DT_OK;
		}
	if (!reserve_deputy(im))
		return dt__error(im->ctx, DT_ENOMEM, "out of memory");
	d = &im->deps[im->ndeps];
	/* lookups share a read transaction: one lock and one cache check per
	 * batch, not per deputy; the batch ends so writers are not kept out */
	if (im->lookups++ % LOOKUPS_PER_READ == 0)
		end_read(im);
	if (!im->reading) {
		rc = sqlite3_exec(im->ctx->db, "BEGIN", NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			return dt__sqlerr(im->ctx, rc, "reading the roster");
		im->reading = 1;
	}
	sqlite3_bind_text(im->lookup, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(im->lookup);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(im->lookup);
		/* unknown codes are not remembered: each row is reported */
		return rc == SQLITE_DONE ? DT_ENOTFOUND : dt__sqlerr(im->ctx, rc, "looking up a deputy");
	}
	d->deputy_id = sqlite3_column_int64(im->lookup, 0);
	d->retired_before = 0;
	sqlite3_reset(im->lookup);
	return remember(im, j, h, code, idx);
}

/* The deputies who had retired before the event start out known, so the
 * lookup of everyone else is answered by the index on code alone. */
static int load_retired(log_import *im)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(im->ctx, &st,
	                     "SELECT code, id FROM deputy WHERE retired_at <= ?1 AND code IS NOT NULL");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, im->ev.starts_at);
	while (rc == DT_OK && dt__next(im->ctx, st, &rc)) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		uint64_t h = hash_code(code);
		size_t j;

		if (im->ndeps * 2 >= im->table_size && !grow_table(im))
			rc = dt__error(im->ctx, DT_ENOMEM, "out of memory");
		else if (!reserve_deputy(im))
			rc = dt__error(im->ctx, DT_ENOMEM, "out of memory");
		if (rc != DT_OK)
			break;
		for (j = h & (im->table_size - 1); im->table[j].index; j = (j + 1) & (im->table_size - 1))
			;
		im->deps[im->ndeps].deputy_id = sqlite3_column_int64(st, 1);
		im->deps[im->ndeps].retired_before = 1;
		rc = remember(im, j, h, code, NULL);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Report a bad row: "NAME:LINE: column 'c': <before>'<value>'<after>". */
static void row_error(log_import *im, uint64_t line, const char *column, const char *before, const char *value,
                      const char *after)
{
	char shown[64];

	if (++im->errors <= DT_CSV_MAX_REPORTED)
		dt__diag(im->ctx, "%s:%llu: column '%s': %s%s%s%s%s", im->name, (unsigned long long)line, column, before,
		         value ? "'" : "", value ? dt__shown(value, shown, sizeof(shown)) : "", value ? "'" : "", after);
}

/* A log time: local unless it names its offset, or Unix time. */
static int log_time(log_import *im, const char *text, int64_t *out)
{
	int64_t wall;
	int has_offset, offset;

	if (dt__time_epoch(text, out))
		return 1;
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

typedef struct {
	int64_t deputy_id;
	uint32_t dep;
} id_order;

static int by_deputy_id(const void *a, const void *b)
{
	int64_t x = ((const id_order *)a)->deputy_id, y = ((const id_order *)b)->deputy_id;

	return (x > y) - (x < y);
}

/* Group the rows by deputy, in the order of the deputies' row ids, so the
 * writes (and the foreign-key checks against the roster) walk the tables
 * in order instead of at random. A counting sort, linear in the rows:
 * a comparison sort of a million rows costs a fifth of the import. Each
 * group is sorted by join when it is merged. */
static int group_rows(log_import *im)
{
	id_order *order = malloc((im->ndeps + 1) * sizeof(*order));
	uint32_t *start = calloc(im->ndeps + 1, sizeof(*start));
	log_row *out = malloc((im->nrows ? im->nrows : 1) * sizeof(*out));

	if (!order || !start || !out) {
		free(order);
		free(start);
		free(out);
		return dt__error(im->ctx, DT_ENOMEM, "out of memory");
	}
	for (uint32_t d = 0; d < im->ndeps; d++) {
		order[d].deputy_id = im->deps[d].deputy_id;
		order[d].dep = d;
	}
	qsort(order, im->ndeps, sizeof(*order), by_deputy_id);
	for (uint32_t r = 0; r < im->ndeps; r++)
		im->deps[order[r].dep].rank = r;
	free(order);
	for (size_t i = 0; i < im->nrows; i++)
		start[im->deps[im->rows[i].dep].rank + 1]++;
	for (size_t d = 0; d < im->ndeps; d++)
		start[d + 1] += start[d];
	for (size_t i = 0; i < im->nrows; i++)
		out[start[im->deps[im->rows[i].dep].rank]++] = im->rows[i];
	free(start);
	free(im->rows);
	im->rows = out;
	return DT_OK;
}

/*
 * Writing: the merged intervals of one deputy, their minutes within the
 * event and the resulting mode, with the duty record that follows. The
 * intervals live on the deputy's attendance row (a BLOB of big-endian
 * 64-bit pairs), so a deputy costs one read and one write however many
 * times they reconnected.
 */
typedef struct {
	int64_t join, left;
} span;

typedef struct {
	sqlite3_stmt *get_att, *put_att, *del_record;
	int64_t share;
	int any_stored; /* the event had attendance before: look each deputy up */
} writer_stmts;

static void finalize_stmts(writer_stmts *s)
{
	sqlite3_finalize(s->get_att);
	sqlite3_finalize(s->put_att);
	sqlite3_finalize(s->del_record);
}

static int prepare_stmts(dt_ctx *ctx, writer_stmts *s, int64_t event)
{
	sqlite3_stmt *st;
	int rc = dt__config_int(ctx, "attendance.online_share", &s->share);

	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st, "SELECT EXISTS (SELECT 1 FROM attendance WHERE event_id = ?1)");
	if (rc == DT_OK) {
		sqlite3_bind_int64(st, 1, event);
		s->any_stored = sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		rc = dt__prepare(ctx, &s->get_att,
		                 "SELECT mode, minutes, manual, spans FROM attendance WHERE event_id = ?1 AND deputy_id = ?2");
	}
	/* the spans are written only when given (?7 not NULL): a record by hand keeps them */
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &s->put_att,
		                 "INSERT INTO attendance(event_id, deputy_id, mode, minutes, manual, recorded_at, spans)"
		                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(event_id, deputy_id) DO UPDATE SET"
		                 " mode = excluded.mode, minutes = excluded.minutes, manual = excluded.manual,"
		                 " recorded_at = excluded.recorded_at, spans = coalesce(excluded.spans, spans)");
	/* by the unique (kind, ref, deputy_id) index: the five kinds of the event's family */
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &s->del_record,
		                 "DELETE FROM duty_record WHERE kind IN (?3 || '_onsite', ?3 || '_online', ?3 || '_partial',"
		                 " ?3 || '_excused', ?3 || '_absent') AND ref = ?1 AND deputy_id = ?2");
	return rc;
}

static void put_be64(unsigned char *p, int64_t v)
{
	uint64_t u = (uint64_t)v;

	for (int i = 7; i >= 0; i--, u >>= 8)
		p[i] = (unsigned char)(u & 0xff);
}

static int64_t get_be64(const unsigned char *p)
{
	uint64_t u = 0;

	for (int i = 0; i < 8; i++)
		u = u << 8 | p[i];
	return (int64_t)u;
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
                             int64_t minutes, int replace)
{
	char ref[40], kind[40];
	int rc;

	snprintf(ref, sizeof(ref), "attendance:%lld", (long long)ev->id);
	snprintf(kind, sizeof(kind), "%s_%s", dt__event_family(ev->kind), mode);
	if (replace) {
		sqlite3_bind_text(s->del_record, 1, ref, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s->del_record, 2, deputy_id);
		sqlite3_bind_text(s->del_record, 3, dt__event_family(ev->kind), -1, SQLITE_STATIC);
		rc = sqlite3_step(s->del_record);
		sqlite3_reset(s->del_record);
		if (rc != SQLITE_DONE)
			return dt__sqlerr(ctx, rc, "replacing a duty record");
	}
	if (!strcmp(mode, "onsite") && ev->ends_at != DT_TIME_UNSET)
		minutes = (ev->ends_at - ev->starts_at) / 60;
	else if (!strcmp(mode, "excused") || !strcmp(mode, "absent"))
		minutes = 0;
	return dt__archive_add(ctx, deputy_id, kind, ev->starts_at, (double)minutes, ref);
}

/* Save a deputy's attendance; spans (n pairs) replace the stored ones
 * unless NULL. found: a row and a duty record exist to be replaced. */
static int put_attendance(dt_ctx *ctx, writer_stmts *s, const dt_event_info *ev, int64_t deputy_id, const char *mode,
                          int64_t minutes, int manual, const span *spans, size_t n, int found)
{
	unsigned char *blob = NULL;
	int rc;

	if (spans && n) {
		blob = malloc(n * 16);
		if (!blob)
			return dt__error(ctx, DT_ENOMEM, "out of memory");
		for (size_t i = 0; i < n; i++) {
			put_be64(blob + i * 16, spans[i].join);
			put_be64(blob + i * 16 + 8, spans[i].left);
		}
	}
	sqlite3_bind_int64(s->put_att, 1, ev->id);
	sqlite3_bind_int64(s->put_att, 2, deputy_id);
	sqlite3_bind_text(s->put_att, 3, mode, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->put_att, 4, minutes);
	sqlite3_bind_int(s->put_att, 5, manual);
	sqlite3_bind_int64(s->put_att, 6, dt_ctx_now(ctx));
	if (blob)
		sqlite3_bind_blob(s->put_att, 7, blob, (int)(n * 16), SQLITE_STATIC);
	else
		sqlite3_bind_null(s->put_att, 7);
	rc = sqlite3_step(s->put_att);
	sqlite3_reset(s->put_att);
	free(blob);
	if (rc != SQLITE_DONE)
		return dt__sqlerr(ctx, rc, "saving attendance");
	return attendance_record(ctx, s, ev, deputy_id, mode, minutes, found);
}

typedef struct {
	int found;
	char mode[16];
	int64_t minutes;
	int manual;
} stored_attendance;

/* The stored attendance of a deputy; its spans are appended to buf after
 * the n there (growing it). */
static int get_attendance(dt_ctx *ctx, writer_stmts *s, int64_t event, int64_t deputy_id, stored_attendance *a,
                          span **buf, size_t *cap, size_t n, size_t *nstored)
{
	int rc;

	*nstored = 0;
	memset(a, 0, sizeof(*a));
	sqlite3_bind_int64(s->get_att, 1, event);
	sqlite3_bind_int64(s->get_att, 2, deputy_id);
	rc = sqlite3_step(s->get_att);
	if (rc == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_blob(s->get_att, 3);
		size_t k = (size_t)sqlite3_column_bytes(s->get_att, 3) / 16;

		a->found = 1;
		snprintf(a->mode, sizeof(a->mode), "%s", (const char *)sqlite3_column_text(s->get_att, 0));
		a->minutes = sqlite3_column_int64(s->get_att, 1);
		a->manual = sqlite3_column_int(s->get_att, 2);
		if (n + k > *cap) {
			span *b = realloc(*buf, (n + k) * sizeof(*b));

			if (!b) {
				sqlite3_reset(s->get_att);
				return dt__error(ctx, DT_ENOMEM, "out of memory");
			}
			*buf = b;
			*cap = n + k;
		}
		for (size_t i = 0; i < k; i++) {
			(*buf)[n + i].join = get_be64(p + i * 16);
			(*buf)[n + i].left = get_be64(p + i * 16 + 8);
		}
		*nstored = k;
	}
	sqlite3_reset(s->get_att);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, rc, "reading attendance");
}

/* Is every span of a[0..n) inside one of the merged, sorted b[0..m)? */
static int covered(const span *a, size_t n, const span *b, size_t m)
{
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;

		while (k < m && b[k].left < a[i].left)
			k++;
		if (k == m || b[k].join > a[i].join)
			return 0;
	}
	return 1;
}

/* Merge one deputy's new spans (merged, in buf[0..n)) with the stored ones
 * and save what changed. */
static int merge_deputy(dt_ctx *ctx, writer_stmts *s, const dt_event_info *ev, int64_t deputy_id, span **buf,
                        size_t *cap, size_t n, dt_attendance_summary *sum)
{
	stored_attendance old = { 0 };
	size_t nstored = 0, nmerged;
	int64_t secs, minutes;
	const char *mode;
	int same, rc = DT_OK;

	if (s->any_stored)
		rc = get_attendance(ctx, s, ev->id, deputy_id, &old, buf, cap, n, &nstored);
	if (rc != DT_OK)
		return rc;
	/* the union is unchanged when each new span lies inside a stored one */
	same = nstored > 0 && covered(*buf, n, *buf + n, nstored);
	if (nstored)
		qsort(*buf, n + nstored, sizeof(span), span_cmp);
	nmerged = merge_spans(*buf, n + nstored);
	secs = seconds_within(*buf, nmerged, ev->starts_at, ev->ends_at);
	minutes = secs / 60;
	mode = secs * 100 >= s->share * (ev->ends_at - ev->starts_at) ? "online" : "partial";
	if (old.manual)
		mode = old.mode; /* a mode recorded by hand stands; the minutes follow the log */
	if (!strcmp(mode, "online"))
		sum->online++;
	else if (!strcmp(mode, "partial"))
		sum->partial++;
	if (same && old.minutes == minutes && !strcmp(old.mode, mode))
		return DT_OK;
	sum->changed++;
	return put_attendance(ctx, s, ev, deputy_id, mode, minutes, old.manual, *buf, nmerged, old.found);
}

static int write_log(log_import *im, dt_attendance_summary *sum)
{
	writer_stmts s = { 0 };
	size_t cap = 64;
	span *buf = malloc(cap * sizeof(*buf));
	int rc = buf ? prepare_stmts(im->ctx, &s, im->ev.id) : dt__error(im->ctx, DT_ENOMEM, "out of memory");

	for (size_t i = 0; rc == DT_OK && i < im->nrows;) {
		size_t j = i, n;

		while (j < im->nrows && im->rows[j].dep == im->rows[i].dep)
			j++;
		n = j - i;
		if (n > cap) {
			span *b = realloc(buf, n * sizeof(*b));

			if (!b) {
				rc = dt__error(im->ctx, DT_ENOMEM, "out of memory");
				break;
			}
			buf = b;
			cap = n;
		}
		for (size_t k = 0; k < n; k++) {
			buf[k].join = im->base + im->rows[i + k].join;
			buf[k].left = im->base + im->rows[i + k].left;
		}
		qsort(buf, n, sizeof(*buf), span_cmp);
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
	sqlite3_reset(im->lookup);
	end_read(im);
	for (size_t i = 0; i < im->ndeps; i++)
		free(im->deps[i].long_code);
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
		rc = dt__prepare(ctx, &im.lookup, "SELECT id FROM deputy WHERE code = ?1");
	if (rc == DT_OK)
		rc = load_retired(&im);
	if (rc != DT_OK) {
		free_import(&im);
		return rc;
	}
	o.max_field = (size_t)max_field;
	im.base = im.ev.starts_at - grace;
	im.limit = im.ev.ends_at + grace;
	fix_offset(&im);
	rc = dt__csv_read(ctx, in, &o, log_row_read, &im);
	sqlite3_reset(im.lookup);
	end_read(&im);
	sum.rows = im.nrows + im.errors;
	rc = dt__csv_outcome(ctx, im.name, rc, im.errors, im.header_done, "recorded");
	if (rc == DT_OK) {
		rc = group_rows(&im);
		if (rc == DT_OK)
			rc = dt__begin(ctx);
		if (rc == DT_OK) {
			/* the event may have been cancelled while the log was read */
			rc = dt__event_get(ctx, event, &im.ev);
			if (rc == DT_OK)
				rc = dt__event_open_for_records(ctx, &im.ev, "attendance");
			/* 16 MB of page cache for the bulk write (the default 2 MB
			 * makes every deputy's row a read from the file) */
			if (rc == DT_OK)
				rc = dt__exec(ctx, "PRAGMA cache_size=-16384");
			if (rc == DT_OK)
				rc = write_log(&im, &sum);
			if (rc == DT_OK && sum.changed)
				rc = dt__audit(ctx, "attendance of event %lld from %s: %llu rows, %llu deputies changed",
				               (long long)event, im.name, (unsigned long long)sum.rows,
				               (unsigned long long)sum.changed);
			rc = dt__end(ctx, rc);
			sqlite3_exec(ctx->db, "PRAGMA cache_size=-2000", NULL, NULL, NULL); /* SQLite's default again */
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
	stored_attendance old = { 0 };
	dt_event_info ev;
	span *buf = NULL;
	size_t cap = 0, nstored = 0;
	int64_t deputy_id;
	int retired, rc;

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
		rc = prepare_stmts(ctx, &s, event);
	if (rc == DT_OK)
		rc = get_attendance(ctx, &s, event, deputy_id, &old, &buf, &cap, 0, &nstored);
	/* the minutes the log gave stay: they are what the stream saw */
	if (rc == DT_OK)
		rc = put_attendance(ctx, &s, &ev, deputy_id, mode, old.minutes, 1, NULL, 0, old.found);
	if (rc == DT_OK)
		rc = dt__audit(ctx, "attendance of event %lld: %s %s", (long long)event, code, mode);
	finalize_stmts(&s);
	free(buf);
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
