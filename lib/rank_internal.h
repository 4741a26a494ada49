/*
 * Shared by the ranking files: rules.c, rank.c (computing, listing,
 * explaining) and rank_save.c (saved rankings, reminders).
 */
#ifndef DT_RANK_INTERNAL_H
#define DT_RANK_INTERNAL_H

#include "internal.h"

typedef enum { PER_ITEM = 0, PER_HOUR, PER_MINUTE } rank_per;

typedef struct {
	char kind[40];
	size_t category;
	double points;
	rank_per per;
	int has_cap;
	double cap;
} rank_rule;

typedef struct {
	int64_t deputy_id;
	char *code, *name, *delegation;
	double served_days;
	int partial;
	double *cat;        /* points per category */
	double total, index, percentile;
	int64_t rank;
} rank_row;

typedef struct {
	int64_t version, from, to;
	rank_rule *rules;   /* sorted by kind */
	size_t nrules;
	char **categories;  /* in the order of the rules file */
	size_t ncat;
	rank_row *rows;     /* by rank, then code */
	size_t nrows;
	double *cats;       /* nrows * ncat */
} rank_table;

/* The rules version asked for (0: the newest); DT_ENOTFOUND. */
int dt__rules_version(dt_ctx *ctx, int64_t asked, int64_t *version);

/* Compute the ranking of [from, to) under rules version (0: newest). */
int dt__rank_compute(dt_ctx *ctx, int64_t from, int64_t to, int64_t version, rank_table *t);
void dt__rank_free(rank_table *t);

/* The rule of kind, or NULL. */
const rank_rule *dt__rank_rule(const rank_table *t, const char *kind);

/* Points of quantity q (count or minutes) under rule r, before any cap. */
double dt__rule_points(const rank_rule *r, int64_t count, double minutes);

/* Apply r's cap to a kind's points in a period. */
double dt__rule_capped(const rank_rule *r, double points);

/* Points as published: two decimals. */
double dt__points_round(double p);

/* The columns and values of row i of t (cols and v hold 9 + ncat). */
size_t dt__rank_columns(const rank_table *t, dt_column *cols);
void dt__rank_values(const rank_table *t, size_t i, dt_value *v);

/* SHA-256 (hex) of the rules and every record and deputy a ranking of
 * [from, to) under version is computed from. */
int dt__rank_digest(dt_ctx *ctx, int64_t from, int64_t to, int64_t version, char hex[65]);

#endif
