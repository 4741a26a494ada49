/*
 * The report across every module for a period, as staff hand it to the
 * office's leaders and the standing committee: deputies and codes,
 * requests and micro-suggestions, attendance and comments per kind of
 * event, learning, surveys, the ranking's top three and the reminders.
 */
#ifndef DUTYTRACK_REPORT_H
#define DUTYTRACK_REPORT_H

#include "dutytrack/common.h"
#include "dutytrack/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Every figure of [from, to) as rows of section, metric, label (Chinese)
 * and value; a rate is a share from 0 to 1, empty when there is nothing to
 * rate. DT_EUSAGE when to <= from. */
DT_EXTERN int dt_report(dt_ctx *ctx, int64_t from, int64_t to, dt_writer *w);

/* The same figures as one self-contained printable HTML page (inline CSS
 * and SVG charts: attendance per month, the case funnel, the top ten;
 * nothing fetched), titled with period, written whole to path (0644). */
DT_EXTERN int dt_report_html(dt_ctx *ctx, const char *period, int64_t from, int64_t to, const char *path);

#ifdef __cplusplus
}
#endif

#endif
