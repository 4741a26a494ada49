/*
 * libcurl, loaded when the first message is sent. Linking it would cost
 * every rdlz run about 6 ms of start-up (it pulls in some thirty shared
 * libraries); cron jobs and shell loops run rdlz thousands of times and
 * most runs send nothing. Only its header is used at build time.
 */
#ifndef DT_CURL_LOADER_H
#define DT_CURL_LOADER_H

#include <curl/curl.h>
#include "internal.h"

typedef struct {
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	char *(*easy_escape)(CURL *, const char *, int);
	void (*free)(void *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} dt_curl;

/* The loaded library (process-wide, loaded once); DT_ERROR with a clear
 * message when libcurl is not installed. */
int dt__curl_load(dt_ctx *ctx, const dt_curl **out);

#endif
