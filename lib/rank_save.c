/*
 * Saved rankings and reminders. A saved ranking keeps its rows as they
 * were published, its rules version and a SHA-256 over everything it was
 * computed from (the rules, the roster, the period's records), so a later
 * edit shows when it is verified, while the saved rows never change.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "rank_internal.h"

/* Hash every column of every row of st, with separators that no value holds. */
static int hash_rows(dt_ctx *ctx, sqlite3_stmt *st, crypto_hash_sha256_state *h)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *v = sqlite3_column_text(st, i);

			if (v)
				crypto_hash_sha256_update(h, v, (unsigned long long)sqlite3_column_bytes(st, i));
			crypto_hash_sha256_update(h, (const unsigned char *)(v ? "\x1f" : "\x1e"), 1);
		}
		crypto_hash_sha256_update(h, (const unsigned char *)"\n", 1);
	}
	return rc == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, rc, "reading what a ranking is computed from");
}

int dt__rank_digest(dt_ctx *ctx, int64_t from, int64_t to, int64_t version, char hex[65])
{
	static const char *const sql[] = {
		"SELECT kind, category, points, per, cap FROM rule WHERE version = ?3 ORDER BY kind",
		"SELECT id, code, name, delegation, joined_at, retired_at, import_id = (SELECT min(id) FROM roster_import)"
		" FROM deputy WHERE code IS NOT NULL AND ?1 = ?1 AND ?2 = ?2 ORDER BY id",
		"SELECT deputy_id, kind, occurred_at, quantity, ref FROM duty_record WHERE occurred_at >= ?1"
		" AND occurred_at < ?2 ORDER BY deputy_id, kind, occurred_at, ref",
	};
	crypto_hash_sha256_state h;
	unsigned char d[crypto_hash_sha256_BYTES];
	int rc = DT_OK;

	crypto_hash_sha256_init(&h);
	for (size_t i = 0; rc == DT_OK && i < 3; i++) {
		sqlite3_stmt *st;

		rc = dt__prepare(ctx, &st, sql[i]);
		if (rc != DT_OK)
			break;
		if (sqlite3_bind_parameter_count(st) >= 2) {
			sqlite3_bind_int64(st, 1, from);
			sqlite3_bind_int64(st, 2, to);
		}
		if (sqlite3_bind_parameter_count(st) >= 3)
			sqlite3_bind_int64(st, 3, version);
		rc = hash_rows(ctx, st, &h);
		sqlite3_finalize(st);
		crypto_hash_sha256_update(&h, (const unsigned char *)"\x1d", 1);
	}
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(hex, 65, d, sizeof(d));
	return rc;
}

/* {"meetings":10,"learning":3.5} of row i. */
static void categories_json(const rank_table *t, size_t i, char *buf, size_t size)
{
	size_t n = 0;

	n += (size_t)snprintf(buf, size, "{");
	for (size_t c = 0; c < t->ncat && n < size; c++)
		n += (size_t)snprintf(buf + n, size - n, "%s\"%s\":%.17g", c ? "," : "", t->categories[c], t->rows[i].cat[c]);
	if (n < size)
		snprintf(buf + n, size - n, "}");
}

int dt_rank_save(dt_ctx *ctx, const dt_rank_options *o, int64_t *id)
{
	rank_table t;
	sqlite3_stmt *st = NULL;
	char digest[65], period[64];
	int64_t new_id = 0;
	int rc = dt__begin(ctx);

	if (rc != DT_OK)
		return rc;
	rc = dt__rank_compute(ctx, o->from, o->to, o->rules_version, &t);
	if (rc == DT_OK)
		rc = dt__rank_digest(ctx, t.from, t.to, t.version, digest);
	if (o->period)
		snprintf(period, sizeof(period), "%s", o->period);
	else
		snprintf(period, sizeof(period), "%lld-%lld", (long long)o->from, (long long)o->to);
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st,
		                 "INSERT INTO ranking(period, from_at, to_at, rules_version, digest, created_at, actor)"
		                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (rc == DT_OK) {
		sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, t.from);
		sqlite3_bind_int64(st, 3, t.to);
		sqlite3_bind_int64(st, 4, t.version);
		sqlite3_bind_text(st, 5, digest, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, dt_ctx_now(ctx));
		sqlite3_bind_text(st, 7, dt_ctx_actor(ctx), -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "saving a ranking");
		sqlite3_finalize(st);
		new_id = sqlite3_last_insert_rowid(ctx->db);
	}
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st,
		                 "INSERT INTO ranking_row(ranking_id, position, rank, code, name, delegation, categories, total,"
		                 " idx, served_days, partial, percentile) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
	for (size_t i = 0; rc == DT_OK && i < t.nrows; i++) {
		char cats[2048];

		categories_json(&t, i, cats, sizeof(cats));
		sqlite3_bind_int64(st, 1, new_id);
		sqlite3_bind_int64(st, 2, (int64_t)i + 1);
		sqlite3_bind_int64(st, 3, t.rows[i].rank);
		sqlite3_bind_text(st, 4, t.rows[i].code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, t.rows[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, t.rows[i].delegation, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, cats, -1, SQLITE_TRANSIENT);
		sqlite3_bind_double(st, 8, t.rows[i].total);
		sqlite3_bind_double(st, 9, t.rows[i].index);
		sqlite3_bind_double(st, 10, dt__points_round(t.rows[i].served_days));
		sqlite3_bind_int(st, 11, t.rows[i].partial);
		sqlite3_bind_double(st, 12, t.rows[i].percentile);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "saving a ranking");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (rc == DT_OK)
		rc = dt__audit(ctx, "ranking %lld saved: %s, rules version %lld, %zu deputies, input %.16s", (long long)new_id,
		               period, (long long)t.version, t.nrows, digest);
	dt__rank_free(&t);
	if (rc == DT_OK && id)
		*id = new_id;
	return dt__end(ctx, rc);
}

