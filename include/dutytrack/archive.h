/*
 * The duty archive: one chronological record of what each deputy did.
 *
 * This is the seam where the modules meet. It is a table, duty_record, that
 * each module appends to inside the transaction that creates the source row
 * (an attendance, a suggestion, a ballot...), with the kind, the time, a
 * quantity and its unit, and a reference back to the source row. Ranking
 * reads only this table. A table rather than a view over every module's
 * tables, so ranking a month over a million records is one indexed scan and
 * a rules change never has to know each module's schema.
 */
#ifndef DUTYTRACK_ARCHIVE_H
#define DUTYTRACK_ARCHIVE_H

#include "dutytrack/common.h"
#include "dutytrack/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* List deputy code's duty records with from <= occurred_at < to (unix
 * seconds; INT64_MIN / INT64_MAX for open ends), oldest first, to w.
 * DT_ENOTFOUND for an unknown code. */
DT_EXTERN int dt_archive_list(dt_ctx *ctx, const char *code, int64_t from, int64_t to,
                              dt_writer *w);

/* The kinds of duty record the modules produce, and the i-th one's name and
 * unit; static. */
DT_EXTERN size_t dt_archive_kind_count(void);
DT_EXTERN const char *dt_archive_kind_name(size_t i);
DT_EXTERN const char *dt_archive_kind_unit(size_t i);

#ifdef __cplusplus
}
#endif

#endif
