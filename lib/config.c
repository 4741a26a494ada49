/*
 * Settings: each key declared once here with its type, default and check.
 * Values live in the setting table; an unset key reads as its default.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "internal.h"

typedef enum { KEY_INT, KEY_PREFIX, KEY_ZONE, KEY_URL, KEY_CHOICE, KEY_TEXT, KEY_ADDRS } key_type;

typedef struct {
	const char *name;
	key_type type;
	const char *def;
	int64_t min, max; /* KEY_INT only */
	const char *help;
	const char *choices; /* KEY_CHOICE: the values; KEY_URL: the schemes */
} config_key;

static const config_key keys[] = {
	{ "attendance.grace_minutes", KEY_INT, "30", 0, 1440,
	  "minutes before an event's start and after its end that a join/leave log row may fall in", NULL },
	{ "attendance.online_share", KEY_INT, "50", 1, 100,
	  "percent of an event's length a deputy must be online to count as attending online", NULL },
	{ "case.accept_working_days", KEY_INT, "2", 0, 365,
	  "working days a department has to accept a suggestion", NULL },
	{ "case.answer_working_days", KEY_INT, "15", 0, 365,
	  "working days a department has to answer an accepted suggestion", NULL },
	{ "case.max_rounds", KEY_INT, "3", 1, 20,
	  "rounds a suggestion may have in all; a dissatisfied rating starts another while fewer were had", NULL },
	{ "case.notify_citizens", KEY_CHOICE, "off", 0, 0,
	  "on: tell a citizen who left a phone when their request is resolved (by the webhook: an SMS gateway)",
	  "off on" },
	{ "case.request_take_hours", KEY_INT, "24", 1, 8760, "hours a deputy has to take a citizen's request", NULL },
	{ "congress.name", KEY_TEXT, "", 0, 0,
	  "the congress's name in the Popolo export (empty: 人民代表大会)", NULL },
	{ "db.busy_timeout_ms", KEY_INT, "5000", 0, 600000,
	  "how long a command waits for another writer before giving up (exit 75)", NULL },
	{ "deputy.code_prefix", KEY_PREFIX, "RZ", 0, 0, "letters before the number of a deputy code", NULL },
	{ "deputy.code_width", KEY_INT, "4", 1, 9, "digits of the number of a deputy code, zero-padded", NULL },
	{ "import.max_field_bytes", KEY_INT, "4096", 64, 1048576,
	  "the longest field a CSV import accepts (a stray quote must not swallow a file)", NULL },
	{ "net.ca_file", KEY_TEXT, "", 0, 0,
	  "CA certificates (PEM) to check mail and webhook servers by; empty: the system's", NULL },
	{ "net.connect_timeout_s", KEY_INT, "10", 1, 300, "how long sending waits to connect to a server", NULL },
	{ "net.timeout_s", KEY_INT, "30", 1, 3600, "how long one message may take to send", NULL },
	{ "outbox.lease_seconds", KEY_INT, "120", 1, 86400,
	  "how long a claimed message waits for its sender before another may take it", NULL },
	{ "outbox.max_attempts", KEY_INT, "8", 1, 100,
	  "attempts after temporary failures before a message fails for good", NULL },
	{ "outbox.permanent_attempts", KEY_INT, "2", 1, 100,
	  "attempts after permanent failures (SMTP 5xx, HTTP 4xx) before a message fails", NULL },
	{ "outbox.retry_base_seconds", KEY_INT, "60", 1, 86400,
	  "first wait after a failure; it doubles with every attempt", NULL },
	{ "qr.base_url", KEY_URL, "", 0, 0,
	  "where QR codes point: https://host[/path]; codes encode <base>/d/<CODE>?s=<SIG>", "http https" },
	{ "serve.leaderboard_dir", KEY_TEXT, "", 0, 0,
	  "where rdlz serve finds the published leaderboard (publish-leaderboard --out DIR); empty: none", NULL },
	{ "serve.max_body_bytes", KEY_INT, "10485760", 4096, 67108864,
	  "the largest request body rdlz serve reads (a form with its photo); larger is refused (413)", NULL },
	{ "serve.submissions_per_hour", KEY_INT, "20", 1, 1000000,
	  "requests rdlz serve takes from one client address in an hour; more are refused (429)", NULL },
	{ "serve.trusted_proxy", KEY_ADDRS, "", 0, 0,
	  "addresses of reverse proxies whose X-Forwarded-For / X-Real-IP rdlz serve believes (space-separated)",
	  NULL },
	{ "smtp.from", KEY_TEXT, "", 0, 0, "the sender of e-mail: address, or Name <address>", NULL },
	{ "smtp.tls", KEY_CHOICE, "required", 0, 0,
	  "required: TLS or no mail; none: plain text, for a relay on this machine only", "required none" },
	{ "smtp.url", KEY_URL, "", 0, 0, "the mail server: smtp://host:port or smtps://host:port", "smtp smtps" },
	{ "smtp.user", KEY_TEXT, "", 0, 0,
	  "the SMTP login (the password comes from RDLZ_SMTP_PASSWORD or the secrets file)", NULL },
	{ "time.zone", KEY_ZONE, "Asia/Shanghai", 0, 0,
	  "the time zone of days, months and periods (a zoneinfo name or UTC)", NULL },
	{ "webhook.kind", KEY_CHOICE, "generic", 0, 0,
	  "the form of webhook posts: generic JSON, or a WeCom or DingTalk group robot", "generic wecom dingtalk" },
	{ "webhook.per_minute", KEY_INT, "20", 1, 10000,
	  "most webhook posts a minute (the robots refuse more than about 20)", NULL },
	{ "webhook.url", KEY_URL, "", 0, 0,
	  "where webhook posts go, without its key (from RDLZ_WEBHOOK_KEY or the secrets file)", "http https" },
};

