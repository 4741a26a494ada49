/*
 * The deputy registry: import a roster, number deputies, list, show, add,
 * change and retire them. Deputies are addressed by their code (RZ0001).
 * A retired deputy is kept with their history; codes are never reused.
 */
#ifndef DUTYTRACK_DEPUTY_H
#define DUTYTRACK_DEPUTY_H

#include <stdio.h>
#include "dutytrack/common.h"
#include "dutytrack/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The fields a roster carries, in roster column order. */
typedef enum {
	DT_DEPUTY_CODE = 0,
	DT_DEPUTY_NAME,
	DT_DEPUTY_GENDER,
	DT_DEPUTY_POST,
	DT_DEPUTY_UNIT,
	DT_DEPUTY_DELEGATION,
	DT_DEPUTY_GRID,
	DT_DEPUTY_STATION,
	DT_DEPUTY_PHONE,
	DT_DEPUTY_EMAIL,
	DT_DEPUTY_PHOTO,
	DT_DEPUTY_NFIELDS
} dt_deputy_field;

/* English name of a field ("phone"), its Chinese roster header ("联系电话"); static. */
DT_EXTERN const char *dt_deputy_field_name(dt_deputy_field f);
DT_EXTERN const char *dt_deputy_field_header_zh(dt_deputy_field f);

/* The field called name (English or Chinese), or -1. */
DT_EXTERN int dt_deputy_field_lookup(const char *name);

/* Check one field value; DT_EDATA with the reason in the message. */
DT_EXTERN int dt_deputy_field_check(dt_ctx *ctx, dt_deputy_field f, const char *value);

/* Values for add and set: NULL leaves a field alone, "" clears it. */
typedef struct {
	const char *value[DT_DEPUTY_NFIELDS];
} dt_deputy_fields;

typedef struct {
	unsigned int version;     /* DT_IMPORT_OPTIONS_VERSION */
	const char *name;         /* the input's name in messages ("roster.csv", "-") */
	const char *encoding;     /* "utf-8" (default, NULL) or "gbk" */
	int ignore_unknown;       /* 1: skip unknown columns instead of failing */
	int dry_run;              /* 1: validate and count, write nothing */
} dt_import_options;

#define DT_IMPORT_OPTIONS_VERSION 1
#define DT_IMPORT_OPTIONS_INIT { DT_IMPORT_OPTIONS_VERSION, NULL, NULL, 0, 0 }

typedef struct {
	uint64_t rows;     /* data rows read */
	uint64_t inserted; /* new deputies */
	uint64_t updated;  /* existing deputies changed */
	uint64_t coded;    /* new deputies that got a code at import */
	uint64_t errors;   /* bad rows and fields found */
} dt_import_result;

/* Import a roster CSV read from in: validate every row, report each bad one
 * through the diagnostic callback as "NAME:LINE: column 'x': ...", and write
 * all rows in one transaction only when there is none (DT_EDATA otherwise,
 * the database untouched). res may be NULL. */
DT_EXTERN int dt_deputy_import(dt_ctx *ctx, FILE *in, const dt_import_options *opts,
                               dt_import_result *res);

/* Give every deputy without a code the next free one, in roster order.
 * prefix NULL and width 0 take the settings deputy.code_prefix and
 * deputy.code_width. *assigned (may be NULL) receives the count. */
DT_EXTERN int dt_deputy_assign_codes(dt_ctx *ctx, const char *prefix, int width,
                                     uint64_t *assigned);

typedef struct {
	const char *delegation; /* NULL: any */
	const char *grid;
	const char *station;
	const char *status;     /* "active", "retired" or NULL for any */
} dt_deputy_filter;

/* List the deputies matching filter (NULL: all) to w, in roster order.
 * An unmasked listing is audited. */
DT_EXTERN int dt_deputy_list(dt_ctx *ctx, const dt_deputy_filter *filter, dt_writer *w);

/* Write one deputy as a record to w. DT_ENOTFOUND for an unknown code. */
DT_EXTERN int dt_deputy_show(dt_ctx *ctx, const char *code, dt_writer *w);

/* Add a deputy; the code is assigned when fields->value[DT_DEPUTY_CODE] is
 * NULL or "". *code_out (may be NULL) receives the code, freed with free(). */
DT_EXTERN int dt_deputy_add(dt_ctx *ctx, const dt_deputy_fields *fields, char **code_out);

/* Change the given fields of deputy code. DT_ENOTFOUND, DT_EDATA. */
DT_EXTERN int dt_deputy_set(dt_ctx *ctx, const char *code, const dt_deputy_fields *fields);

/* Mark deputy code retired (kept, no longer active). DT_ENOTFOUND, and
 * DT_EEXISTS when already retired. */
DT_EXTERN int dt_deputy_retire(dt_ctx *ctx, const char *code);

/* The roster by delegation (delegation, deputies, active, retired, female,
 * with_code, with_phone, with_email) with a total row last, to w. */
DT_EXTERN int dt_deputy_stats(dt_ctx *ctx, dt_writer *w);

#ifdef __cplusplus
}
#endif

#endif
