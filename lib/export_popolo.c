/*
 * The roster and its activity as Popolo JSON (http://www.popoloproject.com/
 * specs/), for open-data portals and parliamentary-monitoring tools:
 *
 *   persons        every deputy with a code (retired ones too): the code
 *                  as identifier, gender, work unit and post as summary,
 *                  the photo when it is a web address, phone and e-mail
 *                  as contact details, masked unless asked otherwise;
 *   organizations  the congress (legislature), its delegations (parent:
 *                  the congress) and the departments (executive);
 *   memberships    each deputy in the congress and in their delegation,
 *                  from when they serve until they retired;
 *   events         every event, cancelled ones with status "cancelled" so
 *                  that a consumer who has them learns of it.
 *
 * Ids are stable across exports: they are built from deputy codes,
 * delegation names, department codes and event UIDs, never from row ids.
 * A deputy without a code has no stable id yet and is left out, with a
 * warning (rdlz assign-codes numbers them).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"

#define DEFAULT_CONGRESS "人民代表大会"
#define CONGRESS_ID "organization/congress"

/* The same rule as the ranking's: the deputies of the first roster import
 * serve from before anything was recorded, so they have no start date; a
 * deputy added later serves from the time they were added. */
#define SERVING_SINCE                                                                      \
	"CASE WHEN import_id = (SELECT min(id) FROM roster_import) THEN NULL ELSE joined_at END"

typedef struct {
	dt_ctx *ctx;
	dt_json j;
	int unmask;
	uint64_t revealed; /* persons whose contact details went out in clear */
} popolo;

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* "<prefix><name>" into buf. Names come from the database, so they are
 * cut at buf's size rather than trusted to fit. */
static const char *make_id(char *buf, size_t size, const char *prefix, const char *name)
{
	snprintf(buf, size, "%s%s", prefix, name);
	return buf;
}

/* An instant as ISO 8601 with the configured zone's offset, or only its
 * day for the fields Popolo gives as dates. */
static void put_time(popolo *p, const char *key, sqlite3_stmt *st, int i, int day_only)
{
	char buf[40];

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return;
	dt_time_format(p->ctx, sqlite3_column_int64(st, i), buf, sizeof(buf));
	if (day_only)
		buf[10] = '\0';
	dt__json_text(&p->j, key, buf);
}

/* A mainland mobile (11 digits from 1, perhaps after +86 or 86) is a
 * "cell" to Popolo; anything else, a landline, is "voice". */
static const char *phone_type(const char *phone)
{
	char digits[32];
	size_t n = 0;

	for (const char *s = phone; *s && n < sizeof(digits) - 1; s++)
		if (*s >= '0' && *s <= '9')
			digits[n++] = *s;
	digits[n] = '\0';
	if (n == 13 && !strncmp(digits, "86", 2))
		memmove(digits, digits + 2, (n -= 2) + 1);
	return n == 11 && digits[0] == '1' ? "cell" : "voice";
}

/* An e-mail address keeps its first character and its domain, so a reader
 * can tell that there is one and where, but cannot write to it. */
static void mask_email(const char *email, char *buf, size_t size)
{
	const char *at = strrchr(email, '@');
	uint32_t cp;
	size_t first = dt__utf8_decode((const unsigned char *)email, strlen(email), &cp);

	if (!at || at == email || first == 0 || email + first > at)
		snprintf(buf, size, "***");
	else
		snprintf(buf, size, "%.*s***%s", (int)first, email, at);
}

static void put_contact(popolo *p, const char *type, const char *label, const char *value)
{
	dt__json_object(&p->j, NULL);
	dt__json_text(&p->j, "type", type);
	dt__json_text(&p->j, "label", label);
	dt__json_text(&p->j, "value", value);
	dt__json_end(&p->j);
}

/* Phone and e-mail, masked unless unmasked; counted for the audit. */
static void put_contacts(popolo *p, const char *phone, const char *email)
{
	char masked[300];

	if (!phone && !email)
		return;
	dt__json_array(&p->j, "contact_details");
	if (phone)
		put_contact(p, phone_type(phone), "联系电话",
		            p->unmask ? phone : dt_mask_phone(phone, masked, sizeof(masked)));
	if (email) {
		if (!p->unmask)
			mask_email(email, masked, sizeof(masked));
		put_contact(p, "email", "邮箱", p->unmask ? email : masked);
	}
	dt__json_end(&p->j);
	p->revealed += (uint64_t)p->unmask;
}

static int is_web_address(const char *s)
{
	return s && (!strncmp(s, "https://", 8) || !strncmp(s, "http://", 7));
}

