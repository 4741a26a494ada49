/*
 * Loading libmicrohttpd with dlopen (see mhd_loader.h for why).
 */
#include <dlfcn.h>
#include <stdio.h>
#include "mhd_loader.h"

#define LOAD(field, symbol)                                             \
	do {                                                            \
		*(void **)(&api.field) = dlsym(handle, symbol);         \
		if (!api.field)                                         \
			missing = symbol;                               \
	} while (0)

const rdlz_mhd *rdlz_mhd_load(void)
{
	static rdlz_mhd api;
	static int loaded;
	const char *missing = NULL;
	void *handle;

	if (loaded)
		return &api;
	handle = dlopen("libmicrohttpd.so.12", RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		fprintf(stderr, "rdlz: serve needs libmicrohttpd, which is not installed "
		                "(Debian: apt-get install libmicrohttpd12): %s\n", dlerror());
		return NULL;
	}
	LOAD(start_daemon, "MHD_start_daemon");
	LOAD(get_daemon_info, "MHD_get_daemon_info");
	LOAD(get_connection_info, "MHD_get_connection_info");
	LOAD(lookup_connection_value, "MHD_lookup_connection_value");
	LOAD(create_response_from_buffer, "MHD_create_response_from_buffer");
	LOAD(add_response_header, "MHD_add_response_header");
	LOAD(queue_response, "MHD_queue_response");
	LOAD(destroy_response, "MHD_destroy_response");
	LOAD(quiesce_daemon, "MHD_quiesce_daemon");
	LOAD(stop_daemon, "MHD_stop_daemon");
	if (missing) {
		fprintf(stderr, "rdlz: the libmicrohttpd found lacks %s\n", missing);
		dlclose(handle);
		return NULL;
	}
	loaded = 1;
	return &api;
}
