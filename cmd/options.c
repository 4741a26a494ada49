/*
 * Parsing a command line against the command table: long options
 * (--name VALUE, --name=VALUE), short flags, "--" to end options, and a
 * did-you-mean for names that do not exist.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rdlz.h"

const rdlz_command *rdlz_find_command(const char *name)
{
	for (size_t i = 0; i < rdlz_ncommands; i++)
		if (strcmp(rdlz_commands[i].name, name) == 0)
			return &rdlz_commands[i];
	return NULL;
}

/* Optimal string alignment distance: typos and swapped letters count 1. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *d, r;

	if (la > 64 || lb > 64)
		return (size_t)-1;
	d = calloc((la + 1) * (lb + 1), sizeof(*d));
	if (!d)
		return (size_t)-1;
#define D(i, j) d[(i) * (lb + 1) + (j)]
	for (size_t i = 0; i <= la; i++)
		D(i, 0) = i;
	for (size_t j = 0; j <= lb; j++)
		D(0, j) = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = D(i - 1, j) + 1;
			if (D(i, j - 1) + 1 < v)
				v = D(i, j - 1) + 1;
			if (D(i - 1, j - 1) + cost < v)
				v = D(i - 1, j - 1) + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && D(i - 2, j - 2) + 1 < v)
				v = D(i - 2, j - 2) + 1;
			D(i, j) = v;
		}
	}
	r = D(la, lb);
#undef D
	free(d);
	return r;
}

const char *rdlz_suggest(const char *word, const char *const *cand, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, limit = strlen(word) / 3 + 1;

	for (size_t i = 0; i < n; i++) {
		size_t dist = edit_distance(word, cand[i]);

		/* a word that is the start of a name also counts: "list-dep" */
		if (strlen(word) >= 4 && strncmp(cand[i], word, strlen(word)) == 0)
			dist = 1;
		if (dist < best_d) {
			best_d = dist;
			best = cand[i];
		}
	}
	return best_d <= limit ? best : NULL;
}

/* Whether cmd declares an option called name itself. */
static int own_option(const rdlz_command *cmd, const char *name)
{
	for (const rdlz_option *o = cmd->options; o->name; o++)
		if (strcmp(o->name, name) == 0)
			return 1;
	return 0;
}

/* Names are unique per command: a shared option that a command also
 * declares (issue-qr's --out DIR against the shared --out FILE) is the
 * command's, so its help, completions and man page name it once. */
void rdlz_each_option(const rdlz_command *cmd, void (*fn)(const rdlz_option *, void *), void *ud)
{
	const rdlz_option *sets[4];
	int n = 0;

	sets[n++] = cmd->options;
	if (cmd->flags & CMD_OUTPUT)
		sets[n++] = rdlz_output_options;
	if (cmd->flags & (CMD_DB | CMD_CREATE))
		sets[n++] = rdlz_db_options;
	sets[n++] = rdlz_common_options;
	for (int s = 0; s < n; s++)
		for (const rdlz_option *o = sets[s]; o->name; o++)
			if (s == 0 || !own_option(cmd, o->name))
				fn(o, ud);
}

typedef struct {
	const char *name;
	char short_name;
	const rdlz_option *found;
	const char *names[128];
	size_t n;
} option_search;

static void search_one(const rdlz_option *o, void *ud)
{
	option_search *s = ud;

	if ((s->name && strcmp(o->name, s->name) == 0) || (s->short_name && o->short_name == s->short_name))
		if (!s->found)
			s->found = o;
	if (s->n < sizeof(s->names) / sizeof(s->names[0]))
		s->names[s->n++] = o->name;
}

