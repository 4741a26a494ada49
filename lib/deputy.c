/*
 * The deputy registry: fields and their checks, codes, and the commands
 * that add, change, retire, list and show deputies.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "deputy_internal.h"

static const struct {
	const char *name;
	const char *zh;
	size_t max_chars;
	int multiline; /* may hold line breaks (addresses, long titles) */
} fields[DT_DEPUTY_NFIELDS] = {
	[DT_DEPUTY_CODE] = { "code", "编号", 32, 0 },
	[DT_DEPUTY_NAME] = { "name", "姓名", 64, 0 },
	[DT_DEPUTY_GENDER] = { "gender", "性别", 8, 0 },
	[DT_DEPUTY_POST] = { "post", "职务", 200, 1 },
	[DT_DEPUTY_UNIT] = { "unit", "工作单位", 200, 1 },
	[DT_DEPUTY_DELEGATION] = { "delegation", "代表团", 100, 0 },
	[DT_DEPUTY_GRID] = { "grid", "负责网格", 200, 1 },
	[DT_DEPUTY_STATION] = { "station", "联络站", 200, 1 },
	[DT_DEPUTY_PHONE] = { "phone", "联系电话", 32, 0 },
	[DT_DEPUTY_EMAIL] = { "email", "邮箱", 254, 0 },
	[DT_DEPUTY_PHOTO] = { "photo", "照片", 1024, 0 },
};

/* Other headers seen on real rosters, mapped to the field they mean. */
static const struct {
	const char *alias;
	dt_deputy_field f;
} aliases[] = {
	{ "代表编号", DT_DEPUTY_CODE },   { "性名", DT_DEPUTY_NAME },
	{ "职位", DT_DEPUTY_POST },       { "单位", DT_DEPUTY_UNIT },
	{ "所在代表团", DT_DEPUTY_DELEGATION }, { "网格", DT_DEPUTY_GRID },
	{ "联络站点", DT_DEPUTY_STATION }, { "电话", DT_DEPUTY_PHONE },
	{ "手机", DT_DEPUTY_PHONE },      { "手机号码", DT_DEPUTY_PHONE },
	{ "电子邮箱", DT_DEPUTY_EMAIL },  { "e-mail", DT_DEPUTY_EMAIL },
};

const char *dt_deputy_field_name(dt_deputy_field f)
{
	return (unsigned)f < DT_DEPUTY_NFIELDS ? fields[f].name : NULL;
}

const char *dt_deputy_field_header_zh(dt_deputy_field f)
{
	return (unsigned)f < DT_DEPUTY_NFIELDS ? fields[f].zh : NULL;
}

int dt_deputy_field_lookup(const char *name)
{
	for (int i = 0; i < DT_DEPUTY_NFIELDS; i++)
		if (strcasecmp(name, fields[i].name) == 0 || strcmp(name, fields[i].zh) == 0)
			return i;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcasecmp(name, aliases[i].alias) == 0)
			return (int)aliases[i].f;
	return -1;
}

const char *dt__gender_canon(const char *v)
{
	static const char *const male[] = { "male", "m", "男", "男性" };
	static const char *const female[] = { "female", "f", "女", "女性" };

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, male[i]) == 0)
			return "male";
		if (strcasecmp(v, female[i]) == 0)
			return "female";
	}
	return NULL;
}

const char *dt__shown(const char *value, char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)value;
	size_t o = 0;

	for (; *p && o + 8 < size; p++) {
		if (*p < 0x20 || *p == 0x7f)
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", *p);
		else
			buf[o++] = (char)*p;
	}
	if (*p) {
		/* cut short: do not end inside a UTF-8 sequence */
		while (o > 0 && ((unsigned char)buf[o - 1] & 0xc0) == 0x80)
			o--;
		if (o > 0 && (unsigned char)buf[o - 1] >= 0xc0)
			o--;
		snprintf(buf + o, size - o, "...");
	} else {
		buf[o] = '\0';
	}
	return buf;
}

