/* Ingest internals.  The entry points, lede_ingest_buffer and
 * lede_ingest_path, are public (lede.h); this header holds the limits and
 * defaults they apply, for the CLI's help text and for tests.
 *
 * Decisions beyond lede.h:
 *  - Inside a directory only article files are taken: endings .txt, .text,
 *    .jsonl, .ndjson, or none (a corpus keeps its README and gold files
 *    beside the articles); hidden names are skipped.  A file named on its
 *    own is always taken.
 *  - An article's key: the file's path relative to the directory argument
 *    (the base name for a single file), "stdin" for plain standard input,
 *    the "key" or "id" field of a JSON Lines record.  A record without
 *    either is rejected: a key derived from the line number would change
 *    whenever lines are added above it and silently duplicate articles.
 *  - JSON Lines fields: lede's own name wins over its alias (key/id,
 *    published/date, text/body, language/lang); an alias not used, and
 *    every unknown field, is kept in `extra` (a JSON object, order kept).
 *    Numbers are accepted for key and published; null means absent.
 *  - Unchanged detection hashes the input as given (before cleaning), so a
 *    re-run skips an article before any cleaning or analysis.
 *  - lede_ingest_buffer writes no run or problem row: it reports through
 *    opts->diag and its return code (LEDE_EINVAL, LEDE_EUTF8 or LEDE_ELIMIT
 *    for a rejected article).  lede_ingest_path records one "ingest" run and
 *    a problem row per rejected input.
 *  - lede_ingest_path reads and analyses on a second thread while the
 *    calling thread writes; callbacks are only called on the calling thread. */
#ifndef LEDE_INGEST_H
#define LEDE_INGEST_H

#include "lede.h"

/* Largest plain-text file, JSON Lines line or buffer accepted. */
#define LEDE_INGEST_MAX_BYTES ((size_t)512 << 20)

/* Articles per transaction when opts->batch is 0. */
#define LEDE_INGEST_DEFAULT_BATCH 512u

#endif
