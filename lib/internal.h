/*
 * Private to libdutytrack: the context's layout and the helpers every module
 * uses for errors, transactions and the audit log. SQL lives in the storage
 * files (db.c, schema.c and the module files' prepared statements), never in
 * the public headers.
 */
#ifndef DT_INTERNAL_H
#define DT_INTERNAL_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdarg.h>
#include "dutytrack/dutytrack.h"

#define DT_ERRMSG_MAX 1024

struct dt_ctx {
	sqlite3 *db;
	char *path;
	char errmsg[DT_ERRMSG_MAX];
	dt_diag_fn diag;
	void *diag_ud;
	char *actor;
	char *command;
	int64_t fixed_now;  /* < 0: not fixed */
	int64_t env_now;    /* RDLZ_NOW, < 0: not set; what dt_ctx_set_now(ctx, -1) restores */
	int in_tx;          /* inside dt__begin / dt__commit */
	int busy_timeout_ms;
	int read_failed;    /* dt__next met a read error; dt__writer_status keeps its message */
	sqlite3_stmt *archive_add; /* kept: bulk imports add a record per row */
};

/* Set ctx's message from a printf format (ctx may be NULL). */
void dt__error_set(dt_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Set ctx's message and give back status. A macro, so that the caller (and
 * gcc -fanalyzer) sees which status comes back without looking inside. */
#define dt__error(ctx, status, ...) (dt__error_set((ctx), __VA_ARGS__), (status))

/* The status for a failed SQLite result: never DT_OK. */
static inline int dt__sqlstatus(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DT_EBUSY;
	case SQLITE_NOMEM:
		return DT_ENOMEM;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return DT_ECORRUPT;
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
		return DT_EIO;
	default:
		return DT_ERROR;
	}
}

/* Set the message for a failed SQLite result: "<what>: <sqlite message>". */
void dt__sqlerr_set(dt_ctx *ctx, int rc, const char *what);

/* Set the message for a failed SQLite result and give back its status
 * (busy -> DT_EBUSY); inline so the status is seen without looking inside. */
static inline int dt__sqlerr(dt_ctx *ctx, int rc, const char *what)
{
	dt__sqlerr_set(ctx, rc, what);
	return dt__sqlstatus(rc);
}

/* Step st to its next row: 1 for a row, 0 at the end. A read error (a
 * damaged or vanished file) also ends the rows, but sets *rc and the message
 * first, so a loop over rows never takes it for the last row. */
static inline int dt__next(dt_ctx *ctx, sqlite3_stmt *st, int *rc)
{
	int step = sqlite3_step(st);

	if (step == SQLITE_ROW)
		return 1;
	if (step != SQLITE_DONE && *rc == DT_OK) {
		*rc = dt__sqlerr(ctx, step, ctx->path);
		ctx->read_failed = 1;
	}
	return 0;
}

