/*
 * rdlz: parse the global options, find the command in the table, do the
 * setup it asks for (open the database, set up output), run it, and make
 * sure what it wrote reached its destination before exiting 0.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rdlz.h"

/* "rdlz: message" on stderr. Messages quote what the user gave (a code, a
 * value), which may not be UTF-8 (a GBK argument): such bytes are written
 * as \xNN, as are control characters, so stderr stays UTF-8 text for
 * terminals and for scripts. */
static void print_message(const char *message)
{
	const unsigned char *p = (const unsigned char *)message;

	fputs("rdlz: ", stderr);
	while (*p) {
		size_t n = *p < 0x80 ? 1 : *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;

		/* control characters too: a message must not drive the terminal */
		if (*p >= 0x20 && *p != 0x7f && strnlen((const char *)p, n) == n &&
		    dt_web_utf8_valid((const char *)p, n)) {
			fwrite(p, 1, n, stderr);
			p += n;
		} else {
			fprintf(stderr, "\\x%02x", *p++);
		}
	}
	fputc('\n', stderr);
}

static void print_diag(void *ud, const char *message)
{
	(void)ud;
	print_message(message);
}

int rdlz_fail(rdlz_run *run, int status)
{
	const char *msg = run->ctx ? dt_errmsg(run->ctx) : "";

	print_message(*msg ? msg : dt_strerror(status));
	return rdlz_exit_code(status);
}

int rdlz_writer(rdlz_run *run, unsigned int extra, dt_writer **out)
{
	dt_format fmt = DT_FORMAT_TABLE;
	const char *name = rdlz_opt(run, "format");
	unsigned int flags = extra;
	int rc;

	if (name)
		dt_format_parse(name, &fmt); /* checked against the choices already */
	if (rdlz_has(run, "bom"))
		flags |= DT_WRITE_BOM;
	if (rdlz_has(run, "unmask"))
		flags |= DT_WRITE_UNMASK;
	rc = dt_writer_new(out, fmt, flags, dt_writer_sink_file, run->out);
	if (rc != DT_OK) {
		fprintf(stderr, "rdlz: %s\n", dt_strerror(rc));
		return rdlz_exit_code(rc);
	}
	return EXIT_OK;
}

int rdlz_finish(rdlz_run *run, dt_writer *w, int rc)
{
	/* the library only knows that the output failed; a workbook's writer knows why */
	if (rc == DT_EIO && *dt_writer_errmsg(w)) {
		fprintf(stderr, "rdlz: %s\n", dt_writer_errmsg(w));
		dt_writer_free(w);
		return rdlz_exit_code(rc);
	}
	dt_writer_free(w);
	return rc == DT_OK ? EXIT_OK : rdlz_fail(run, rc);
}

static void print_version(void)
{
	printf("rdlz %s\nlibdutytrack %s (schema %d)\nSQLite %s, journal mode %s (%s)\n", DT_VERSION, dt_version(),
	       dt_schema_version(), dt_sqlite_version(), dt_journal_mode(), dt_journal_mode_reason());
}

static int unknown_command(const char *name)
{
	const char *names[128];
	const char *near;

	for (size_t i = 0; i < rdlz_ncommands && i < 128; i++)
		names[i] = rdlz_commands[i].name;
	near = rdlz_suggest(name, names, rdlz_ncommands);
	if (near)
		return rdlz_usage_error(NULL, "'%s' is not a command; did you mean '%s'?", name, near);
	return rdlz_usage_error(NULL, "'%s' is not a command (see 'rdlz help')", name);
}

/* Open the database as the command's flags ask. */
static int open_context(rdlz_run *run)
{
	dt_open_options o = DT_OPEN_OPTIONS_INIT;
	const char *db = rdlz_opt(run, "db");
	int rc;

	o.path = db ? db : run->db_path;
	o.create = (run->cmd->flags & CMD_CREATE) != 0;
	rc = dt_ctx_open(&run->ctx, &o);
	if (rc != DT_OK)
		return rdlz_fail(run, rc);
	dt_ctx_set_diag(run->ctx, print_diag, NULL);
	dt_ctx_set_command(run->ctx, run->cmd->name);
	return EXIT_OK;
}