int rdlz_usage_error(const rdlz_command *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("rdlz: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd)
		fprintf(stderr, "usage: rdlz %s [options]%s%s (see 'rdlz %s --help')\n", cmd->name,
		        *cmd->operands ? " " : "", cmd->operands, cmd->name);
	return EXIT_USAGE;
}

static int add_value(rdlz_run *run, const rdlz_option *o, const char *value)
{
	if (run->nvalues >= RDLZ_MAX_VALUES)
		return rdlz_usage_error(run->cmd, "too many options");
	run->values[run->nvalues].opt = o;
	run->values[run->nvalues].value = value;
	run->nvalues++;
	return EXIT_OK;
}

static int unknown_option(rdlz_run *run, const char *arg, option_search *s)
{
	const char *near = arg[1] == '-' ? rdlz_suggest(arg + 2, s->names, s->n) : NULL;

	if (near)
		return rdlz_usage_error(run->cmd, "unknown option '%s'; did you mean '--%s'?", arg, near);
	return rdlz_usage_error(run->cmd, "unknown option '%s'", arg);
}

int rdlz_parse(rdlz_run *run, const rdlz_command *cmd, int argc, char **argv)
{
	int only_operands = 0;

	run->cmd = cmd;
	run->argc = 0;
	run->argv = calloc((size_t)argc + 1, sizeof(char *));
	if (!run->argv)
		return rdlz_usage_error(NULL, "out of memory");
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		option_search s = { 0 };
		const char *value = NULL;
		char name[64];
		int rc;

		if (only_operands || arg[0] != '-' || strcmp(arg, "-") == 0) {
			run->argv[run->argc++] = argv[i];
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_operands = 1;
			continue;
		}
		if (arg[1] == '-') {
			const char *eq = strchr(arg + 2, '=');
			size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);

			if (len >= sizeof(name))
				len = sizeof(name) - 1;
			memcpy(name, arg + 2, len);
			name[len] = '\0';
			s.name = name;
			value = eq ? eq + 1 : NULL;
		} else if (arg[2] == '\0') {
			s.short_name = arg[1];
		} else {
			return rdlz_usage_error(cmd, "unknown option '%s' (long options start with '--')", arg);
		}
		rdlz_each_option(cmd, search_one, &s);
		if (!s.found)
			return unknown_option(run, arg, &s);
		if (s.found->arg == ARG_NONE) {
			if (value)
				return rdlz_usage_error(cmd, "option '--%s' takes no value", s.found->name);
			value = "";
		} else if (!value) {
			if (i + 1 >= argc)
				return rdlz_usage_error(cmd, "option '--%s' needs a value (%s)", s.found->name,
				                        s.found->metavar);
			value = argv[++i];
		}
		if (s.found->arg == ARG_CHOICE) {
			const char *c = s.found->choices;
			size_t vl = strlen(value);
			int ok = 0;

			while (*c && !ok) {
				size_t wl = strcspn(c, " ");
				ok = wl == vl && strncmp(c, value, vl) == 0;
				c += wl;
				c += *c == ' ';
			}
			if (!ok)
				return rdlz_usage_error(cmd, "option '--%s': '%s' is not one of: %s", s.found->name, value,
				                        s.found->choices);
		}
		if (s.found->arg == ARG_NUMBER) {
			char *end;
			errno = 0;
			(void)strtol(value, &end, 10);
			if (errno || end == value || *end)
				return rdlz_usage_error(cmd, "option '--%s': '%s' is not a whole number", s.found->name,
				                        value);
		}
		rc = add_value(run, s.found, value);
		if (rc != EXIT_OK)
			return rc;
	}
	return EXIT_OK;
}

const char *rdlz_opt_nth(const rdlz_run *run, const char *name, int k)
{
	for (int i = 0; i < run->nvalues; i++)
		if (strcmp(run->values[i].opt->name, name) == 0 && k-- == 0)
			return run->values[i].value;
	return NULL;
}

const char *rdlz_opt(const rdlz_run *run, const char *name)
{
	const char *v = NULL;

	for (int i = 0; i < run->nvalues; i++)
		if (strcmp(run->values[i].opt->name, name) == 0)
			v = run->values[i].value;
	return v;
}

int rdlz_has(const rdlz_run *run, const char *name)
{
	return rdlz_opt(run, name) != NULL;
}

int rdlz_opt_int(rdlz_run *run, const char *name, long min, long max, long *out)
{
	const char *v = rdlz_opt(run, name);
	char *end;
	long n;

	if (!v)
		return EXIT_OK;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max)
		return rdlz_usage_error(run->cmd, "option '--%s': '%s' is not a whole number from %ld to %ld", name, v,
		                        min, max);
	*out = n;
	return EXIT_OK;
}

int rdlz_opt_day(rdlz_run *run, const char *name, int end, int64_t *out)
{
	const char *v = rdlz_opt(run, name);
	int64_t t;

	if (!v)
		return EXIT_OK;
	if (dt_date_parse(run->ctx, v, &t) != DT_OK)
		return rdlz_usage_error(run->cmd, "option '--%s': %s", name, dt_errmsg(run->ctx));
	*out = end ? t + 86400 : t;
	return EXIT_OK;
}

int rdlz_period(rdlz_run *run, const char **name, int64_t *from, int64_t *to)
{
	const char *period = rdlz_opt(run, "period"), *year = rdlz_opt(run, "year");
	int code;

	if (period && year)
		return rdlz_usage_error(run->cmd, "give --period or --year, not both");
	if (year) {
		if (strlen(year) != 4 || strspn(year, "0123456789") != 4)
			return rdlz_usage_error(run->cmd, "option '--year': '%s' is not a year such as 2026", year);
		period = year;
	}
	if (period && (rdlz_opt(run, "from") || rdlz_opt(run, "to")))
		return rdlz_usage_error(run->cmd, "give --%s or --from and --to, not both", year ? "year" : "period");
	*name = period;
	if (period) {
		if (dt_period_parse(run->ctx, period, from, to) != DT_OK)
			return rdlz_usage_error(run->cmd, "%s", dt_errmsg(run->ctx));
		return EXIT_OK;
	}
	if (!rdlz_opt(run, "from") || !rdlz_opt(run, "to"))
		return rdlz_usage_error(run->cmd, "give --period (2026-11, 2026-Q4, 2026) or both --from and --to");
	code = rdlz_opt_day(run, "from", 0, from);
	if (code == EXIT_OK)
		code = rdlz_opt_day(run, "to", 1, to);
	return code;
}

