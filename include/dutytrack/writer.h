/*
 * One writer renders every listing: table, CSV, JSON, JSON lines or an
 * Excel workbook.
 *
 * A listing declares its columns once (name, type, whether it holds personal
 * data), then hands over rows. Table output is buffered to measure widths;
 * the text formats stream; an Excel workbook is built in a private temporary
 * file and handed over whole at dt_writer_end. Output goes to a sink
 * callback, so a front end decides where bytes land (dt_writer_sink_file
 * writes to a FILE *).
 */
#ifndef DUTYTRACK_WRITER_H
#define DUTYTRACK_WRITER_H

#include "dutytrack/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	DT_FORMAT_TABLE = 0, /* aligned by display width (CJK counts 2) */
	DT_FORMAT_CSV,       /* RFC 4180, formula cells neutralised */
	DT_FORMAT_JSON,      /* an array of objects, or one object for a record */
	DT_FORMAT_JSONL,     /* one object per line */
	DT_FORMAT_XLSX       /* an Excel sheet: CSV's columns, Chinese headers, numbers and dates typed */
} dt_format;

typedef enum {
	DT_COL_TEXT = 0,
	DT_COL_INT,
	DT_COL_REAL,
	DT_COL_BOOL
} dt_coltype;

/* Column flags. */
#define DT_COL_PHONE 0x1u    /* personal: a phone, masked as 137****0743 */
#define DT_COL_PERSONAL 0x2u /* personal: a citizen's name, masked as 张* */
#define DT_COL_FLAT 0x4u     /* table, CSV and xlsx only: e.g. one column per choice */
#define DT_COL_NESTED 0x8u   /* JSON only: a text holding a JSON value, written as it is */

/* Writer flags. */
#define DT_WRITE_BOM 0x1u    /* CSV: start with a UTF-8 byte-order mark */
#define DT_WRITE_UNMASK 0x2u /* write personal columns in clear */
#define DT_WRITE_RECORD 0x4u /* exactly one row: JSON writes an object, table writes field: value lines */

typedef struct {
	const char *name; /* snake_case; the CSV header and the JSON key */
	dt_coltype type;
	unsigned int flags; /* DT_COL_* */
} dt_column;

typedef struct {
	int is_null;
	const char *text; /* DT_COL_TEXT (UTF-8); borrowed for the call */
	int64_t i;        /* DT_COL_INT, DT_COL_BOOL */
	double r;         /* DT_COL_REAL */
} dt_value;

/* Where bytes go; returns 0, or non-zero when writing failed. */
typedef int (*dt_sink_fn)(void *userdata, const char *buf, size_t len);

typedef struct dt_writer dt_writer;

/* Parse "table", "csv", "json", "jsonl" or "xlsx"; DT_EUSAGE for anything else. */
DT_EXTERN int dt_format_parse(const char *name, dt_format *out);

/* The name of a format; static. */
DT_EXTERN const char *dt_format_name(dt_format format);

/* A new writer into *out that sends its bytes to sink; free with dt_writer_free. */
DT_EXTERN int dt_writer_new(dt_writer **out, dt_format format, unsigned int flags,
                            dt_sink_fn sink, void *userdata);

/* A sink that fwrite()s to the FILE * given as userdata. */
DT_EXTERN int dt_writer_sink_file(void *userdata, const char *buf, size_t len);

/* Declare the columns; the array must outlive the writer. Call once. */
DT_EXTERN int dt_writer_begin(dt_writer *w, const dt_column *cols, size_t ncols);

/* Add one row of ncols values (copied). DT_EIO when the sink failed. */
DT_EXTERN int dt_writer_row(dt_writer *w, const dt_value *values);

/* Finish: flush a table, close a JSON array, hand over the workbook. DT_EIO
 * when the sink failed or the workbook could not be made. */
DT_EXTERN int dt_writer_end(dt_writer *w);

/* Why the writer failed when its status does not say it all (the workbook's
 * temporary file, a sheet's limits); "" otherwise. Owned by the writer. */
DT_EXTERN const char *dt_writer_errmsg(const dt_writer *w);

/* Rows written so far. */
DT_EXTERN uint64_t dt_writer_rows(const dt_writer *w);

/* 1 if a personal column was written in clear (the caller audits it). */
DT_EXTERN int dt_writer_revealed(const dt_writer *w);

/* Free the writer; NULL is fine. Does not flush: call dt_writer_end first. */
DT_EXTERN void dt_writer_free(dt_writer *w);

/* Mask a phone for display into buf (137****0743); returns buf. */
DT_EXTERN char *dt_mask_phone(const char *phone, char *buf, size_t size);

/* Display width of a UTF-8 string in terminal columns (wide CJK = 2). */
DT_EXTERN size_t dt_display_width(const char *utf8);

#ifdef __cplusplus
}
#endif

#endif