int dt__deputy_value_ok(dt_deputy_field f, const char *v, char *why, size_t size)
{
	char shown[64];
	dt_text_info t;

	if (dt__text_scan(v, strlen(v), &t) != DT_TEXT_OK) {
		snprintf(why, size, "is not valid UTF-8 (a GBK file? try --encoding gbk)");
		return 0;
	}
	if (t.controls || (t.breaks && !fields[f].multiline)) {
		snprintf(why, size, "'%s' holds a control character", dt__shown(v, shown, sizeof(shown)));
		return 0;
	}
	if (t.chars > fields[f].max_chars) {
		snprintf(why, size, "'%s' is longer than %zu characters", dt__shown(v, shown, sizeof(shown)),
		         fields[f].max_chars);
		return 0;
	}
	switch (f) {
	case DT_DEPUTY_CODE:
		for (const char *p = v; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_') {
				snprintf(why, size, "'%s' is not a code (letters, digits, '-' and '_')",
				         dt__shown(v, shown, sizeof(shown)));
				return 0;
			}
		break;
	case DT_DEPUTY_NAME:
		if (!*v) {
			snprintf(why, size, "a name is required");
			return 0;
		}
		break;
	case DT_DEPUTY_GENDER:
		if (*v && !dt__gender_canon(v)) {
			snprintf(why, size, "'%s' is not a gender (男, 女, male, female, M, F)",
			         dt__shown(v, shown, sizeof(shown)));
			return 0;
		}
		break;
	case DT_DEPUTY_PHONE:
		if (*v && !dt__phone_valid(v)) {
			snprintf(why, size, "'%s' is not a mobile number (13712340743) or a landline (0633-8781234)",
			         dt__shown(v, shown, sizeof(shown)));
			return 0;
		}
		break;
	case DT_DEPUTY_EMAIL:
		if (*v && !dt__email_valid(v)) {
			snprintf(why, size, "'%s' is not an e-mail address", dt__shown(v, shown, sizeof(shown)));
			return 0;
		}
		break;
	default:
		break;
	}
	return 1;
}

int dt_deputy_field_check(dt_ctx *ctx, dt_deputy_field f, const char *value)
{
	char why[256];

	if ((unsigned)f >= DT_DEPUTY_NFIELDS)
		return dt__error(ctx, DT_EUSAGE, "no such deputy field");
	if (!dt__deputy_value_ok(f, value, why, sizeof(why)))
		return dt__error(ctx, DT_EDATA, "%s: %s", fields[f].name, why);
	return DT_OK;
}

int dt__code_last(dt_ctx *ctx, const char *prefix, int64_t *out)
{
	sqlite3_stmt *st;
	/* numbers of at most 18 digits, as an import reads them: CAST makes a
	 * longer one 2^63 - 1, and the next number after it overflows */
	int rc = dt__prepare(ctx, &st,
	                     "SELECT max(coalesce((SELECT last FROM code_counter WHERE prefix = ?1), 0),"
	                     " coalesce((SELECT max(CAST(substr(code, length(?1) + 1) AS INTEGER)) FROM deputy"
	                     "  WHERE code GLOB ?1 || '[0-9]*' AND substr(code, length(?1) + 1) NOT GLOB '*[^0-9]*'"
	                     "  AND length(code) - length(?1) <= 18), 0))");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? DT_OK : dt__sqlerr(ctx, rc, "reading codes");
}

int dt__code_save(dt_ctx *ctx, const char *prefix, int64_t last)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st,
	                     "INSERT INTO code_counter(prefix, last) VALUES (?1, ?2)"
	                     " ON CONFLICT(prefix) DO UPDATE SET last = max(last, excluded.last)");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, last);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, rc, "saving the code counter");
}

