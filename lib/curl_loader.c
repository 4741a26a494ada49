/*
 * Loading libcurl with dlopen (see curl_loader.h for why).
 */
#include <dlfcn.h>
#include <string.h>
#include "curl_loader.h"

static dt_curl api;
static int loaded;

#define LOAD(field, symbol)                                             \
	do {                                                            \
		*(void **)(&api.field) = dlsym(handle, symbol);         \
		if (!api.field)                                         \
			missing = symbol;                               \
	} while (0)

int dt__curl_load(dt_ctx *ctx, const dt_curl **out)
{
	static const char *const names[] = { "libcurl.so.4", "libcurl-gnutls.so.4", "libcurl-nss.so.4", "libcurl.so" };
	const char *missing = NULL;
	CURLcode (*global_init)(long) = NULL;
	void *handle = NULL;

	if (loaded) {
		*out = &api;
		return DT_OK;
	}
	for (size_t i = 0; !handle && i < sizeof(names) / sizeof(names[0]); i++)
		handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (!handle)
		return dt__error(ctx, DT_ERROR,
		                 "sending needs libcurl, which is not installed (Debian: apt-get install libcurl4): %s",
		                 dlerror());
	LOAD(easy_init, "curl_easy_init");
	LOAD(easy_setopt, "curl_easy_setopt");
	LOAD(easy_perform, "curl_easy_perform");
	LOAD(easy_getinfo, "curl_easy_getinfo");
	LOAD(easy_cleanup, "curl_easy_cleanup");
	LOAD(easy_strerror, "curl_easy_strerror");
	LOAD(easy_escape, "curl_easy_escape");
	LOAD(free, "curl_free");
	LOAD(slist_append, "curl_slist_append");
	LOAD(slist_free_all, "curl_slist_free_all");
	*(void **)(&global_init) = dlsym(handle, "curl_global_init");
	if (missing || !global_init) {
		dlclose(handle);
		return dt__error(ctx, DT_ERROR, "the libcurl found lacks %s", missing ? missing : "curl_global_init");
	}
	if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return dt__error(ctx, DT_ERROR, "libcurl failed to start");
	loaded = 1;
	*out = &api;
	return DT_OK;
}
