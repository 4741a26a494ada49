/*
 * libdutytrack: the engine of a deputy duty-performance platform.
 * The umbrella header: include this one file to get the whole public API.
 * The conventions every header follows are stated once, in common.h.
 */
#ifndef DUTYTRACK_H
#define DUTYTRACK_H

#include "dutytrack/common.h"
#include "dutytrack/time.h"
#include "dutytrack/config.h"
#include "dutytrack/writer.h"
#include "dutytrack/deputy.h"
#include "dutytrack/audit.h"
#include "dutytrack/archive.h"
#include "dutytrack/maint.h"
#include "dutytrack/qr.h"
#include "dutytrack/outbox.h"
#include "dutytrack/cases.h"
#include "dutytrack/events.h"
#include "dutytrack/survey.h"
#include "dutytrack/rank.h"
#include "dutytrack/report.h"
#include "dutytrack/export.h"
#include "dutytrack/web.h"

#endif
