/*
 * Private to libdutytrack: a streaming JSON emitter for the exchange
 * exports (export_popolo.c, export_open311.c), whose documents nest deeper
 * than the writer's rows. Objects and arrays are written to a FILE as they
 * come, with the commas placed for the caller and strings escaped by the
 * writer's escaper (dt__json_string). Failures are sticky: after one, the
 * output is incomplete and dt__json_finish says so.
 */
#ifndef DT_JSON_H
#define DT_JSON_H

#include "internal.h"

#define DT_JSON_MAX_DEPTH 8

typedef struct {
	FILE *out;
	int lines;   /* items of the outermost `lines` levels start a line of their own */
	int depth;   /* open objects and arrays */
	int failed;  /* a write failed */
	int misused; /* a name where none belongs, or a level too many or too few */
	char close[DT_JSON_MAX_DEPTH]; /* '}' or ']' of each open level */
	int items[DT_JSON_MAX_DEPTH];  /* written into each open level so far */
} dt_json;

/* Start a document on out. */
void dt__json_init(dt_json *j, FILE *out, int lines);

/* Open an object or an array: a member named key of the enclosing object,
 * or with key NULL an item of the enclosing array (or the document). */
void dt__json_object(dt_json *j, const char *key);
void dt__json_array(dt_json *j, const char *key);

/* Close the innermost object or array. */
void dt__json_end(dt_json *j);

/* Values, named or not as above. A NULL text and a non-finite real are null. */
void dt__json_text(dt_json *j, const char *key, const char *s);
void dt__json_int(dt_json *j, const char *key, int64_t v);
void dt__json_real(dt_json *j, const char *key, double v);
void dt__json_null(dt_json *j, const char *key);

/* End the document with a line break and flush: DT_OK, DT_EIO when writing
 * failed, or DT_ERROR when the calls did not nest (a bug). */
int dt__json_finish(dt_ctx *ctx, dt_json *j);

#endif
