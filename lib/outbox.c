/*
 * The outbox: queuing, listing, retrying and cancelling messages, and the
 * claim-send-settle loop that delivers them (the sending itself is in
 * send.c). Each message is claimed alone, with a lease and a random token,
 * in its own transaction; it is settled only by the claim that holds it.
 * A sender killed mid-message leaves that one message leased; it goes out
 * again, with the same Message-ID, once the lease has run out.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "outbox_internal.h"

static int has_line_break(const char *s)
{
	return s && strpbrk(s, "\r\n") != NULL;
}

int dt_outbox_queue(dt_ctx *ctx, const dt_message *m, int *queued)
{
	sqlite3_stmt *st;
	int rc, own_tx = !ctx->in_tx;

	if (queued)
		*queued = 0;
	if (!m->key || !*m->key || strlen(m->key) > 200 || has_line_break(m->key))
		return dt__error(ctx, DT_EDATA, "a message needs a key of one line, at most 200 bytes");
	if (!m->channel || (strcmp(m->channel, "email") != 0 && strcmp(m->channel, "webhook") != 0))
		return dt__error(ctx, DT_EDATA, "message %s: channel '%s' is not email or webhook", m->key,
		                 m->channel ? m->channel : "");
	if (!m->address || !*m->address || has_line_break(m->address) || has_line_break(m->name) ||
	    has_line_break(m->subject))
		return dt__error(ctx, DT_EDATA,
		                 "message %s: a line break in the address, name or subject (refused: it could add"
		                 " headers)", m->key);
	if (strcmp(m->channel, "email") == 0 && !dt__email_valid(m->address))
		return dt__error(ctx, DT_EDATA, "message %s: '%s' is not an e-mail address", m->key, m->address);
	if (!m->subject || !m->body || !dt__utf8_valid(m->subject, strlen(m->subject)) ||
	    !dt__utf8_valid(m->body, strlen(m->body)) || (m->name && !dt__utf8_valid(m->name, strlen(m->name))))
		return dt__error(ctx, DT_EDATA, "message %s: subject and body must be UTF-8 text", m->key);
	if (own_tx && (rc = dt__begin(ctx)) != DT_OK)
		return rc;
	rc = dt__prepare(ctx, &st,
	                 "INSERT INTO outbox(key, channel, address, name, subject, body, next_attempt_at, created_at)"
	                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) ON CONFLICT(key) DO NOTHING");
	if (rc == DT_OK) {
		sqlite3_bind_text(st, 1, m->key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, m->channel, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, m->address, -1, SQLITE_STATIC);
		dt__bind_text_or_null(st, 4, m->name);
		sqlite3_bind_text(st, 5, m->subject, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, m->body, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, dt_ctx_now(ctx));
		rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "queuing");
		sqlite3_finalize(st);
	}
	if (rc == DT_OK && sqlite3_changes(ctx->db) > 0) {
		if (queued)
			*queued = 1;
		rc = dt__audit(ctx, "queued message %s (%s)", m->key, m->channel);
	}
	if (!own_tx)
		return rc;
	return dt__end(ctx, rc);
}

int dt__outbox_deputy_message(dt_ctx *ctx, const char *code, dt_message *m, char **email, char **name)
{
	sqlite3_stmt *st;
	char *hook = NULL;
	int rc = dt__prepare(ctx, &st, "SELECT email, name FROM deputy WHERE code = ?1");

	*email = *name = NULL;
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		/* a read error (a damaged file) is not a missing row */
		rc = rc == SQLITE_DONE ? dt__error(ctx, DT_ENOTFOUND, "no deputy with code '%s'", code)
		                       : dt__sqlerr(ctx, rc, "reading a deputy");
		sqlite3_finalize(st);
		return rc;
	}
	if (sqlite3_column_text(st, 0))
		*email = strdup((const char *)sqlite3_column_text(st, 0));
	*name = strdup((const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	m->name = *name;
	if (*email) {
		m->channel = "email";
		m->address = *email;
		return DT_OK;
	}
	rc = dt__config_text(ctx, "webhook.url", &hook);
	if (rc == DT_OK && hook && *hook) {
		m->channel = "webhook";
		m->address = code;
	} else if (rc == DT_OK) {
		rc = dt__error(ctx, DT_EDATA, "deputy %s has no e-mail address and no webhook is set (webhook.url)", code);
	}
	free(hook);
	return rc;
}

int dt_outbox_queue_deputy(dt_ctx *ctx, const char *code, const char *key, const char *subject,
                           const char *body, int *queued)
{
	dt_message m = DT_MESSAGE_INIT;
	char *email, *name;
	int rc;

	m.key = key;
	m.subject = subject;
	m.body = body;
	rc = dt__outbox_deputy_message(ctx, code, &m, &email, &name);
	if (rc == DT_OK)
		rc = dt_outbox_queue(ctx, &m, queued);
	free(email);
	free(name);
	return rc;
}

static const dt_column list_columns[] = {
	{ "key", DT_COL_TEXT, 0 },      { "channel", DT_COL_TEXT, 0 },  { "address", DT_COL_TEXT, 0 },
	{ "subject", DT_COL_TEXT, 0 },  { "state", DT_COL_TEXT, 0 },    { "attempts", DT_COL_INT, 0 },
	{ "next_attempt_at", DT_COL_TEXT, 0 }, { "last_error", DT_COL_TEXT, 0 }, { "body", DT_COL_TEXT, 0 },
	{ "sent_at", DT_COL_TEXT, 0 },
};

#define OUTBOX_SELECT                                                                          \
	"SELECT key, channel, address, subject, state, attempts, next_attempt_at, last_error, body," \
	" sent_at FROM outbox"

static int write_message(dt_ctx *ctx, sqlite3_stmt *st, dt_writer *w, int ncols)
{
	dt_value v[10] = { { 0 } };
	char next[40], sent[40];

	for (int i = 0; i < ncols; i++) {
		v[i].text = (const char *)sqlite3_column_text(st, i);
		v[i].is_null = sqlite3_column_type(st, i) == SQLITE_NULL;
	}
	v[5].i = sqlite3_column_int64(st, 5);
	v[6].text = dt_time_format(ctx, sqlite3_column_int64(st, 6), next, sizeof(next));
	if (ncols > 9 && !v[9].is_null)
		v[9].text = dt_time_format(ctx, sqlite3_column_int64(st, 9), sent, sizeof(sent));
	return dt_writer_row(w, v);
}

int dt_outbox_list(dt_ctx *ctx, const char *state, dt_writer *w)
{
	sqlite3_stmt *st;
	int rc;

	if (state && strcmp(state, "pending") && strcmp(state, "sending") && strcmp(state, "sent") &&
	    strcmp(state, "failed") && strcmp(state, "cancelled"))
		return dt__error(ctx, DT_EUSAGE, "state '%s' is not pending, sending, sent, failed or cancelled", state);
	rc = dt__prepare(ctx, &st, OUTBOX_SELECT " WHERE ?1 IS NULL OR state = ?1 ORDER BY id");
	if (rc != DT_OK)
		return rc;
	dt__bind_text_or_null(st, 1, state);
	rc = dt_writer_begin(w, list_columns, 8);
	while (rc == DT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		rc = write_message(ctx, st, w, 8);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = dt_writer_end(w);
	else if (rc > 0)
		return dt__sqlerr(ctx, rc, "listing the outbox");
	return dt__writer_status(ctx, rc);
}

int dt_outbox_show(dt_ctx *ctx, const char *key, dt_writer *w)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st, OUTBOX_SELECT " WHERE key = ?1");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		/* a read error (a damaged file) is not a missing row */
		rc = rc == SQLITE_DONE ? dt__error(ctx, DT_ENOTFOUND, "no message with key '%s'", key)
		                       : dt__sqlerr(ctx, rc, "reading a message");
		sqlite3_finalize(st);
		return rc;
	}
	rc = dt_writer_begin(w, list_columns, 10);
	if (rc == DT_OK)
		rc = write_message(ctx, st, w, 10);
	sqlite3_finalize(st);
	if (rc == DT_OK)
		rc = dt_writer_end(w);
	return dt__writer_status(ctx, rc);
}