int dt__code_format(dt_ctx *ctx, const char *prefix, int width, char **p_out, int *w_out)
{
	int64_t w = width;
	int rc;

	if (prefix) {
		size_t n = strlen(prefix);
		for (size_t i = 0; i < n; i++)
			if (!isupper((unsigned char)prefix[i]))
				n = 0;
		if (n < 1 || n > 8)
			return dt__error(ctx, DT_EUSAGE, "prefix '%s' is not 1 to 8 capital letters A-Z", prefix);
		*p_out = strdup(prefix);
		if (!*p_out)
			return dt__error(ctx, DT_ENOMEM, "out of memory");
	} else {
		rc = dt__config_text(ctx, "deputy.code_prefix", p_out);
		if (rc != DT_OK)
			return rc;
	}
	if (width == 0 && (rc = dt__config_int(ctx, "deputy.code_width", &w)) != DT_OK) {
		free(*p_out);
		return rc;
	}
	if (w < 1 || w > 9) {
		free(*p_out);
		return dt__error(ctx, DT_EUSAGE, "width %" PRId64 " is not from 1 to 9", w);
	}
	*w_out = (int)w;
	return DT_OK;
}

int dt__deputy_assign(dt_ctx *ctx, const char *prefix_arg, int width_arg, uint64_t *assigned)
{
	sqlite3_stmt *sel = NULL, *upd = NULL;
	char *prefix = NULL;
	int width, rc;
	int64_t last;
	uint64_t n = 0;

	rc = dt__code_format(ctx, prefix_arg, width_arg, &prefix, &width);
	if (rc != DT_OK)
		return rc;
	rc = dt__code_last(ctx, prefix, &last);
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &sel, "SELECT id FROM deputy WHERE code IS NULL ORDER BY id");
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &upd, "UPDATE deputy SET code = ?2 WHERE id = ?1");
	while (rc == DT_OK && dt__next(ctx, sel, &rc)) {
		char code[48];

		snprintf(code, sizeof(code), "%s%0*" PRId64, prefix, width, ++last);
		sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
		sqlite3_bind_text(upd, 2, code, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(upd) != SQLITE_DONE)
			rc = dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "assigning codes");
		sqlite3_reset(upd);
		n++;
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	if (rc == DT_OK && n > 0)
		rc = dt__code_save(ctx, prefix, last);
	free(prefix);
	if (assigned)
		*assigned = n;
	return rc;
}

int dt_deputy_assign_codes(dt_ctx *ctx, const char *prefix, int width, uint64_t *assigned)
{
	uint64_t n = 0;
	int rc = dt__begin(ctx);

	if (rc != DT_OK)
		return rc;
	rc = dt__deputy_assign(ctx, prefix, width, &n);
	if (rc == DT_OK && n > 0)
		rc = dt__audit(ctx, "assigned codes to %" PRIu64 " deputies", n);
	if (rc != DT_OK) {
		dt__rollback(ctx);
		return rc;
	}
	if (assigned)
		*assigned = n;
	return dt__commit(ctx);
}

/* Check every given field; the first bad one sets the message. */
static int check_fields(dt_ctx *ctx, const dt_deputy_fields *in)
{
	for (int f = 0; f < DT_DEPUTY_NFIELDS; f++) {
		int rc;

		if (!in->value[f])
			continue;
		rc = dt_deputy_field_check(ctx, (dt_deputy_field)f, in->value[f]);
		if (rc != DT_OK)
			return rc;
	}
	return DT_OK;
}

/* The stored form of a field value: gender canonical, "" as NULL. */
static const char *stored_form(int f, const char *v)
{
	if (!v || !*v)
		return NULL;
	return f == DT_DEPUTY_GENDER ? dt__gender_canon(v) : v;
}

int dt__deputy_lookup(dt_ctx *ctx, const char *code, int64_t *id, int *retired)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st, "SELECT id, status = 'retired' FROM deputy WHERE code = ?1");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (retired)
			*retired = sqlite3_column_int(st, 1);
		rc = DT_OK;
	} else if (rc == SQLITE_DONE) {
		char shown[64];
		rc = dt__error(ctx, DT_ENOTFOUND, "no deputy with code '%s'", dt__shown(code, shown, sizeof(shown)));
	} else {
		rc = dt__sqlerr(ctx, rc, "looking up a deputy");
	}
	sqlite3_finalize(st);
	return rc;
}

