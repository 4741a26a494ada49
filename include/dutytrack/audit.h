/*
 * The audit log: every change, who made it, when, with a SHA-256 hash
 * chained to the entry before, so an edited or deleted entry shows.
 * Entries are appended by the library itself, inside the transaction of the
 * change they describe.
 */
#ifndef DUTYTRACK_AUDIT_H
#define DUTYTRACK_AUDIT_H

#include "dutytrack/common.h"
#include "dutytrack/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* List the newest `limit` entries (0: all), oldest first, to w. */
DT_EXTERN int dt_audit_list(dt_ctx *ctx, uint64_t limit, dt_writer *w);

/* Verify the whole chain. *head receives the hash of the last entry (hex,
 * 64 chars + NUL; "" for an empty log); *entries the count. DT_ECORRUPT
 * naming the first bad entry when an entry was edited or removed. */
DT_EXTERN int dt_audit_verify(dt_ctx *ctx, char head[65], uint64_t *entries);

/* 1 if an entry of the chain has hash `hex`, 0 if not. */
DT_EXTERN int dt_audit_has_hash(dt_ctx *ctx, const char *hex);

#ifdef __cplusplus
}
#endif

#endif