static const dt_column verify_columns[] = {
	{ "id", DT_COL_INT, 0 },           { "period", DT_COL_TEXT, 0 },         { "rules_version", DT_COL_INT, 0 },
	{ "saved_digest", DT_COL_TEXT, 0 }, { "current_digest", DT_COL_TEXT, 0 }, { "unchanged", DT_COL_BOOL, 0 },
};

int dt_rank_verify(dt_ctx *ctx, int64_t id, dt_writer *w)
{
	sqlite3_stmt *st;
	char saved[65] = "", current[65], period[64] = "";
	int64_t from = 0, to = 0, version = 0;
	dt_value v[6] = { { 0 } };
	int rc = dt__prepare(ctx, &st, "SELECT period, from_at, to_at, rules_version, digest FROM ranking WHERE id = ?1");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(period, sizeof(period), "%s", (const char *)sqlite3_column_text(st, 0));
		from = sqlite3_column_int64(st, 1);
		to = sqlite3_column_int64(st, 2);
		version = sqlite3_column_int64(st, 3);
		snprintf(saved, sizeof(saved), "%s", (const char *)sqlite3_column_text(st, 4));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? dt__error(ctx, DT_ENOTFOUND, "no saved ranking %lld", (long long)id)
		                         : dt__sqlerr(ctx, rc, "reading a ranking");
	rc = dt__rank_digest(ctx, from, to, version, current);
	if (rc != DT_OK)
		return rc;
	v[0].i = id;
	v[1].text = period;
	v[2].i = version;
	v[3].text = saved;
	v[4].text = current;
	v[5].i = !strcmp(saved, current);
	rc = dt__writer_status(ctx, dt_writer_begin(w, verify_columns, 6));
	if (rc == DT_OK)
		rc = dt__writer_status(ctx, dt_writer_row(w, v));
	if (rc == DT_OK)
		rc = dt__writer_status(ctx, dt_writer_end(w));
	if (rc == DT_OK && !v[5].i)
		rc = dt__error(ctx, DT_EVERIFY,
		               "ranking %lld (%s) was computed from records, rules or a roster that have changed since", (long long)id,
		               period);
	return rc;
}

static const dt_column saved_columns[] = {
	{ "rank", DT_COL_INT, 0 },         { "code", DT_COL_TEXT, 0 },           { "name", DT_COL_TEXT, 0 },
	{ "delegation", DT_COL_TEXT, 0 },  { "categories", DT_COL_TEXT, DT_COL_NESTED },
	{ "categories", DT_COL_TEXT, DT_COL_FLAT }, { "total", DT_COL_REAL, 0 }, { "index", DT_COL_REAL, 0 },
	{ "served_days", DT_COL_REAL, 0 }, { "partial", DT_COL_BOOL, 0 },        { "delegation_percentile", DT_COL_REAL, 0 },
};

