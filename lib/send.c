/*
 * Sending one message: an RFC 5322 e-mail over SMTP, or a webhook post in
 * the generic, WeCom or DingTalk form, through libcurl. Each outcome is
 * classified: sent only when the server accepted it; temporary failures
 * (no connection, time-out, SMTP 4xx, HTTP 5xx or 429, a robot's rate
 * limit) go again later, doubling the wait; permanent ones (SMTP 5xx,
 * HTTP 4xx, a robot's refusal) fail after a set number of attempts.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "curl_loader.h"
#include "outbox_internal.h"

struct dt_sender {
	const dt_curl *curl;
	char *smtp_url, *smtp_from, *smtp_user, *smtp_password, *smtp_tls;
	char *hook_url, *hook_kind, *hook_key, *hook_secret, *ca_file;
	int64_t per_minute, connect_timeout, timeout, retry_base, max_attempts, permanent_attempts;
};

typedef struct {
	char *data;
	size_t len, cap;
} buf;

static int buf_add(buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1024;
		char *d;
		while (cap < b->len + n + 1)
			cap *= 2;
		d = realloc(b->data, cap);
		if (!d)
			return DT_ENOMEM;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return DT_OK;
}

static int buf_str(buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int dt__sender_open(dt_ctx *ctx, dt_sender **out)
{
	dt_sender *s = calloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (!s)
		return dt__error(ctx, DT_ENOMEM, "out of memory");
	rc = dt__curl_load(ctx, &s->curl);
	if (rc == DT_OK)
		rc = dt__config_text(ctx, "smtp.url", &s->smtp_url);
	if (rc == DT_OK)
		rc = dt__config_text(ctx, "smtp.from", &s->smtp_from);
	if (rc == DT_OK)
		rc = dt__config_text(ctx, "smtp.user", &s->smtp_user);
	if (rc == DT_OK)
		rc = dt__config_text(ctx, "smtp.tls", &s->smtp_tls);
	if (rc == DT_OK)
		rc = dt__config_text(ctx, "webhook.url", &s->hook_url);
	if (rc == DT_OK)
		rc = dt__config_text(ctx, "webhook.kind", &s->hook_kind);
	if (rc == DT_OK)
		rc = dt__config_int(ctx, "webhook.per_minute", &s->per_minute);
	if (rc == DT_OK)
		rc = dt__config_text(ctx, "net.ca_file", &s->ca_file);
	if (rc == DT_OK)
		rc = dt__config_int(ctx, "net.connect_timeout_s", &s->connect_timeout);
	if (rc == DT_OK)
		rc = dt__config_int(ctx, "net.timeout_s", &s->timeout);
	if (rc == DT_OK)
		rc = dt__config_int(ctx, "outbox.retry_base_seconds", &s->retry_base);
	if (rc == DT_OK)
		rc = dt__config_int(ctx, "outbox.max_attempts", &s->max_attempts);
	if (rc == DT_OK)
		rc = dt__config_int(ctx, "outbox.permanent_attempts", &s->permanent_attempts);
	if (rc == DT_OK)
		rc = dt__secret(ctx, "smtp.password", &s->smtp_password);
	if (rc == DT_OK)
		rc = dt__secret(ctx, "webhook.key", &s->hook_key);
	if (rc == DT_OK)
		rc = dt__secret(ctx, "webhook.secret", &s->hook_secret);
	if (rc != DT_OK) {
		dt__sender_close(s);
		return rc;
	}
	*out = s;
	return DT_OK;
}

void dt__sender_close(dt_sender *s)
{
	if (!s)
		return;
	if (s->smtp_password)
		sodium_memzero(s->smtp_password, strlen(s->smtp_password));
	if (s->hook_secret)
		sodium_memzero(s->hook_secret, strlen(s->hook_secret));
	free(s->smtp_url);
	free(s->smtp_from);
	free(s->smtp_user);
	free(s->smtp_password);
	free(s->smtp_tls);
	free(s->hook_url);
	free(s->hook_kind);
	free(s->hook_key);
	free(s->hook_secret);
	free(s->ca_file);
	free(s);
}

/* RFC 2047: non-ASCII header text as base64 encoded-words of at most 75
 * characters, cut between UTF-8 characters, folded onto new lines. */
