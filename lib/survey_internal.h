/*
 * Shared by the survey files: survey.c (definition, life), ballot.c
 * (votes) and survey_results.c.
 */
#ifndef DT_SURVEY_INTERNAL_H
#define DT_SURVEY_INTERNAL_H

#include "internal.h"

/* The choices of a scale, in the order results list them; NULL past the
 * end or for an unknown scale. */
const char *dt__scale_label(const char *scale, size_t i);

/* The label of choice text on scale (aliases accepted: satisfied, basic,
 * dissatisfied), and whether it counts as satisfied; NULL when unknown. */
const char *dt__scale_choice(const char *scale, const char *text, int *satisfied);

typedef struct {
	int64_t id;
	char state[8];
	char scale[12];
	int secret, live;
	int64_t items;     /* number of questions */
	int64_t opened_at;
} dt_survey_info;

/* Load survey id; DT_ENOTFOUND with a message. */
int dt__survey_get(dt_ctx *ctx, int64_t id, dt_survey_info *s);

#endif
