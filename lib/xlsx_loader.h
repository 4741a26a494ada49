/*
 * libxlsxwriter, loaded when the first workbook is started. Linking it
 * would cost every rdlz run about 6 ms of start-up (it pulls in libminizip
 * and libcrypto); cron jobs and shell loops run rdlz thousands of times
 * and almost none writes Excel. Only its header is used at build time.
 */
#ifndef DT_XLSX_LOADER_H
#define DT_XLSX_LOADER_H

#include <xlsxwriter.h>

/* The functions lib/writer_xlsx.c calls, with their real prototypes. */
typedef struct {
	__typeof__(workbook_new_opt) *workbook_new_opt;
	__typeof__(workbook_add_worksheet) *workbook_add_worksheet;
	__typeof__(workbook_add_format) *workbook_add_format;
	__typeof__(workbook_close) *workbook_close;
	__typeof__(lxw_workbook_free) *lxw_workbook_free;
	__typeof__(format_set_bold) *format_set_bold;
	__typeof__(format_set_num_format) *format_set_num_format;
	__typeof__(worksheet_freeze_panes) *worksheet_freeze_panes;
	__typeof__(worksheet_write_string) *worksheet_write_string;
	__typeof__(worksheet_write_datetime) *worksheet_write_datetime;
	__typeof__(worksheet_write_number) *worksheet_write_number;
	__typeof__(worksheet_write_boolean) *worksheet_write_boolean;
	__typeof__(worksheet_set_column) *worksheet_set_column;
	__typeof__(worksheet_autofilter) *worksheet_autofilter;
	__typeof__(lxw_strerror) *lxw_strerror;
} dt_xlsx;

/* The loaded library (process-wide, loaded once, thread-safe), or NULL
 * with *why set to a message saying what is missing (kept for the life of
 * the process; a failed load is not retried). */
const dt_xlsx *dt__xlsx_load(const char **why);

#endif
