/*
 * Ballots: one per eligible deputy, online or on site, one at a time or a
 * batch from a paper count or a keypad export. Every ballot is one
 * BEGIN IMMEDIATE transaction that marks the voter and stores the ballot,
 * so of two processes casting the same deputy's ballot one wins and the
 * other is told it was a second ballot.
 *
 * In a secret survey the voter row gets only voted = 1 (no channel, no
 * time) and the ballot a random key and no deputy; the duty record is
 * dated at the survey's opening, so its time says nothing of the order.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "csvread.h"
#include "survey_internal.h"

typedef struct {
	int64_t item;
	const char *label;
	int satisfied;
} answer;

/* Store one ballot of deputy_id (eligible, not yet voted: checked here). */
static int cast(dt_ctx *ctx, const dt_survey_info *s, int64_t deputy_id, const char *code, const char *channel,
                const answer *a, size_t n)
{
	sqlite3_stmt *st;
	unsigned char raw[16];
	char key[33], ref[40];
	int voted = -1, rc;

	rc = dt__prepare(ctx, &st, "SELECT voted FROM survey_voter WHERE survey_id = ?1 AND deputy_id = ?2");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, s->id);
	sqlite3_bind_int64(st, 2, deputy_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		voted = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (voted < 0)
		return dt__error(ctx, DT_EUSAGE, "deputy %s is not eligible to vote in survey %lld", code, (long long)s->id);
	if (voted)
		return dt__error(ctx, DT_EEXISTS, "deputy %s has voted in survey %lld already: one ballot each", code,
		                 (long long)s->id);
	rc = dt__prepare(ctx, &st,
	                 s->secret ? "UPDATE survey_voter SET voted = 1 WHERE survey_id = ?1 AND deputy_id = ?2"
	                           : "UPDATE survey_voter SET voted = 1, channel = ?3, voted_at = ?4"
	                             " WHERE survey_id = ?1 AND deputy_id = ?2");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, s->id);
	sqlite3_bind_int64(st, 2, deputy_id);
	if (!s->secret) {
		sqlite3_bind_text(st, 3, channel, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, dt_ctx_now(ctx));
	}
	rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "marking a voter");
	sqlite3_finalize(st);
	if (rc != DT_OK)
		return rc;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(key, sizeof(key), raw, sizeof(raw));
	rc = dt__prepare(ctx, &st, "INSERT INTO ballot(survey_id, ballot, channel, deputy_id) VALUES (?1, ?2, ?3, ?4)");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, s->id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, channel, -1, SQLITE_STATIC);
	if (!s->secret)
		sqlite3_bind_int64(st, 4, deputy_id);
	rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "saving a ballot");
	sqlite3_finalize(st);
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st,
		                 "INSERT INTO ballot_answer(survey_id, ballot, item, choice, satisfied) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (rc != DT_OK)
		return rc;
	for (size_t i = 0; rc == DT_OK && i < n; i++) {
		sqlite3_bind_int64(st, 1, s->id);
		sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, a[i].item);
		sqlite3_bind_text(st, 4, a[i].label, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 5, a[i].satisfied);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "saving an answer");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	snprintf(ref, sizeof(ref), "survey:%lld", (long long)s->id);
	if (rc == DT_OK)
		rc = dt__archive_add(ctx, deputy_id, "ballot_cast", s->secret ? s->opened_at : dt_ctx_now(ctx), 1, ref);
	return rc;
}

/* Add the answer to item (1-based) given as text; the message says why not. */
static int add_answer(dt_ctx *ctx, const dt_survey_info *s, int64_t item, const char *text, answer *a, size_t *n)
{
	char shown[64];

	if (item < 1 || item > s->items)
		return dt__error(ctx, DT_EDATA, "survey %lld has no question %lld (it has %lld)", (long long)s->id,
		                 (long long)item, (long long)s->items);
	for (size_t i = 0; i < *n; i++)
		if (a[i].item == item)
			return dt__error(ctx, DT_EDATA, "question %lld is answered twice", (long long)item);
	a[*n].label = dt__scale_choice(s->scale, text, &a[*n].satisfied);
	if (!a[*n].label) {
		char list[120] = "";

		for (size_t i = 0; dt__scale_label(s->scale, i); i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
			         dt__scale_label(s->scale, i));
		return dt__error(ctx, DT_EDATA, "'%s' is not a choice of question %lld (%s)",
		                 dt__shown(text, shown, sizeof(shown)), (long long)item, list);
	}
	a[*n].item = item;
	(*n)++;
	return DT_OK;
}

static int check_channel(dt_ctx *ctx, const char *channel)
{
	if (!strcmp(channel, "online") || !strcmp(channel, "onsite"))
		return DT_OK;
	return dt__error(ctx, DT_EUSAGE, "channel '%.40s' is not online or onsite", channel);
}

static int open_survey(dt_ctx *ctx, int64_t id, dt_survey_info *s)
{
	int rc = dt__survey_get(ctx, id, s);

	if (rc == DT_OK && strcmp(s->state, "open"))
		rc = dt__error(ctx, DT_ESTATE, "survey %lld is %s: ballots are taken only while it is open", (long long)id,
		               s->state);
	return rc;
}

