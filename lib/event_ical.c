/*
 * The schedule as an RFC 5545 calendar that phones and Outlook subscribe
 * to. Times are given in the configured zone with a VTIMEZONE when the
 * zone keeps one offset over the events (China's does), and in UTC
 * otherwise, which every client reads correctly: generating DST rules for
 * an arbitrary zone is not worth the risk of getting one wrong.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "events_internal.h"

typedef struct {
	FILE *out;
	int failed;
} ical;

/* Write one content line folded at 75 octets, never inside a UTF-8
 * sequence (RFC 5545 3.1). */
static void put_folded(ical *c, const char *line)
{
	size_t len = strlen(line), pos = 0, room = 75;

	while (pos < len) {
		size_t n = len - pos < room ? len - pos : room;

		while (n < len - pos && n > 0 && ((unsigned char)line[pos + n] & 0xC0) == 0x80)
			n--;
		if (pos && fputc(' ', c->out) == EOF)
			c->failed = 1;
		if (fwrite(line + pos, 1, n, c->out) != n || fputs("\r\n", c->out) == EOF)
			c->failed = 1;
		pos += n;
		room = 74; /* the leading space counts */
	}
}

/* NAME:VALUE with VALUE escaped as TEXT (backslash, semicolon, comma, newline). */
static void put_text(ical *c, const char *name, const char *value)
{
	size_t n = strlen(name), len = strlen(value);
	char *line = malloc(n + 2 + len * 2);
	char *p;

	if (!line) {
		c->failed = 1;
		return;
	}
	memcpy(line, name, n);
	p = line + n;
	*p++ = ':';
	for (const char *s = value; *s; s++) {
		if (*s == '\\' || *s == ';' || *s == ',') {
			*p++ = '\\';
			*p++ = *s;
		} else if (*s == '\n') {
			*p++ = '\\';
			*p++ = 'n';
		} else if (*s != '\r') {
			*p++ = *s;
		}
	}
	*p = '\0';
	put_folded(c, line);
	free(line);
}

/* A line whose value needs no escaping (dates, numbers, addresses). */
static void put_raw(ical *c, const char *name, const char *value)
{
	char line[2200];

	snprintf(line, sizeof(line), "%s:%s", name, value);
	put_folded(c, line);
}

static void utc_stamp(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, size, "%Y%m%dT%H%M%SZ", &tm);
}

static long offset_at(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	return localtime_r(&tt, &tm) ? tm.tm_gmtoff : 0;
}

/* DTSTART/DTEND: local with TZID when the zone is fixed, else UTC. */
static void put_time(ical *c, const char *name, int64_t t, const char *zone)
{
	char prop[160], value[32];

	if (zone) {
		time_t tt = (time_t)t;
		struct tm tm;

		localtime_r(&tt, &tm);
		strftime(value, sizeof(value), "%Y%m%dT%H%M%S", &tm);
		snprintf(prop, sizeof(prop), "%s;TZID=%s", name, zone);
		put_raw(c, prop, value);
	} else {
		utc_stamp(t, value, sizeof(value));
		put_raw(c, name, value);
	}
}

