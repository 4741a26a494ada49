/*
 * The exports' JSON emitter (json.h). Items of the outer levels begin a
 * line of their own, indented, so that an export of a whole roster diffs
 * and greps by record; deeper ones stay on their record's line.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include "json.h"

static void put_file(void *ud, const char *s, size_t n)
{
	dt_json *j = ud;

	if (!j->failed && n > 0 && fwrite(s, 1, n, j->out) != n)
		j->failed = 1;
}

static void put_str(dt_json *j, const char *s)
{
	put_file(j, s, strlen(s));
}

/* A line break and the indent of level depth. */
static void new_line(dt_json *j, int depth)
{
	put_str(j, "\n");
	for (int i = 0; i < depth; i++)
		put_str(j, "  ");
}

/* What goes before a value: the comma, the line break, the member's name. */
static void begin_value(dt_json *j, const char *key)
{
	int in_object = j->depth > 0 && j->close[j->depth - 1] == '}';

	/* a name is needed inside an object and meaningless anywhere else */
	if ((key != NULL) != in_object) {
		j->misused = 1;
		return;
	}
	if (j->depth == 0)
		return;
	if (j->items[j->depth - 1]++ > 0)
		put_str(j, ",");
	if (j->depth <= j->lines)
		new_line(j, j->depth);
	if (key) {
		dt__json_string(key, strlen(key), put_file, j);
		put_str(j, ":");
	}
}

void dt__json_init(dt_json *j, FILE *out, int lines)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->lines = lines;
}

static void open_level(dt_json *j, const char *key, char open, char close)
{
	char s[2] = { open, '\0' };

	if (j->depth == DT_JSON_MAX_DEPTH) {
		j->misused = 1;
		return;
	}
	begin_value(j, key);
	put_str(j, s);
	j->close[j->depth] = close;
	j->items[j->depth] = 0;
	j->depth++;
}

void dt__json_object(dt_json *j, const char *key)
{
	open_level(j, key, '{', '}');
}

void dt__json_array(dt_json *j, const char *key)
{
	open_level(j, key, '[', ']');
}

void dt__json_end(dt_json *j)
{
	char s[2] = { 0, '\0' };

	if (j->depth == 0) {
		j->misused = 1;
		return;
	}
	j->depth--;
	/* the closing bracket lines up with its opening line; [] stays whole */
	if (j->depth < j->lines && j->items[j->depth] > 0)
		new_line(j, j->depth);
	s[0] = j->close[j->depth];
	put_str(j, s);
}

void dt__json_text(dt_json *j, const char *key, const char *s)
{
	begin_value(j, key);
	if (s)
		dt__json_string(s, strlen(s), put_file, j);
	else
		put_str(j, "null");
}

void dt__json_int(dt_json *j, const char *key, int64_t v)
{
	char num[32];

	snprintf(num, sizeof(num), "%" PRId64, v);
	begin_value(j, key);
	put_str(j, num);
}

void dt__json_real(dt_json *j, const char *key, double v)
{
	char num[64] = "null";

	if (isfinite(v))
		dt__format_real(v, num, sizeof(num));
	begin_value(j, key);
	put_str(j, num);
}

void dt__json_null(dt_json *j, const char *key)
{
	begin_value(j, key);
	put_str(j, "null");
}

int dt__json_finish(dt_ctx *ctx, dt_json *j)
{
	if (j->misused || j->depth != 0)
		return dt__error(ctx, DT_ERROR, "internal error: the export's JSON is malformed");
	put_str(j, "\n");
	if (j->failed || fflush(j->out) != 0 || ferror(j->out))
		return dt__error(ctx, DT_EIO, "writing the export failed");
	return DT_OK;
}