#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

size_t dt_config_count(void)
{
	return N_KEYS;
}

const char *dt_config_key(size_t i)
{
	return i < N_KEYS ? keys[i].name : NULL;
}

static const config_key *find_key(const char *name)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static int unknown_key(dt_ctx *ctx, const char *name)
{
	char list[900] = "";
	size_t used = 0;

	for (size_t i = 0; i < N_KEYS && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
		                         keys[i].name);
	return dt__error(ctx, DT_EUSAGE, "unknown setting '%s' (known: %s)", name, list);
}

/* A zone is a zoneinfo file name (no "..", no leading '/') or UTC. */
static int zone_exists(const char *zone)
{
	const char *dir = getenv("TZDIR");
	char path[512];
	struct stat sb;

	if (strcmp(zone, "UTC") == 0)
		return 1;
	if (!*zone || zone[0] == '/' || strstr(zone, ".."))
		return 0;
	for (const char *p = zone; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/_+-", *p))
			return 0;
	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone);
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* One of the space-separated words of list. */
static int in_list(const char *list, const char *v, size_t vlen)
{
	while (*list) {
		size_t n = strcspn(list, " ");

		if (n == vlen && strncmp(list, v, n) == 0)
			return 1;
		list += n;
		list += *list == ' ';
	}
	return 0;
}

/* scheme://host[:port][/path] with one of the schemes, printable ASCII, no
 * query, fragment or user info (so a code's URL is exactly
 * <base>/d/<CODE>?s=<SIG>, and no password hides in a setting). */
static int base_url_ok(const char *v, const char *schemes)
{
	const char *sep = strstr(v, "://");
	const char *host;

	if (!sep || !in_list(schemes, v, (size_t)(sep - v)))
		return 0;
	host = sep + 3;
	if (!*host || *host == '/' || strlen(v) > 200)
		return 0;
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f || strchr("?#@\\\"<>", *p))
			return 0;
	return 1;
}

/* Space-separated IPv4 or IPv6 addresses (none is fine): trusted proxies. */
static int addrs_ok(const char *v)
{
	unsigned char bin[16];
	char one[64];

	if (strlen(v) > 200)
		return 0;
	while (*v) {
		size_t n = strcspn(v, " ");

		if (n >= sizeof(one))
			return 0;
		if (n > 0) {
			memcpy(one, v, n);
			one[n] = '\0';
			if (inet_pton(AF_INET, one, bin) != 1 && inet_pton(AF_INET6, one, bin) != 1)
				return 0;
		}
		v += n;
		v += *v == ' ';
	}
	return 1;
}

static int check_value(dt_ctx *ctx, const config_key *k, const char *value)
{
	char *end;
	long long v;
	size_t n;

	switch (k->type) {
	case KEY_INT:
		errno = 0;
		v = strtoll(value, &end, 10);
		if (errno || end == value || *end || v < k->min || v > k->max)
			return dt__error(ctx, DT_EUSAGE, "%s: '%s' is not a whole number from %" PRId64 " to %" PRId64,
			                 k->name, value, k->min, k->max);
		return DT_OK;
	case KEY_PREFIX:
		n = strlen(value);
		for (size_t i = 0; i < n; i++)
			if (!isupper((unsigned char)value[i]))
				n = 0;
		if (n < 1 || n > 8)
			return dt__error(ctx, DT_EUSAGE, "%s: '%s' is not 1 to 8 capital letters A-Z", k->name, value);
		return DT_OK;
	case KEY_URL:
		if (!base_url_ok(value, k->choices)) {
			const char *last = strrchr(k->choices, ' ');
			return dt__error(ctx, DT_EUSAGE,
			                 "%s: '%s' is not an address of scheme %s without query, fragment or user"
			                 " (e.g. %s://host)",
			                 k->name, value, k->choices, last ? last + 1 : k->choices);
		}
		return DT_OK;
	case KEY_CHOICE:
		if (!in_list(k->choices, value, strlen(value)))
			return dt__error(ctx, DT_EUSAGE, "%s: '%s' is not one of: %s", k->name, value, k->choices);
		return DT_OK;
	case KEY_TEXT:
		for (const char *p = value; *p; p++)
			if ((unsigned char)*p < 0x20)
				return dt__error(ctx, DT_EUSAGE, "%s: a control character is not allowed", k->name);
		if (strlen(value) > 200 || !dt__utf8_valid(value, strlen(value)))
			return dt__error(ctx, DT_EUSAGE, "%s: not UTF-8 text of at most 200 bytes", k->name);
		return DT_OK;
	case KEY_ADDRS:
		if (!addrs_ok(value))
			return dt__error(ctx, DT_EUSAGE,
			                 "%s: '%s' is not a list of IPv4 or IPv6 addresses separated by spaces (e.g. 127.0.0.1 ::1)",
			                 k->name, value);
		return DT_OK;
	case KEY_ZONE:
		if (!zone_exists(value))
			return dt__error(ctx, DT_EUSAGE,
			                 "%s: '%s' is not a known time zone (a zoneinfo name such as Asia/Shanghai, or UTC)",
			                 k->name, value);
		return DT_OK;
	}
	return DT_ERROR;
}