int dt_deputy_add(dt_ctx *ctx, const dt_deputy_fields *in, char **code_out)
{
	sqlite3_stmt *st = NULL;
	const char *code = in->value[DT_DEPUTY_CODE];
	int64_t id;
	int rc;

	if (code_out)
		*code_out = NULL;
	if (!in->value[DT_DEPUTY_NAME] || !*in->value[DT_DEPUTY_NAME])
		return dt__error(ctx, DT_EDATA, "name: a name is required");
	rc = check_fields(ctx, in);
	if (rc != DT_OK)
		return rc;
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	if (code && *code && dt__deputy_lookup(ctx, code, &id, NULL) == DT_OK) {
		rc = dt__error(ctx, DT_EEXISTS, "a deputy with code '%s' exists already", code);
		goto fail;
	}
	rc = dt__prepare(ctx, &st,
		                 "INSERT INTO deputy(code, name, gender, post, unit, delegation, grid, station,"
		                 " phone, email, photo, joined_at, updated_at)"
		                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?13, ?13)");
	if (rc != DT_OK)
		goto fail;
	for (int f = 0; f < DT_DEPUTY_NFIELDS; f++)
		dt__bind_text_or_null(st, f + 1, stored_form(f, in->value[f]));
	sqlite3_bind_int64(st, 13, dt_ctx_now(ctx));
	rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "adding a deputy");
	sqlite3_finalize(st);
	id = sqlite3_last_insert_rowid(ctx->db);
	if (rc == DT_OK && (!code || !*code))
		rc = dt__deputy_assign(ctx, NULL, 0, NULL);
	if (rc != DT_OK)
		goto fail;
	rc = dt__prepare(ctx, &st, "SELECT code FROM deputy WHERE id = ?1");
	if (rc != DT_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && code_out)
		*code_out = strdup((const char *)sqlite3_column_text(st, 0));
	rc = dt__audit(ctx, "added deputy %s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != DT_OK)
		goto fail;
	rc = dt__commit(ctx);
	if (rc != DT_OK && code_out) {
		free(*code_out);
		*code_out = NULL;
	}
	return rc;
fail:
	dt__rollback(ctx);
	return rc;
}

int dt_deputy_set(dt_ctx *ctx, const char *code, const dt_deputy_fields *in)
{
	char changed[256] = "";
	size_t used = 0;
	int64_t id;
	int rc;

	if (in->value[DT_DEPUTY_NAME] && !*in->value[DT_DEPUTY_NAME])
		return dt__error(ctx, DT_EDATA, "name: a name is required");
	rc = check_fields(ctx, in);
	if (rc != DT_OK)
		return rc;
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__deputy_lookup(ctx, code, &id, NULL);
	if (rc == DT_OK && in->value[DT_DEPUTY_CODE] && *in->value[DT_DEPUTY_CODE] &&
	    strcmp(in->value[DT_DEPUTY_CODE], code) != 0)
		rc = dt__error(ctx, DT_EUSAGE, "a deputy's code never changes (codes are printed on posters)");
	for (int f = 1; rc == DT_OK && f < DT_DEPUTY_NFIELDS; f++) {
		sqlite3_stmt *st;
		char sql[128];

		if (!in->value[f])
			continue;
		/* the column name comes from the fixed field table, never from input */
		snprintf(sql, sizeof(sql), "UPDATE deputy SET %s = ?1, updated_at = ?2 WHERE id = ?3",
		         fields[f].name);
		rc = dt__prepare(ctx, &st, sql);
		if (rc != DT_OK)
			break;
		dt__bind_text_or_null(st, 1, stored_form(f, in->value[f]));
		sqlite3_bind_int64(st, 2, dt_ctx_now(ctx));
		sqlite3_bind_int64(st, 3, id);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "changing a deputy");
		sqlite3_finalize(st);
		used += (size_t)snprintf(changed + used, sizeof(changed) - used, "%s%s", used ? ", " : "",
		                         fields[f].name);
		if (used >= sizeof(changed))
			used = sizeof(changed) - 1;
	}
	/* values are not logged: phones and e-mails are personal data */
	if (rc == DT_OK)
		rc = dt__audit(ctx, "changed deputy %s: %s", code, *changed ? changed : "nothing");
	return dt__end(ctx, rc);
}