/* The shared --out FILE, if given: not a command's own --out (issue-qr's
 * DIR), which rdlz_opt() would return as well. */
static const char *shared_out(const rdlz_run *run)
{
	const char *path = NULL;

	for (int i = 0; i < run->nvalues; i++)
		for (const rdlz_option *o = rdlz_output_options; o->name; o++)
			if (run->values[i].opt == o && strcmp(o->name, "out") == 0)
				path = run->values[i].value;
	return path;
}

/* Set up run->out. A workbook is not for a terminal, so --format xlsx
 * there is refused before anything runs. With --out, the output is written
 * whole (rdlz_file), mode 0644, or 0600 with --unmask since it holds
 * personal data in clear; the file is made before the database is opened,
 * so a bad path fails before anything is changed. */
static int open_output(rdlz_run *run, rdlz_file *o)
{
	const char *fmt = rdlz_opt(run, "format"), *path;
	struct stat st;
	int code;

	if (!(run->cmd->flags & CMD_OUTPUT))
		return EXIT_OK;
	path = shared_out(run);
	if (!path) {
		if (!fmt || strcmp(fmt, "xlsx") != 0 || !isatty(fileno(stdout)))
			return EXIT_OK;
		if (rdlz_opt(run, "out")) /* the command's own --out: its files go there, the listing to stdout */
			return rdlz_usage_error(run->cmd, "--format xlsx writes a workbook, not text: redirect the "
			                                  "output to a file (> FILE)");
		return rdlz_usage_error(run->cmd, "--format xlsx writes a workbook, not text: give --out FILE, "
		                                  "or redirect the output to a file (> FILE)");
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "rdlz: cannot write '%s': it is a directory\n", path);
		return EXIT_FAILED;
	}
	code = rdlz_file_open(o, path, rdlz_has(run, "unmask") ? 0600 : 0644);
	if (code == EXIT_OK)
		run->out = o->f;
	return code;
}

/* Like git's run_builtin: a full disk must not look like success. */
static int finish_output(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "rdlz: writing the output failed: %s\n", strerror(errno));
		return code == EXIT_OK ? EXIT_FAILED : code;
	}
	return code;
}

int main(int argc, char **argv)
{
	static char outbuf[1 << 16];
	rdlz_run run = { 0 };
	rdlz_file dest = { 0 };
	const rdlz_command *cmd;
	int i = 1, code;

	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	run.out = stdout;
	/* global options, before the command */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--version")) {
			print_version();
			return finish_output(EXIT_OK);
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			rdlz_help_all(stdout);
			return finish_output(EXIT_OK);
		} else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			run.db_path = argv[++i];
		} else if (!strncmp(argv[i], "--db=", 5)) {
			run.db_path = argv[i] + 5;
		} else {
			return rdlz_usage_error(NULL, "unknown option '%s' (see 'rdlz --help')", argv[i]);
		}
	}
	if (i >= argc) {
		rdlz_help_all(stderr);
		return EXIT_USAGE;
	}
	cmd = rdlz_find_command(argv[i]);
	if (!cmd)
		return unknown_command(argv[i]);
	code = rdlz_parse(&run, cmd, argc - i - 1, argv + i + 1);
	if (code != EXIT_OK)
		goto out;
	if (rdlz_has(&run, "help")) {
		rdlz_help_command(cmd, stdout);
		code = finish_output(EXIT_OK);
		goto out;
	}
	if (run.argc < cmd->min_args || (cmd->max_args >= 0 && run.argc > cmd->max_args)) {
		code = rdlz_usage_error(cmd, run.argc < cmd->min_args ? "'%s' needs %s" : "'%s' takes %s", cmd->name,
		                        *cmd->operands ? cmd->operands : "no operands");
		goto out;
	}
	code = open_output(&run, &dest);
	if (code != EXIT_OK)
		goto out;
	if (cmd->flags & (CMD_DB | CMD_CREATE)) {
		code = open_context(&run);
		if (code != EXIT_OK)
			goto out;
	}
	code = finish_output(cmd->fn(&run));
out:
	if (dest.f)
		run.out = stdout;
	code = rdlz_file_close(&dest, code);
	dt_ctx_free(run.ctx);
	free(run.argv);
	return code;
}
