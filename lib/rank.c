/*
 * The ranking: every deputy serving in a period, ranked by points.
 *
 *   points of a kind  = rule points x (records, or their hours or minutes),
 *                       cut to the rule's cap (in absolute value) for the period
 *   total             = the sum over kinds, also summed per category
 *   index             = 100 x adjusted total / the highest total of the
 *                       period, within 0..100, where the adjusted total of a
 *                       deputy who served part of the period is divided by
 *                       the share of its days served
 *   rank              = 1 + the number of deputies with a higher total
 *                       (1, 2, 2, 4); equal totals list by code
 *
 * The deputies of the first roster import serve from before any period; a
 * deputy added later serves from the day added, until retired.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "rank_internal.h"

double dt__points_round(double p)
{
	double r = round(p * 100) / 100;

	return r == 0 ? 0 : r; /* no -0 in print */
}

double dt__rule_points(const rank_rule *r, int64_t count, double minutes)
{
	if (r->per == PER_HOUR)
		return r->points * minutes / 60;
	if (r->per == PER_MINUTE)
		return r->points * minutes;
	return r->points * (double)count;
}

double dt__rule_capped(const rank_rule *r, double points)
{
	if (!r->has_cap)
		return points;
	return points > r->cap ? r->cap : points < -r->cap ? -r->cap : points;
}

static int rule_cmp(const void *a, const void *b)
{
	return strcmp(((const rank_rule *)a)->kind, ((const rank_rule *)b)->kind);
}

const rank_rule *dt__rank_rule(const rank_table *t, const char *kind)
{
	rank_rule key;

	memset(&key, 0, sizeof(key));
	snprintf(key.kind, sizeof(key.kind), "%s", kind);
	return bsearch(&key, t->rules, t->nrules, sizeof(*t->rules), rule_cmp);
}

/* analyzer: the category names are owned by t->categories[], freed by dt__rank_free */
DT__ANALYZER_NOT_A_LEAK_BEGIN
static int load_rules(dt_ctx *ctx, rank_table *t)
{
	sqlite3_stmt *st;
	int step = SQLITE_DONE;
	int rc = dt__prepare(ctx, &st, "SELECT kind, category, points, per, cap FROM rule WHERE version = ?1 ORDER BY position");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, t->version);
	while (rc == DT_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cat = (const char *)sqlite3_column_text(st, 1), *per = (const char *)sqlite3_column_text(st, 3);
		rank_rule *r;
		size_t c;

		for (c = 0; c < t->ncat && strcmp(t->categories[c], cat); c++)
			;
		if (c == t->ncat) {
			char **n = realloc(t->categories, (t->ncat + 1) * sizeof(*n));

			if (!n || !(n[t->ncat] = strdup(cat))) {
				if (n)
					t->categories = n;
				rc = dt__error(ctx, DT_ENOMEM, "out of memory");
				break;
			}
			t->categories = n;
			t->ncat++;
		}
		r = realloc(t->rules, (t->nrules + 1) * sizeof(*r));
		if (!r) {
			rc = dt__error(ctx, DT_ENOMEM, "out of memory");
			break;
		}
		t->rules = r;
		r += t->nrules++;
		snprintf(r->kind, sizeof(r->kind), "%s", (const char *)sqlite3_column_text(st, 0));
		r->category = c;
		r->points = sqlite3_column_double(st, 2);
		r->per = !strcmp(per, "hour") ? PER_HOUR : !strcmp(per, "minute") ? PER_MINUTE : PER_ITEM;
		r->has_cap = sqlite3_column_type(st, 4) != SQLITE_NULL;
		r->cap = sqlite3_column_double(st, 4);
	}
	if (rc == DT_OK && step != SQLITE_DONE) /* a read error, not the end of the rules */
		rc = dt__sqlerr(ctx, step, "reading the points rules");
	sqlite3_finalize(st);
	if (rc == DT_OK)
		qsort(t->rules, t->nrules, sizeof(*t->rules), rule_cmp);
	return rc;
}
DT__ANALYZER_NOT_A_LEAK_END

static char *copy_column(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return strdup(s ? s : "");
}

