/*
 * Exchange exports in open standards, for other systems and open-data
 * portals: the roster and its activity as Popolo JSON
 * (http://www.popoloproject.com/specs/), and citizens' requests and
 * deputies' micro-suggestions as Open311 GeoReport v2 service requests
 * (http://wiki.open311.org/GeoReport_v2/). Each export is read in one
 * transaction, so its parts agree, and written whole to a FILE the caller
 * owns (flushed, not closed). Strings are valid UTF-8 JSON whatever the
 * database holds.
 */
#ifndef DUTYTRACK_EXPORT_H
#define DUTYTRACK_EXPORT_H

#include <stdio.h>
#include "dutytrack/common.h"
#include "dutytrack/events.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	unsigned int version; /* DT_POPOLO_OPTIONS_VERSION */
	int unmask;           /* deputies' phones and e-mails in clear (audited) */
} dt_popolo_options;

#define DT_POPOLO_OPTIONS_VERSION 1
#define DT_POPOLO_OPTIONS_INIT { DT_POPOLO_OPTIONS_VERSION, 0 }

/* Write one Popolo JSON object to out: persons (every deputy with a code),
 * organizations (the congress, its delegations, the departments),
 * memberships and events, cancelled ones included. o may be NULL (masked).
 * Contact details are masked unless o->unmask, which is audited. DT_EIO
 * when out cannot be written. */
DT_EXTERN int dt_export_popolo(dt_ctx *ctx, const dt_popolo_options *o, FILE *out);

typedef struct {
	unsigned int version; /* DT_OPEN311_FILTER_VERSION */
	const char *kind;     /* "request", "suggestion", or NULL for both */
	int64_t from, to;     /* cases created in [from, to); DT_TIME_UNSET: open */
} dt_open311_filter;

#define DT_OPEN311_FILTER_VERSION 1
#define DT_OPEN311_FILTER_INIT { DT_OPEN311_FILTER_VERSION, NULL, DT_TIME_UNSET, DT_TIME_UNSET }

/* Write the cases matching f (NULL: all) to out as an Open311 GeoReport v2
 * JSON array of service requests, by id. Nothing personal is written:
 * citizens' names and phones, the tracking number and the deputy are left
 * out, and names, phone numbers and e-mail addresses are blanked from the
 * texts. DT_EUSAGE for an unknown kind or an empty period, DT_EIO. */
DT_EXTERN int dt_export_open311(dt_ctx *ctx, const dt_open311_filter *f, FILE *out);

#ifdef __cplusplus
}
#endif

#endif
