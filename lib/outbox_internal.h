/*
 * Shared by outbox.c (queue, claim, settle), send.c (e-mail and webhooks),
 * curl_loader.c (libcurl on demand), secrets.c and notify.c.
 */
#ifndef DT_OUTBOX_INTERNAL_H
#define DT_OUTBOX_INTERNAL_H

#include "internal.h"

/* A claimed message. */
typedef struct {
	int64_t id;
	int64_t after_id; /* claim only messages after this one */
	char claim[17];
	char *key, *channel, *address, *name, *subject, *body;
	int64_t attempts; /* including this one */
	int64_t created_at;
} dt_outbox_msg;

typedef enum {
	DT_SEND_SENT = 0,
	DT_SEND_RETRY,  /* temporary failure: try again at *next */
	DT_SEND_DEFER,  /* not tried (rate limit): due again at *next, no attempt counted */
	DT_SEND_FAILED  /* for good */
} dt_send_outcome;

typedef struct dt_sender dt_sender;

/* Load libcurl and read the settings and secrets sending needs. */
int dt__sender_open(dt_ctx *ctx, dt_sender **out);
void dt__sender_close(dt_sender *s);

/* Send one message; detail receives what the server said. */
dt_send_outcome dt__sender_send(dt_ctx *ctx, dt_sender *s, const dt_outbox_msg *m, char *detail, size_t size,
                                int64_t *next);

/* Fill channel, address and name of m for deputy code; *email and *name
 * hold the strings and are freed by the caller. */
int dt__outbox_deputy_message(dt_ctx *ctx, const char *code, dt_message *m, char **email, char **name);

/* A secret from the environment (RDLZ_<NAME>) or the secrets file; *out is
 * NULL when neither has it. The secrets file must be mode 0600. */
int dt__secret(dt_ctx *ctx, const char *name, char **out);

#endif
