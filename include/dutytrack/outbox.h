/*
 * Notifications: an outbox of messages, each with a unique key chosen by
 * its producer, and the sender that delivers them by e-mail (SMTP) or
 * webhook (generic JSON, WeCom or DingTalk group robots) through libcurl.
 *
 * A message is never lost and never sent twice because a job was retried,
 * killed or run twice at once: queuing a key that exists is a no-op, and a
 * sender claims one message at a time with a lease, in a transaction, and
 * marks it sent only after the server accepted it. libcurl is loaded only
 * when something is sent, so commands that send nothing start fast.
 */
#ifndef DUTYTRACK_OUTBOX_H
#define DUTYTRACK_OUTBOX_H

#include "dutytrack/common.h"
#include "dutytrack/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A message to queue. Strings are copied. */
typedef struct {
	unsigned int version;       /* DT_MESSAGE_VERSION */
	const char *key;            /* unique, e.g. "rank-low:2026-11:RZ0042" */
	const char *channel;        /* "email" or "webhook" */
	const char *address;        /* e-mail address; for webhooks, who is meant (a code) */
	const char *name;           /* the recipient's name, may be NULL */
	const char *subject;        /* no CR or LF */
	const char *body;
} dt_message;

#define DT_MESSAGE_VERSION 1
#define DT_MESSAGE_INIT { DT_MESSAGE_VERSION, NULL, NULL, NULL, NULL, NULL, NULL }

/* Queue m; *queued (may be NULL) is 1, or 0 when the key was queued before
 * (then nothing changes). DT_EDATA for a CR or LF in a header value, an
 * unknown channel or a bad address. Call inside or outside a transaction. */
DT_EXTERN int dt_outbox_queue(dt_ctx *ctx, const dt_message *m, int *queued);

/* Queue a message to deputy code on their channel: e-mail when they have an
 * address, else the webhook when one is configured. DT_ENOTFOUND for an
 * unknown code, DT_EDATA when the deputy cannot be reached. */
DT_EXTERN int dt_outbox_queue_deputy(dt_ctx *ctx, const char *code, const char *key, const char *subject,
                                     const char *body, int *queued);

/* List messages (all, or in one state: pending, sending, sent, failed,
 * cancelled) to w: key, channel, address, subject, state, attempts,
 * next_attempt_at, last_error. */
DT_EXTERN int dt_outbox_list(dt_ctx *ctx, const char *state, dt_writer *w);

/* One message as a record, with its body. DT_ENOTFOUND for an unknown key. */
DT_EXTERN int dt_outbox_show(dt_ctx *ctx, const char *key, dt_writer *w);

/* Make a failed or cancelled message pending again, due now. */
DT_EXTERN int dt_outbox_retry(dt_ctx *ctx, const char *key);

/* Cancel a message that was not sent. DT_EEXISTS when it was sent. */
DT_EXTERN int dt_outbox_cancel(dt_ctx *ctx, const char *key);

typedef struct {
	unsigned int version;  /* DT_SEND_OPTIONS_VERSION */
	uint64_t limit;        /* at most this many messages; 0: all due */
	const char *channel;   /* "email", "webhook" or NULL for both */
	int dry_run;           /* list what is due, send nothing */
} dt_send_options;

#define DT_SEND_OPTIONS_VERSION 1
#define DT_SEND_OPTIONS_INIT { DT_SEND_OPTIONS_VERSION, 0, NULL, 0 }

typedef struct {
	uint64_t sent;
	uint64_t retrying; /* a temporary failure or a rate limit: will go again */
	uint64_t failed;   /* failed for good */
} dt_send_result;

/* Deliver due messages, writing key, channel, address, outcome and detail
 * per message to w (may be NULL). DT_OK even when some failed: see res. */
DT_EXTERN int dt_outbox_send(dt_ctx *ctx, const dt_send_options *opts, dt_writer *w, dt_send_result *res);

/* Who a staff notice goes to: "all", "delegation:NAME", "station:NAME" or a
 * deputy code. */
typedef struct {
	unsigned int version;  /* DT_NOTICE_VERSION */
	const char *const *targets;
	size_t ntargets;
	const char *subject;   /* one line */
	const char *body;
	const char *key;       /* NULL: a digest of subject, body and recipient */
} dt_notice;

#define DT_NOTICE_VERSION 1
#define DT_NOTICE_INIT { DT_NOTICE_VERSION, NULL, 0, NULL, NULL, NULL }

/* Queue a notice to every active deputy the targets name, one message each,
 * in one transaction; lists code, key and queued (0: queued before) to w.
 * A deputy of a group target who has no channel is reported through the
 * diagnostics and skipped; named alone, DT_EDATA. */
DT_EXTERN int dt_notify(dt_ctx *ctx, const dt_notice *n, dt_writer *w);

/* Ask every module's reminder producer what is due now and queue it;
 * lists producer and queued count to w. Running it twice queues nothing new. */
DT_EXTERN int dt_reminders_queue(dt_ctx *ctx, dt_writer *w);

/* What dt_reminders_queue would queue now, queuing nothing: each message's
 * key, channel, address and subject to w. */
DT_EXTERN int dt_reminders_preview(dt_ctx *ctx, dt_writer *w);

#ifdef __cplusplus
}
#endif

#endif