static int header_text(buf *b, const char *s)
{
	size_t n = strlen(s), i = 0;
	int ascii = 1;

	for (size_t k = 0; k < n; k++)
		if ((unsigned char)s[k] >= 0x80 || s[k] == '=' || s[k] == '?')
			ascii = 0;
	if (ascii)
		return buf_str(b, s);
	while (i < n) {
		char enc[80];
		size_t take = n - i > 45 ? 45 : n - i;

		while (i + take < n && ((unsigned char)s[i + take] & 0xc0) == 0x80)
			take--;
		sodium_bin2base64(enc, sizeof(enc), (const unsigned char *)s + i, take, sodium_base64_VARIANT_ORIGINAL);
		if ((i && buf_str(b, "\r\n ")) || buf_str(b, "=?UTF-8?B?") || buf_str(b, enc) || buf_str(b, "?="))
			return DT_ENOMEM;
		i += take;
	}
	return DT_OK;
}

/* "Name <address>" or "address": the address part. */
static const char *address_of(const char *from, char *addr, size_t size)
{
	const char *lt = strrchr(from, '<'), *gt = lt ? strchr(lt, '>') : NULL;

	if (lt && gt && gt > lt + 1)
		snprintf(addr, size, "%.*s", (int)(gt - lt - 1), lt + 1);
	else
		snprintf(addr, size, "%s", from);
	return addr;
}

static int mailbox(buf *b, const char *name, const char *address)
{
	int rc = DT_OK;

	if (name && *name) {
		rc = header_text(b, name);
		if (rc == DT_OK)
			rc = buf_str(b, " ");
	}
	if (rc == DT_OK)
		rc = buf_str(b, "<");
	if (rc == DT_OK)
		rc = buf_str(b, address);
	return rc == DT_OK ? buf_str(b, ">") : rc;
}

/* The Message-ID follows from the key alone, so a message sent twice
 * (a sender killed between the server's answer and the record of it) is
 * recognisable as one. */
static void message_id(const char *key, const char *from_addr, char *out, size_t size)
{
	unsigned char d[crypto_hash_sha256_BYTES];
	char hex[65];
	const char *at = strchr(from_addr, '@');

	crypto_hash_sha256(d, (const unsigned char *)key, strlen(key));
	sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
	snprintf(out, size, "<%.32s@%s>", hex, at ? at + 1 : "rdlz.invalid");
}