/* Change the state of message key from one of the states in `from`. */
static int change_state(dt_ctx *ctx, const char *key, const char *to, const char *from_sql, const char *what)
{
	sqlite3_stmt *st;
	char sql[256], state[16] = "";
	int rc = dt__begin(ctx);

	if (rc != DT_OK)
		return rc;
	rc = dt__prepare(ctx, &st, "SELECT state FROM outbox WHERE key = ?1");
	if (rc == DT_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(state, sizeof(state), "%s", (const char *)sqlite3_column_text(st, 0));
		else
			rc = dt__error(ctx, DT_ENOTFOUND, "no message with key '%s'", key);
		sqlite3_finalize(st);
	}
	if (rc == DT_OK && !strstr(from_sql, state))
		rc = dt__error(ctx, DT_EEXISTS, "message %s is %s: it cannot be %s", key, state, what);
	if (rc == DT_OK) {
		snprintf(sql, sizeof(sql),
		         "UPDATE outbox SET state = '%s', next_attempt_at = ?2, lease_until = NULL, claim = NULL,"
		         " attempts = CASE WHEN '%s' = 'pending' THEN 0 ELSE attempts END WHERE key = ?1",
		         to, to);
		rc = dt__prepare(ctx, &st, sql);
	}
	if (rc == DT_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, dt_ctx_now(ctx));
		rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), what);
		sqlite3_finalize(st);
	}
	if (rc == DT_OK)
		rc = dt__audit(ctx, "message %s %s", key, what);
	return dt__end(ctx, rc);
}

