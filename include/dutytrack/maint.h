/*
 * Keeping the database healthy: integrity checks and online backups.
 */
#ifndef DUTYTRACK_MAINT_H
#define DUTYTRACK_MAINT_H

#include "dutytrack/common.h"
#include "dutytrack/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Run SQLite's integrity and foreign-key checks and verify the audit chain;
 * with expect_head (may be NULL), also that the chain still holds that hash.
 * Writes one row per check (check, status, detail) to w. DT_ECORRUPT when a
 * check failed; the message names the first failure. */
DT_EXTERN int dt_check(dt_ctx *ctx, const char *expect_head, dt_writer *w);

/* Copy the live database to dest with SQLite's online backup API; dest is
 * created 0600 and replaced only once the copy is whole. */
DT_EXTERN int dt_backup(dt_ctx *ctx, const char *dest);

#ifdef __cplusplus
}
#endif

#endif
