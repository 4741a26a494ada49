/*
 * Reading CSV from outside (rosters, stream logs, ballots, rules): RFC 4180
 * through libcsv in strict mode, with the line each row starts on, UTF-8
 * with or without BOM or GBK, and limits that keep a malformed file from
 * swallowing memory. Used by every importer.
 */
#ifndef DT_CSVREAD_H
#define DT_CSVREAD_H

#include <stdio.h>
#include "internal.h"

/* One row: its fields (NUL-terminated, trimmed by libcsv when unquoted) and
 * the line it starts on. Fields belong to the reader until the callback
 * returns. Return DT_OK to go on, anything else to stop with that status. */
typedef int (*dt_csv_row_fn)(void *userdata, uint64_t line, char **fields, size_t nfields);

typedef struct {
	const char *name;     /* for messages: "roster.csv" */
	const char *encoding; /* NULL/"utf-8" or "gbk" */
	size_t max_field;     /* longest field accepted, in bytes */
	size_t max_fields;    /* most fields a row may have */
} dt_csv_options;

/* Read every row of in and hand it to fn. A malformed file (unbalanced
 * quote, NUL byte, oversize field, bad encoding) is reported through the
 * context's diagnostics as "NAME:LINE: ..." and gives DT_EDATA; a read
 * failure DT_EIO; else whatever fn returned to stop, or DT_OK. */
int dt__csv_read(dt_ctx *ctx, FILE *in, const dt_csv_options *opts, dt_csv_row_fn fn, void *userdata);

/* Bad rows an importer reports one by one; the rest are only counted. */
#define DT_CSV_MAX_REPORTED 50

/* A row's failure rc: a bad row (the context's message, for column) is
 * reported when among the first DT_CSV_MAX_REPORTED, counted in *errors,
 * and DT_OK returned so reading goes on; a failure of the database or of
 * memory is returned to stop. */
int dt__csv_row_failed(dt_ctx *ctx, const char *name, uint64_t line, const char *column, int rc, uint64_t *errors);

/* The status of an all-or-nothing import once dt__csv_read returned rc:
 * with bad rows (or no header row) DT_EDATA, "NAME: N bad rows; nothing was
 * VERB", after a line for the rows past DT_CSV_MAX_REPORTED; else rc. */
int dt__csv_outcome(dt_ctx *ctx, const char *name, int rc, uint64_t errors, int header_done, const char *verb);

/* Check an encoding name ("utf-8", "utf8", "gbk", "gb18030"). */
int dt__csv_encoding_ok(const char *encoding);

#endif
