/*
 * Shared by report.c (the figures) and report_html.c (the printable page),
 * so the page shows exactly what `rdlz report` lists.
 */
#ifndef DT_REPORT_INTERNAL_H
#define DT_REPORT_INTERNAL_H

#include "internal.h"

typedef struct {
	const char *section; /* static */
	char metric[48];
	char label[320];
	int is_null;         /* a rate of nothing */
	double value;
} report_figure;

typedef struct {
	char code[32];
	char name[96];
	char delegation[96];
	double points;
} report_top;

#define REPORT_TOP 10

typedef struct {
	int64_t from, to;
	report_figure *figs;
	size_t n, cap;
	report_top top[REPORT_TOP]; /* the ranking of the period, first ten */
	size_t ntop;
} report;

/* Compute every figure of [from, to); free with dt__report_free. */
int dt__report_build(dt_ctx *ctx, int64_t from, int64_t to, report *r);
void dt__report_free(report *r);

/* The figure section/metric, or NULL. */
const report_figure *dt__report_find(const report *r, const char *section, const char *metric);

/* Its value, 0 when absent or empty. */
double dt__report_value(const report *r, const char *section, const char *metric);

#endif
