/*
 * Personal QR codes. Each code encodes <base>/d/<CODE>?s=<SIG>, where SIG is
 * "<key id>.<tag>" and the tag is a truncated HMAC-SHA256 over the key id
 * and the deputy's code, so a poster that sends citizens elsewhere, or names
 * another deputy, is told apart from a genuine one. Keys live in the
 * database (mode 0600) and are never printed; rotating adds a key, and old
 * codes keep verifying until their keys are revoked.
 */
#ifndef DUTYTRACK_QR_H
#define DUTYTRACK_QR_H

#include "dutytrack/common.h"
#include "dutytrack/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	DT_QR_PNG = 0, /* a PNG image through libpng */
	DT_QR_SVG,     /* an SVG image */
	DT_QR_UTF8,    /* half-block characters for a terminal */
	DT_QR_POSTER   /* a printable A5 SVG poster with the deputy's details */
} dt_qr_type;

typedef struct {
	unsigned int version; /* DT_QR_OPTIONS_VERSION */
	dt_qr_type type;
	int size;             /* image width in pixels; 0: 8 pixels a module */
	int margin;           /* quiet zone in modules */
	char level;           /* error correction: 'L', 'M', 'Q' or 'H' */
} dt_qr_options;

#define DT_QR_OPTIONS_VERSION 1
#define DT_QR_OPTIONS_INIT { DT_QR_OPTIONS_VERSION, DT_QR_PNG, 0, 4, 'M' }

/* Which deputies: the codes named, else all active deputies, narrowed by
 * delegation and station when given. */
typedef struct {
	const char *const *codes;
	size_t ncodes;
	const char *delegation;
	const char *station;
} dt_qr_selection;

/* Parse "png", "svg", "utf8" or "poster"; DT_EUSAGE otherwise. */
DT_EXTERN int dt_qr_type_parse(const char *name, dt_qr_type *out);

/* The signed URL of deputy code's QR code into *url (free()). DT_EUSAGE when
 * qr.base_url is not set, DT_ENOTFOUND for an unknown code. */
DT_EXTERN int dt_qr_url(dt_ctx *ctx, const char *code, char **url);

/* Write one file per selected active deputy, dir/<CODE>.<png|svg>, each
 * replaced atomically, record every issue, and list code, file, key_id and
 * url to w. Nothing is written when a named code is unknown or retired.
 * Not for DT_QR_UTF8. */
DT_EXTERN int dt_qr_issue(dt_ctx *ctx, const dt_qr_selection *sel, const dt_qr_options *opts,
                          const char *dir, dt_writer *w);

/* Draw deputy code's QR code with half-block characters to sink, and record
 * the issue. */
DT_EXTERN int dt_qr_draw(dt_ctx *ctx, const char *code, const dt_qr_options *opts, dt_sink_fn sink,
                         void *userdata);

/* Check what a scanner read. DT_OK: genuine and serving, the deputy's public
 * card written to w as a record. DT_EVERIFY with the reason in the message
 * (malformed, foreign host, bad signature, unknown or revoked key, unknown
 * deputy, no longer serving). */
DT_EXTERN int dt_qr_verify(dt_ctx *ctx, const char *text, dt_writer *w);

/* The code of the serving deputy a scanned URL names, if it is genuine, into
 * *code (free()); DT_EVERIFY with the reason otherwise. */
DT_EXTERN int dt_qr_deputy(dt_ctx *ctx, const char *url, char **code);

/* Make a new signing key; with revoke_old, codes signed with earlier keys
 * stop verifying. *key_id (may be NULL) receives the new id (free()). */
DT_EXTERN int dt_qr_rotate_key(dt_ctx *ctx, int revoke_old, char **key_id);

/* List the codes issued: code, name, key_id, type, issued_at. */
DT_EXTERN int dt_qr_list(dt_ctx *ctx, dt_writer *w);

#ifdef __cplusplus
}
#endif

#endif
