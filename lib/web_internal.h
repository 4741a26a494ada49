/*
 * Shared by the files of the online liaison station: web.c (pages),
 * web_form.c (forms, UTF-8, tokens) and case_public.c (a request's public
 * status).
 */
#ifndef DT_WEB_INTERNAL_H
#define DT_WEB_INTERNAL_H

#include <stdio.h>
#include "internal.h"
#include "dutytrack/web.h"

/* Start a page: doctype, charset, viewport, the inline style, <title> and
 * the header bar; title is escaped. */
void dt__web_head(FILE *f, const char *title);

/* End a page started with dt__web_head. */
void dt__web_foot(FILE *f);

/* The public status of request tracking written into f as the body of a
 * page; *found 0 when no request has that number. */
int dt__case_public_render(dt_ctx *ctx, const char *tracking, FILE *f, int *found);

#endif
