/*
 * Times and dates. Times are stored as unix seconds; days and months are
 * taken in the configured time zone (setting time.zone, default Asia/Shanghai).
 */
#ifndef DUTYTRACK_TIME_H
#define DUTYTRACK_TIME_H

#include "dutytrack/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parse an ISO-8601 time with offset ("2026-11-28T09:30:00+08:00", "...Z";
 * seconds optional) into unix seconds. DT_EDATA for a malformed or
 * non-existent time (2026-02-30); the message names the value. */
DT_EXTERN int dt_time_parse(dt_ctx *ctx, const char *text, int64_t *out);

/* Parse a time as dt_time_parse does, or without an offset as a local time
 * in the configured zone ("2026-12-01 09:30"; "/" between the date's parts
 * accepted too). DT_EDATA for a time that does not exist there. */
DT_EXTERN int dt_time_parse_local(dt_ctx *ctx, const char *text, int64_t *out);

/* Parse a calendar date "YYYY-MM-DD" into the unix time of its start
 * (00:00) in the configured zone. DT_EDATA for a date that does not exist. */
DT_EXTERN int dt_date_parse(dt_ctx *ctx, const char *text, int64_t *out);

/* Format unix seconds as ISO-8601 in the configured zone with its offset
 * ("2026-11-28T09:30:00+08:00") into buf (at least 32 bytes); returns buf. */
DT_EXTERN char *dt_time_format(dt_ctx *ctx, int64_t t, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
