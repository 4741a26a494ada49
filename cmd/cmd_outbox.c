/*
 * Notifications: the outbox, sending, staff notices, reminders.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "rdlz.h"

int cmd_list_outbox(rdlz_run *run)
{
	dt_writer *w;
	int code = rdlz_writer(run, 0, &w);

	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, dt_outbox_list(run->ctx, rdlz_opt(run, "state"), w));
}

int cmd_show_message(rdlz_run *run)
{
	dt_writer *w;
	int code = rdlz_writer(run, DT_WRITE_RECORD, &w);

	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, dt_outbox_show(run->ctx, run->argv[0], w));
}

int cmd_retry_message(rdlz_run *run)
{
	return rdlz_finish(run, NULL, dt_outbox_retry(run->ctx, run->argv[0]));
}

int cmd_cancel_message(rdlz_run *run)
{
	return rdlz_finish(run, NULL, dt_outbox_cancel(run->ctx, run->argv[0]));
}

/* Exit status for cron: 0 all sent, 75 some will be retried, 1 some failed. */
int cmd_send_reminders(rdlz_run *run)
{
	dt_send_options o = DT_SEND_OPTIONS_INIT;
	dt_send_result res = { 0 };
	long limit = 0;
	dt_writer *w;
	int code = rdlz_opt_int(run, "limit", 1, 1000000000L, &limit), rc;

	if (code == EXIT_OK)
		code = rdlz_writer(run, 0, &w);
	if (code != EXIT_OK)
		return code;
	o.limit = (uint64_t)limit;
	o.channel = rdlz_opt(run, "channel");
	o.dry_run = rdlz_has(run, "dry-run");
	rc = dt_outbox_send(run->ctx, &o, w, &res);
	code = rdlz_finish(run, w, rc);
	if (code != EXIT_OK)
		return code;
	if (res.failed)
		return EXIT_FAILED;
	return res.retrying ? EXIT_TEMPFAIL : EXIT_OK;
}

#define MAX_BODY (1u << 20)

/* The whole of a file, or of standard input for "-"; NULL with errno set
 * (EFBIG past MAX_BODY: a notice is not an attachment). */
static char *read_all(const char *path)
{
	int from_stdin = strcmp(path, "-") == 0;
	FILE *f = from_stdin ? stdin : fopen(path, "rb");
	char *data = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			char *d = realloc(data, cap = cap ? cap * 2 : 8192);
			if (!d) {
				free(data);
				data = NULL;
				break;
			}
			data = d;
		}
		n = fread(data + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0 && len <= MAX_BODY);
	if (data && len > MAX_BODY) {
		free(data);
		data = NULL;
		errno = EFBIG;
	} else if (data) {
		data[len] = '\0';
	}
	if (!from_stdin)
		fclose(f);
	return data;
}

int cmd_notify(rdlz_run *run)
{
	dt_notice n = DT_NOTICE_INIT;
	const char **targets, *t, *file = rdlz_opt(run, "body-file");
	char *body;
	dt_writer *w;
	int code, rc, k = 0;

	/* --to may repeat, and codes may follow as operands */
	targets = calloc((size_t)run->nvalues + (size_t)run->argc + 1, sizeof(*targets));
	if (!targets)
		return rdlz_usage_error(run->cmd, "out of memory");
	while ((t = rdlz_opt_nth(run, "to", k)) != NULL)
		targets[k++] = t;
	for (int i = 0; i < run->argc; i++)
		targets[k++] = run->argv[i];
	if (!k || !rdlz_opt(run, "subject") || !file) {
		free(targets);
		return rdlz_usage_error(run->cmd, "'notify' needs --to, --subject and --body-file");
	}
	body = read_all(file);
	if (!body) {
		int e = errno;
		fprintf(stderr, "rdlz: cannot read '%s': %s\n", file, e == EFBIG ? "over 1 MiB" : strerror(e));
		free(targets);
		return e == ENOENT ? EXIT_USAGE : e == EFBIG ? EXIT_DATAERR : EXIT_FAILED;
	}
	n.targets = targets;
	n.ntargets = (size_t)k;
	n.subject = rdlz_opt(run, "subject");
	n.body = body;
	n.key = rdlz_opt(run, "key");
	code = rdlz_writer(run, 0, &w);
	if (code != EXIT_OK) {
		free(body);
		free(targets);
		return code;
	}
	rc = dt_notify(run->ctx, &n, w);
	free(body);
	free(targets);
	return rdlz_finish(run, w, rc);
}

int cmd_queue_reminders(rdlz_run *run)
{
	dt_writer *w;
	int code = rdlz_writer(run, 0, &w);

	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, rdlz_has(run, "dry-run") ? dt_reminders_preview(run->ctx, w) :
	                                                     dt_reminders_queue(run->ctx, w));
}