static void put_timezone(ical *c, const char *zone, long off)
{
	char buf[48];
	long a = off < 0 ? -off : off;
	time_t now = time(NULL);
	struct tm tm;

	put_raw(c, "BEGIN", "VTIMEZONE");
	put_raw(c, "TZID", zone);
	put_raw(c, "BEGIN", "STANDARD");
	put_raw(c, "DTSTART", "19700101T000000");
	snprintf(buf, sizeof(buf), "%c%02ld%02ld", off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	put_raw(c, "TZOFFSETFROM", buf);
	put_raw(c, "TZOFFSETTO", buf);
	if (localtime_r(&now, &tm) && tm.tm_zone && *tm.tm_zone)
		put_text(c, "TZNAME", tm.tm_zone);
	put_raw(c, "END", "STANDARD");
	put_raw(c, "END", "VTIMEZONE");
}

/* Does the zone keep one offset at every event's start and end, and over
 * the year of each? Then *off is that offset. */
static int zone_fixed(sqlite3_stmt *st, long *off)
{
	int first = 1, fixed = 1;

	while (fixed && sqlite3_step(st) == SQLITE_ROW) {
		int64_t t[2] = { sqlite3_column_int64(st, 4),
			         sqlite3_column_type(st, 5) == SQLITE_NULL ? sqlite3_column_int64(st, 4)
			                                                   : sqlite3_column_int64(st, 5) };

		for (int i = 0; i < 2; i++) {
			long o = offset_at(t[i]);

			if (first) {
				*off = o;
				first = 0;
			}
			/* half a year away catches a summer time the events happen to miss */
			fixed = fixed && o == *off && offset_at(t[i] + 182 * 86400) == *off;
		}
	}
	sqlite3_reset(st);
	if (first)
		*off = offset_at(time(NULL));
	return fixed;
}

static void put_event(ical *c, sqlite3_stmt *st, const char *zone)
{
	const char *kind = (const char *)sqlite3_column_text(st, 2);
	int cancelled = !strcmp((const char *)sqlite3_column_text(st, 9), "cancelled");
	char buf[64], *desc;
	size_t size = 256;

	for (int i = 7; i <= 12; i++)
		size += (size_t)sqlite3_column_bytes(st, i);
	put_raw(c, "BEGIN", "VEVENT");
	put_raw(c, "UID", (const char *)sqlite3_column_text(st, 1));
	utc_stamp(sqlite3_column_int64(st, 11), buf, sizeof(buf));
	put_raw(c, "DTSTAMP", buf);
	put_raw(c, "LAST-MODIFIED", buf);
	utc_stamp(sqlite3_column_int64(st, 13), buf, sizeof(buf));
	put_raw(c, "CREATED", buf);
	put_time(c, "DTSTART", sqlite3_column_int64(st, 4), zone);
	if (sqlite3_column_type(st, 5) != SQLITE_NULL)
		put_time(c, "DTEND", sqlite3_column_int64(st, 5), zone);
	put_text(c, "SUMMARY", (const char *)sqlite3_column_text(st, 3));
	if (sqlite3_column_type(st, 6) != SQLITE_NULL)
		put_text(c, "LOCATION", (const char *)sqlite3_column_text(st, 6));
	if (sqlite3_column_type(st, 7) != SQLITE_NULL)
		put_raw(c, "URL", (const char *)sqlite3_column_text(st, 7));
	put_text(c, "CATEGORIES", dt__event_kind_label(kind));
	desc = malloc(size);
	if (desc) {
		snprintf(desc, size, "%s%s%s%s%s%s%s%s%s", dt__event_kind_label(kind),
		         sqlite3_column_type(st, 8) != SQLITE_NULL ? "\n法院：" : "",
		         sqlite3_column_type(st, 8) != SQLITE_NULL ? (const char *)sqlite3_column_text(st, 8) : "",
		         sqlite3_column_type(st, 12) != SQLITE_NULL ? "\n案情：" : "",
		         sqlite3_column_type(st, 12) != SQLITE_NULL ? (const char *)sqlite3_column_text(st, 12) : "",
		         sqlite3_column_type(st, 7) != SQLITE_NULL ? "\n直播：" : "",
		         sqlite3_column_type(st, 7) != SQLITE_NULL ? (const char *)sqlite3_column_text(st, 7) : "",
		         cancelled && sqlite3_column_type(st, 10) != SQLITE_NULL ? "\n取消原因：" : "",
		         cancelled && sqlite3_column_type(st, 10) != SQLITE_NULL ? (const char *)sqlite3_column_text(st, 10)
		                                                                 : "");
		put_text(c, "DESCRIPTION", desc);
		free(desc);
	} else {
		c->failed = 1;
	}
	/* a cancellation is a change of its own: clients take the higher SEQUENCE */
	snprintf(buf, sizeof(buf), "%lld", (long long)(sqlite3_column_int64(st, 0) - 1 + cancelled));
	put_raw(c, "SEQUENCE", buf);
	put_raw(c, "STATUS", cancelled ? "CANCELLED" : "CONFIRMED");
	put_raw(c, "END", "VEVENT");
}

int dt_event_ical(dt_ctx *ctx, const char *kind, int64_t from, FILE *out)
{
	ical c = { out, 0 };
	sqlite3_stmt *st;
	char *zone = NULL;
	long off = 0;
	int fixed, rc;

	if (kind && !dt__event_family(kind))
		return dt__error(ctx, DT_EUSAGE, "kind '%s' is not one of meeting, inquiry, hearing, forum, training, activity",
		                 kind);
	rc = dt__config_text(ctx, "time.zone", &zone);
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st,
		                 "SELECT revision, uid, kind, title, starts_at, ends_at, place, stream_url, court, status,"
		                 " cancel_reason, updated_at, case_summary, created_at FROM event"
		                 " WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR starts_at >= ?2) ORDER BY starts_at, id");
	if (rc != DT_OK) {
		free(zone);
		return rc;
	}
	dt__bind_text_or_null(st, 1, kind);
	if (from != DT_TIME_UNSET)
		sqlite3_bind_int64(st, 2, from);
	fixed = zone_fixed(st, &off);
	put_raw(&c, "BEGIN", "VCALENDAR");
	put_raw(&c, "VERSION", "2.0");
	put_raw(&c, "PRODID", "-//rdlz//libdutytrack//ZH");
	put_raw(&c, "CALSCALE", "GREGORIAN");
	put_raw(&c, "METHOD", "PUBLISH");
	put_text(&c, "X-WR-CALNAME", "代表履职日程");
	put_text(&c, "X-WR-TIMEZONE", zone);
	if (fixed)
		put_timezone(&c, zone, off);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		put_event(&c, st, fixed ? zone : NULL);
	sqlite3_finalize(st);
	put_raw(&c, "END", "VCALENDAR");
	free(zone);
	if (rc != SQLITE_DONE)
		return dt__sqlerr(ctx, rc, "reading events");
	if (c.failed || fflush(out) != 0 || ferror(out))
		return dt__error(ctx, DT_EIO, "writing the calendar failed");
	return DT_OK;
}
