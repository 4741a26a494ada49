/*
 * Shared by the case files: cases.c (the state machine), case_report.c
 * (show, list, stats, reminders, purge) and photo.c.
 */
#ifndef DT_CASES_INTERNAL_H
#define DT_CASES_INTERNAL_H

#include "internal.h"

/* Shared with the report, so its figures are case-stats' figures. */
/* A case (alias c) not in a terminal state: something is due in it. */
#define DT__CASE_OPEN "c.state NOT IN ('closed', 'rated', 'fed_back', 'answered', 'resolved')"
/* The on-time rate: answered before the due time, or not yet answered and
 * already late (?3 is now). */
#define DT__CASE_ON_TIME                                                                  \
	"avg(CASE WHEN answered_at IS NOT NULL THEN answered_on_time"                     \
	" WHEN due_at IS NOT NULL AND due_at < ?3 THEN 0 END)"

/* Append a history row to case id (inside the caller's transaction). */
int dt__case_event(dt_ctx *ctx, int64_t id, const char *action, const char *from, const char *to,
                   const char *note);

/* Store the image at path (by content: JPEG, PNG, WebP or HEIC, at most
 * 20 MB; once per SHA-256) and attach it to case id. */
int dt__photo_attach(dt_ctx *ctx, int64_t id, const char *path);

/* Queue the deputy's notice of a new request, the citizen's of a result. */
int dt__case_notify_deputy(dt_ctx *ctx, int64_t id, const char *state);
int dt__case_notify_citizen(dt_ctx *ctx, int64_t id, const char *state);

/* The reminder producer of cases: overdue requests and suggestions. */
int dt__case_reminders(dt_ctx *ctx, uint64_t *queued);

#endif
