/*
 * The rdlz tool: the command table and what commands share.
 *
 * Adding a command:
 *  1. write `int cmd_<name>(rdlz_run *run)` in the cmd_<group>.c file of its
 *     module, calling only the public API (include/dutytrack);
 *  2. add one row to the table in commands.c: name, group, synopsis of its
 *     operands, one-line summary, flags for the setup it needs, options;
 *  3. write man/rdlz-<name>.1 (tests/cli/docs.py checks that it names the
 *     same options as the table) and regenerate completions/ with
 *     `rdlz completion bash|zsh|fish`;
 *  4. add end-to-end tests under tests/cli/.
 * Help, the man synopsis check and the completions all come from the table.
 */
#ifndef RDLZ_H
#define RDLZ_H

#include <stdio.h>
#include "dutytrack/dutytrack.h"

/* What an option's argument is, for help and completions. */
typedef enum {
	ARG_NONE = 0, /* a flag */
	ARG_TEXT,
	ARG_FILE,
	ARG_DIR,
	ARG_NUMBER,
	ARG_DATE,
	ARG_CHOICE,   /* one of opt->choices */
	ARG_DEPUTY,   /* a deputy code */
	ARG_CONFIG_KEY,
} rdlz_arg;

typedef struct {
	const char *name;     /* long name without "--" */
	char short_name;      /* 0 for none */
	rdlz_arg arg;
	const char *metavar;  /* "PATH"; NULL for flags */
	const char *choices;  /* "table csv json jsonl" for ARG_CHOICE */
	const char *help;
} rdlz_option;

/* Setup a command needs, done by main before it runs. */
#define CMD_DB 0x1u      /* open the database (must exist, current schema) */
#define CMD_CREATE 0x2u  /* open the database creating or migrating it */
#define CMD_OUTPUT 0x4u  /* takes --format/--bom/--unmask/--out and writes rows */

typedef struct rdlz_run rdlz_run;

typedef struct {
	const char *name;
	const char *group;
	const char *operands;   /* synopsis of the positional arguments, "" if none */
	const char *summary;
	unsigned int flags;
	int min_args, max_args; /* positional arguments; max -1: any number */
	rdlz_arg operand_kind;  /* for completions */
	const rdlz_option *options; /* NULL-name terminated */
	int (*fn)(rdlz_run *run);
} rdlz_command;

/* One parsed command line. */
#define RDLZ_MAX_VALUES 64
struct rdlz_run {
	const rdlz_command *cmd;
	int argc;              /* positional operands */
	char **argv;
	struct {
		const rdlz_option *opt;
		const char *value; /* "" for flags */
	} values[RDLZ_MAX_VALUES];
	int nvalues;
	dt_ctx *ctx;
	FILE *out;
	const char *db_path;
};

extern const rdlz_command rdlz_commands[];
extern const size_t rdlz_ncommands;
extern const rdlz_option rdlz_common_options[];   /* every command */
extern const rdlz_option rdlz_db_options[];       /* CMD_DB and CMD_CREATE */
extern const rdlz_option rdlz_output_options[];   /* CMD_OUTPUT */
typedef struct {
	const char *name;
	const char *title;
} rdlz_group;
extern const rdlz_group rdlz_groups[];            /* in help order, NULL-name terminated */

/* Exit codes. */
#define EXIT_OK 0
#define EXIT_FAILED 1
#define EXIT_USAGE 2
#define EXIT_DATAERR 65
#define EXIT_TEMPFAIL 75

/* The exit code for a library status (one table, also printed by `rdlz help exit-codes`). */
int rdlz_exit_code(int status);
void rdlz_print_exit_codes(FILE *out);

/* Lookup */
const rdlz_command *rdlz_find_command(const char *name);
/* The closest command or option name, or NULL when none is near. */
const char *rdlz_suggest(const char *word, const char *const *candidates, size_t n);