static int compose_email(dt_ctx *ctx, const dt_sender *s, const dt_outbox_msg *m, buf *b)
{
	char from_addr[256], date[64], mid[320], *from_name;
	time_t now = (time_t)dt_ctx_now(ctx);
	struct tm tm;
	buf body = { 0 };
	size_t lt;
	char *b64;
	int rc;

	address_of(s->smtp_from, from_addr, sizeof(from_addr));
	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
	message_id(m->key, from_addr, mid, sizeof(mid));
	lt = strcspn(s->smtp_from, "<");
	from_name = strndup(s->smtp_from, lt);
	while (from_name && lt > 0 && from_name[lt - 1] == ' ')
		from_name[--lt] = '\0';
	if (!from_name)
		return DT_ENOMEM;
	rc = buf_str(b, "Date: ");
	rc = rc ? rc : buf_str(b, date);
	rc = rc ? rc : buf_str(b, "\r\nFrom: ");
	rc = rc ? rc : mailbox(b, strchr(s->smtp_from, '<') ? from_name : NULL, from_addr);
	rc = rc ? rc : buf_str(b, "\r\nTo: ");
	rc = rc ? rc : mailbox(b, m->name, m->address);
	rc = rc ? rc : buf_str(b, "\r\nSubject: ");
	rc = rc ? rc : header_text(b, m->subject);
	rc = rc ? rc : buf_str(b, "\r\nMessage-ID: ");
	rc = rc ? rc : buf_str(b, mid);
	rc = rc ? rc : buf_str(b, "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	                          "Content-Transfer-Encoding: base64\r\n\r\n");
	free(from_name);
	/* the body in canonical form (CRLF), base64 in lines of 76 */
	for (const char *p = m->body; rc == DT_OK && *p; p++)
		rc = *p == '\n' && (p == m->body || p[-1] != '\r') ? buf_add(&body, "\r\n", 2) : buf_add(&body, p, 1);
	if (rc == DT_OK) {
		size_t n = sodium_base64_ENCODED_LEN(body.len, sodium_base64_VARIANT_ORIGINAL);
		b64 = malloc(n);
		if (!b64) {
			free(body.data);
			return DT_ENOMEM;
		}
		sodium_bin2base64(b64, n, (const unsigned char *)(body.data ? body.data : ""), body.len,
		                  sodium_base64_VARIANT_ORIGINAL);
		for (size_t i = 0; rc == DT_OK && i < strlen(b64); i += 76) {
			rc = buf_add(b, b64 + i, strlen(b64 + i) > 76 ? 76 : strlen(b64 + i));
			rc = rc ? rc : buf_str(b, "\r\n");
		}
		free(b64);
	}
	free(body.data);
	(void)ctx;
	return rc;
}

typedef struct {
	const buf *b;
	size_t pos;
} reader;

static size_t read_cb(char *dst, size_t size, size_t n, void *ud)
{
	reader *r = ud;
	size_t left = r->b->len - r->pos, want = size * n;

	if (want > left)
		want = left;
	memcpy(dst, r->b->data + r->pos, want);
	r->pos += want;
	return want;
}

static size_t write_cb(char *src, size_t size, size_t n, void *ud)
{
	buf *b = ud;

	if (b->len < 65536)
		buf_add(b, src, size * n);
	return size * n;
}

static int64_t backoff(const dt_sender *s, int64_t attempts)
{
	int64_t wait = s->retry_base;

	for (int64_t i = 1; i < attempts && wait < 6 * 3600; i++)
		wait *= 2;
	return wait > 6 * 3600 ? 6 * 3600 : wait;
}

/* Retry or give up, by the kind of failure and the attempts made. */
static dt_send_outcome failure(dt_ctx *ctx, const dt_sender *s, const dt_outbox_msg *m, int permanent,
                               int64_t *next)
{
	int64_t limit = permanent ? s->permanent_attempts : s->max_attempts;

	if (m->attempts >= limit)
		return DT_SEND_FAILED;
	*next = dt_ctx_now(ctx) + backoff(s, m->attempts);
	return DT_SEND_RETRY;
}

static void common_options(const dt_sender *s, CURL *c, char *errbuf)
{
	const dt_curl *k = s->curl;

	k->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	k->easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)s->connect_timeout);
	k->easy_setopt(c, CURLOPT_TIMEOUT, (long)s->timeout);
	k->easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	if (s->ca_file && *s->ca_file)
		k->easy_setopt(c, CURLOPT_CAINFO, s->ca_file);
	errbuf[0] = '\0';
}

static int temporary_curl_error(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PARTIAL_FILE:
		return 1;
	default:
		return 0;
	}
}

