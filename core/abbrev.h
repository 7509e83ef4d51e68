/* Per-language abbreviations and sentence starters, read from the embedded
 * data file abbrev/<lang>.txt (format described at the top of data/abbrev/en.txt).
 * Read-only once built, so a set may be shared by docs of one thread. */
#ifndef LEDE_ABBREV_H
#define LEDE_ABBREV_H

#include <stddef.h>

typedef struct lede_abbrev lede_abbrev;

/* Tags of an entry (bit set); 0 means "not in the set". */
enum {
    LEDE_ABBR_KNOWN = 1u << 0,   /* an abbreviation that keeps its period ("Gen.", "etc.") */
    LEDE_ABBR_TITLE = 1u << 1,   /* precedes a name, so never ends a sentence ("Mr.", "Sen.") */
    LEDE_ABBR_NUM = 1u << 2,     /* an abbreviation only before a number ("No. 5") */
    LEDE_ABBR_STARTER = 1u << 3  /* a word that commonly opens a sentence ("The", "He") */
};

/* Builds the set for `lang` (ISO 639-1; NULL or an unknown language gives
 * "en").  *out is owned by the caller, released with lede_abbrev_free.
 * Returns LEDE_OK, LEDE_ENOMEM, or LEDE_ENOTFOUND if no list is embedded. */
int lede_abbrev_new(lede_abbrev **out, const char *lang);

/* Builds a set from the text of a list (same format as the data files).
 * *out is owned by the caller.  Returns LEDE_OK, LEDE_ENOMEM or LEDE_EPARSE
 * (unknown section or tag). */
int lede_abbrev_parse(lede_abbrev **out, const char *text, size_t len);

void lede_abbrev_free(lede_abbrev *ab);

/* Tags of the exact string s[0..len) ("Gen." with its period), 0 if absent. */
unsigned lede_abbrev_lookup(const lede_abbrev *ab, const char *s, size_t len);

/* Like lede_abbrev_lookup, and when s starts with an ASCII capital also
 * tries it with that letter lower-cased, so "Approx." finds "approx." (a
 * starter must match exactly). */
unsigned lede_abbrev_lookup_word(const lede_abbrev *ab, const char *s, size_t len);

/* The language the set was built for ("en"); owned by the set. */
const char *lede_abbrev_lang(const lede_abbrev *ab);

#endif
