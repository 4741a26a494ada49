/*
 * Shared by the case files: cases.c (the state machine), case_report.c
 * (show, list, stats, reminders, purge) and photo.c.
 */
#ifndef DT_CASES_INTERNAL_H
#define DT_CASES_INTERNAL_H

#include "internal.h"

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
