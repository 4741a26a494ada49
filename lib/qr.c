/*
 * Personal QR codes: keys, signed URLs, issuing and verifying.
 * Drawing the codes (PNG, SVG, terminal, poster) is in qr_render.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "qr_internal.h"

/* 12 bytes of HMAC-SHA256: 96 bits, 16 URL-safe characters, short enough to
 * keep the code small and far beyond guessing. */
#define TAG_BYTES 12
#define TAG_CHARS 16

int dt_qr_type_parse(const char *name, dt_qr_type *out)
{
	static const char *const names[] = { "png", "svg", "utf8", "poster" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0) {
			*out = (dt_qr_type)i;
			return DT_OK;
		}
	return DT_EUSAGE;
}

const char *dt__qr_type_name(dt_qr_type t)
{
	static const char *const names[] = { "png", "svg", "utf8", "poster" };

	return (unsigned)t < 4 ? names[t] : "?";
}

/* Make a key k<N+1> in the caller's transaction. */
static int new_key(dt_ctx *ctx, char *kid, size_t size)
{
	unsigned char secret[32];
	sqlite3_stmt *st;
	int64_t n = 0;
	int rc = dt__prepare(ctx, &st, "SELECT coalesce(max(CAST(substr(id, 2) AS INTEGER)), 0) FROM qr_key");

	if (rc != DT_OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (n < 0 || n >= 999999)
		return dt__error(ctx, DT_ERROR, "too many QR keys");
	snprintf(kid, size, "k%d", (int)(n + 1));
	randombytes_buf(secret, sizeof(secret));
	rc = dt__prepare(ctx, &st, "INSERT INTO qr_key(id, secret, created_at) VALUES (?1, ?2, ?3)");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_text(st, 1, kid, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, secret, sizeof(secret), SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, dt_ctx_now(ctx));
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	sodium_memzero(secret, sizeof(secret));
	if (rc != SQLITE_DONE)
		return dt__sqlerr(ctx, rc, "saving a QR key");
	return dt__audit(ctx, "made QR signing key %s", kid);
}

/* The newest unrevoked key, made on first use (inside the caller's
 * transaction). */
static int current_key(dt_ctx *ctx, char kid[16], unsigned char secret[32])
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     "SELECT id, secret FROM qr_key WHERE revoked_at IS NULL"
	                     " ORDER BY CAST(substr(id, 2) AS INTEGER) DESC LIMIT 1");

	if (rc != DT_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == 32) {
		snprintf(kid, 16, "%s", (const char *)sqlite3_column_text(st, 0));
		memcpy(secret, sqlite3_column_blob(st, 1), 32);
		sqlite3_finalize(st);
		return DT_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return dt__sqlerr(ctx, rc, "reading QR keys");
	rc = new_key(ctx, kid, 16);
	return rc == DT_OK ? current_key(ctx, kid, secret) : rc;
}

int dt__qr_derive_key(dt_ctx *ctx, const char *purpose, unsigned char out[32])
{
	unsigned char secret[32];
	char kid[16];
	int rc = dt__begin(ctx);

	if (rc != DT_OK)
		return rc;
	rc = current_key(ctx, kid, secret);
	if (rc == DT_OK)
		crypto_auth_hmacsha256(out, (const unsigned char *)purpose, strlen(purpose), secret);
	sodium_memzero(secret, sizeof(secret));
	return dt__end(ctx, rc);
}