int dt_rank_saved(dt_ctx *ctx, int64_t id, dt_writer *w)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     "SELECT rank, code, name, delegation, categories, categories, total, idx, served_days, partial,"
	                     " percentile, (SELECT count(*) FROM ranking WHERE id = ?1) FROM ranking_row"
	                     " WHERE ranking_id = ?1 ORDER BY position");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = dt_writer_begin(w, saved_columns, 11);
	while (rc == DT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		dt_value v[11] = { { 0 } };

		for (int i = 0; i < 11; i++) {
			v[i].i = sqlite3_column_int64(st, i);
			v[i].r = sqlite3_column_double(st, i);
			v[i].text = (const char *)sqlite3_column_text(st, i);
		}
		rc = dt_writer_row(w, v);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = dt_writer_end(w);
	else if (rc > 0)
		return dt__sqlerr(ctx, rc, "reading a ranking");
	if (rc == DT_OK && dt_writer_rows(w) == 0) {
		int64_t n = 0;

		if (dt__prepare(ctx, &st, "SELECT count(*) FROM ranking WHERE id = ?1") == DT_OK) {
			sqlite3_bind_int64(st, 1, id);
			if (sqlite3_step(st) == SQLITE_ROW)
				n = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
		}
		if (!n)
			return dt__error(ctx, DT_ENOTFOUND, "no saved ranking %lld", (long long)id);
	}
	return dt__writer_status(ctx, rc);
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of n values of stride apart starting at v (sorted copy). */
static double median(const double *v, size_t n, size_t stride)
{
	double *c = malloc((n ? n : 1) * sizeof(*c)), m;

	if (!c || !n) {
		free(c);
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		c[i] = v[i * stride];
	qsort(c, n, sizeof(*c), by_double);
	m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
	free(c);
	return dt__points_round(m);
}

int dt_rank_remind(dt_ctx *ctx, const dt_rank_options *o, int64_t bottom, double below, uint64_t *queued)
{
	rank_table t;
	double *totals = NULL, *med_cat = NULL, med;
	char period[64];
	int rc;

	*queued = 0;
	if (o->period)
		snprintf(period, sizeof(period), "%s", o->period);
	else
		snprintf(period, sizeof(period), "%lld-%lld", (long long)o->from, (long long)o->to);
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__rank_compute(ctx, o->from, o->to, o->rules_version, &t);
	if (rc == DT_OK) {
		totals = malloc((t.nrows + 1) * sizeof(*totals));
		med_cat = calloc(t.ncat + 1, sizeof(*med_cat));
		if (!totals || !med_cat)
			rc = dt__error(ctx, DT_ENOMEM, "out of memory");
	}
	if (rc == DT_OK) {
		double *col = malloc((t.nrows + 1) * sizeof(*col));

		for (size_t i = 0; i < t.nrows; i++)
			totals[i] = t.rows[i].total;
		med = median(totals, t.nrows, 1);
		for (size_t c = 0; col && c < t.ncat; c++) {
			for (size_t i = 0; i < t.nrows; i++)
				col[i] = t.rows[i].cat[c];
			med_cat[c] = median(col, t.nrows, 1);
		}
		if (!col)
			rc = dt__error(ctx, DT_ENOMEM, "out of memory");
		free(col);
	}
	for (size_t i = 0; rc == DT_OK && i < t.nrows; i++) {
		const rank_row *r = &t.rows[i];
		char key[160], subject[200], body[4096];
		size_t n;
		int q = 0;

		if (bottom > 0 ? i + (size_t)bottom < t.nrows : r->index >= below)
			continue;
		snprintf(key, sizeof(key), "rank-%s:%s", period, r->code);
		snprintf(subject, sizeof(subject), "履职积分提醒（%s）", period);
		n = (size_t)snprintf(body, sizeof(body),
		                     "%s代表：\n%s 期间您的履职积分为 %g 分，指数 %g，排名第 %lld 位（共 %zu 位）。\n"
		                     "本期积分中位数为 %g 分，您%s %g 分。\n各类积分（您 / 中位数）：\n",
		                     r->name, period, r->total, r->index, (long long)r->rank, t.nrows, med,
		                     r->total < med ? "还差" : "已超出", r->total < med ? med - r->total : r->total - med);
		for (size_t c = 0; c < t.ncat && n < sizeof(body); c++)
			n += (size_t)snprintf(body + n, sizeof(body) - n, "  %s：%g / %g\n", t.categories[c], r->cat[c], med_cat[c]);
		rc = dt_outbox_queue_deputy(ctx, r->code, key, subject, body, &q);
		if (rc == DT_EDATA)
			rc = DT_OK; /* unreachable: the ranking still shows them */
		*queued += (uint64_t)q;
	}
	if (rc == DT_OK && *queued)
		rc = dt__audit(ctx, "ranking reminders for %s: %llu queued", period, (unsigned long long)*queued);
	free(totals);
	free(med_cat);
	dt__rank_free(&t);
	return dt__end(ctx, rc);
}
