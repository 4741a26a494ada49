/*
 * Loading libxlsxwriter with dlopen (see xlsx_loader.h for why).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include "xlsx_loader.h"

static dt_xlsx api;
static const dt_xlsx *loaded;
static char why_not[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

#define LOAD(name)                                                      \
	do {                                                            \
		*(void **)(&api.name) = dlsym(handle, #name);           \
		if (!api.name && !missing)                              \
			missing = #name;                                \
	} while (0)

static void load(void)
{
	const char *missing = NULL;
	void *handle = dlopen("libxlsxwriter.so.4", RTLD_NOW | RTLD_LOCAL);

	if (!handle) {
		const char *e = dlerror();

		snprintf(why_not, sizeof(why_not),
		         "writing Excel needs libxlsxwriter (Debian: apt-get install libxlsxwriter4): %s",
		         e ? e : "cannot load libxlsxwriter.so.4");
		return;
	}
	LOAD(workbook_new_opt);
	LOAD(workbook_add_worksheet);
	LOAD(workbook_add_format);
	LOAD(workbook_close);
	LOAD(lxw_workbook_free);
	LOAD(format_set_bold);
	LOAD(format_set_num_format);
	LOAD(worksheet_freeze_panes);
	LOAD(worksheet_write_string);
	LOAD(worksheet_write_datetime);
	LOAD(worksheet_write_number);
	LOAD(worksheet_write_boolean);
	LOAD(worksheet_set_column);
	LOAD(worksheet_autofilter);
	LOAD(lxw_strerror);
	if (missing) {
		snprintf(why_not, sizeof(why_not),
		         "writing Excel needs libxlsxwriter (Debian: apt-get install libxlsxwriter4): "
		         "the libxlsxwriter.so.4 found lacks %s",
		         missing);
		dlclose(handle);
		return;
	}
	loaded = &api;
}

const dt_xlsx *dt__xlsx_load(const char **why)
{
	pthread_once(&once, load);
	if (!loaded)
		*why = why_not;
	return loaded;
}
