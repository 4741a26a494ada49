/*
 * Settings, kept in the database. Each key is declared once in the library
 * with its type, default and check; dt_config_set refuses anything else and
 * its message lists what is accepted.
 */
#ifndef DUTYTRACK_CONFIG_H
#define DUTYTRACK_CONFIG_H

#include "dutytrack/common.h"
#include "dutytrack/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Set key to value after checking both; audited. DT_EUSAGE for an unknown
 * key or a bad value. */
DT_EXTERN int dt_config_set(dt_ctx *ctx, const char *key, const char *value);

/* The value of key (the default when unset) into *out, a string the caller
 * frees with free(). DT_EUSAGE for an unknown key. */
DT_EXTERN int dt_config_get(dt_ctx *ctx, const char *key, char **out);

/* List key, value, default and description of every key (or just `key`)
 * to w. DT_EUSAGE for an unknown key. */
DT_EXTERN int dt_config_list(dt_ctx *ctx, const char *key, dt_writer *w);

/* The number of declared keys, and the name of the i-th; static. */
DT_EXTERN size_t dt_config_count(void);
DT_EXTERN const char *dt_config_key(size_t i);

#ifdef __cplusplus
}
#endif

#endif
