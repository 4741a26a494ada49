/*
 * Shared by the QR code files: qr.c (keys, URLs, verifying), qr_render.c
 * (drawing) and qr_issue.c (choosing deputies, writing files).
 */
#ifndef DT_QR_INTERNAL_H
#define DT_QR_INTERNAL_H

#include <qrencode.h>
#include <stdio.h>
#include "internal.h"

const char *dt__qr_type_name(dt_qr_type t);

/* What signing needs, read once per command: the base URL and the current
 * key (made on first use, so init inside a transaction). */
typedef struct {
	char *base;
	char kid[16];
	unsigned char secret[32];
} dt_qr_signer;

int dt__qr_signer_init(dt_ctx *ctx, dt_qr_signer *sg);
void dt__qr_signer_free(dt_qr_signer *sg);

/* A key for another purpose (a label such as "serve form"), derived from the
 * newest QR signing key (made if there is none): the same in every process
 * on the database until the keys are rotated. */
int dt__qr_derive_key(dt_ctx *ctx, const char *purpose, unsigned char out[32]);

/* dt_qr_deputy, and *withdrawn set to 1 when the code is genuine but its key
 * was revoked or its deputy no longer serves (a 410, not a 404, for a web
 * page), else 0. */
int dt__qr_deputy(dt_ctx *ctx, const char *url, char **code, int *withdrawn);

/* The signed URL of code into *url (free()). */
int dt__qr_sign(dt_ctx *ctx, const dt_qr_signer *sg, const char *code, char **url);

/* Record that deputy_id was issued a code of type under kid. */
int dt__qr_record(dt_ctx *ctx, int64_t deputy_id, const char *kid, dt_qr_type type);

/* Encode url at level ('L', 'M', 'Q', 'H'); free with QRcode_free. */
int dt__qr_encode(dt_ctx *ctx, const char *url, char level, QRcode **out);

/* Pixels per module for a requested image width (0: 8); DT_EUSAGE when the
 * width cannot hold the code. */
int dt__qr_scale(dt_ctx *ctx, const QRcode *qr, int margin, int size, int *scale);

/* What a poster shows besides the code. */
typedef struct {
	const char *code, *name, *post, *delegation, *grid, *station, *phone;
} dt_qr_poster;

int dt__qr_write_png(const QRcode *qr, int margin, int scale, FILE *out);
int dt__qr_write_svg(const QRcode *qr, int margin, int scale, FILE *out);
int dt__qr_write_poster(const QRcode *qr, const dt_qr_poster *p, FILE *out);
int dt__qr_draw_utf8(const QRcode *qr, int margin, dt_sink_fn sink, void *userdata);

#endif