int dt_deputy_retire(dt_ctx *ctx, const char *code)
{
	sqlite3_stmt *st;
	int64_t id;
	int retired = 0, rc = dt__begin(ctx);

	if (rc != DT_OK)
		return rc;
	rc = dt__deputy_lookup(ctx, code, &id, &retired);
	if (rc == DT_OK && retired)
		rc = dt__error(ctx, DT_EEXISTS, "deputy %s is retired already", code);
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st,
		                 "UPDATE deputy SET status = 'retired', retired_at = ?2, updated_at = ?2 WHERE id = ?1");
	if (rc == DT_OK) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, dt_ctx_now(ctx));
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "retiring a deputy");
		sqlite3_finalize(st);
	}
	if (rc == DT_OK)
		rc = dt__audit(ctx, "retired deputy %s", code);
	return dt__end(ctx, rc);
}

static const dt_column deputy_columns[] = {
	{ "id", DT_COL_TEXT, 0 }, /* a record only: the code, as the id scripts pass on */
	{ "code", DT_COL_TEXT, 0 },       { "name", DT_COL_TEXT, 0 },    { "gender", DT_COL_TEXT, 0 },
	{ "post", DT_COL_TEXT, 0 },       { "unit", DT_COL_TEXT, 0 },    { "delegation", DT_COL_TEXT, 0 },
	{ "grid", DT_COL_TEXT, 0 },       { "station", DT_COL_TEXT, 0 }, { "phone", DT_COL_TEXT, DT_COL_PHONE },
	{ "email", DT_COL_TEXT, 0 },      { "status", DT_COL_TEXT, 0 },  { "photo", DT_COL_TEXT, 0 },
	{ "joined_at", DT_COL_TEXT, 0 },  { "retired_at", DT_COL_TEXT, 0 },
};
#define LIST_NCOLS 11 /* code .. status */
#define SHOW_NCOLS 15 /* id .. retired_at */

#define SELECT_DEPUTY                                                                            \
	"SELECT code, name, gender, post, unit, delegation, grid, station, phone, email, status,"  \
	" photo, joined_at, retired_at FROM deputy"

/* One deputy row from a SELECT_DEPUTY statement to w: the listing's
 * columns, or with record set the id and the whole record. */
static int write_deputy(dt_ctx *ctx, sqlite3_stmt *st, dt_writer *w, int record)
{
	dt_value all[SHOW_NCOLS] = { { 0 } };
	dt_value *v = all + 1;
	char joined[40], retired[40];

	for (int i = 0; i < 12; i++) {
		v[i].text = (const char *)sqlite3_column_text(st, i);
		v[i].is_null = v[i].text == NULL;
	}
	if (!record)
		return dt_writer_row(w, v);
	all[0] = v[0];
	v[12].text = dt_time_format(ctx, sqlite3_column_int64(st, 12), joined, sizeof(joined));
	v[13].is_null = sqlite3_column_type(st, 13) == SQLITE_NULL;
	if (!v[13].is_null)
		v[13].text = dt_time_format(ctx, sqlite3_column_int64(st, 13), retired, sizeof(retired));
	return dt_writer_row(w, all);
}