/* The deputies serving in the period, by id. */
/* analyzer: the copied columns are owned by t->rows[], freed by dt__rank_free */
DT__ANALYZER_NOT_A_LEAK_BEGIN
static int load_deputies(dt_ctx *ctx, rank_table *t)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	double period_days = (double)(t->to - t->from) / 86400;
	int step = SQLITE_DONE;
	int rc = dt__prepare(ctx, &st,
	                     "WITH d AS (SELECT id, code, name, delegation, retired_at, CASE WHEN import_id ="
	                     " (SELECT min(id) FROM roster_import) THEN NULL ELSE joined_at END AS start FROM deputy"
	                     " WHERE code IS NOT NULL)"
	                     " SELECT id, code, name, delegation, max(?1, coalesce(start, ?1)), min(?2, coalesce(retired_at, ?2))"
	                     " FROM d WHERE coalesce(start, ?1) < ?2 AND coalesce(retired_at, ?2) > ?1 ORDER BY id");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, t->from);
	sqlite3_bind_int64(st, 2, t->to);
	while (rc == DT_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		rank_row *r;
		int64_t a = sqlite3_column_int64(st, 4), b = sqlite3_column_int64(st, 5);

		if (t->nrows == cap) {
			rank_row *n = realloc(t->rows, (cap ? cap * 2 : 256) * sizeof(*n));

			if (!n) {
				rc = dt__error(ctx, DT_ENOMEM, "out of memory");
				break;
			}
			t->rows = n;
			cap = cap ? cap * 2 : 256;
		}
		r = &t->rows[t->nrows++];
		memset(r, 0, sizeof(*r));
		r->deputy_id = sqlite3_column_int64(st, 0);
		r->code = copy_column(st, 1);
		r->name = copy_column(st, 2);
		r->delegation = copy_column(st, 3);
		r->partial = a > t->from || b < t->to;
		r->served_days = r->partial ? (double)(b - a) / 86400 : period_days;
		if (!r->code || !r->name || !r->delegation)
			rc = dt__error(ctx, DT_ENOMEM, "out of memory");
	}
	if (rc == DT_OK && step != SQLITE_DONE) /* a read error, not the last deputy */
		rc = dt__sqlerr(ctx, step, "reading the deputies");
	sqlite3_finalize(st);
	if (rc == DT_OK) {
		t->cats = calloc(t->nrows * t->ncat + 1, sizeof(*t->cats));
		if (!t->cats)
			return dt__error(ctx, DT_ENOMEM, "out of memory");
		for (size_t i = 0; i < t->nrows; i++)
			t->rows[i].cat = t->cats + i * t->ncat;
	}
	return rc;
}
DT__ANALYZER_NOT_A_LEAK_END

static rank_row *row_of(rank_table *t, int64_t deputy_id)
{
	size_t lo = 0, hi = t->nrows;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->rows[mid].deputy_id < deputy_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->nrows && t->rows[lo].deputy_id == deputy_id ? &t->rows[lo] : NULL;
}

/* Points per deputy and kind, from the records of the period. */
static int add_points(dt_ctx *ctx, rank_table *t)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     "SELECT deputy_id, kind, count(*), total(quantity) FROM duty_record"
	                     " WHERE occurred_at >= ?1 AND occurred_at < ?2 GROUP BY deputy_id, kind");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, t->from);
	sqlite3_bind_int64(st, 2, t->to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rank_row *r = row_of(t, sqlite3_column_int64(st, 0));
		const rank_rule *rule = dt__rank_rule(t, (const char *)sqlite3_column_text(st, 1));
		double p;

		if (!r || !rule) /* a deputy not serving then; a kind the rules leave out earns nothing */
			continue;
		p = dt__rule_capped(rule, dt__rule_points(rule, sqlite3_column_int64(st, 2), sqlite3_column_double(st, 3)));
		r->cat[rule->category] += p;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, rc, "reading the duty archive");
}

static int by_total(const void *a, const void *b)
{
	const rank_row *x = a, *y = b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return strcmp(x->code, y->code);
}

typedef struct {
	const char *delegation;
	double total;
	size_t row;
} member;

static int by_delegation(const void *a, const void *b)
{
	const member *x = a, *y = b;
	int c = strcmp(x->delegation, y->delegation);

	return c ? c : (x->total > y->total) - (x->total < y->total);
}