static dt_send_outcome send_email(dt_ctx *ctx, dt_sender *s, const dt_outbox_msg *m, char *detail, size_t size,
                                  int64_t *next)
{
	const dt_curl *k = s->curl;
	char errbuf[CURL_ERROR_SIZE], from_addr[256], rcpt[300];
	struct curl_slist *to = NULL;
	buf b = { 0 };
	reader r = { &b, 0 };
	long code = 0;
	CURLcode rc;
	CURL *c;

	if (!*s->smtp_url || !*s->smtp_from) {
		snprintf(detail, size, "no mail server set: rdlz set-config smtp.url / smtp.from");
		return failure(ctx, s, m, 0, next);
	}
	if (compose_email(ctx, s, m, &b) != DT_OK || !(c = k->easy_init())) {
		free(b.data);
		snprintf(detail, size, "out of memory");
		return failure(ctx, s, m, 0, next);
	}
	snprintf(rcpt, sizeof(rcpt), "<%s>", m->address);
	to = k->slist_append(NULL, rcpt);
	snprintf(rcpt, sizeof(rcpt), "<%s>", address_of(s->smtp_from, from_addr, sizeof(from_addr)));
	common_options(s, c, errbuf);
	k->easy_setopt(c, CURLOPT_URL, s->smtp_url);
	k->easy_setopt(c, CURLOPT_MAIL_FROM, rcpt);
	k->easy_setopt(c, CURLOPT_MAIL_RCPT, to);
	k->easy_setopt(c, CURLOPT_UPLOAD, 1L);
	k->easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	k->easy_setopt(c, CURLOPT_READDATA, &r);
	k->easy_setopt(c, CURLOPT_INFILESIZE, (long)b.len);
	k->easy_setopt(c, CURLOPT_USE_SSL, strcmp(s->smtp_tls, "none") == 0 ? (long)CURLUSESSL_NONE
	                                                                    : (long)CURLUSESSL_ALL);
	if (*s->smtp_user) {
		k->easy_setopt(c, CURLOPT_USERNAME, s->smtp_user);
		k->easy_setopt(c, CURLOPT_PASSWORD, s->smtp_password ? s->smtp_password : "");
	}
	rc = k->easy_perform(c);
	k->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	k->easy_cleanup(c);
	k->slist_free_all(to);
	free(b.data);
	if (rc == CURLE_OK) {
		snprintf(detail, size, "accepted (%ld)", code);
		return DT_SEND_SENT;
	}
	snprintf(detail, size, "%s%s%s (SMTP %ld)", k->easy_strerror(rc), *errbuf ? ": " : "", errbuf, code);
	if (code >= 500 || rc == CURLE_LOGIN_DENIED || rc == CURLE_USE_SSL_FAILED)
		return failure(ctx, s, m, 1, next);
	return failure(ctx, s, m, !temporary_curl_error(rc) && !(code >= 400 && code < 500), next);
}

/* The JSON a robot expects; strings escaped by the listing writer. */
static int sink_buf(void *ud, const char *data, size_t n)
{
	return buf_add(ud, data, n) != DT_OK;
}

/* The phone of citizen:<case id>, or NULL when it was purged. */
static char *citizen_phone(dt_ctx *ctx, const char *address)
{
	sqlite3_stmt *st;
	char *phone = NULL;

	if (dt__prepare(ctx, &st, "SELECT citizen_phone FROM cases WHERE id = ?1") != DT_OK)
		return NULL;
	sqlite3_bind_int64(st, 1, strtoll(address + 8, NULL, 10));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		phone = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return phone;
}

static int webhook_json(const dt_sender *s, const dt_outbox_msg *m, const char *to, buf *b)
{
	static const dt_column generic[] = {
		{ "key", DT_COL_TEXT, 0 },     { "to", DT_COL_TEXT, 0 },   { "name", DT_COL_TEXT, 0 },
		{ "subject", DT_COL_TEXT, 0 }, { "body", DT_COL_TEXT, 0 },
	};
	static const dt_column robot[] = { { "content", DT_COL_TEXT, 0 } };
	dt_value v[5] = { { 0 } };
	dt_writer *w;
	char *content = NULL;
	int rc, is_generic = strcmp(s->hook_kind, "generic") == 0;

	if (dt_writer_new(&w, DT_FORMAT_JSON, DT_WRITE_RECORD | DT_WRITE_UNMASK, sink_buf, b) != DT_OK)
		return DT_ENOMEM;
	if (is_generic) {
		v[0].text = m->key;
		v[1].text = to;
		v[2].text = m->name;
		v[2].is_null = !m->name;
		v[3].text = m->subject;
		v[4].text = m->body;
		rc = dt_writer_begin(w, generic, 5);
	} else {
		size_t n = strlen(m->subject) + strlen(m->body) + (m->name ? strlen(m->name) : 0) + 8;
		content = malloc(n);
		if (!content) {
			dt_writer_free(w);
			return DT_ENOMEM;
		}
		snprintf(content, n, "%s%s%s\n%s", m->name ? m->name : "", m->name ? "：" : "", m->subject, m->body);
		v[0].text = content;
		rc = buf_str(b, "{\"msgtype\":\"text\",\"text\":");
		if (rc == DT_OK)
			rc = dt_writer_begin(w, robot, 1);
	}
	if (rc == DT_OK)
		rc = dt_writer_row(w, v);
	if (rc == DT_OK)
		rc = dt_writer_end(w);
	if (rc == DT_OK && !is_generic)
		rc = buf_str(b, "}");
	dt_writer_free(w);
	free(content);
	return rc;
}

