/*
 * libmicrohttpd, loaded when `rdlz serve` starts. Linking it would bring
 * GnuTLS and nine more libraries into every rdlz run and double its
 * start-up (8.6 to 16.5 ms for `rdlz --version`), which cron jobs and shell
 * loops pay thousands of times; only serve needs it. Only its header is used
 * at build time.
 */
#ifndef RDLZ_MHD_LOADER_H
#define RDLZ_MHD_LOADER_H

#include <microhttpd.h>

typedef struct {
	struct MHD_Daemon *(*start_daemon)(unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *,
	                                   MHD_AccessHandlerCallback, void *, ...);
	const union MHD_DaemonInfo *(*get_daemon_info)(struct MHD_Daemon *, enum MHD_DaemonInfoType, ...);
	const union MHD_ConnectionInfo *(*get_connection_info)(struct MHD_Connection *, enum MHD_ConnectionInfoType,
	                                                       ...);
	const char *(*lookup_connection_value)(struct MHD_Connection *, enum MHD_ValueKind, const char *);
	struct MHD_Response *(*create_response_from_buffer)(size_t, void *, enum MHD_ResponseMemoryMode);
	enum MHD_Result (*add_response_header)(struct MHD_Response *, const char *, const char *);
	enum MHD_Result (*queue_response)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
	void (*destroy_response)(struct MHD_Response *);
	MHD_socket (*quiesce_daemon)(struct MHD_Daemon *);
	void (*stop_daemon)(struct MHD_Daemon *);
} rdlz_mhd;

/* The loaded library (process-wide, loaded once), or NULL after printing
 * which package to install. */
const rdlz_mhd *rdlz_mhd_load(void);

#endif