static int persons(popolo *p)
{
	sqlite3_stmt *st;
	char id[128];
	int rc = dt__prepare(p->ctx, &st,
	                     "SELECT code, name, gender, unit, post, photo, phone, email, updated_at FROM deputy"
	                     " WHERE code IS NOT NULL ORDER BY id");

	if (rc != DT_OK)
		return rc;
	dt__json_array(&p->j, "persons");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = col(st, 0), *unit = col(st, 3), *post = col(st, 4);

		dt__json_object(&p->j, NULL);
		dt__json_text(&p->j, "id", make_id(id, sizeof(id), "person/", code));
		dt__json_text(&p->j, "name", col(st, 1));
		dt__json_array(&p->j, "identifiers");
		dt__json_object(&p->j, NULL);
		dt__json_text(&p->j, "scheme", "rdlz");
		dt__json_text(&p->j, "identifier", code);
		dt__json_end(&p->j);
		dt__json_end(&p->j);
		if (col(st, 2))
			dt__json_text(&p->j, "gender", col(st, 2));
		/* 工作单位及职务, as rosters print it */
		if (unit || post) {
			size_t n = (unit ? strlen(unit) : 0) + (post ? strlen(post) : 0) + 2;
			char *summary = malloc(n);

			if (!summary) {
				sqlite3_finalize(st);
				return dt__error(p->ctx, DT_ENOMEM, "out of memory");
			}
			snprintf(summary, n, "%s%s%s", unit ? unit : "", unit && post ? " " : "", post ? post : "");
			dt__json_text(&p->j, "summary", summary);
			free(summary);
		}
		/* a photo kept as a file here has no address a reader could fetch */
		if (is_web_address(col(st, 5)))
			dt__json_text(&p->j, "image", col(st, 5));
		put_contacts(p, col(st, 6), col(st, 7));
		put_time(p, "updated_at", st, 8, 0);
		dt__json_end(&p->j);
	}
	dt__json_end(&p->j);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DT_OK : dt__sqlerr(p->ctx, rc, "reading deputies");
}

static void put_organization(popolo *p, const char *id, const char *name, const char *classification,
                             const char *parent)
{
	dt__json_object(&p->j, NULL);
	dt__json_text(&p->j, "id", id);
	dt__json_text(&p->j, "name", name);
	dt__json_text(&p->j, "classification", classification);
	if (parent)
		dt__json_text(&p->j, "parent_id", parent);
}

static int organizations(popolo *p)
{
	sqlite3_stmt *st;
	char *name = NULL, id[512];
	int rc = dt__config_text(p->ctx, "congress.name", &name);

	if (rc != DT_OK)
		return rc;
	dt__json_array(&p->j, "organizations");
	put_organization(p, CONGRESS_ID, *name ? name : DEFAULT_CONGRESS, "legislature", NULL);
	dt__json_end(&p->j);
	free(name);
	/* the delegations that have a deputy here, in roster order */
	rc = dt__prepare(p->ctx, &st,
	                 "SELECT delegation FROM deputy WHERE code IS NOT NULL AND delegation IS NOT NULL"
	                 " GROUP BY delegation ORDER BY min(id)");
	if (rc != DT_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		put_organization(p, make_id(id, sizeof(id), "organization/delegation/", col(st, 0)), col(st, 0),
		                 "delegation", CONGRESS_ID);
		dt__json_end(&p->j);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dt__sqlerr(p->ctx, rc, "reading delegations");
	rc = dt__prepare(p->ctx, &st, "SELECT code, name FROM department WHERE active ORDER BY id");
	if (rc != DT_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		put_organization(p, make_id(id, sizeof(id), "organization/department/", col(st, 0)), col(st, 1),
		                 "executive", NULL);
		dt__json_array(&p->j, "identifiers");
		dt__json_object(&p->j, NULL);
		dt__json_text(&p->j, "scheme", "rdlz-department");
		dt__json_text(&p->j, "identifier", col(st, 0));
		dt__json_end(&p->j);
		dt__json_end(&p->j);
		dt__json_end(&p->j);
	}
	dt__json_end(&p->j);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DT_OK : dt__sqlerr(p->ctx, rc, "reading departments");
}

/* One membership of the deputy of row st in organization org. */
static void put_membership(popolo *p, sqlite3_stmt *st, const char *id, const char *org)
{
	char person[128];

	dt__json_object(&p->j, NULL);
	dt__json_text(&p->j, "id", id);
	dt__json_text(&p->j, "person_id", make_id(person, sizeof(person), "person/", col(st, 0)));
	dt__json_text(&p->j, "organization_id", org);
	dt__json_text(&p->j, "role", "deputy");
	put_time(p, "start_date", st, 2, 1);
	put_time(p, "end_date", st, 3, 1);
	dt__json_end(&p->j);
}

static int memberships(popolo *p)
{
	sqlite3_stmt *st;
	char id[128], org[512];
	int rc = dt__prepare(p->ctx, &st,
	                     "SELECT code, delegation, " SERVING_SINCE ", retired_at FROM deputy"
	                     " WHERE code IS NOT NULL ORDER BY id");

	if (rc != DT_OK)
		return rc;
	dt__json_array(&p->j, "memberships");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		put_membership(p, st, make_id(id, sizeof(id), "membership/", col(st, 0)), CONGRESS_ID);
		if (col(st, 1)) {
			snprintf(id, sizeof(id), "membership/%s/delegation", col(st, 0));
			put_membership(p, st, id, make_id(org, sizeof(org), "organization/delegation/", col(st, 1)));
		}
	}
	dt__json_end(&p->j);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DT_OK : dt__sqlerr(p->ctx, rc, "reading memberships");
}