int rdlz_file_open(rdlz_file *o, const char *path, int mode)
{
	size_t n = strlen(path);
	int fd = -1, e;

	o->path = path;
	o->f = NULL;
	o->tmp = malloc(n + 8);
	if (o->tmp) {
		memcpy(o->tmp, path, n);
		memcpy(o->tmp + n, ".XXXXXX", 8);
		fd = mkstemp(o->tmp);
		if (fd >= 0 && fchmod(fd, (mode_t)mode) == 0)
			o->f = fdopen(fd, "wb");
	}
	if (o->f)
		return EXIT_OK;
	e = o->tmp ? errno : ENOMEM;
	if (fd >= 0) {
		close(fd);
		unlink(o->tmp);
	}
	free(o->tmp);
	o->tmp = NULL;
	fprintf(stderr, "rdlz: cannot write '%s': %s\n", path, strerror(e));
	return EXIT_FAILED;
}

int rdlz_file_close(rdlz_file *o, int code)
{
	int e = 0;

	if (!o->f)
		return code;
	/* a full disk shows up here: every byte must have reached it */
	if (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0)
		e = errno ? errno : EIO;
	if (fclose(o->f) != 0 && !e)
		e = errno ? errno : EIO;
	o->f = NULL;
	if (code == EXIT_OK && !e && rename(o->tmp, o->path) != 0)
		e = errno;
	if (code == EXIT_OK && e) {
		fprintf(stderr, "rdlz: cannot write '%s': %s\n", o->path, strerror(e));
		code = EXIT_FAILED;
	}
	if (code != EXIT_OK)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	return code;
}

int rdlz_file_finish(rdlz_run *run, rdlz_file *o, int rc)
{
	int e = errno; /* what the failed write left */

	if (rc == DT_EIO && ferror(o->f)) {
		fprintf(stderr, "rdlz: cannot write '%s': %s\n", o->path, strerror(e ? e : EIO));
		return rdlz_file_close(o, EXIT_FAILED);
	}
	return rdlz_file_close(o, rdlz_finish(run, NULL, rc));
}

int rdlz_open_input(const char *path, FILE **in)
{
	*in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (*in)
		return EXIT_OK;
	fprintf(stderr, "rdlz: cannot open '%s': %s\n", path, strerror(errno));
	return errno == ENOENT ? EXIT_USAGE : EXIT_FAILED;
}

void rdlz_close_input(FILE *in)
{
	if (in && in != stdin)
		fclose(in);
}

#define MAX_TEXT (1u << 20)

int rdlz_text_option(rdlz_run *run, const char *text_name, const char *file_name, const char **text, char **owned)
{
	const char *file = file_name ? rdlz_opt(run, file_name) : NULL;
	FILE *f;
	size_t n;
	int from_stdin;

	*owned = NULL;
	*text = text_name ? rdlz_opt(run, text_name) : NULL;
	if (*text && file)
		return rdlz_usage_error(run->cmd, "give --%s or --%s, not both", text_name, file_name);
	if (*text && strcmp(*text, "-") == 0)
		file = "-";
	if (!file)
		return EXIT_OK;
	from_stdin = strcmp(file, "-") == 0;
	f = from_stdin ? stdin : fopen(file, "rb");
	if (!f) {
		fprintf(stderr, "rdlz: cannot read '%s': %s\n", file, strerror(errno));
		return errno == ENOENT ? EXIT_USAGE : EXIT_FAILED;
	}
	*owned = malloc(MAX_TEXT + 1);
	n = *owned ? fread(*owned, 1, MAX_TEXT + 1, f) : 0;
	if (!from_stdin)
		fclose(f);
	if (!*owned || n > MAX_TEXT) {
		free(*owned);
		*owned = NULL;
		fprintf(stderr, "rdlz: '%s': the text is over 1 MiB\n", file);
		return EXIT_DATAERR;
	}
	/* a text piped in ends with the shell's newline, which is not part of it */
	while (n && ((*owned)[n - 1] == '\n' || (*owned)[n - 1] == '\r'))
		n--;
	(*owned)[n] = '\0';
	*text = *owned;
	return EXIT_OK;
}

int rdlz_operand_id(rdlz_run *run, int index, const char *what, int64_t *id)
{
	const char *s = run->argv[index];
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end || v <= 0 || errno)
		return rdlz_usage_error(run->cmd, "'%s' is not %s %s id", s, what[0] == 'a' || what[0] == 'e' ? "an" : "a",
		                        what);
	*id = v;
	return EXIT_OK;
}

int rdlz_opt_time(rdlz_run *run, const char *name, int64_t *out)
{
	const char *v = rdlz_opt(run, name);

	if (!v)
		return EXIT_OK;
	if (dt_time_parse_local(run->ctx, v, out) != DT_OK)
		return rdlz_usage_error(run->cmd, "option '--%s': %s", name, dt_errmsg(run->ctx));
	return EXIT_OK;
}

int rdlz_print_number(rdlz_run *run, int rc, int64_t n)
{
	if (rc != DT_OK)
		return rdlz_fail(run, rc);
	fprintf(run->out, "%" PRId64 "\n", n);
	return EXIT_OK;
}