int dt_outbox_retry(dt_ctx *ctx, const char *key)
{
	return change_state(ctx, key, "pending", "failed cancelled pending", "retried");
}

int dt_outbox_cancel(dt_ctx *ctx, const char *key)
{
	return change_state(ctx, key, "cancelled", "pending failed", "cancelled");
}

/*
 * Claim the next due message (pending and due, or sending with its lease
 * run out) in one short transaction, so two senders never hold the same one.
 */
static int claim_next(dt_ctx *ctx, const dt_send_options *o, dt_outbox_msg *m, int *found)
{
	sqlite3_stmt *st;
	unsigned char token[8];
	int64_t now = dt_ctx_now(ctx), lease;
	int rc;

	*found = 0;
	rc = dt__config_int(ctx, "outbox.lease_seconds", &lease);
	if (rc != DT_OK)
		return rc;
	randombytes_buf(token, sizeof(token));
	sodium_bin2hex(m->claim, sizeof(m->claim), token, sizeof(token));
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__prepare(ctx, &st,
	                 "UPDATE outbox SET state = 'sending', lease_until = ?1 + ?2, claim = ?3, attempts = attempts + 1"
	                 " WHERE id = (SELECT id FROM outbox WHERE ((state = 'pending' AND next_attempt_at <= ?1)"
	                 "   OR (state = 'sending' AND lease_until <= ?1)) AND (?4 IS NULL OR channel = ?4)"
	                 "   AND id > ?5 ORDER BY id LIMIT 1)"
	                 " RETURNING id, key, channel, address, name, subject, body, attempts, created_at");
	if (rc == DT_OK) {
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_int64(st, 2, lease);
		sqlite3_bind_text(st, 3, m->claim, -1, SQLITE_STATIC);
		dt__bind_text_or_null(st, 4, o->channel);
		sqlite3_bind_int64(st, 5, m->after_id);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*found = 1;
			m->id = sqlite3_column_int64(st, 0);
			m->key = strdup((const char *)sqlite3_column_text(st, 1));
			m->channel = strdup((const char *)sqlite3_column_text(st, 2));
			m->address = strdup((const char *)sqlite3_column_text(st, 3));
			m->name = sqlite3_column_text(st, 4) ? strdup((const char *)sqlite3_column_text(st, 4)) : NULL;
			m->subject = strdup((const char *)sqlite3_column_text(st, 5));
			m->body = strdup((const char *)sqlite3_column_text(st, 6));
			m->attempts = sqlite3_column_int64(st, 7);
			m->created_at = sqlite3_column_int64(st, 8);
			rc = m->key && m->channel && m->address && m->subject && m->body
			             ? DT_OK
			             : dt__error(ctx, DT_ENOMEM, "out of memory");
			sqlite3_step(st); /* let RETURNING finish */
		} else {
			rc = rc == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, rc, "claiming a message");
		}
		sqlite3_finalize(st);
	}
	return dt__end(ctx, rc);
}