/* The court and case summary of a hearing, and why an event was
 * cancelled: the lines of these it has, as the calendar feed gives them. */
static int event_description(popolo *p, sqlite3_stmt *st, int cancelled)
{
	static const char *const labels[] = { "法院：", "案情：", "取消原因：" };
	const int cols[] = { 6, 7, 9 };
	size_t size = 1, used = 0;
	char *d;

	for (int i = 0; i < 3; i++)
		size += (size_t)sqlite3_column_bytes(st, cols[i]) + strlen(labels[i]) + 1;
	d = malloc(size);
	if (!d)
		return dt__error(p->ctx, DT_ENOMEM, "out of memory");
	d[0] = '\0';
	for (int i = 0; i < 3; i++) {
		if (!col(st, cols[i]) || (i == 2 && !cancelled))
			continue;
		used += (size_t)snprintf(d + used, size - used, "%s%s%s", used ? "\n" : "", labels[i], col(st, cols[i]));
	}
	if (used)
		dt__json_text(&p->j, "description", d);
	free(d);
	return DT_OK;
}

static int events(popolo *p)
{
	sqlite3_stmt *st;
	char id[128];
	int rc = dt__prepare(p->ctx, &st,
	                     "SELECT uid, kind, title, starts_at, ends_at, place, court, case_summary, status,"
	                     " cancel_reason, created_at, updated_at FROM event ORDER BY starts_at, id");

	if (rc != DT_OK)
		return rc;
	dt__json_array(&p->j, "events");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int cancelled = !strcmp(col(st, 8), "cancelled");

		dt__json_object(&p->j, NULL);
		dt__json_text(&p->j, "id", make_id(id, sizeof(id), "event/", col(st, 0)));
		dt__json_text(&p->j, "name", col(st, 2));
		dt__json_text(&p->j, "classification", col(st, 1));
		put_time(p, "start_date", st, 3, 0);
		put_time(p, "end_date", st, 4, 0);
		if (col(st, 5))
			dt__json_text(&p->j, "location", col(st, 5));
		dt__json_text(&p->j, "status", col(st, 8));
		dt__json_text(&p->j, "organization_id", CONGRESS_ID);
		if (event_description(p, st, cancelled) != DT_OK) {
			sqlite3_finalize(st);
			return DT_ENOMEM;
		}
		put_time(p, "created_at", st, 10, 0);
		put_time(p, "updated_at", st, 11, 0);
		dt__json_end(&p->j);
	}
	dt__json_end(&p->j);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DT_OK : dt__sqlerr(p->ctx, rc, "reading events");
}

/* Who was left out, and what the file is: read by people, not by the schema. */
static int meta(popolo *p)
{
	sqlite3_stmt *st;
	char now[40];
	int rc = dt__prepare(p->ctx, &st, "SELECT count(*) FROM deputy WHERE code IS NULL");

	if (rc != DT_OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0)
		dt__diag(p->ctx, "warning: %" PRId64 " deputies without a code are left out (rdlz assign-codes numbers them)",
		         (int64_t)sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	dt__json_object(&p->j, "meta");
	dt__json_text(&p->j, "generator", "rdlz " DT_VERSION);
	dt__json_text(&p->j, "generated_at", dt_time_format(p->ctx, dt_ctx_now(p->ctx), now, sizeof(now)));
	dt__json_text(&p->j, "contact_details", p->unmask ? "clear" : "masked");
	dt__json_end(&p->j);
	return DT_OK;
}

int dt_export_popolo(dt_ctx *ctx, const dt_popolo_options *o, FILE *out)
{
	static int (*const parts[])(popolo *) = { meta, persons, organizations, memberships, events };
	popolo p = { ctx, { 0 }, o && o->unmask, 0 };
	int rc;

	dt__json_init(&p.j, out, 2);
	/* one read transaction: memberships name exactly the persons listed */
	rc = dt__exec(ctx, "BEGIN");
	if (rc != DT_OK)
		return rc;
	dt__json_object(&p.j, NULL);
	for (size_t i = 0; rc == DT_OK && i < sizeof(parts) / sizeof(parts[0]); i++)
		rc = parts[i](&p);
	dt__exec(ctx, "COMMIT");
	if (rc != DT_OK)
		return rc;
	dt__json_end(&p.j);
	rc = dt__json_finish(ctx, &p.j);
	if (rc == DT_OK && p.revealed)
		rc = dt__audit_reveal_rows(ctx, "Popolo persons", p.revealed);
	return rc;
}