/* gcc -fanalyzer (12) reports leaks that are not: a pointer stored into an
 * element of a heap array, iconv_open's (iconv_t)-1 failure taken for an
 * allocation. Around a function, each use says which and where the memory
 * is freed; the valgrind and LeakSanitizer runs check the claim. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 10
#define DT__ANALYZER_NOT_A_LEAK_BEGIN \
	_Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wanalyzer-malloc-leak\"")
#define DT__ANALYZER_NOT_A_LEAK_END _Pragma("GCC diagnostic pop")
#else
#define DT__ANALYZER_NOT_A_LEAK_BEGIN
#define DT__ANALYZER_NOT_A_LEAK_END
#endif

/* Send one diagnostic line to the context's callback. */
void dt__diag(dt_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* BEGIN IMMEDIATE: take the write lock now, waiting up to the busy timeout,
 * so a transaction never fails half-way for a lock. */
int dt__begin(dt_ctx *ctx);
int dt__commit(dt_ctx *ctx);
void dt__rollback(dt_ctx *ctx);

/* End the transaction by rc: commit when DT_OK, else roll back and
 * return rc unchanged. */
int dt__end(dt_ctx *ctx, int rc);

/* Prepare sql, setting the message on failure. */
int dt__prepare(dt_ctx *ctx, sqlite3_stmt **st, const char *sql);

/* Run SQL without results. */
int dt__exec(dt_ctx *ctx, const char *sql);

/* Append an audit entry (inside the caller's transaction). */
int dt__audit(dt_ctx *ctx, const char *change_fmt, ...) __attribute__((format(printf, 2, 3)));

/* Audit that w revealed personal data, in a transaction of its own. */
int dt__audit_reveal(dt_ctx *ctx, const dt_writer *w, const char *what);

/* Give a writer's failure a message on ctx (writers have no context);
 * a read error met by dt__next on the way keeps its own. */
int dt__writer_status(dt_ctx *ctx, int rc);

/* Where escaped text goes: n bytes at s. */
typedef void (*dt__put_fn)(void *ud, const char *s, size_t n);

/* Write n bytes of str as a JSON string, quotes included, through put: the
 * one JSON escaper (writer.c), which turns invalid UTF-8 into U+FFFD. */
void dt__json_string(const char *str, size_t n, dt__put_fn put, void *ud);

/* A double as the writer prints it: the shortest form that reads back the
 * same, with a decimal point whatever the locale (writer.c). */
void dt__format_real(double r, char *buf, size_t size);

/* Record that an export showed personal data in clear (rows of it), in a
 * transaction of its own; dt__audit_reveal does this for a writer. */
int dt__audit_reveal_rows(dt_ctx *ctx, const char *what, uint64_t rows);

/* Create or migrate the schema to the current version (in a transaction). */
int dt__schema_migrate(dt_ctx *ctx);

/* The schema version of the open database. */
int dt__schema_current(dt_ctx *ctx, int *version);

/* A value shortened and made printable for an error message. */
const char *dt__shown(const char *value, char *buf, size_t size);

/* The row id of deputy code (and whether retired; may be NULL);
 * DT_ENOTFOUND with a message for an unknown code. */
int dt__deputy_lookup(dt_ctx *ctx, const char *code, int64_t *id, int *retired);

/* The row id of an active department. */
int dt__department_lookup(dt_ctx *ctx, const char *code, int64_t *id);

/* Append a duty record of deputy_id (inside the caller's transaction). */
int dt__archive_add(dt_ctx *ctx, int64_t deputy_id, const char *kind, int64_t at, double quantity,
                    const char *ref);

/* Replace the file at path whole with n bytes of data (a temporary file
 * renamed over it), mode 0600, or mode when not 0. */
int dt__file_write(dt_ctx *ctx, const char *path, const void *data, size_t n, int mode);

/* Write s to f, HTML-escaped (& < > " '); NULL writes nothing. */
void dt__html(FILE *f, const char *s);
/* The first n bytes of s, HTML-escaped. */
void dt__html_n(FILE *f, const char *s, size_t n);

/* Config values for the library's own use: the default when unset. */
int dt__config_int(dt_ctx *ctx, const char *key, int64_t *out);
int dt__config_text(dt_ctx *ctx, const char *key, char **out);

/* The fields of a time for fast bulk parsing: *wall its wall-clock
 * reading in seconds as if UTC, and its offset when it names one; 0 when
 * malformed or a date that does not exist. */
int dt__time_parse_wall(const char *text, int64_t *wall, int *has_offset, int *offset);

/* Unix time as services export it: 10 digits of seconds or 13 of
 * milliseconds; 0 when text is not that. */
int dt__time_epoch(const char *text, int64_t *out);

/* The instant of a local wall-clock reading; 0 when the zone skips it. */
int dt__time_local(int64_t wall, int64_t *out);

/* Apply the configured time zone to the process (TZ) once per context. */
int dt__tz_apply(dt_ctx *ctx);

/* Bind a text that may be NULL (NULL or "" bind NULL). */
int dt__bind_text_or_null(sqlite3_stmt *st, int idx, const char *s);

/* Decode the UTF-8 sequence at s (n > 0 bytes) into *cp; its length, or 0
 * when s starts no valid sequence (overlongs, surrogates, past U+10FFFF). */
size_t dt__utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Is s well-formed UTF-8 (no overlongs, no surrogates)? */
int dt__utf8_valid(const char *s, size_t len);

typedef struct {
	size_t chars; /* code points */
	int controls; /* holds a control character other than the three below */
	int breaks;   /* holds a line break or tab */
} dt_text_info;
#define DT_TEXT_OK 0
#define DT_TEXT_BAD_UTF8 1
/* Check UTF-8 and gather info (may be NULL) in one pass. */
int dt__text_scan(const char *s, size_t len, dt_text_info *info);

/* A line of text for a title or the like: UTF-8, no control characters,
 * at most max_chars characters. */
int dt__one_line(const char *s, size_t max_chars);

/* Strip the digits and a leading '+' of a phone, checking its shape:
 * a mainland mobile (optionally +86) or a landline with area code. */
int dt__phone_valid(const char *s);
int dt__email_valid(const char *s);

#endif