static void free_msg(dt_outbox_msg *m)
{
	free(m->key);
	free(m->channel);
	free(m->address);
	free(m->name);
	free(m->subject);
	free(m->body);
	m->key = m->channel = m->address = m->name = m->subject = m->body = NULL;
}

/* Record the outcome, if the claim is still ours. */
static int settle(dt_ctx *ctx, const dt_outbox_msg *m, dt_send_outcome out, const char *detail, int64_t next)
{
	static const char *const sql[] = {
		[DT_SEND_SENT] = "UPDATE outbox SET state = 'sent', sent_at = ?3, lease_until = NULL, claim = NULL,"
		                 " last_error = NULL WHERE id = ?1 AND claim = ?2",
		[DT_SEND_RETRY] = "UPDATE outbox SET state = 'pending', next_attempt_at = ?4, lease_until = NULL,"
		                  " claim = NULL, last_error = ?5 WHERE id = ?1 AND claim = ?2",
		[DT_SEND_DEFER] = "UPDATE outbox SET state = 'pending', next_attempt_at = ?4, lease_until = NULL,"
		                  " claim = NULL, attempts = attempts - 1 WHERE id = ?1 AND claim = ?2",
		[DT_SEND_FAILED] = "UPDATE outbox SET state = 'failed', lease_until = NULL, claim = NULL,"
		                   " last_error = ?5 WHERE id = ?1 AND claim = ?2",
	};
	sqlite3_stmt *st;
	int rc = dt__begin(ctx);

	if (rc != DT_OK)
		return rc;
	rc = dt__prepare(ctx, &st, sql[out]);
	if (rc == DT_OK) {
		sqlite3_bind_int64(st, 1, m->id);
		sqlite3_bind_text(st, 2, m->claim, -1, SQLITE_STATIC);
		if (out == DT_SEND_SENT)
			sqlite3_bind_int64(st, 3, dt_ctx_now(ctx));
		if (out == DT_SEND_RETRY || out == DT_SEND_DEFER)
			sqlite3_bind_int64(st, 4, next);
		if (out == DT_SEND_RETRY || out == DT_SEND_FAILED)
			sqlite3_bind_text(st, 5, detail, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "settling");
		sqlite3_finalize(st);
	}
	if (rc == DT_OK && (out == DT_SEND_SENT || out == DT_SEND_FAILED))
		rc = dt__audit(ctx, "message %s %s", m->key, out == DT_SEND_SENT ? "sent" : "failed");
	return dt__end(ctx, rc);
}

static const dt_column send_columns[] = {
	{ "key", DT_COL_TEXT, 0 },     { "channel", DT_COL_TEXT, 0 }, { "address", DT_COL_TEXT, 0 },
	{ "outcome", DT_COL_TEXT, 0 }, { "detail", DT_COL_TEXT, 0 },
};

static int report(dt_writer *w, const dt_outbox_msg *m, const char *outcome, const char *detail)
{
	dt_value v[5] = { { 0 } };

	if (!w)
		return DT_OK;
	v[0].text = m->key;
	v[1].text = m->channel;
	v[2].text = m->address;
	v[3].text = outcome;
	v[4].text = detail;
	v[4].is_null = !detail || !*detail;
	return dt_writer_row(w, v);
}

