/*
 * Shared by the libFuzzer harnesses: one database per process, made once
 * with a small fixture (a roster, a department, events, an article, open
 * surveys, a QR key), and put back as it was after every input that
 * changed it, so each input runs against the same state whatever ran
 * before it. Only the public API is used, as the CLI uses it.
 */
#ifndef DT_FUZZ_H
#define DT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "dutytrack/dutytrack.h"

/* What the fixture holds, for harnesses that need an id. */
typedef struct {
	int64_t meeting;    /* a meeting that ended before now, with an end time */
	int64_t hearing;    /* a court hearing, announced, ended */
	int64_t open_ended; /* an activity without an end time (logs refuse it) */
	int64_t article;    /* an article of the knowledge window */
	int64_t survey;     /* an open survey of two questions, satisfied3 */
	int64_t survey5;    /* an open secret survey of three questions, score5, of delegation 甲 */
} fz_fixture;

/* The context to run one input with; the fixture is made on first use. */
dt_ctx *fz_ctx(void);

/* The fixture's ids. */
const fz_fixture *fz_fixture_ids(void);

/* Put the database back as the fixture left it, if the last input changed
 * it (any commit). Call after every input. */
void fz_reset(void);

/* The input as a NUL-terminated string in a buffer of its own size + 1, so
 * a read past its end is caught; free() it. */
char *fz_string(const uint8_t *data, size_t size);

/* The input as a file to read; fclose() it. */
FILE *fz_file(const uint8_t *data, size_t size);

/* Check that a message the library produced is a readable string (the
 * sanitizers see any byte of it that is not). */
void fz_touch(const char *msg);

/* A writer into memory (one at a time); fz_writer_done checks that what
 * it wrote is UTF-8, drops it and frees the writer. */
dt_writer *fz_writer(dt_format format, unsigned int flags);
void fz_writer_done(dt_writer *w);

/* What the current writer wrote so far (not NUL-terminated). */
const char *fz_writer_text(size_t *len);

/* The text formats, for a harness to pick one by a byte. */
#define FZ_FORMAT(byte) ((dt_format)((byte) % 4))

/* Abort with a message: a property the library promises did not hold. */
void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
