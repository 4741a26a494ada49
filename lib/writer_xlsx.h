/*
 * Private to libdutytrack: the Excel backend of the listing writer
 * (writer.c), through libxlsxwriter. writer.c masks and filters the columns
 * as for CSV and hands over typed cells; this file turns them into one
 * sheet with a header row of Chinese column names, fitted column widths,
 * numbers as numbers and dates as dates, and at the end passes the
 * workbook's bytes to the writer's sink.
 *
 * libxlsxwriter writes to a file name, so the workbook is built in a
 * private temporary file ($TMPDIR, else /tmp; mode 0600) that is removed
 * when the workbook ends or is freed. Failures return DT_EIO (DT_ENOMEM
 * when memory ran out) with the reason in the message buffer given to
 * dt__xlsx_begin.
 */
#ifndef DT_WRITER_XLSX_H
#define DT_WRITER_XLSX_H

#include "dutytrack/writer.h"

typedef struct dt__xlsx dt__xlsx;

/* The Chinese header of a column name, or NULL when it has none (the
 * sheet then shows the name itself). */
const char *dt__xlsx_header(const char *name);

/* Start a workbook whose header row names cols; err (size bytes) gets the
 * reason of this and every later failure. */
int dt__xlsx_begin(dt__xlsx **out, const dt_column *cols, size_t ncols, char *err, size_t size);

/* Cells of data row row (1 for the first: row 0 is the header). A cell not
 * written stays empty. */

/* Text; a date or a time as listings write them becomes an Excel date. */
int dt__xlsx_text(dt__xlsx *x, uint64_t row, size_t col, const char *s, size_t len);
/* A number; shown is the length of its text, for the column's width. */
int dt__xlsx_number(dt__xlsx *x, uint64_t row, size_t col, double d, size_t shown);
int dt__xlsx_bool(dt__xlsx *x, uint64_t row, size_t col, int b);

/* Finish the sheet of rows data rows and pass the workbook to sink. */
int dt__xlsx_end(dt__xlsx *x, uint64_t rows, dt_sink_fn sink, void *userdata);

/* Free x and remove its temporary file; NULL is fine. */
void dt__xlsx_free(dt__xlsx *x);

#endif
