/*
 * Satisfaction surveys: `rdlz run-survey ACTION [ID]` drives a survey's
 * whole life, one sub-verb per step.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "rdlz.h"

static int survey_create(rdlz_run *run)
{
	dt_survey s = DT_SURVEY_INIT;
	const char *items[RDLZ_MAX_VALUES], *p, *from = rdlz_opt(run, "from");
	int64_t id;
	size_t n = 0;
	int rc;

	if (from) {
		FILE *in;
		int code;

		if (rdlz_opt(run, "title") || rdlz_opt(run, "item") || rdlz_opt(run, "subject"))
			return rdlz_usage_error(run->cmd, "give the survey by --from FILE or by options, not both");
		code = rdlz_open_input(from, &in);
		if (code != EXIT_OK)
			return code;
		rc = dt_survey_create_from(run->ctx, in, from, &id);
		rdlz_close_input(in);
	} else {
		while ((p = rdlz_opt_nth(run, "item", (int)n)) != NULL)
			items[n++] = p;
		s.title = rdlz_opt(run, "title");
		s.subject = rdlz_opt(run, "subject");
		if (!s.title || !s.subject || !n)
			return rdlz_usage_error(run->cmd, "'run-survey create' needs --title, --subject and --item (or --from)");
		s.items = items;
		s.nitems = n;
		s.scale = rdlz_opt(run, "scale");
		s.secret = rdlz_has(run, "secret");
		s.live_results = rdlz_has(run, "live-results");
		s.eligible = rdlz_opt(run, "eligible");
		rc = dt_survey_create(run->ctx, &s, &id);
	}
	return rdlz_print_number(run, rc, id);
}

static int survey_vote(rdlz_run *run, int64_t id)
{
	const char *answers[RDLZ_MAX_VALUES], *p, *from = rdlz_opt(run, "from");
	dt_ballot b = DT_BALLOT_INIT;
	size_t n = 0;

	if (from) {
		uint64_t count = 0;
		FILE *in;
		int rc, code;

		if (rdlz_opt(run, "deputy") || rdlz_opt(run, "answer"))
			return rdlz_usage_error(run->cmd, "give one ballot (--deputy, --answer) or a batch (--from), not both");
		code = rdlz_open_input(from, &in);
		if (code != EXIT_OK)
			return code;
		rc = dt_survey_vote_import(run->ctx, id, in, from, rdlz_opt(run, "encoding"), rdlz_opt(run, "channel"),
		                           &count);
		rdlz_close_input(in);
		return rdlz_print_number(run, rc, (int64_t)count);
	}
	while ((p = rdlz_opt_nth(run, "answer", (int)n)) != NULL)
		answers[n++] = p;
	b.deputy = rdlz_opt(run, "deputy");
	if (!b.deputy || !n)
		return rdlz_usage_error(run->cmd, "'run-survey vote' needs --deputy and --answer ITEM=CHOICE (or --from)");
	b.channel = rdlz_opt(run, "channel");
	b.answers = answers;
	b.nanswers = n;
	return rdlz_finish(run, NULL, dt_survey_vote(run->ctx, id, &b));
}

static int discard(void *ud, const char *buf, size_t len)
{
	(void)ud;
	(void)buf;
	(void)len;
	return 0;
}

/* The results once, or with --watch redrawn on a terminal every SECONDS
 * until the survey closes; off a terminal only the final result is
 * written, so a script waiting for the announcement reads one listing. */
static int survey_results(rdlz_run *run, int64_t id)
{
	long seconds = 0;
	int tty = isatty(fileno(run->out)), closed = 0, code = EXIT_OK;

	if (rdlz_opt(run, "watch"))
		code = rdlz_opt_int(run, "watch", 1, 3600, &seconds);
	if (code != EXIT_OK)
		return code;
	for (;;) {
		dt_writer *w;
		int rc;

		if (seconds && !tty) {
			/* poll without writing: a listing that is not the last would only mislead a reader */
			dt_writer *quiet;

			rc = dt_writer_new(&quiet, DT_FORMAT_CSV, 0, discard, NULL);
			if (rc == DT_OK)
				rc = dt_survey_results(run->ctx, id, quiet, &closed);
			dt_writer_free(quiet);
			if (rc != DT_OK)
				return rdlz_fail(run, rc);
			if (!closed) {
				sleep((unsigned)seconds);
				continue;
			}
		}
		code = rdlz_writer(run, 0, &w);
		if (code != EXIT_OK)
			return code;
		if (seconds && tty)
			fputs("\033[H\033[2J", run->out);
		code = rdlz_finish(run, w, dt_survey_results(run->ctx, id, w, &closed));
		fflush(run->out);
		if (code != EXIT_OK || !seconds || closed)
			return code;
		sleep((unsigned)seconds);
	}
}

int cmd_run_survey(rdlz_run *run)
{
	const char *action = run->argv[0];
	static const char *const actions[] = { "create", "open", "close", "vote", "results", "list" };
	int64_t id = 0;
	int code = EXIT_OK;

	if (!strcmp(action, "create") || !strcmp(action, "list")) {
		if (run->argc != 1)
			return rdlz_usage_error(run->cmd, "'%s' takes no survey id", action);
		if (!strcmp(action, "create"))
			return survey_create(run);
		{
			dt_writer *w;

			code = rdlz_writer(run, 0, &w);
			return code != EXIT_OK ? code : rdlz_finish(run, w, dt_survey_list(run->ctx, w));
		}
	}
	if (strcmp(action, "open") && strcmp(action, "close") && strcmp(action, "vote") && strcmp(action, "results")) {
		const char *near = rdlz_suggest(action, actions, sizeof(actions) / sizeof(actions[0]));

		return rdlz_usage_error(run->cmd, "'%s' is not create, open, close, vote, results or list%s%s%s", action,
		                        near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
	}
	if (run->argc != 2)
		return rdlz_usage_error(run->cmd, "'%s' needs the survey's id", action);
	code = rdlz_operand_id(run, 1, "survey", &id);
	if (code != EXIT_OK)
		return code;
	if (!strcmp(action, "open"))
		return rdlz_finish(run, NULL, dt_survey_open(run->ctx, id));
	if (!strcmp(action, "close"))
		return rdlz_finish(run, NULL, dt_survey_close(run->ctx, id));
	if (!strcmp(action, "vote"))
		return survey_vote(run, id);
	return survey_results(run, id);
}
