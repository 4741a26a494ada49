/*
 * libdutytrack: the engine of a deputy duty-performance platform.
 *
 * This header declares what every module shares: the version, the
 * context object, the status codes and the last-error message. Each module has
 * a header of its own beside this one; dutytrack.h includes them all.
 *
 * Conventions (the same in every header):
 *  - every fallible function returns int: DT_OK (0) or a negative DT_E* code;
 *    the context then holds a message that dt_errmsg() returns;
 *  - an object returned through an `out` parameter belongs to the caller and is
 *    released with the matching *_free(), which accepts NULL;
 *  - a const char * returned by a getter belongs to the object it came from
 *    and lives as long as that object;
 *  - the library never writes to stdout or stderr: listings go to a dt_writer
 *    (writer.h), row-level diagnostics to the callback set with
 *    dt_ctx_set_diag();
 *  - every call that changes the database runs in one transaction and either
 *    happens whole or not at all.
 */
#ifndef DUTYTRACK_COMMON_H
#define DUTYTRACK_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && defined(DT_BUILDING_LIBRARY)
#define DT_EXTERN __attribute__((visibility("default")))
#else
#define DT_EXTERN
#endif

#define DT_VERSION "0.1.0"
#define DT_VERSION_NUM 0x000100

/* Status codes. The list only ever grows; values never change. */
typedef enum {
	DT_OK = 0,
	DT_ERROR = -1,     /* generic failure (I/O, SQLite, out of memory) */
	DT_EUSAGE = -2,    /* a bad argument from the caller */
	DT_EDATA = -3,     /* bad input data (a file, a value); nothing written */
	DT_ENOTFOUND = -4, /* the named object does not exist */
	DT_EEXISTS = -5,   /* the object exists already */
	DT_EBUSY = -6,     /* the database stayed locked past the busy timeout */
	DT_ESCHEMA = -7,   /* no database, or one of an older/newer schema */
	DT_ECORRUPT = -8,  /* an integrity or audit-chain check failed */
	DT_ECONFLICT = -9, /* the object changed under us; try again */
	DT_ENOMEM = -10,   /* out of memory */
	DT_EIO = -11,      /* reading or writing a file failed */
	DT_EVERIFY = -12,  /* a signature or code did not verify */
	DT_ESTATE = -13    /* not allowed in the object's current state */
} dt_status;

/* The context: one open database, its settings, the actor and the clock. */
typedef struct dt_ctx dt_ctx;

/* How to open the database. Start from DT_OPEN_OPTIONS_INIT. */
typedef struct {
	unsigned int version;  /* DT_OPEN_OPTIONS_VERSION */
	const char *path;      /* database file; NULL means RDLZ_DB, else ./rdlz.db */
	int create;            /* 1: create or migrate (rdlz init); 0: must exist, current schema */
	int busy_timeout_ms;   /* -1: RDLZ_BUSY_TIMEOUT_MS, else the setting db.busy_timeout_ms (default 5000) */
	int read_only;         /* 1: open read-only (no migration, no writes) */
} dt_open_options;

#define DT_OPEN_OPTIONS_VERSION 1
#define DT_OPEN_OPTIONS_INIT { DT_OPEN_OPTIONS_VERSION, NULL, 0, -1, 0 }

/* Severity-free diagnostic sink: one call per bad row or warning. */
typedef void (*dt_diag_fn)(void *userdata, const char *message);

/* The library's version string; never NULL. */
DT_EXTERN const char *dt_version(void);

/* Open (and with opts->create, create or migrate) a database into *out.
 * On failure *out is still set when possible so dt_errmsg() can explain;
 * the caller frees it either way with dt_ctx_free(). */
DT_EXTERN int dt_ctx_open(dt_ctx **out, const dt_open_options *opts);

/* Close the database and free the context; NULL is fine. */
DT_EXTERN void dt_ctx_free(dt_ctx *ctx);

/* The message of the last failure on ctx; never NULL ("" when none). Owned by ctx. */
DT_EXTERN const char *dt_errmsg(const dt_ctx *ctx);

/* A fixed English description of a status code; never NULL. */
DT_EXTERN const char *dt_strerror(int status);

/* Route per-row diagnostics (bad CSV rows, warnings) to fn; NULL drops them. */
DT_EXTERN void dt_ctx_set_diag(dt_ctx *ctx, dt_diag_fn fn, void *userdata);

/* Who acts: recorded in the audit log. NULL restores the default
 * (RDLZ_ACTOR, else the login name). The string is copied. */
DT_EXTERN int dt_ctx_set_actor(dt_ctx *ctx, const char *actor);

/* The acting user; owned by ctx. */
DT_EXTERN const char *dt_ctx_actor(const dt_ctx *ctx);

/* The command being run, recorded in the audit log; copied. */
DT_EXTERN int dt_ctx_set_command(dt_ctx *ctx, const char *command);

/* Fix the clock at unix time `now` (seconds); a negative value restores the
 * default (RDLZ_NOW if set, else the system clock). */
DT_EXTERN void dt_ctx_set_now(dt_ctx *ctx, int64_t now);

/* The current time per the context's clock, in unix seconds. */
DT_EXTERN int64_t dt_ctx_now(const dt_ctx *ctx);

/* The database path in use; owned by ctx. */
DT_EXTERN const char *dt_ctx_path(const dt_ctx *ctx);

/* The SQLite library version linked at run time, e.g. "3.40.1"; static. */
DT_EXTERN const char *dt_sqlite_version(void);

/* The journal mode chosen for this SQLite ("wal" or "delete") and why; static. */
DT_EXTERN const char *dt_journal_mode(void);
DT_EXTERN const char *dt_journal_mode_reason(void);

/* The schema version this library writes. */
DT_EXTERN int dt_schema_version(void);

#ifdef __cplusplus
}
#endif

#endif
