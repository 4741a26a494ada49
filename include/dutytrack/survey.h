/*
 * Satisfaction surveys (云测评): deputies rate how a case or a department's
 * work was handled, or how officials answered at an inquiry; ballots cast
 * on site (paper, keypad) and online are counted together.
 *
 * A survey is created as a draft, opened (which fixes who may vote) and
 * closed. One ballot per eligible deputy. In a secret survey who voted is
 * kept apart from what was voted: ballots carry a random key, no deputy,
 * no time and no rowid (see rdlz-run-survey(1) for the whole argument).
 */
#ifndef DUTYTRACK_SURVEY_H
#define DUTYTRACK_SURVEY_H

#include <stdio.h>
#include "dutytrack/common.h"
#include "dutytrack/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	unsigned int version;       /* DT_SURVEY_VERSION */
	const char *title;
	const char *subject;        /* case:ID, department:CODE, event:ID or text:T */
	const char *const *items;   /* the questions, in order */
	size_t nitems;
	const char *scale;          /* satisfied3 (default: 满意/基本满意/不满意) or score5 (1-5) */
	int secret;
	int live_results;           /* counts shown while open */
	const char *eligible;       /* all (default), event:ID or delegation:NAME */
} dt_survey;

#define DT_SURVEY_VERSION 1
#define DT_SURVEY_INIT { DT_SURVEY_VERSION, NULL, NULL, NULL, 0, NULL, 0, 0, NULL }

/* Create a draft survey; *id (may be NULL) receives its id. DT_EUSAGE for
 * a bad field, DT_ENOTFOUND for a subject that does not exist. */
DT_EXTERN int dt_survey_create(dt_ctx *ctx, const dt_survey *s, int64_t *id);

/* Read a definition file (key: value lines: title, subject, scale, secret,
 * live-results, eligible, and one item per question; # comments) into a
 * new draft survey. Errors name the line. */
DT_EXTERN int dt_survey_create_from(dt_ctx *ctx, FILE *in, const char *name, int64_t *id);

/* Open a draft: the eligible deputies are fixed now. Close an open one.
 * DT_ESTATE otherwise, naming the state. */
DT_EXTERN int dt_survey_open(dt_ctx *ctx, int64_t id);
DT_EXTERN int dt_survey_close(dt_ctx *ctx, int64_t id);

/* One ballot: the deputy, its channel ("online" or "onsite") and answers
 * "ITEM=CHOICE" (ITEM a question's number; CHOICE a label of the scale,
 * or satisfied, basic, dissatisfied). An item left out is not answered. */
typedef struct {
	unsigned int version;     /* DT_BALLOT_VERSION */
	const char *deputy;
	const char *channel;
	const char *const *answers;
	size_t nanswers;
} dt_ballot;

#define DT_BALLOT_VERSION 1
#define DT_BALLOT_INIT { DT_BALLOT_VERSION, NULL, NULL, NULL, 0 }

/* Cast a ballot. DT_ESTATE when the survey is not open, DT_EEXISTS for a
 * second ballot, DT_EUSAGE for a deputy who is not eligible, DT_EDATA for
 * an unknown item or choice or a ballot with no answer. */
DT_EXTERN int dt_survey_vote(dt_ctx *ctx, int64_t id, const dt_ballot *b);

/* Cast a batch of ballots from CSV: code (代表编号), optionally channel,
 * and a column per question headed by its number; all or nothing, errors
 * by line. channel is the batch's default ("onsite" when NULL). */
DT_EXTERN int dt_survey_vote_import(dt_ctx *ctx, int64_t id, FILE *in, const char *name, const char *encoding,
                                   const char *channel, uint64_t *count);

/* Surveys (id, title, subject, scale, secret, state, eligible, ballots). */
DT_EXTERN int dt_survey_list(dt_ctx *ctx, dt_writer *w);

/* Results, a row per question: item, question, one column per choice
 * (table, CSV) or counts, an object keyed by choice (JSON), valid,
 * ballots, eligible, turnout, online, onsite, satisfaction_rate, state.
 * While an open survey does not show live results, the counts, valid and
 * the rate are null. *closed (may be NULL) is 1 once the survey is closed. */
DT_EXTERN int dt_survey_results(dt_ctx *ctx, int64_t id, dt_writer *w, int *closed);

#ifdef __cplusplus
}
#endif

#endif