/* Percentile within the delegation: the share of the others below. */
static int percentiles(dt_ctx *ctx, rank_table *t)
{
	member *m = malloc((t->nrows + 1) * sizeof(*m));

	if (!m)
		return dt__error(ctx, DT_ENOMEM, "out of memory");
	for (size_t i = 0; i < t->nrows; i++)
		m[i] = (member){ t->rows[i].delegation, t->rows[i].total, i };
	qsort(m, t->nrows, sizeof(*m), by_delegation);
	for (size_t g = 0; g < t->nrows;) {
		size_t end = g, lower = 0;

		while (end < t->nrows && !strcmp(m[end].delegation, m[g].delegation))
			end++;
		for (size_t k = g; k < end; k++) {
			if (k > g && m[k - 1].total < m[k].total)
				lower = k - g;
			t->rows[m[k].row].percentile =
				end - g > 1 ? dt__points_round(100.0 * (double)lower / (double)(end - g - 1)) : 100;
		}
		g = end;
	}
	free(m);
	return DT_OK;
}

int dt__rank_compute(dt_ctx *ctx, int64_t from, int64_t to, int64_t version, rank_table *t)
{
	double best = 0, period_days = (double)(to - from) / 86400;
	int rc;

	memset(t, 0, sizeof(*t));
	t->from = from;
	t->to = to;
	if (to <= from)
		return dt__error(ctx, DT_EUSAGE, "the period ends before it starts");
	rc = dt__rules_version(ctx, version, &t->version);
	if (rc == DT_OK)
		rc = load_rules(ctx, t);
	if (rc == DT_OK)
		rc = load_deputies(ctx, t);
	if (rc == DT_OK)
		rc = add_points(ctx, t);
	if (rc != DT_OK)
		return rc;
	for (size_t i = 0; i < t->nrows; i++) {
		rank_row *r = &t->rows[i];

		r->total = 0;
		for (size_t c = 0; c < t->ncat; c++) {
			r->cat[c] = dt__points_round(r->cat[c]);
			r->total += r->cat[c];
		}
		r->total = dt__points_round(r->total);
		if (r->total > best)
			best = r->total;
	}
	for (size_t i = 0; i < t->nrows; i++) {
		rank_row *r = &t->rows[i];
		double share = r->served_days / period_days, adjusted = share > 0 ? r->total / share : 0;
		double index = best > 0 ? 100 * adjusted / best : 0;

		r->index = dt__points_round(index < 0 ? 0 : index > 100 ? 100 : index);
	}
	rc = percentiles(ctx, t);
	qsort(t->rows, t->nrows, sizeof(*t->rows), by_total);
	for (size_t i = 0; i < t->nrows; i++)
		t->rows[i].rank = i > 0 && t->rows[i].total == t->rows[i - 1].total ? t->rows[i - 1].rank : (int64_t)i + 1;
	return rc;
}

void dt__rank_free(rank_table *t)
{
	for (size_t i = 0; i < t->nrows; i++) {
		free(t->rows[i].code);
		free(t->rows[i].name);
		free(t->rows[i].delegation);
	}
	for (size_t c = 0; c < t->ncat; c++)
		free(t->categories[c]);
	free(t->categories);
	free(t->rules);
	free(t->rows);
	free(t->cats);
	memset(t, 0, sizeof(*t));
}

#define FIXED_COLUMNS 9

size_t dt__rank_columns(const rank_table *t, dt_column *cols)
{
	size_t n = 0;

	cols[n++] = (dt_column){ "rank", DT_COL_INT, 0 };
	cols[n++] = (dt_column){ "code", DT_COL_TEXT, 0 };
	cols[n++] = (dt_column){ "name", DT_COL_TEXT, 0 };
	cols[n++] = (dt_column){ "delegation", DT_COL_TEXT, 0 };
	for (size_t c = 0; c < t->ncat; c++)
		cols[n++] = (dt_column){ t->categories[c], DT_COL_REAL, 0 };
	cols[n++] = (dt_column){ "total", DT_COL_REAL, 0 };
	cols[n++] = (dt_column){ "index", DT_COL_REAL, 0 };
	cols[n++] = (dt_column){ "served_days", DT_COL_REAL, 0 };
	cols[n++] = (dt_column){ "partial", DT_COL_BOOL, 0 };
	cols[n++] = (dt_column){ "delegation_percentile", DT_COL_REAL, 0 };
	return n;
}

