/*
 * Secrets (the SMTP password, webhook keys) never come from the command
 * line or the database: from the environment, or from a file only its
 * owner can read. The file is RDLZ_SECRETS, else <database>.secrets when
 * it exists; lines are `name = value`, '#' starts a comment.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "outbox_internal.h"

static char *trimmed(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int from_file(dt_ctx *ctx, const char *path, int must_exist, const char *name, char **out)
{
	struct stat sb;
	char line[1024];
	FILE *f = fopen(path, "r");

	if (!f) {
		if (!must_exist && errno == ENOENT)
			return DT_OK;
		return dt__error(ctx, DT_EUSAGE, "cannot read the secrets file '%s': %s", path, strerror(errno));
	}
	if (fstat(fileno(f), &sb) != 0 || (sb.st_mode & 077) != 0) {
		fclose(f);
		return dt__error(ctx, DT_EUSAGE, "the secrets file '%s' can be read by others: chmod 600 it first", path);
	}
	while (fgets(line, sizeof(line), f)) {
		char *eq, *k;

		if (line[0] == '#' || !(eq = strchr(line, '=')))
			continue;
		*eq = '\0';
		k = trimmed(line);
		if (strcmp(k, name) == 0) {
			free(*out);
			*out = strdup(trimmed(eq + 1));
		}
	}
	fclose(f);
	return DT_OK;
}

int dt__secret(dt_ctx *ctx, const char *name, char **out)
{
	char env[64], *path;
	const char *v;
	size_t n;
	int rc;

	*out = NULL;
	/* smtp.password -> RDLZ_SMTP_PASSWORD */
	n = (size_t)snprintf(env, sizeof(env), "RDLZ_%s", name);
	for (size_t i = 5; i < n && i < sizeof(env); i++)
		env[i] = env[i] == '.' ? '_' : (char)toupper((unsigned char)env[i]);
	v = getenv(env);
	if (v && *v) {
		*out = strdup(v);
		return *out ? DT_OK : dt__error(ctx, DT_ENOMEM, "out of memory");
	}
	v = getenv("RDLZ_SECRETS");
	if (v && *v)
		return from_file(ctx, v, 1, name, out);
	n = strlen(ctx->path) + 16;
	path = malloc(n);
	if (!path)
		return dt__error(ctx, DT_ENOMEM, "out of memory");
	snprintf(path, n, "%s.secrets", ctx->path);
	rc = from_file(ctx, path, 0, name, out);
	free(path);
	return rc;
}