#define DUE_WHERE                                                                                   \
	" WHERE ((state = 'pending' AND next_attempt_at <= ?1) OR (state = 'sending' AND lease_until <= ?1))" \
	" AND (?2 IS NULL OR channel = ?2)"

static int any_due(dt_ctx *ctx, const dt_send_options *o, int *found)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st, "SELECT 1 FROM outbox" DUE_WHERE " LIMIT 1");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, dt_ctx_now(ctx));
	dt__bind_text_or_null(st, 2, o->channel);
	*found = dt__next(ctx, st, &rc);
	sqlite3_finalize(st);
	return rc;
}

/* A dry run lists what is due without claiming anything. */
static int list_due(dt_ctx *ctx, const dt_send_options *o, dt_writer *w)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st, "SELECT key, channel, address FROM outbox" DUE_WHERE " ORDER BY id LIMIT ?3");
	uint64_t n = 0;

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, dt_ctx_now(ctx));
	dt__bind_text_or_null(st, 2, o->channel);
	sqlite3_bind_int64(st, 3, o->limit ? (int64_t)o->limit : -1);
	while (rc == DT_OK && dt__next(ctx, st, &rc)) {
		dt_outbox_msg m = { 0 };

		m.key = (char *)sqlite3_column_text(st, 0);
		m.channel = (char *)sqlite3_column_text(st, 1);
		m.address = (char *)sqlite3_column_text(st, 2);
		rc = report(w, &m, "due", "dry run: not sent");
		n++;
	}
	sqlite3_finalize(st);
	return rc;
}

int dt_outbox_send(dt_ctx *ctx, const dt_send_options *opts, dt_writer *w, dt_send_result *res)
{
	dt_send_options o = DT_SEND_OPTIONS_INIT;
	dt_send_result r = { 0 };
	dt_sender *sender = NULL;
	int64_t after = 0;
	int rc;

	if (opts)
		o = *opts;
	if (o.channel && strcmp(o.channel, "email") != 0 && strcmp(o.channel, "webhook") != 0)
		return dt__error(ctx, DT_EUSAGE, "channel '%s' is not email or webhook", o.channel);
	rc = w ? dt__writer_status(ctx, dt_writer_begin(w, send_columns, 5)) : DT_OK;
	if (rc == DT_OK && o.dry_run)
		rc = list_due(ctx, &o, w);
	while (rc == DT_OK && !o.dry_run && (!o.limit || r.sent + r.retrying + r.failed < o.limit)) {
		dt_outbox_msg m = { 0 };
		char detail[512] = "";
		int64_t next = 0;
		int found;
		dt_send_outcome out;

		/* the sender (libcurl, settings, secrets) before any claim, so a
		 * sender that cannot start leaves no message leased */
		if (!sender) {
			rc = any_due(ctx, &o, &found);
			if (rc != DT_OK || !found)
				break;
			rc = dt__sender_open(ctx, &sender);
			if (rc != DT_OK)
				break;
		}
		m.after_id = after;
		rc = claim_next(ctx, &o, &m, &found);
		if (rc != DT_OK || !found)
			break;
		after = m.id; /* one pass: a message deferred now is not taken again in this run */
		out = dt__sender_send(ctx, sender, &m, detail, sizeof(detail), &next);
		rc = settle(ctx, &m, out, detail, next);
		if (rc == DT_OK) {
			static const char *const names[] = { "sent", "retry", "deferred", "failed" };
			rc = dt__writer_status(ctx, report(w, &m, names[out], detail));
		}
		if (out == DT_SEND_SENT)
			r.sent++;
		else if (out == DT_SEND_FAILED)
			r.failed++;
		else
			r.retrying++;
		free_msg(&m);
	}
	dt__sender_close(sender);
	if (rc == DT_OK && w)
		rc = dt__writer_status(ctx, dt_writer_end(w));
	if (res)
		*res = r;
	return rc;
}