/* The tag of code under key kid, base64url without padding. */
static void make_tag(const unsigned char secret[32], const char *kid, const char *code, char tag[TAG_CHARS + 1])
{
	crypto_auth_hmacsha256_state h;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&h, secret, 32);
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)kid, strlen(kid));
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)":", 1);
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)code, strlen(code));
	crypto_auth_hmacsha256_final(&h, mac);
	sodium_bin2base64(tag, TAG_CHARS + 1, mac, TAG_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* qr.base_url without a trailing '/'; DT_EUSAGE when unset. */
static int base_url(dt_ctx *ctx, char **out)
{
	int rc = dt__config_text(ctx, "qr.base_url", out);
	size_t n;

	if (rc != DT_OK)
		return rc;
	n = strlen(*out);
	if (n == 0) {
		free(*out);
		*out = NULL;
		return dt__error(ctx, DT_EUSAGE,
		                 "no address for QR codes yet: set one with 'rdlz set-config qr.base_url https://...'");
	}
	while (n > 0 && (*out)[n - 1] == '/')
		(*out)[--n] = '\0';
	return DT_OK;
}

int dt__qr_signer_init(dt_ctx *ctx, dt_qr_signer *sg)
{
	int rc = base_url(ctx, &sg->base);

	if (rc == DT_OK)
		rc = current_key(ctx, sg->kid, sg->secret);
	if (rc != DT_OK)
		dt__qr_signer_free(sg);
	return rc;
}

void dt__qr_signer_free(dt_qr_signer *sg)
{
	sodium_memzero(sg->secret, sizeof(sg->secret));
	free(sg->base);
	sg->base = NULL;
}

int dt__qr_sign(dt_ctx *ctx, const dt_qr_signer *sg, const char *code, char **url)
{
	char tag[TAG_CHARS + 1];
	size_t n = strlen(sg->base) + strlen(code) + strlen(sg->kid) + TAG_CHARS + 16;

	make_tag(sg->secret, sg->kid, code, tag);
	*url = malloc(n);
	if (!*url)
		return dt__error(ctx, DT_ENOMEM, "out of memory");
	snprintf(*url, n, "%s/d/%s?s=%s.%s", sg->base, code, sg->kid, tag);
	return DT_OK;
}

int dt_qr_url(dt_ctx *ctx, const char *code, char **url)
{
	dt_qr_signer sg = { 0 };
	int64_t id;
	int rc = dt__begin(ctx); /* a key may be made on first use */

	*url = NULL;
	if (rc != DT_OK)
		return rc;
	rc = dt__deputy_lookup(ctx, code, &id, NULL);
	if (rc == DT_OK)
		rc = dt__qr_signer_init(ctx, &sg);
	if (rc == DT_OK)
		rc = dt__qr_sign(ctx, &sg, code, url);
	dt__qr_signer_free(&sg);
	return dt__end(ctx, rc);
}

int dt__qr_record(dt_ctx *ctx, int64_t deputy_id, const char *kid, dt_qr_type type)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     "INSERT INTO qr_issue(deputy_id, key_id, type, issued_at) VALUES (?1, ?2, ?3, ?4)");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, deputy_id);
	sqlite3_bind_text(st, 2, kid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, dt__qr_type_name(type), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, dt_ctx_now(ctx));
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, rc, "recording an issued code");
}

int dt_qr_rotate_key(dt_ctx *ctx, int revoke_old, char **key_id)
{
	char kid[16];
	sqlite3_stmt *st;
	int rc = dt__begin(ctx);

	if (key_id)
		*key_id = NULL;
	if (rc != DT_OK)
		return rc;
	rc = new_key(ctx, kid, sizeof(kid));
	if (rc == DT_OK && revoke_old) {
		rc = dt__prepare(ctx, &st, "UPDATE qr_key SET revoked_at = ?2 WHERE id <> ?1 AND revoked_at IS NULL");
		if (rc == DT_OK) {
			sqlite3_bind_text(st, 1, kid, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, dt_ctx_now(ctx));
			rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK
			                                     : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "revoking keys");
			sqlite3_finalize(st);
		}
		if (rc == DT_OK)
			rc = dt__audit(ctx, "revoked QR signing keys older than %s", kid);
	}
	if (rc != DT_OK) {
		dt__rollback(ctx);
		return rc;
	}
	rc = dt__commit(ctx);
	if (rc == DT_OK && key_id && !(*key_id = strdup(kid)))
		rc = dt__error(ctx, DT_ENOMEM, "out of memory");
	return rc;
}

/* Case-insensitive prefix test for the scheme and host part of a URL. */
static int same_origin(const char *url, const char *base, size_t *base_len)
{
	const char *host = strstr(base, "://");
	size_t origin, n = strlen(base);

	if (!host)
		return 0;
	host += 3;
	origin = (size_t)(host - base) + strcspn(host, "/");
	/* the host must end where the base's does: rd.gov.cn.evil.test is foreign */
	if (strncasecmp(url, base, origin) != 0 || (url[origin] != '/' && url[origin] != '\0') ||
	    strncmp(url + origin, base + origin, n - origin) != 0)
		return 0;
	*base_len = n;
	return 1;
}

