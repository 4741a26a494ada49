/*
 * Shared by the event files: event.c (events), attendance.c, comment.c,
 * learning.c, event_ical.c, event_stats.c and event_notify.c.
 */
#ifndef DT_EVENTS_INTERNAL_H
#define DT_EVENTS_INTERNAL_H

#include "internal.h"

/* What the recording modules need to know of an event. */
typedef struct {
	int64_t id;
	char kind[16];
	int64_t starts_at;
	int64_t ends_at; /* DT_TIME_UNSET when it has none */
	int cancelled;
} dt_event_info;

/* Load event id; DT_ENOTFOUND with a message. */
int dt__event_get(dt_ctx *ctx, int64_t id, dt_event_info *ev);

/* Can things be recorded for ev now: not cancelled, and started?
 * DT_ESTATE with a message naming why not. */
int dt__event_open_for_records(dt_ctx *ctx, const dt_event_info *ev, const char *what);

/* The family of an event kind for the duty archive: meeting (meetings and
 * inquiries), hearing, training (forums and trainings) or activity. */
const char *dt__event_family(const char *kind);

/* The Chinese name of an event kind ("专题询问"); static. */
const char *dt__event_kind_label(const char *kind);

/* Seconds before an event's start and after its end that a log row may
 * fall in (setting attendance.grace_minutes). */
int dt__event_grace(dt_ctx *ctx, int64_t *seconds);

/* The reminder producer of events: announcements and their corrections. */
int dt__event_announcements(dt_ctx *ctx, uint64_t *queued);

#endif
