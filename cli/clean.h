/* Articles without their boilerplate: `lede show --clean` and `lede export
 * --clean`.  A line is left out when the spans of the boilerplate layer
 * (and, without `captions`, of the caption layer) cover at least half of
 * its non-space bytes: the rule `lede eval` scores (docs/boilerplate.md). */
#ifndef LEDE_CLI_CLEAN_H
#define LEDE_CLI_CLEAN_H

#include "out.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* Prints the clean text of the article `key` to stdout.  Returns an exit
 * code (after a message naming the article or the missing layer). */
int cli_clean_show(sqlite3 *db, const char *key, int captions);

/* Writes one record per article (or only `key`, when not NULL): article
 * (its key), title, text (the clean text), in `format`.  Returns an exit
 * code. */
int cli_clean_export(sqlite3 *db, cli_format format, const char *key, int captions);

#endif