/* Option parsing into run; returns EXIT_OK or EXIT_USAGE after printing why. */
int rdlz_parse(rdlz_run *run, const rdlz_command *cmd, int argc, char **argv);
/* The value of option name, or NULL when not given (the last one given wins). */
const char *rdlz_opt(const rdlz_run *run, const char *name);
/* 1 if the flag or option name was given. */
int rdlz_has(const rdlz_run *run, const char *name);
/* Each option's value the k-th time it was given, for repeated options. */
const char *rdlz_opt_nth(const rdlz_run *run, const char *name, int k);
/* Visit every option of cmd (its own, then the shared ones). A shared option
 * whose name the command declares itself is left out: the command's own
 * one is the only one parsed, shown and completed. */
void rdlz_each_option(const rdlz_command *cmd, void (*fn)(const rdlz_option *, void *), void *ud);

/* Errors: print "rdlz: ..." to stderr and return the exit code, so a call
 * site reads `return rdlz_fail(run, rc);`. */
int rdlz_fail(rdlz_run *run, int status);
int rdlz_usage_error(const rdlz_command *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Output: a writer for run->out set up from --format, --bom, --unmask.
 * run->out is standard output, or with the shared --out FILE a temporary
 * file that main renames over FILE once the command succeeded. */
int rdlz_writer(rdlz_run *run, unsigned int extra_flags, dt_writer **out);

/* Free w and turn the library status rc into the exit code (printing the
 * error: the writer's own reason when it has one). */
int rdlz_finish(rdlz_run *run, dt_writer *w, int rc);

/* Read an integer option; prints the usage error. */
int rdlz_opt_int(rdlz_run *run, const char *name, long min, long max, long *out);

/* A --from/--to style day option as unix seconds; with end set, the end of
 * that day (so --to includes it). Prints the usage error. */
int rdlz_opt_day(rdlz_run *run, const char *name, int end, int64_t *out);

/* The period of --period P (2026-11, 2026-Q4, 2026), --year Y where the
 * command has it, or --from and --to (days, both included) as [*from, *to);
 * *name the period or year given, NULL for --from/--to. Prints the usage error. */
int rdlz_period(rdlz_run *run, const char **name, int64_t *from, int64_t *to);

/* A time option: ISO 8601 with offset, or a local time in the configured
 * zone ("2026-12-01 09:30"); *out unchanged when not given. */
int rdlz_opt_time(rdlz_run *run, const char *name, int64_t *out);

/* A text given inline (--text T, or "--text -" for standard input) or as a
 * file (--text-file F, - for standard input; at most 1 MiB, trailing line
 * breaks dropped); text_name may be NULL. *owned is what the caller frees. */
int rdlz_text_option(rdlz_run *run, const char *text_name, const char *file_name, const char **text, char **owned);

/* A command's one result: the error of rc, or n on a line of its own
 * (a new id, a count), so scripts read it with $(...). */
int rdlz_print_number(rdlz_run *run, int rc, int64_t n);

/* Operand index as a positive id of a what ("case", "event"). */
int rdlz_operand_id(rdlz_run *run, int index, const char *what, int64_t *id);

/* A file written whole: a temporary file beside path (so the rename cannot
 * cross file systems), renamed over it only when everything was written,
 * so a reader never sees half of one and a failure leaves path as it was. */
typedef struct {
	const char *path;
	char *tmp;
	FILE *f; /* where to write */
} rdlz_file;

/* Start writing path with the file mode mode; prints why not (exit 1). */
int rdlz_file_open(rdlz_file *o, const char *path, int mode);

/* Finish: with code EXIT_OK, flush, sync and rename into place, else
 * remove; returns code, or EXIT_FAILED after printing why the file could
 * not be written. */
int rdlz_file_close(rdlz_file *o, int code);

/* Finish a file the library wrote with status rc: a failed write names the
 * file and its cause, another error is printed as rdlz_finish does. */
int rdlz_file_finish(rdlz_run *run, rdlz_file *o, int rc);

/* Open FILE, or standard input for "-", printing why not (exit 2 when it
 * does not exist); rdlz_close_input leaves standard input open. */
int rdlz_open_input(const char *path, FILE **in);
void rdlz_close_input(FILE *in);

/* Help */
void rdlz_help_all(FILE *out);
void rdlz_help_command(const rdlz_command *cmd, FILE *out);
int rdlz_completion(const char *shell, FILE *out);

/* Commands */
int cmd_help(rdlz_run *run);
int cmd_completion(rdlz_run *run);
int cmd_init(rdlz_run *run);
int cmd_check(rdlz_run *run);
int cmd_backup(rdlz_run *run);
int cmd_set_config(rdlz_run *run);
int cmd_show_config(rdlz_run *run);
int cmd_list_audit(rdlz_run *run);
int cmd_import_deputies(rdlz_run *run);
int cmd_assign_codes(rdlz_run *run);
int cmd_list_deputies(rdlz_run *run);
int cmd_deputy_stats(rdlz_run *run);
int cmd_show_deputy(rdlz_run *run);
int cmd_add_deputy(rdlz_run *run);
int cmd_set_deputy(rdlz_run *run);
int cmd_retire_deputy(rdlz_run *run);
int cmd_archive(rdlz_run *run);
int cmd_issue_qr(rdlz_run *run);
int cmd_verify_qr(rdlz_run *run);
int cmd_rotate_qr_key(rdlz_run *run);
int cmd_list_qr(rdlz_run *run);
int cmd_serve(rdlz_run *run);
int cmd_list_outbox(rdlz_run *run);
int cmd_add_department(rdlz_run *run);
int cmd_import_departments(rdlz_run *run);
int cmd_list_departments(rdlz_run *run);
int cmd_set_route(rdlz_run *run);
int cmd_submit_request(rdlz_run *run);
int cmd_file_suggestion(rdlz_run *run);
int cmd_take_request(rdlz_run *run);
int cmd_assign_case(rdlz_run *run);
int cmd_accept_case(rdlz_run *run);
int cmd_answer_case(rdlz_run *run);
int cmd_resolve_case(rdlz_run *run);
int cmd_rate_case(rdlz_run *run);
int cmd_close_case(rdlz_run *run);
int cmd_show_case(rdlz_run *run);
int cmd_list_cases(rdlz_run *run);
int cmd_case_stats(rdlz_run *run);
int cmd_set_calendar(rdlz_run *run);
int cmd_export_photos(rdlz_run *run);
int cmd_report(rdlz_run *run);
int cmd_export_popolo(rdlz_run *run);
int cmd_export_open311(rdlz_run *run);
int cmd_purge_citizen_data(rdlz_run *run);
int cmd_show_message(rdlz_run *run);
int cmd_retry_message(rdlz_run *run);
int cmd_cancel_message(rdlz_run *run);
int cmd_send_reminders(rdlz_run *run);
int cmd_notify(rdlz_run *run);
int cmd_queue_reminders(rdlz_run *run);
int cmd_create_event(rdlz_run *run);
int cmd_set_event(rdlz_run *run);
int cmd_cancel_event(rdlz_run *run);
int cmd_list_events(rdlz_run *run);
int cmd_show_event(rdlz_run *run);
int cmd_record_attendance(rdlz_run *run);
int cmd_list_attendance(rdlz_run *run);
int cmd_post_comment(rdlz_run *run);
int cmd_import_comments(rdlz_run *run);
int cmd_list_comments(rdlz_run *run);
int cmd_hide_comment(rdlz_run *run);
int cmd_add_article(rdlz_run *run);
int cmd_list_articles(rdlz_run *run);
int cmd_record_learning(rdlz_run *run);
int cmd_import_learning(rdlz_run *run);
int cmd_export_ical(rdlz_run *run);
int cmd_event_stats(rdlz_run *run);
int cmd_run_survey(rdlz_run *run);
int cmd_set_rules(rdlz_run *run);
int cmd_show_rules(rdlz_run *run);
int cmd_rank(rdlz_run *run);
int cmd_publish_leaderboard(rdlz_run *run);

#endif
