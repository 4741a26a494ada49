/*
 * Closed-loop cases. Two flows share one case model and one table-driven
 * state machine:
 *
 *   request (a citizen, through a deputy's code):
 *     submitted -take-> taken [-assign-> forwarded] -resolve-> resolved
 *     -answer-> fed_back -close-> closed
 *   suggestion (a deputy's micro-suggestion, snap-and-send or direct):
 *     filed -assign-> assigned -accept-> accepted -answer-> answered
 *     -rate-> rated -close-> closed; a dissatisfied rating sends it back to
 *     assigned for another round, up to case.max_rounds.
 *
 * Every transition is one transaction with a history row (actor, time,
 * note); one that does not apply is refused with DT_ESTATE naming the
 * current state, so of two people acting at once one wins and the other
 * is told what happened.
 */
#ifndef DUTYTRACK_CASES_H
#define DUTYTRACK_CASES_H

#include <stdio.h>
#include "dutytrack/common.h"
#include "dutytrack/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Departments: the government bodies that handle cases. */
typedef struct {
	unsigned int version; /* DT_DEPARTMENT_VERSION */
	const char *code;     /* short code, e.g. "ZJJ" */
	const char *name;
	const char *email;    /* may be NULL */
	const char *webhook;  /* who is meant on the office's webhook; may be NULL */
} dt_department;

#define DT_DEPARTMENT_VERSION 1
#define DT_DEPARTMENT_INIT { DT_DEPARTMENT_VERSION, NULL, NULL, NULL, NULL }

/* Add or update (by code) a department. */
DT_EXTERN int dt_department_add(dt_ctx *ctx, const dt_department *d);

/* Import departments from CSV (code,name,email,webhook; Chinese headers
 * 代码,名称,邮箱,webhook accepted): all or nothing, errors by line. */
DT_EXTERN int dt_department_import(dt_ctx *ctx, FILE *in, const char *name, uint64_t *count);

/* List departments: code, name, email, webhook, active. */
DT_EXTERN int dt_department_list(dt_ctx *ctx, dt_writer *w);

/* Route suggestions of category to department code by default. */
DT_EXTERN int dt_route_set(dt_ctx *ctx, const char *category, const char *department);

/* A new case. Strings are copied; NULL leaves a field empty. */
typedef struct {
	unsigned int version;    /* DT_CASE_NEW_VERSION */
	const char *deputy;      /* the deputy's code */
	const char *title;       /* suggestions: required */
	const char *text;        /* required */
	const char *citizen;     /* requests: the citizen's name */
	const char *phone;       /* requests: the citizen's phone */
	const char *place;
	double lat, lng;         /* with has_geo */
	int has_geo;
	const char *channel;     /* requests: "qr" or "deputy"; suggestions: "snap" or "direct" */
	const char *category;    /* suggestions: routes to a department */
	const char *const *photos; /* paths of image files */
	size_t nphotos;
} dt_case_new;

#define DT_CASE_NEW_VERSION 1
#define DT_CASE_NEW_INIT { DT_CASE_NEW_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, NULL, NULL, NULL, 0 }

/* Submit a citizen's request to a deputy; *id (may be NULL) receives the
 * case id, *tracking (may be NULL, free()) its unguessable tracking number. */
DT_EXTERN int dt_case_submit_request(dt_ctx *ctx, const dt_case_new *c, int64_t *id, char **tracking);

/* File a deputy's micro-suggestion; routed to the category's department. */
DT_EXTERN int dt_case_file_suggestion(dt_ctx *ctx, const dt_case_new *c, int64_t *id);

/* The actions of the state machine. */
typedef enum {
	DT_CASE_TAKE = 0,  /* request: the deputy takes it */
	DT_CASE_ASSIGN,    /* to a department: request forwarded, suggestion assigned */
	DT_CASE_ACCEPT,    /* suggestion: the department accepts it */
	DT_CASE_RESOLVE,   /* request: handled */
	DT_CASE_ANSWER,    /* suggestion: the department's answer; request: feedback */
	DT_CASE_RATE,      /* suggestion: the deputy's rating */
	DT_CASE_CLOSE
} dt_case_action;

typedef struct {
	unsigned int version;   /* DT_CASE_ACT_VERSION */
	const char *deputy;     /* take, rate: who acts; must be the case's deputy */
	const char *department; /* assign: the department's code (default: the route) */
	const char *note;       /* the answer, the result, a remark */
	const char *rating;     /* rate: satisfied, basic, dissatisfied (满意, 基本满意, 不满意) */
} dt_case_act;

#define DT_CASE_ACT_VERSION 1
#define DT_CASE_ACT_INIT { DT_CASE_ACT_VERSION, NULL, NULL, NULL, NULL }

/* Apply action to case id. DT_ESTATE when it does not apply to the case's
 * kind or state (the message names the state), DT_ENOTFOUND, DT_EUSAGE. */
DT_EXTERN int dt_case_apply(dt_ctx *ctx, int64_t id, dt_case_action action, const dt_case_act *a);

/* Name of an action ("take", "assign", ...); static. */
DT_EXTERN const char *dt_case_action_name(dt_case_action action);

/* One case as a record, then its timeline: two listings into w and t. */
DT_EXTERN int dt_case_show(dt_ctx *ctx, int64_t id, dt_writer *w, dt_writer *timeline);

typedef struct {
	unsigned int version;   /* DT_CASE_FILTER_VERSION */
	const char *kind;       /* "request", "suggestion" or NULL */
	const char *state;
	const char *deputy;
	const char *department;
	const char *category;
	int overdue;            /* only cases past their state's due time */
} dt_case_filter;

#define DT_CASE_FILTER_VERSION 1
#define DT_CASE_FILTER_INIT { DT_CASE_FILTER_VERSION, NULL, NULL, NULL, NULL, NULL, 0 }

/* List cases (id, kind, state, deputy, department, category, title,
 * citizen, phone, created_at, due_at, overdue). Citizens' names and phones
 * are personal: masked unless the writer unmasks, and then audited. */
DT_EXTERN int dt_case_list(dt_ctx *ctx, const dt_case_filter *f, dt_writer *w);

/* Counts by state, category and department for cases created in
 * [from, to): cases, answered, median hours to answer, on-time rate,
 * satisfaction rate. */
DT_EXTERN int dt_case_stats(dt_ctx *ctx, int64_t from, int64_t to, dt_writer *w);

/* Load a year's calendar (CSV: date,type with type holiday or workday; 日期,
 * 类型 and 休/班 accepted) replacing the days of the years it names. */
DT_EXTERN int dt_calendar_load(dt_ctx *ctx, FILE *in, const char *name, uint64_t *days);

/* Add n working days to t (same time of day), by the calendar. */
DT_EXTERN int dt_calendar_add_working_days(dt_ctx *ctx, int64_t t, int n, int64_t *out);

/* Write the photos of case id into dir as <sha256>.<ext>, byte-identical,
 * or with public set stripped of their metadata (EXIF, XMP, comments). */
DT_EXTERN int dt_case_export_photos(dt_ctx *ctx, int64_t id, const char *dir, int public_copy, dt_writer *w);

/* Erase citizens' names and phones from cases closed before t. */
DT_EXTERN int dt_case_purge_citizen_data(dt_ctx *ctx, int64_t before, uint64_t *count);

#ifdef __cplusplus
}
#endif

#endif