int dt_survey_vote(dt_ctx *ctx, int64_t id, const dt_ballot *b)
{
	const char *channel = b->channel ? b->channel : "online";
	dt_survey_info s;
	answer a[50];
	size_t n = 0;
	int64_t deputy_id;
	int retired, rc = check_channel(ctx, channel);

	if (rc != DT_OK)
		return rc;
	if (!b->nanswers)
		return dt__error(ctx, DT_EDATA, "a ballot needs at least one answer (ITEM=CHOICE)");
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = open_survey(ctx, id, &s);
	for (size_t i = 0; rc == DT_OK && i < b->nanswers; i++) {
		const char *eq = strchr(b->answers[i], '=');
		char *end;
		long long item = eq ? strtoll(b->answers[i], &end, 10) : 0;

		if (!eq || end != eq || eq == b->answers[i] || n == 50)
			rc = dt__error(ctx, DT_EDATA, "answer '%.60s' is not ITEM=CHOICE", b->answers[i]);
		else
			rc = add_answer(ctx, &s, item, eq + 1, a, &n);
	}
	if (rc == DT_OK)
		rc = dt__deputy_lookup(ctx, b->deputy ? b->deputy : "", &deputy_id, &retired);
	if (rc == DT_OK)
		rc = cast(ctx, &s, deputy_id, b->deputy, channel, a, n);
	if (rc == DT_OK)
		rc = dt__audit(ctx, "ballot in survey %lld by %s", (long long)id, b->deputy);
	return dt__end(ctx, rc);
}

typedef struct {
	dt_ctx *ctx;
	const char *name, *channel;
	dt_survey_info s;
	int header_done;
	int col_code, col_channel;
	int64_t item_of[64]; /* the question of each column, 0 for none */
	size_t ncols;
	uint64_t errors, cast;
} vote_import;

/* A question's number as a column header: 3, q3, item3 or 第3题. */
static int64_t header_item(const char *h)
{
	const char *p = h;
	char *end;
	long long v;

	if (!strncasecmp(p, "item", 4))
		p += 4;
	else if (*p == 'q' || *p == 'Q')
		p++;
	else if (!strncmp(p, "第", 3))
		p += 3;
	v = strtoll(p, &end, 10);
	if (end == p || v <= 0 || (*end && strcmp(end, "题")))
		return 0;
	return v;
}

static int vote_header(vote_import *im, uint64_t line, char **f, size_t n)
{
	int items = 0;

	im->col_code = im->col_channel = -1;
	im->ncols = n;
	for (size_t i = 0; i < n; i++) {
		im->item_of[i] = 0;
		if (!strcasecmp(f[i], "code") || !strcmp(f[i], "代表编号") || !strcmp(f[i], "编号")) {
			im->col_code = (int)i;
		} else if (!strcasecmp(f[i], "channel") || !strcmp(f[i], "渠道")) {
			im->col_channel = (int)i;
		} else if ((im->item_of[i] = header_item(f[i])) > 0 && im->item_of[i] <= im->s.items) {
			items++;
		} else {
			dt__diag(im->ctx, "%s:%llu: column '%.40s' is not code, channel or a question of survey %lld (1 to %lld)",
			         im->name, (unsigned long long)line, f[i], (long long)im->s.id, (long long)im->s.items);
			return DT_EDATA;
		}
	}
	if (im->col_code < 0 || !items) {
		dt__diag(im->ctx, "%s:%llu: the header needs code (代表编号) and a column per question (1, 2, ...)", im->name,
		         (unsigned long long)line);
		return DT_EDATA;
	}
	im->header_done = 1;
	return DT_OK;
}

static int vote_row(void *ud, uint64_t line, char **f, size_t n)
{
	vote_import *im = ud;
	const char *channel = im->channel, *column = "code";
	answer a[64];
	size_t na = 0;
	int64_t deputy_id;
	int retired, rc = DT_OK;

	if (!im->header_done)
		return n > 64 ? DT_EDATA : vote_header(im, line, f, n);
	if (n == 1 && !*f[0])
		return DT_OK;
	if (n != im->ncols)
		rc = dt__error(im->ctx, DT_EDATA, "the row has %zu fields, the header %zu", n, im->ncols);
	if (rc == DT_OK && im->col_channel >= 0 && *f[im->col_channel]) {
		channel = f[im->col_channel];
		column = "channel";
		rc = check_channel(im->ctx, channel);
	}
	for (size_t i = 0; rc == DT_OK && i < n; i++) {
		if (!im->item_of[i] || !*f[i])
			continue; /* a question left blank on the paper */
		column = "answer";
		rc = add_answer(im->ctx, &im->s, im->item_of[i], f[i], a, &na);
	}
	if (rc == DT_OK && !na) {
		column = "answer";
		rc = dt__error(im->ctx, DT_EDATA, "the ballot answers no question");
	}
	if (rc == DT_OK) {
		column = "code";
		rc = dt__deputy_lookup(im->ctx, f[im->col_code], &deputy_id, &retired);
	}
	if (rc == DT_OK)
		rc = cast(im->ctx, &im->s, deputy_id, f[im->col_code], channel, a, na);
	if (rc != DT_OK)
		return dt__csv_row_failed(im->ctx, im->name, line, column, rc, &im->errors);
	im->cast++;
	return DT_OK;
}

int dt_survey_vote_import(dt_ctx *ctx, int64_t id, FILE *in, const char *name, const char *encoding,
                          const char *channel, uint64_t *count)
{
	vote_import im = { 0 };
	dt_csv_options o = { name ? name : "-", encoding, 1024, 64 };
	int rc;

	im.ctx = ctx;
	im.name = o.name;
	im.channel = channel ? channel : "onsite";
	rc = check_channel(ctx, im.channel);
	if (rc != DT_OK)
		return rc;
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = open_survey(ctx, id, &im.s);
	if (rc == DT_OK)
		rc = dt__csv_read(ctx, in, &o, vote_row, &im);
	rc = dt__csv_outcome(ctx, im.name, rc, im.errors, im.header_done, "counted");
	if (rc == DT_OK)
		rc = dt__audit(ctx, "%llu ballots in survey %lld from %s", (unsigned long long)im.cast, (long long)id,
		               im.name);
	if (rc == DT_OK && count)
		*count = im.cast;
	return dt__end(ctx, rc);
}
