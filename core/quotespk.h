/* The speakers of a quote layer across the database: one record per
 * (speaker, speaker_type) with its counts and roles, for the corpus pass of
 * the stock plugin `quotes`.  Reads the layer's attrs in one scan. */
#ifndef LEDE_QUOTESPK_H
#define LEDE_QUOTESPK_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

typedef struct lede_quote_speaker {
    char *name, *type; /* type NULL when absent */
    int64_t quotes, articles;
    char **roles;      /* distinct roles, in order of first use */
    size_t n_roles;
} lede_quote_speaker;

/* Reads the spans of `layer` in `db` (borrowed) and groups their speakers.
 * *out (n records, ordered by name) is owned by the caller and freed with
 * lede_quote_speakers_free.  Returns LEDE_OK, LEDE_ENOMEM or LEDE_EDB. */
int lede_quote_speakers(lede_quote_speaker **out, size_t *n, sqlite3 *db, const char *layer);
void lede_quote_speakers_free(lede_quote_speaker *v, size_t n);

#endif
