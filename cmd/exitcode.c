/*
 * One table maps library status codes to exit codes; `rdlz help exit-codes`
 * prints it, and tests compare it with the EXIT STATUS section of rdlz(1).
 */
#include "rdlz.h"

static const struct {
	int status;
	int code;
} exit_map[] = {
	{ DT_OK, EXIT_OK },
	{ DT_ERROR, EXIT_FAILED },
	{ DT_EUSAGE, EXIT_USAGE },
	{ DT_EDATA, EXIT_DATAERR },
	{ DT_ENOTFOUND, EXIT_FAILED },
	{ DT_EEXISTS, EXIT_FAILED },
	{ DT_EBUSY, EXIT_TEMPFAIL },
	{ DT_ESCHEMA, EXIT_FAILED },
	{ DT_ECORRUPT, EXIT_FAILED },
	{ DT_ECONFLICT, EXIT_TEMPFAIL },
	{ DT_ENOMEM, EXIT_FAILED },
	{ DT_EIO, EXIT_FAILED },
	{ DT_EVERIFY, EXIT_FAILED },
	{ DT_ESTATE, EXIT_FAILED },
};

static const struct {
	int code;
	const char *meaning;
} exit_meaning[] = {
	{ EXIT_OK, "done" },
	{ EXIT_FAILED, "failed (not found, exists already, not allowed in its state, check or verification failed, I/O error)" },
	{ EXIT_USAGE, "bad usage: unknown command or option, bad argument" },
	{ EXIT_DATAERR, "bad input data: nothing was written" },
	{ EXIT_TEMPFAIL, "busy or changed by someone else: try again later" },
};

int rdlz_exit_code(int status)
{
	for (size_t i = 0; i < sizeof(exit_map) / sizeof(exit_map[0]); i++)
		if (exit_map[i].status == status)
			return exit_map[i].code;
	return EXIT_FAILED;
}

void rdlz_print_exit_codes(FILE *out)
{
	for (size_t i = 0; i < sizeof(exit_meaning) / sizeof(exit_meaning[0]); i++)
		fprintf(out, "%d\t%s\n", exit_meaning[i].code, exit_meaning[i].meaning);
}
