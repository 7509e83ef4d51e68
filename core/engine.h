/* Internal view of an engine: the database handle, the last error, the
 * tokenizers by language.  Not part of the public API. */
#ifndef LEDE_ENGINE_H
#define LEDE_ENGINE_H

#include "lede.h"

#include <sqlite3.h>

#define LEDE_ERRMSG_MAX 1024

struct lede_engine {
    sqlite3 *db;
    unsigned flags;
    char *path;
    char errmsg[LEDE_ERRMSG_MAX];
    lede_tokenizer *tokenizer; /* for the engine's default language */
    char *tokenizer_lang;
    struct lede_store *store;  /* cached statements (core/store.h) */
};

/* Records a formatted message on the engine and returns `code`. */
int lede_engine_fail(lede_engine *engine, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Tokenizer for `lang` (NULL: "en"), created on first use and owned by the engine. */
int lede_engine_tokenizer(lede_tokenizer **out, lede_engine *engine, const char *lang);

#endif
