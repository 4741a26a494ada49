/*
 * Shared by the deputy registry's files (deputy.c, deputy_import.c).
 */
#ifndef DT_DEPUTY_INTERNAL_H
#define DT_DEPUTY_INTERNAL_H

#include "internal.h"

/* Canonical form of a gender ("male"/"female") or NULL if unknown. */
const char *dt__gender_canon(const char *value);

/* Check value of field f; on failure write the reason (without the field
 * name) to why and return 0. */
int dt__deputy_value_ok(dt_deputy_field f, const char *value, char *why, size_t size);

/* The prefix and width of new codes: the arguments (NULL, 0: the settings);
 * *p_out is freed by the caller. */
int dt__code_format(dt_ctx *ctx, const char *prefix, int width, char **p_out, int *w_out);

/* The highest number ever used with prefix: the counter, or a higher code
 * imported by hand. Codes of retired deputies count, so none is reused. */
int dt__code_last(dt_ctx *ctx, const char *prefix, int64_t *out);

/* Remember that numbers up to last were given out with prefix. */
int dt__code_save(dt_ctx *ctx, const char *prefix, int64_t last);

/* Give every deputy without a code the next one, in roster order. */
int dt__deputy_assign(dt_ctx *ctx, const char *prefix, int width, uint64_t *assigned);


#endif