/* The stored value, or NULL when unset, into *out (caller frees). */
static int stored_value(dt_ctx *ctx, const char *key, char **out)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st, "SELECT value FROM setting WHERE key = ?1");

	*out = NULL;
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = strdup((const char *)sqlite3_column_text(st, 0));
		rc = *out ? DT_OK : dt__error(ctx, DT_ENOMEM, "out of memory");
	} else if (rc == SQLITE_DONE) {
		rc = DT_OK;
	} else {
		rc = dt__sqlerr(ctx, rc, "reading settings");
	}
	sqlite3_finalize(st);
	return rc;
}

int dt_config_get(dt_ctx *ctx, const char *key, char **out)
{
	const config_key *k = find_key(key);
	int rc;

	*out = NULL;
	if (!k)
		return unknown_key(ctx, key);
	rc = stored_value(ctx, key, out);
	if (rc == DT_OK && !*out) {
		*out = strdup(k->def);
		if (!*out)
			return dt__error(ctx, DT_ENOMEM, "out of memory");
	}
	return rc;
}

int dt__config_text(dt_ctx *ctx, const char *key, char **out)
{
	return dt_config_get(ctx, key, out);
}

int dt__config_int(dt_ctx *ctx, const char *key, int64_t *out)
{
	char *v;
	int rc = dt_config_get(ctx, key, &v);

	if (rc != DT_OK)
		return rc;
	*out = strtoll(v, NULL, 10);
	free(v);
	return DT_OK;
}

int dt_config_set(dt_ctx *ctx, const char *key, const char *value)
{
	const config_key *k = find_key(key);
	sqlite3_stmt *st = NULL;
	int rc;

	if (!k)
		return unknown_key(ctx, key);
	rc = check_value(ctx, k, value);
	if (rc != DT_OK)
		return rc;
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__prepare(ctx, &st,
	                 "INSERT INTO setting(key, value, updated_at) VALUES (?1, ?2, ?3)"
	                 " ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at");
	if (rc == DT_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, dt_ctx_now(ctx));
		rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "saving a setting");
	}
	sqlite3_finalize(st);
	if (rc == DT_OK)
		rc = dt__audit(ctx, "setting %s = %s", key, value);
	if (rc != DT_OK) {
		dt__rollback(ctx);
		return rc;
	}
	rc = dt__commit(ctx);
	if (rc == DT_OK && strcmp(key, "time.zone") == 0)
		rc = dt__tz_apply(ctx);
	return rc;
}

static const dt_column config_columns[] = {
	{ "key", DT_COL_TEXT, 0 },
	{ "value", DT_COL_TEXT, 0 },
	{ "default", DT_COL_TEXT, 0 },
	{ "description", DT_COL_TEXT, 0 },
};

int dt_config_list(dt_ctx *ctx, const char *key, dt_writer *w)
{
	int rc;

	if (key && !find_key(key))
		return unknown_key(ctx, key);
	rc = dt_writer_begin(w, config_columns, 4);
	for (size_t i = 0; rc == DT_OK && i < N_KEYS; i++) {
		dt_value v[4] = { { 0 } };
		char *value;

		if (key && strcmp(key, keys[i].name) != 0)
			continue;
		rc = dt_config_get(ctx, keys[i].name, &value);
		if (rc != DT_OK)
			return rc;
		v[0].text = keys[i].name;
		v[1].text = value;
		v[2].text = keys[i].def;
		v[3].text = keys[i].help;
		rc = dt_writer_row(w, v);
		free(value);
	}
	if (rc == DT_OK)
		rc = dt_writer_end(w);
	return dt__writer_status(ctx, rc);
}
