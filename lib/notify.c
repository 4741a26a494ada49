/*
 * Staff notices to deputies, and the registry of reminder producers.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "cases_internal.h"
#include "events_internal.h"
#include "outbox_internal.h"

static const dt_column notice_columns[] = {
	{ "code", DT_COL_TEXT, 0 },
	{ "key", DT_COL_TEXT, 0 },
	{ "queued", DT_COL_BOOL, 0 },
};

/* notice:<16 hex of SHA-256 over subject, body and code>, or KEY:<code> */
static void notice_key(const dt_notice *n, const char *code, char *out, size_t size)
{
	crypto_hash_sha256_state h;
	unsigned char d[crypto_hash_sha256_BYTES];
	char hex[65];

	if (n->key) {
		snprintf(out, size, "%s:%s", n->key, code);
		return;
	}
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)n->subject, strlen(n->subject) + 1);
	crypto_hash_sha256_update(&h, (const unsigned char *)n->body, strlen(n->body) + 1);
	crypto_hash_sha256_update(&h, (const unsigned char *)code, strlen(code));
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
	snprintf(out, size, "notice:%.16s:%s", hex, code);
}

/* One deputy's message. In a group, a deputy with no way to be reached is
 * reported and skipped; named alone, it is an error. */
static int notify_one(dt_ctx *ctx, const dt_notice *n, const char *code, int in_group, dt_writer *w)
{
	dt_message m = DT_MESSAGE_INIT;
	dt_value v[3] = { { 0 } };
	char key[300], *email = NULL, *name = NULL;
	int queued = 0, rc;

	notice_key(n, code, key, sizeof(key));
	m.key = key;
	m.subject = n->subject;
	m.body = n->body;
	rc = dt__outbox_deputy_message(ctx, code, &m, &email, &name);
	if (rc == DT_EDATA && in_group) {
		dt__diag(ctx, "warning: %s: not queued", dt_errmsg(ctx));
		v[1].is_null = 1;
		rc = DT_OK;
	} else if (rc == DT_OK) {
		rc = dt_outbox_queue(ctx, &m, &queued);
	}
	free(email);
	free(name);
	if (rc != DT_OK)
		return rc;
	v[0].text = code;
	v[1].text = v[1].is_null ? NULL : key;
	v[2].i = queued;
	return dt__writer_status(ctx, dt_writer_row(w, v));
}

/* Every active deputy a target names, in roster order. */
static int notify_target(dt_ctx *ctx, const dt_notice *n, const char *target, dt_writer *w)
{
	const char *field = NULL, *value = NULL;
	sqlite3_stmt *st;
	char sql[160];
	int rc, any = 0;

	if (strcmp(target, "all") == 0) {
		field = "1";
	} else if (strncmp(target, "delegation:", 11) == 0) {
		field = "delegation";
		value = target + 11;
	} else if (strncmp(target, "station:", 8) == 0) {
		field = "station";
		value = target + 8;
	} else {
		int64_t id;
		int retired = 0;

		rc = dt__deputy_lookup(ctx, target, &id, &retired);
		if (rc == DT_OK && retired)
			rc = dt__error(ctx, DT_EUSAGE, "deputy %s is retired", target);
		return rc == DT_OK ? notify_one(ctx, n, target, 0, w) : rc;
	}
	snprintf(sql, sizeof(sql), "SELECT code FROM deputy WHERE status = 'active' AND code IS NOT NULL AND %s%s ORDER BY id",
	         field, value ? " = ?1" : "");
	rc = dt__prepare(ctx, &st, sql);
	if (rc != DT_OK)
		return rc;
	if (value)
		sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
	while (rc == DT_OK && dt__next(ctx, st, &rc)) {
		char *code = strdup((const char *)sqlite3_column_text(st, 0));

		rc = code ? notify_one(ctx, n, code, 1, w) : dt__error(ctx, DT_ENOMEM, "out of memory");
		free(code);
		any = 1;
	}
	sqlite3_finalize(st);
	if (rc == DT_OK && !any)
		rc = dt__error(ctx, DT_EUSAGE, "'%s' names no active deputy", target);
	return rc;
}

