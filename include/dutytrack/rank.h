/*
 * The performance index (云排名): points rules over the duty archive, a
 * ranking per calendar period, its explanation record by record, saved
 * rankings that can be verified later, reminders to the lowest ranked and
 * the published leaderboard.
 *
 * A ranking is published and will be questioned, so it is exact and
 * reproducible: the rules are versioned, never edited; a saved ranking
 * keeps its rows, its rules version and a digest of what it was computed
 * from.
 */
#ifndef DUTYTRACK_RANK_H
#define DUTYTRACK_RANK_H

#include <stdio.h>
#include "dutytrack/common.h"
#include "dutytrack/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Store a rules file (CSV: kind,category,points,per,cap; per item, event,
 * hour or minute; cap empty for none) as a new version; *version (may be
 * NULL) receives its number. All or nothing, errors by line: an unknown
 * kind, a bad number, a duplicate kind, hours of a kind counted in items. */
DT_EXTERN int dt_rules_load(dt_ctx *ctx, FILE *in, const char *name, int64_t *version);

/* The rules of a version (0: the newest): kind, category, points, per, cap. */
DT_EXTERN int dt_rules_show(dt_ctx *ctx, int64_t version, dt_writer *w);

/* A period: "2026-11" (a month), "2026-Q4" (a quarter) or "2026" (a
 * year), as [*from, *to) in the configured zone. DT_EUSAGE otherwise. */
DT_EXTERN int dt_period_parse(dt_ctx *ctx, const char *text, int64_t *from, int64_t *to);

typedef struct {
	unsigned int version;    /* DT_RANK_OPTIONS_VERSION */
	const char *period;      /* its name, for saving and reminders ("2026-11") */
	int64_t from, to;        /* [from, to) */
	int64_t rules_version;   /* 0: the newest */
	const char *delegation;  /* only its rows (ranks stay congress-wide) */
	int64_t top, bottom;     /* only ranks <= top, or the last bottom rows; 0: all */
} dt_rank_options;

#define DT_RANK_OPTIONS_VERSION 1
#define DT_RANK_OPTIONS_INIT { DT_RANK_OPTIONS_VERSION, NULL, 0, 0, 0, NULL, 0, 0 }

/* Rank every deputy serving in the period: rank, code, name, delegation,
 * one column per category, total, index, served_days, partial,
 * delegation_percentile. */
DT_EXTERN int dt_rank(dt_ctx *ctx, const dt_rank_options *o, dt_writer *w);

/* Every duty record of deputy code in the period with the points it
 * earned and where a cap cut it, then the sums per category and the total. */
DT_EXTERN int dt_rank_explain(dt_ctx *ctx, const dt_rank_options *o, const char *code, dt_writer *w);

/* Save the ranking (its rows, rules version and input digest); *id the
 * saved ranking's number. */
DT_EXTERN int dt_rank_save(dt_ctx *ctx, const dt_rank_options *o, int64_t *id);

/* Recompute saved ranking id from the current records: a record of id,
 * period, rules_version, saved_digest, current_digest, unchanged.
 * DT_EVERIFY (after writing the record) when anything it was computed from
 * has changed since. */
DT_EXTERN int dt_rank_verify(dt_ctx *ctx, int64_t id, dt_writer *w);

/* The rows of saved ranking id as they were published. */
DT_EXTERN int dt_rank_saved(dt_ctx *ctx, int64_t id, dt_writer *w);

/* Queue a reminder to each of the bottom N deputies (bottom > 0) or to
 * those whose index is below `below` (bottom == 0): their rank, points and
 * what they lack against the median, once per deputy and period. */
DT_EXTERN int dt_rank_remind(dt_ctx *ctx, const dt_rank_options *o, int64_t bottom, double below, uint64_t *queued);

/* Write dir/leaderboard.json (the period, its rules version and the rows
 * as dt_rank writes them) and a self-contained dir/index.html: the top
 * three with their photos (copied into dir/photos; a drawn placeholder
 * when there is none) and the whole table. Files are replaced whole. */
DT_EXTERN int dt_leaderboard_publish(dt_ctx *ctx, const dt_rank_options *o, const char *dir);

#ifdef __cplusplus
}
#endif

#endif
