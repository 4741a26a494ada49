/*
 * The online liaison station (rdlz serve) without its HTTP server: parsing
 * a citizen's form, checking its text, the anti-forgery token, and each page
 * rendered as HTML into memory. A front end (rdlz serve on libmicrohttpd, a
 * CGI, a mini-program back end) only moves bytes: every page, refusals
 * included, is a complete mobile-first HTML document in Chinese with inline
 * CSS and no scripts, with everything from the database or the visitor
 * HTML-escaped.
 *
 * Page functions return DT_OK whenever *out holds a page to send, whatever
 * its HTTP status (a forged code is a 404 page, not an error); they return
 * DT_ENOMEM only when no page could be made. The status says what happened.
 */
#ifndef DUTYTRACK_WEB_H
#define DUTYTRACK_WEB_H

#include "dutytrack/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One page to send. */
typedef struct {
	int status;       /* HTTP status: 200, 201, 400, 403, 404, 410, 413, 429, 500, 503 */
	char *body;       /* the bytes (NUL-terminated for HTML); owned, freed by dt_web_page_clear */
	size_t len;       /* bytes in body, without the NUL */
	const char *type; /* the content type; static */
} dt_web_page;

#define DT_WEB_PAGE_INIT { 0, NULL, 0, NULL }

/* A parsed form: text fields and at most a few files. Opaque. */
typedef struct dt_web_form dt_web_form;

/* The key the anti-forgery tokens are made with (see dt_web_form_key). */
#define DT_WEB_KEY_BYTES 32
/* Room for a token and its NUL. */
#define DT_WEB_TOKEN_SIZE 64

/* Free the page's body and reset it to DT_WEB_PAGE_INIT; NULL is fine. */
DT_EXTERN void dt_web_page_clear(dt_web_page *p);

/* 1 when s[0..len) is valid UTF-8 (no overlong forms, surrogates or NUL), else 0. */
DT_EXTERN int dt_web_utf8_valid(const char *s, size_t len);

/* Parse body (len bytes, need not be NUL-terminated) of content_type
 * (application/x-www-form-urlencoded or multipart/form-data with its boundary)
 * into *out, which the caller frees with dt_web_form_free. DT_EUSAGE: another
 * content type; DT_EDATA: malformed (a bad escape, no boundary, a part without
 * its end, more than 32 fields); DT_ENOMEM. *out is NULL on failure. */
DT_EXTERN int dt_web_form_parse(const char *content_type, const char *body, size_t len, dt_web_form **out);

/* The text field name, NUL-terminated, and its length in *len (may be NULL);
 * NULL when absent or a file. Owned by f. A repeated field: the first wins. */
DT_EXTERN const char *dt_web_form_get(const dt_web_form *f, const char *name, size_t *len);

/* The bytes of the file field name and their count in *len; NULL when absent
 * or empty (a form sent without choosing a file). Owned by f. */
DT_EXTERN const unsigned char *dt_web_form_file(const dt_web_form *f, const char *name, size_t *len);

/* 1 when every field name and every text field is valid UTF-8 text, else 0. */
DT_EXTERN int dt_web_form_text_ok(const dt_web_form *f);

/* Free a form; NULL is fine. */
DT_EXTERN void dt_web_form_free(dt_web_form *f);

/* The anti-forgery key of the database into key: derived from its newest QR
 * signing key (made if there is none, audited), so every server on the
 * database, and one restarted, accepts the forms of the others until
 * `rdlz rotate-qr-key`. A write transaction; DT_EBUSY and others. */
DT_EXTERN int dt_web_form_key(dt_ctx *ctx, unsigned char key[DT_WEB_KEY_BYTES]);

/* Make the anti-forgery token of deputy code at unix time now into out
 * (size at least DT_WEB_TOKEN_SIZE): "<now>.<HMAC-SHA256 of key over code and
 * now, base64url>". DT_EUSAGE when out is too small or code too long. */
DT_EXTERN int dt_web_csrf_make(const unsigned char key[DT_WEB_KEY_BYTES], const char *code, int64_t now,
                               char *out, size_t size);

/* DT_OK when token was made with key for code no more than max_age seconds
 * before now (and not more than 5 minutes after it); DT_EVERIFY otherwise. */
DT_EXTERN int dt_web_csrf_check(const unsigned char key[DT_WEB_KEY_BYTES], const char *code, const char *token,
                                int64_t now, int64_t max_age);

/* A page that only says something: a refusal (status 400, 403, 413, ...) or a
 * notice, with title and text (UTF-8, escaped here). DT_ENOMEM. */
DT_EXTERN int dt_web_message_page(int status, const char *title, const char *text, dt_web_page *out);

/* The page of a scanned code /d/<code>?s=<sig>: checked like verify-qr; when
 * genuine (200) the deputy's public card and the request form with the token
 * csrf; forged or unknown 404; revoked key or retired deputy 410; no
 * qr.base_url 503. No form on any refusal. */
DT_EXTERN int dt_web_deputy_page(dt_ctx *ctx, const char *code, const char *sig, const char *csrf,
                                 dt_web_page *out);

/* Take the form posted to /d/<code> (fields s, text, name, phone, place and
 * file photo) into the case loop as submit-request does, channel "qr": the
 * signature s is checked again, the photo by the rules of case photos, and
 * the deputy's notice queued. 201 with the tracking number, copied into
 * *tracking (may be NULL; free()); 400 for bad input, 404/410 as
 * dt_web_deputy_page, 503 when the database is busy. The caller checks the
 * token, the size and the rate first. */
DT_EXTERN int dt_web_submit(dt_ctx *ctx, const char *code, const dt_web_form *form, dt_web_page *out,
                            char **tracking);

/* The public status of request tracking (state, timeline, the deputy's
 * result and feedback; never the citizen's name or phone): 200, or 404. */
DT_EXTERN int dt_web_tracking_page(dt_ctx *ctx, const char *tracking, dt_web_page *out);

/* The published leaderboard: <serve.leaderboard_dir>/index.html with name
 * NULL, or the image photos/<name> beside it; 404 when none is published. */
DT_EXTERN int dt_web_leaderboard_page(dt_ctx *ctx, const char *name, dt_web_page *out);

/* DT_OK when the database answers SELECT 1; its error otherwise. */
DT_EXTERN int dt_web_health(dt_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif
