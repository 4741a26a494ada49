/*
 * Events and what deputies do at them: standing-committee meetings and
 * special inquiries attended on site or online (云列席), court hearings
 * observed (云旁听), forums, trainings and activities; attendance from a
 * manual record or the streaming service's join/leave log; comments and
 * messages; articles and learning (云课堂); the calendar feed and the
 * statistics. The streaming itself is another service's: rdlz keeps the
 * record.
 *
 * Times are unix seconds. Attendance, comments and learning minutes enter
 * the duty archive (archive.h).
 */
#ifndef DUTYTRACK_EVENTS_H
#define DUTYTRACK_EVENTS_H

#include <stdio.h>
#include "dutytrack/common.h"
#include "dutytrack/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A time field left as it is (updates) or not given (creation). */
#define DT_TIME_UNSET INT64_MIN

/* An event. Strings are copied; for dt_event_update a NULL string or an
 * unset time leaves the field as it is, and "" clears an optional one. */
typedef struct {
	unsigned int version;     /* DT_EVENT_VERSION */
	const char *kind;         /* meeting, inquiry, hearing, forum, training, activity */
	const char *title;
	int64_t starts_at;
	int64_t ends_at;          /* optional; a join/leave log needs it */
	const char *place;
	const char *stream_url;   /* http(s) address of the live stream */
	int64_t announce_at;      /* when deputies are told; hearings: required, before the start */
	const char *court;        /* hearings: the court */
	const char *case_summary; /* hearings: what the case is about */
} dt_event;

#define DT_EVENT_VERSION 1
#define DT_EVENT_INIT                                                                                  \
	{ DT_EVENT_VERSION, NULL, NULL, DT_TIME_UNSET, DT_TIME_UNSET, NULL, NULL, DT_TIME_UNSET, NULL, NULL }

/* Create an event; *id (may be NULL) receives its id. DT_EUSAGE for a
 * missing kind, title or start, a hearing not announced before it starts,
 * an end not after the start, a stream address that is not http(s). */
DT_EXTERN int dt_event_create(dt_ctx *ctx, const dt_event *e, int64_t *id);

/* Change an event. A change of title, time, place or stream address bumps
 * its revision, so deputies already told of it are sent a correction.
 * DT_ESTATE for a cancelled event, DT_ENOTFOUND. */
DT_EXTERN int dt_event_update(dt_ctx *ctx, int64_t id, const dt_event *changes);

/* Cancel an event (reason may be NULL); deputies already told are told of
 * the cancellation. DT_ESTATE when already cancelled. */
DT_EXTERN int dt_event_cancel(dt_ctx *ctx, int64_t id, const char *reason);

typedef struct {
	unsigned int version; /* DT_EVENT_FILTER_VERSION */
	const char *kind;     /* NULL: every kind */
	int64_t from, to;     /* events starting in [from, to); DT_TIME_UNSET: open */
	int upcoming;         /* only scheduled events that have not ended */
} dt_event_filter;

#define DT_EVENT_FILTER_VERSION 1
#define DT_EVENT_FILTER_INIT { DT_EVENT_FILTER_VERSION, NULL, DT_TIME_UNSET, DT_TIME_UNSET, 0 }

/* List events by start (id, kind, title, starts_at, ends_at, place,
 * stream_url, status, attendees, comments). */
DT_EXTERN int dt_event_list(dt_ctx *ctx, const dt_event_filter *f, dt_writer *w);

/* One event as a record, with its counts. */
DT_EXTERN int dt_event_show(dt_ctx *ctx, int64_t id, dt_writer *w);

/* Kinds of event and modes of attendance; NULL past the end. Static. */
DT_EXTERN const char *dt_event_kind_name(size_t i);
DT_EXTERN const char *dt_attendance_mode_name(size_t i);

/* Record one deputy's attendance of a past, scheduled event by hand:
 * onsite, online, excused or absent (the last record wins over a log).
 * DT_ESTATE for a cancelled event or one that has not started. */
DT_EXTERN int dt_attendance_record(dt_ctx *ctx, int64_t event, const char *code, const char *mode);

typedef struct {
	uint64_t rows;      /* rows read */
	uint64_t deputies;  /* deputies in the log */
	uint64_t online;    /* of them online for at least attendance.online_share */
	uint64_t partial;   /* online for less */
	uint64_t changed;   /* deputies whose minutes or mode changed */
} dt_attendance_summary;

/* Merge a join/leave log (CSV: code,joined_at,left_at, or 代表编号,进入时间,
 * 离开时间; several rows per deputy) into the event's online intervals and
 * recount each deputy's minutes within the event. All or nothing: every
 * bad row (unknown deputy, time outside the event with its grace, a leave
 * before the join) is reported by line and nothing is written. The same
 * log twice changes nothing. encoding: NULL, "utf-8" or "gbk". */
DT_EXTERN int dt_attendance_import(dt_ctx *ctx, int64_t event, FILE *in, const char *name, const char *encoding,
                                   dt_attendance_summary *summary);

/* Each deputy recorded for the event: code, name, delegation, mode, minutes. */
DT_EXTERN int dt_attendance_list(dt_ctx *ctx, int64_t event, dt_writer *w);

/* Post a comment (a message at a hearing) now; *id may be NULL.
 * DT_ESTATE for a cancelled event or one that has not started. */
DT_EXTERN int dt_comment_post(dt_ctx *ctx, int64_t event, const char *code, const char *text, int64_t *id);

/* Import the streaming service's comment export (code,time,text; 代表编号,
 * 时间,内容): all or nothing, errors by line; a comment already there is
 * not added again. *added (may be NULL) counts the new ones. */
DT_EXTERN int dt_comment_import(dt_ctx *ctx, int64_t event, FILE *in, const char *name, const char *encoding,
                                uint64_t *added);

/* Comments of an event by time (id, code, name, at, text, hidden,
 * hidden_reason); hidden ones only with include_hidden. */
DT_EXTERN int dt_comment_list(dt_ctx *ctx, int64_t event, int include_hidden, dt_writer *w);

/* Hide a comment (moderation): kept, but no longer listed or counted, and
 * out of the duty archive. DT_EUSAGE without a reason, DT_ESTATE when hidden. */
DT_EXTERN int dt_comment_hide(dt_ctx *ctx, int64_t id, const char *reason);

/* An article of the knowledge window: a link or a body of text. */
typedef struct {
	unsigned int version;    /* DT_ARTICLE_VERSION */
	const char *title;
	const char *url;         /* one of url and body */
	const char *body;
	const char *const *tags;
	size_t ntags;
} dt_article;

#define DT_ARTICLE_VERSION 1
#define DT_ARTICLE_INIT { DT_ARTICLE_VERSION, NULL, NULL, NULL, NULL, 0 }

DT_EXTERN int dt_article_add(dt_ctx *ctx, const dt_article *a, int64_t *id);

/* Articles (id, title, url, tags, created_at, readers, minutes), newest
 * first; only those tagged tag when it is not NULL. */
DT_EXTERN int dt_article_list(dt_ctx *ctx, const char *tag, dt_writer *w);

/* One learning session: an article read or an event watched (a replay),
 * minutes long, at time at (not in the future). At most one of article and
 * event is > 0; neither is a course outside both (as the e-learning log
 * has). The same session twice is DT_EEXISTS. */
DT_EXTERN int dt_learning_record(dt_ctx *ctx, const char *code, int64_t article, int64_t event, int64_t minutes,
                                 int64_t at);

/* Import the e-learning platform's log (code,minutes,time[,article]):
 * all or nothing, errors by line. *added (may be NULL) counts new sessions. */
DT_EXTERN int dt_learning_import(dt_ctx *ctx, FILE *in, const char *name, const char *encoding, uint64_t *added);

/* Write the schedule as an RFC 5545 calendar to out: events of kind (NULL:
 * all) starting at or after from (DT_TIME_UNSET: all), cancelled ones as
 * CANCELLED. UIDs are stable; SEQUENCE follows the revisions. */
DT_EXTERN int dt_event_ical(dt_ctx *ctx, const char *kind, int64_t from, FILE *out);

/* One event's figures: a record of attendees by mode, person-times (on
 * site and online), minutes, comments, hidden comments and learning. */
DT_EXTERN int dt_event_stats(dt_ctx *ctx, int64_t id, dt_writer *w);

/* Per kind of event starting in [from, to): sessions, person-times,
 * distinct deputies, comments and learning person-times; then articles
 * (learning from the knowledge window) and a total row. */
DT_EXTERN int dt_event_period_stats(dt_ctx *ctx, int64_t from, int64_t to, dt_writer *w);

#ifdef __cplusplus
}
#endif

#endif