int dt_deputy_list(dt_ctx *ctx, const dt_deputy_filter *f, dt_writer *w)
{
	static const dt_deputy_filter none = { 0 };
	sqlite3_stmt *st;
	int rc;

	if (!f)
		f = &none;
	if (f->status && strcmp(f->status, "active") != 0 && strcmp(f->status, "retired") != 0)
		return dt__error(ctx, DT_EUSAGE, "status '%s' is not active or retired", f->status);
	rc = dt__prepare(ctx, &st,
	                 SELECT_DEPUTY " WHERE (?1 IS NULL OR delegation = ?1) AND (?2 IS NULL OR grid = ?2)"
	                 " AND (?3 IS NULL OR station = ?3) AND (?4 IS NULL OR status = ?4)"
	                 " ORDER BY id");
	if (rc != DT_OK)
		return rc;
	dt__bind_text_or_null(st, 1, f->delegation);
	dt__bind_text_or_null(st, 2, f->grid);
	dt__bind_text_or_null(st, 3, f->station);
	dt__bind_text_or_null(st, 4, f->status);
	rc = dt_writer_begin(w, deputy_columns + 1, LIST_NCOLS);
	while (rc == DT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		rc = write_deputy(ctx, st, w, 0);
	if (rc == SQLITE_DONE)
		rc = DT_OK;
	else if (rc > 0)
		rc = dt__sqlerr(ctx, rc, "listing deputies");
	else if (rc < 0)
		rc = dt__writer_status(ctx, rc); /* the writer failed, not SQLite */
	sqlite3_finalize(st);
	if (rc == DT_OK)
		rc = dt__writer_status(ctx, dt_writer_end(w));
	if (rc == DT_OK)
		rc = dt__audit_reveal(ctx, w, "deputy list");
	return rc;
}

int dt_deputy_show(dt_ctx *ctx, const char *code, dt_writer *w)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st, SELECT_DEPUTY " WHERE code = ?1");

	if (rc != DT_OK)
		return rc;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		char shown[64];
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return dt__sqlerr(ctx, rc, "reading a deputy");
		return dt__error(ctx, DT_ENOTFOUND, "no deputy with code '%s'", dt__shown(code, shown, sizeof(shown)));
	}
	rc = dt_writer_begin(w, deputy_columns, SHOW_NCOLS);
	if (rc == DT_OK)
		rc = write_deputy(ctx, st, w, 1);
	sqlite3_finalize(st);
	if (rc == DT_OK)
		rc = dt_writer_end(w);
	rc = dt__writer_status(ctx, rc);
	if (rc == DT_OK)
		rc = dt__audit_reveal(ctx, w, "deputy record");
	return rc;
}

static const dt_column stats_columns[] = {
	{ "delegation", DT_COL_TEXT, 0 }, { "deputies", DT_COL_INT, 0 },  { "active", DT_COL_INT, 0 },
	{ "retired", DT_COL_INT, 0 },     { "female", DT_COL_INT, 0 },    { "with_code", DT_COL_INT, 0 },
	{ "with_phone", DT_COL_INT, 0 },  { "with_email", DT_COL_INT, 0 },
};

int dt_deputy_stats(dt_ctx *ctx, dt_writer *w)
{
	sqlite3_stmt *st;
	/* GROUPING by delegation, then the same sums over everyone as "total" */
	int rc = dt__prepare(ctx, &st,
	                     "WITH s AS (SELECT delegation, count(*) AS n, sum(status = 'active') AS a,"
	                     "  sum(status = 'retired') AS r, sum(gender = 'female') AS f, count(code) AS c,"
	                     "  count(phone) AS p, count(email) AS e, min(id) AS o"
	                     "  FROM deputy GROUP BY delegation)"
	                     " SELECT coalesce(delegation, '(none)'), n, a, r, f, c, p, e, 0 AS last, o FROM s"
	                     " UNION ALL SELECT 'total', coalesce(sum(n), 0), coalesce(sum(a), 0), coalesce(sum(r), 0),"
	                     "  coalesce(sum(f), 0), coalesce(sum(c), 0), coalesce(sum(p), 0), coalesce(sum(e), 0), 1, 0 FROM s"
	                     " ORDER BY last, 10");

	if (rc != DT_OK)
		return rc;
	rc = dt_writer_begin(w, stats_columns, 8);
	while (rc == DT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		dt_value v[8] = { { 0 } };

		v[0].text = (const char *)sqlite3_column_text(st, 0);
		for (int i = 1; i < 8; i++)
			v[i].i = sqlite3_column_int64(st, i);
		rc = dt_writer_row(w, v);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = dt_writer_end(w);
	else if (rc > 0)
		return dt__sqlerr(ctx, rc, "counting deputies");
	return dt__writer_status(ctx, rc);
}