/* The robot's URL: its key, and for DingTalk's signed mode the timestamp
 * and the HMAC-SHA256 of "timestamp\nsecret" under the secret. */
static char *webhook_url(dt_ctx *ctx, const dt_sender *s, CURL *c)
{
	const dt_curl *k = s->curl;
	buf u = { 0 };
	char sep;
	int rc = buf_str(&u, s->hook_url);

	sep = strchr(s->hook_url, '?') ? '&' : '?';
	if (rc == DT_OK && s->hook_key && strcmp(s->hook_kind, "generic") != 0) {
		char *e = k->easy_escape(c, s->hook_key, 0);
		rc = buf_add(&u, &sep, 1);
		rc = rc ? rc : buf_str(&u, strcmp(s->hook_kind, "wecom") == 0 ? "key=" : "access_token=");
		rc = rc ? rc : buf_str(&u, e ? e : "");
		k->free(e);
		sep = '&';
	}
	if (rc == DT_OK && s->hook_secret && strcmp(s->hook_kind, "dingtalk") == 0) {
		unsigned char mac[crypto_auth_hmacsha256_BYTES];
		crypto_auth_hmacsha256_state h;
		char ts[32], msg[64], b64[64], *e;

		snprintf(ts, sizeof(ts), "%" PRId64 "000", dt_ctx_now(ctx));
		crypto_auth_hmacsha256_init(&h, (const unsigned char *)s->hook_secret, strlen(s->hook_secret));
		snprintf(msg, sizeof(msg), "%s\n", ts);
		crypto_auth_hmacsha256_update(&h, (const unsigned char *)msg, strlen(msg));
		crypto_auth_hmacsha256_update(&h, (const unsigned char *)s->hook_secret, strlen(s->hook_secret));
		crypto_auth_hmacsha256_final(&h, mac);
		sodium_bin2base64(b64, sizeof(b64), mac, sizeof(mac), sodium_base64_VARIANT_ORIGINAL);
		e = k->easy_escape(c, b64, 0);
		rc = buf_add(&u, &sep, 1);
		rc = rc ? rc : buf_str(&u, "timestamp=");
		rc = rc ? rc : buf_str(&u, ts);
		rc = rc ? rc : buf_str(&u, "&sign=");
		rc = rc ? rc : buf_str(&u, e ? e : "");
		k->free(e);
	}
	if (rc != DT_OK) {
		free(u.data);
		return NULL;
	}
	return u.data;
}

/* How many webhook posts went out in the last minute, and when the oldest did. */
static int recent_posts(dt_ctx *ctx, int64_t *count, int64_t *oldest)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     "SELECT count(*), min(sent_at) FROM outbox WHERE channel = 'webhook' AND state = 'sent'"
	                     " AND sent_at > ?1 - 60");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, dt_ctx_now(ctx));
	if (sqlite3_step(st) == SQLITE_ROW) {
		*count = sqlite3_column_int64(st, 0);
		*oldest = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return DT_OK;
}

/* The robots answer 200 with a non-zero errcode when they refuse. */
static long robot_errcode(const char *reply)
{
	const char *p = reply ? strstr(reply, "\"errcode\"") : NULL;

	if (!p)
		return 0;
	p = strchr(p, ':');
	return p ? strtol(p + 1, NULL, 10) : 0;
}