int dt_notify(dt_ctx *ctx, const dt_notice *n, dt_writer *w)
{
	int rc;

	if (!n->ntargets)
		return dt__error(ctx, DT_EUSAGE, "a notice needs someone to go to");
	/* refuse a bad notice once, not once per deputy */
	if (!n->subject || !*n->subject || strpbrk(n->subject, "\r\n") ||
	    !dt__utf8_valid(n->subject, strlen(n->subject)))
		return dt__error(ctx, DT_EDATA, "the subject must be one line of UTF-8 text (a line break could add headers)");
	if (!n->body || !dt__utf8_valid(n->body, strlen(n->body)))
		return dt__error(ctx, DT_EDATA, "the body is not UTF-8 text");
	if (n->key && (strlen(n->key) > 150 || strpbrk(n->key, "\r\n")))
		return dt__error(ctx, DT_EDATA, "the key must be one line of at most 150 bytes");
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__writer_status(ctx, dt_writer_begin(w, notice_columns, 3));
	for (size_t i = 0; rc == DT_OK && i < n->ntargets; i++)
		rc = notify_target(ctx, n, n->targets[i], w);
	if (rc == DT_OK)
		rc = dt__writer_status(ctx, dt_writer_end(w));
	return dt__end(ctx, rc);
}

/*
 * Reminder producers: each module that has reminders to give adds one
 * function here that queues what is due at dt_ctx_now(), with keys that
 * make a second run queue nothing new. The cases, events and ranking
 * modules add theirs.
 */
typedef struct {
	const char *name;
	int (*produce)(dt_ctx *ctx, uint64_t *queued);
} producer;

static const producer producers[] = {
	{ "cases", dt__case_reminders },
	{ "events", dt__event_announcements },
	{ NULL, NULL },
};

static const dt_column reminder_columns[] = {
	{ "producer", DT_COL_TEXT, 0 },
	{ "queued", DT_COL_INT, 0 },
};

int dt_reminders_queue(dt_ctx *ctx, dt_writer *w)
{
	int rc = dt__writer_status(ctx, dt_writer_begin(w, reminder_columns, 2));

	for (const producer *p = producers; rc == DT_OK && p->name; p++) {
		dt_value v[2] = { { 0 } };
		uint64_t n = 0;

		rc = dt__begin(ctx);
		if (rc != DT_OK)
			break;
		rc = p->produce(ctx, &n);
		if (rc != DT_OK) {
			dt__rollback(ctx);
			break;
		}
		rc = dt__commit(ctx);
		v[0].text = p->name;
		v[1].i = (int64_t)n;
		if (rc == DT_OK)
			rc = dt__writer_status(ctx, dt_writer_row(w, v));
	}
	if (rc == DT_OK)
		rc = dt__writer_status(ctx, dt_writer_end(w));
	return rc;
}

static const dt_column preview_columns[] = {
	{ "key", DT_COL_TEXT, 0 },
	{ "channel", DT_COL_TEXT, 0 },
	{ "address", DT_COL_TEXT, 0 },
	{ "subject", DT_COL_TEXT, 0 },
};

/* The same producers in one transaction that is always rolled back, so
 * the preview is exactly what a real run would queue now. */
int dt_reminders_preview(dt_ctx *ctx, dt_writer *w)
{
	sqlite3_stmt *st = NULL;
	int64_t last = 0;
	int rc = dt__begin(ctx);

	if (rc != DT_OK)
		return rc;
	rc = dt__prepare(ctx, &st, "SELECT coalesce(max(id), 0) FROM outbox");
	if (rc == DT_OK && sqlite3_step(st) == SQLITE_ROW)
		last = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	for (const producer *p = producers; rc == DT_OK && p->name; p++) {
		uint64_t n = 0;

		rc = p->produce(ctx, &n);
	}
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st, "SELECT key, channel, address, subject FROM outbox WHERE id > ?1 ORDER BY id");
	if (rc == DT_OK) {
		sqlite3_bind_int64(st, 1, last);
		rc = dt_writer_begin(w, preview_columns, 4);
		while (rc == DT_OK && dt__next(ctx, st, &rc)) {
			dt_value v[4] = { { 0 } };

			for (int i = 0; i < 4; i++)
				v[i].text = (const char *)sqlite3_column_text(st, i);
			rc = dt_writer_row(w, v);
		}
		sqlite3_finalize(st);
		if (rc == DT_OK)
			rc = dt_writer_end(w);
		rc = dt__writer_status(ctx, rc);
	}
	dt__rollback(ctx);
	return rc;
}