static int refuse(dt_ctx *ctx, const char *text, const char *why)
{
	char shown[96];

	return dt__error(ctx, DT_EVERIFY, "not a genuine rdlz code: %s ('%s')", why,
	                 dt__shown(text, shown, sizeof(shown)));
}

static const dt_column card_columns[] = {
	{ "code", DT_COL_TEXT, 0 },       { "name", DT_COL_TEXT, 0 },  { "post", DT_COL_TEXT, 0 },
	{ "delegation", DT_COL_TEXT, 0 }, { "grid", DT_COL_TEXT, 0 },  { "station", DT_COL_TEXT, 0 },
	{ "phone", DT_COL_TEXT, DT_COL_PHONE }, { "key_id", DT_COL_TEXT, 0 },
};

/* Parse "<base>/d/<CODE>?s=<kid>.<tag>" into code, kid and tag. */
static int parse_url(dt_ctx *ctx, const char *text, const char *base, char code[40], char kid[16],
                     char tag[TAG_CHARS + 1])
{
	size_t blen, n;
	const char *p, *q;

	if (strncmp(text, "http://", 7) != 0 && strncmp(text, "https://", 8) != 0 &&
	    strncasecmp(text, "http", 4) != 0)
		return refuse(ctx, text, "not a web address");
	if (!same_origin(text, base, &blen))
		return refuse(ctx, text, "it points to a foreign address, not this office's");
	p = text + blen;
	if (strncmp(p, "/d/", 3) != 0)
		return refuse(ctx, text, "malformed: no /d/<code>");
	p += 3;
	n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
	if (n == 0 || n >= 40 || strncmp(p + n, "?s=", 3) != 0)
		return refuse(ctx, text, "malformed: no code or no signature");
	memcpy(code, p, n);
	code[n] = '\0';
	p += n + 3;
	q = strchr(p, '.');
	if (!q || q == p || (size_t)(q - p) >= 16 || p[0] != 'k')
		return refuse(ctx, text, "malformed signature");
	memcpy(kid, p, (size_t)(q - p));
	kid[q - p] = '\0';
	q++;
	if (strlen(q) != TAG_CHARS || strspn(q, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
	                                  TAG_CHARS)
		return refuse(ctx, text, "malformed signature (truncated?)");
	memcpy(tag, q, TAG_CHARS + 1);
	return DT_OK;
}

/* *withdrawn (may be NULL) is set to 1 for a genuine tag under a revoked key. */
static int check_tag(dt_ctx *ctx, const char *text, const char *code, const char *kid, const char *tag,
                     int *withdrawn)
{
	unsigned char secret[32];
	char expect[TAG_CHARS + 1];
	sqlite3_stmt *st;
	int revoked, rc = dt__prepare(ctx, &st, "SELECT secret, revoked_at IS NOT NULL FROM qr_key WHERE id = ?1");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_text(st, 1, kid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_bytes(st, 0) != 32) {
		sqlite3_finalize(st);
		return refuse(ctx, text, "signed with an unknown key");
	}
	memcpy(secret, sqlite3_column_blob(st, 0), 32);
	revoked = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	make_tag(secret, kid, code, expect);
	sodium_memzero(secret, sizeof(secret));
	if (sodium_memcmp(expect, tag, TAG_CHARS) != 0)
		return refuse(ctx, text, "the signature does not match (forged or altered)");
	if (revoked && withdrawn)
		*withdrawn = 1;
	if (revoked)
		return refuse(ctx, text, "signed with a key that was revoked");
	return DT_OK;
}

/* The code of a genuine, signed URL (whitespace a scanner adds cut off);
 * kid receives the key id, *withdrawn (may be NULL) as check_tag sets it. */
static int check_url(dt_ctx *ctx, const char *text, char code[40], char kid[16], int *withdrawn)
{
	char tag[TAG_CHARS + 1], trimmed[513], *base;
	size_t len = strlen(text);
	int rc;

	/* what a scanner hands over may end in a line break */
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
		len--;
	if (len > 512)
		return refuse(ctx, text, "too long");
	memcpy(trimmed, text, len);
	trimmed[len] = '\0';
	rc = base_url(ctx, &base);
	if (rc != DT_OK)
		return rc;
	rc = parse_url(ctx, trimmed, base, code, kid, tag);
	free(base);
	if (rc == DT_OK)
		rc = check_tag(ctx, trimmed, code, kid, tag, withdrawn);
	return rc;
}

int dt__qr_deputy(dt_ctx *ctx, const char *url, char **code, int *withdrawn)
{
	char c[40], kid[16];
	int64_t id;
	int retired = 0, rc;

	*code = NULL;
	*withdrawn = 0;
	rc = check_url(ctx, url, c, kid, withdrawn);
	if (rc == DT_OK && dt__deputy_lookup(ctx, c, &id, &retired) != DT_OK)
		rc = dt__error(ctx, DT_EVERIFY, "the code is signed, but no deputy %s exists", c);
	if (rc == DT_OK && retired) {
		*withdrawn = 1;
		rc = dt__error(ctx, DT_EVERIFY, "deputy %s is no longer serving", c);
	}
	if (rc == DT_OK && !(*code = strdup(c)))
		rc = dt__error(ctx, DT_ENOMEM, "out of memory");
	return rc;
}

int dt_qr_deputy(dt_ctx *ctx, const char *url, char **code)
{
	int withdrawn;

	return dt__qr_deputy(ctx, url, code, &withdrawn);
}

int dt_qr_verify(dt_ctx *ctx, const char *text, dt_writer *w)
{
	char code[40], kid[16];
	sqlite3_stmt *st;
	dt_value v[8] = { { 0 } };
	int rc = check_url(ctx, text, code, kid, NULL);

	if (rc != DT_OK)
		return rc;
	rc = dt__prepare(ctx, &st,
	                 "SELECT code, name, post, delegation, grid, station, phone, status FROM deputy WHERE code = ?1");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return dt__error(ctx, DT_EVERIFY, "the code is signed, but no deputy %s exists", code);
	}
	if (strcmp((const char *)sqlite3_column_text(st, 7), "active") != 0) {
		sqlite3_finalize(st);
		return dt__error(ctx, DT_EVERIFY, "deputy %s is no longer serving", code);
	}
	for (int i = 0; i < 7; i++) {
		v[i].text = (const char *)sqlite3_column_text(st, i);
		v[i].is_null = !v[i].text;
	}
	v[7].text = kid;
	rc = dt_writer_begin(w, card_columns, 8);
	if (rc == DT_OK)
		rc = dt_writer_row(w, v);
	sqlite3_finalize(st);
	if (rc == DT_OK)
		rc = dt_writer_end(w);
	rc = dt__writer_status(ctx, rc);
	return rc == DT_OK ? dt__audit_reveal(ctx, w, "QR card") : rc;
}

static const dt_column list_columns[] = {
	{ "code", DT_COL_TEXT, 0 },   { "name", DT_COL_TEXT, 0 },      { "key_id", DT_COL_TEXT, 0 },
	{ "type", DT_COL_TEXT, 0 },   { "issued_at", DT_COL_TEXT, 0 },
};

int dt_qr_list(dt_ctx *ctx, dt_writer *w)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     "SELECT d.code, d.name, q.key_id, q.type, q.issued_at FROM qr_issue q"
	                     " JOIN deputy d ON d.id = q.deputy_id ORDER BY q.id");

	if (rc != DT_OK)
		return rc;
	rc = dt_writer_begin(w, list_columns, 5);
	while (rc == DT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		dt_value v[5] = { { 0 } };
		char at[40];

		for (int i = 0; i < 4; i++)
			v[i].text = (const char *)sqlite3_column_text(st, i);
		v[4].text = dt_time_format(ctx, sqlite3_column_int64(st, 4), at, sizeof(at));
		rc = dt_writer_row(w, v);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = dt_writer_end(w);
	else if (rc > 0)
		return dt__sqlerr(ctx, rc, "listing codes");
	return dt__writer_status(ctx, rc);
}