void dt__rank_values(const rank_table *t, size_t i, dt_value *v)
{
	const rank_row *r = &t->rows[i];
	size_t n = 0;

	memset(v, 0, (FIXED_COLUMNS + t->ncat) * sizeof(*v));
	v[n++].i = r->rank;
	v[n++].text = r->code;
	v[n++].text = r->name;
	v[n++].text = r->delegation;
	for (size_t c = 0; c < t->ncat; c++)
		v[n++].r = r->cat[c];
	v[n++].r = r->total;
	v[n++].r = r->index;
	v[n++].r = dt__points_round(r->served_days);
	v[n++].i = r->partial;
	v[n++].r = r->percentile;
}

int dt_period_parse(dt_ctx *ctx, const char *text, int64_t *from, int64_t *to)
{
	int y = 0, m = 0, q = 0, len = 0;
	char a[40], b[40];

	if (text && sscanf(text, "%4d-Q%1d%n", &y, &q, &len) == 2 && !text[len] && len == 7 && q >= 1 && q <= 4) {
		snprintf(a, sizeof(a), "%04d-%02d-01", y, q * 3 - 2);
		snprintf(b, sizeof(b), "%04d-%02d-01", q == 4 ? y + 1 : y, q == 4 ? 1 : q * 3 + 1);
	} else if (text && sscanf(text, "%4d-%2d%n", &y, &m, &len) == 2 && !text[len] && len == 7 && m >= 1 && m <= 12) {
		snprintf(a, sizeof(a), "%04d-%02d-01", y, m);
		snprintf(b, sizeof(b), "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
	} else if (text && sscanf(text, "%4d%n", &y, &len) == 1 && !text[len] && len == 4) {
		snprintf(a, sizeof(a), "%04d-01-01", y);
		snprintf(b, sizeof(b), "%04d-01-01", y + 1);
	} else {
		return dt__error(ctx, DT_EUSAGE, "period '%s' is not YYYY-MM, YYYY-Qn or YYYY", text ? text : "");
	}
	if (y < 1900 || dt_date_parse(ctx, a, from) != DT_OK || dt_date_parse(ctx, b, to) != DT_OK)
		return dt__error(ctx, DT_EUSAGE, "period '%s' is not YYYY-MM, YYYY-Qn or YYYY", text);
	return DT_OK;
}

/* Does row r pass the options' filters? n: the rows of the table. */
static int shown(const dt_rank_options *o, const rank_table *t, size_t i)
{
	const rank_row *r = &t->rows[i];

	if (o->delegation && strcmp(r->delegation, o->delegation))
		return 0;
	if (o->top > 0 && r->rank > o->top)
		return 0;
	if (o->bottom > 0 && i + (size_t)o->bottom < t->nrows)
		return 0;
	return 1;
}

int dt_rank(dt_ctx *ctx, const dt_rank_options *o, dt_writer *w)
{
	rank_table t;
	dt_column *cols = NULL;
	dt_value *v = NULL;
	size_t ncols;
	int rc = dt__rank_compute(ctx, o->from, o->to, o->rules_version, &t);

	if (rc == DT_OK) {
		cols = malloc((FIXED_COLUMNS + t.ncat) * sizeof(*cols));
		v = malloc((FIXED_COLUMNS + t.ncat) * sizeof(*v));
		if (!cols || !v)
			rc = dt__error(ctx, DT_ENOMEM, "out of memory");
	}
	if (rc == DT_OK) {
		ncols = dt__rank_columns(&t, cols);
		rc = dt__writer_status(ctx, dt_writer_begin(w, cols, ncols));
	}
	for (size_t i = 0; rc == DT_OK && i < t.nrows; i++) {
		if (!shown(o, &t, i))
			continue;
		dt__rank_values(&t, i, v);
		rc = dt__writer_status(ctx, dt_writer_row(w, v));
	}
	if (rc == DT_OK)
		rc = dt__writer_status(ctx, dt_writer_end(w));
	free(cols);
	free(v);
	dt__rank_free(&t);
	return rc;
}

static const dt_column explain_columns[] = {
	{ "occurred_at", DT_COL_TEXT, 0 }, { "kind", DT_COL_TEXT, 0 },     { "category", DT_COL_TEXT, 0 },
	{ "ref", DT_COL_TEXT, 0 },         { "quantity", DT_COL_REAL, 0 }, { "unit", DT_COL_TEXT, 0 },
	{ "points", DT_COL_REAL, 0 },      { "note", DT_COL_TEXT, 0 },
};

/* One line of the explanation. */
static int explain_row(dt_ctx *ctx, dt_writer *w, const char *at, const char *kind, const char *category, const char *ref,
                       double quantity, int has_quantity, const char *unit, double points, const char *note)
{
	dt_value v[8] = { { 0 } };

	v[0].text = at;
	v[0].is_null = !at;
	v[1].text = kind;
	v[1].is_null = !kind;
	v[2].text = category;
	v[3].text = ref;
	v[3].is_null = !ref;
	v[4].r = quantity;
	v[4].is_null = !has_quantity;
	v[5].text = unit;
	v[5].is_null = !unit;
	v[6].r = dt__points_round(points);
	v[7].text = note;
	v[7].is_null = !note;
	return dt__writer_status(ctx, dt_writer_row(w, v));
}

int dt_rank_explain(dt_ctx *ctx, const dt_rank_options *o, const char *code, dt_writer *w)
{
	rank_table t;
	const rank_row *row = NULL;
	sqlite3_stmt *st = NULL;
	double *kind_sum = NULL;
	int rc = dt__rank_compute(ctx, o->from, o->to, o->rules_version, &t);

	for (size_t i = 0; rc == DT_OK && i < t.nrows && !row; i++)
		if (!strcmp(t.rows[i].code, code))
			row = &t.rows[i];
	if (rc == DT_OK && !row)
		rc = dt__error(ctx, DT_ENOTFOUND, "no deputy %s serving in the period", code);
	if (rc == DT_OK && !(kind_sum = calloc(t.nrules + 1, sizeof(*kind_sum))))
		rc = dt__error(ctx, DT_ENOMEM, "out of memory");
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st,
		                 "SELECT occurred_at, kind, ref, quantity, unit FROM duty_record WHERE deputy_id = ?1"
		                 " AND occurred_at >= ?2 AND occurred_at < ?3 ORDER BY occurred_at, id");
	if (rc == DT_OK) {
		sqlite3_bind_int64(st, 1, row->deputy_id);
		sqlite3_bind_int64(st, 2, t.from);
		sqlite3_bind_int64(st, 3, t.to);
		rc = dt__writer_status(ctx, dt_writer_begin(w, explain_columns, 8));
	}
	while (rc == DT_OK && dt__next(ctx, st, &rc)) {
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		const rank_rule *r = dt__rank_rule(&t, kind);
		double q = sqlite3_column_double(st, 3), before, after, p;
		char at[40], note[80] = "";
		size_t k;

		dt_time_format(ctx, sqlite3_column_int64(st, 0), at, sizeof(at));
		if (!r) {
			rc = explain_row(ctx, w, at, kind, "", (const char *)sqlite3_column_text(st, 2), q, 1,
			                 (const char *)sqlite3_column_text(st, 4), 0, "no rule for this kind");
			continue;
		}
		k = (size_t)(r - t.rules);
		p = dt__rule_points(r, 1, q);
		/* the cut of a cap falls on the records that pass it */
		before = dt__rule_capped(r, kind_sum[k]);
		kind_sum[k] += p;
		after = dt__rule_capped(r, kind_sum[k]);
		if (after - before != p)
			snprintf(note, sizeof(note), "cap %g: %g of %g points count", r->cap, dt__points_round(after - before),
			         dt__points_round(p));
		rc = explain_row(ctx, w, at, kind, t.categories[r->category], (const char *)sqlite3_column_text(st, 2), q, 1,
		                 (const char *)sqlite3_column_text(st, 4), after - before, *note ? note : NULL);
	}
	for (size_t c = 0; rc == DT_OK && c < t.ncat; c++)
		rc = explain_row(ctx, w, NULL, NULL, t.categories[c], NULL, 0, 0, NULL, row->cat[c], "category sum");
	if (rc == DT_OK)
		rc = explain_row(ctx, w, NULL, NULL, "total", NULL, 0, 0, NULL, row->total, "total");
	if (rc == DT_OK)
		rc = dt__writer_status(ctx, dt_writer_end(w));
	sqlite3_finalize(st);
	free(kind_sum);
	dt__rank_free(&t);
	return rc;
}