static dt_send_outcome send_webhook(dt_ctx *ctx, dt_sender *s, const dt_outbox_msg *m, char *detail, size_t size,
                                    int64_t *next)
{
	const dt_curl *k = s->curl;
	char errbuf[CURL_ERROR_SIZE], auth[300];
	struct curl_slist *headers = NULL;
	buf body = { 0 }, reply = { 0 };
	int64_t count = 0, oldest = 0;
	long code = 0, errcode;
	char *url, *phone = NULL;
	CURLcode rc;
	CURL *c;

	if (!*s->hook_url) {
		snprintf(detail, size, "no webhook set: rdlz set-config webhook.url");
		return failure(ctx, s, m, 0, next);
	}
	if (recent_posts(ctx, &count, &oldest) == DT_OK && count >= s->per_minute) {
		/* respect the robot's limit rather than hit it */
		*next = oldest + 61;
		snprintf(detail, size, "rate limit: %" PRId64 " posts in the last minute", count);
		return DT_SEND_DEFER;
	}
	if (!strncmp(m->address, "citizen:", 8)) {
		phone = citizen_phone(ctx, m->address);
		if (!phone) {
			snprintf(detail, size, "the citizen's phone was erased");
			return DT_SEND_FAILED;
		}
	}
	if (webhook_json(s, m, phone ? phone : m->address, &body) != DT_OK || !(c = k->easy_init())) {
		free(body.data);
		free(phone);
		snprintf(detail, size, "out of memory");
		return failure(ctx, s, m, 0, next);
	}
	url = webhook_url(ctx, s, c);
	headers = k->slist_append(NULL, "Content-Type: application/json; charset=utf-8");
	if (s->hook_key && strcmp(s->hook_kind, "generic") == 0) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", s->hook_key);
		headers = k->slist_append(headers, auth);
	}
	common_options(s, c, errbuf);
	k->easy_setopt(c, CURLOPT_URL, url ? url : s->hook_url);
	k->easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	k->easy_setopt(c, CURLOPT_POSTFIELDS, body.data);
	k->easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body.len);
	k->easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
	k->easy_setopt(c, CURLOPT_WRITEDATA, &reply);
	rc = k->easy_perform(c);
	k->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	k->easy_cleanup(c);
	k->slist_free_all(headers);
	sodium_memzero(auth, sizeof(auth));
	free(url);
	free(body.data);
	free(phone);
	errcode = robot_errcode(reply.data);
	if (rc != CURLE_OK) {
		snprintf(detail, size, "%s%s%s", k->easy_strerror(rc), *errbuf ? ": " : "", errbuf);
		free(reply.data);
		return failure(ctx, s, m, !temporary_curl_error(rc), next);
	}
	snprintf(detail, size, "HTTP %ld%s%.200s", code, reply.len ? ": " : "", reply.data ? reply.data : "");
	free(reply.data);
	if (code >= 200 && code < 300 && errcode == 0)
		return DT_SEND_SENT;
	if (code >= 200 && code < 300) /* WeCom 45009 and DingTalk 130101: too many, too fast */
		return failure(ctx, s, m, errcode != 45009 && errcode != 130101, next);
	return failure(ctx, s, m, code >= 300 && code < 500 && code != 429 && code != 408, next);
}

dt_send_outcome dt__sender_send(dt_ctx *ctx, dt_sender *s, const dt_outbox_msg *m, char *detail, size_t size,
                                int64_t *next)
{
	/* checked when queued; checked again, in case the row was changed since */
	if (strpbrk(m->subject, "\r\n") || strpbrk(m->address, "\r\n") || (m->name && strpbrk(m->name, "\r\n")) ||
	    (!strcmp(m->channel, "email") && strpbrk(m->address, " <>"))) {
		snprintf(detail, size, "refused: a line break in a header value");
		return DT_SEND_FAILED;
	}
	if (strcmp(m->channel, "email") == 0)
		return send_email(ctx, s, m, detail, size, next);
	return send_webhook(ctx, s, m, detail, size, next);
}
