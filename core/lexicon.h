/* Lexicons: lists of words and phrases matched against a doc's tokens,
 * case-folded, longest match first.  Entries are tokenized with lede's own
 * tokenizer, so "U.S." or "according to" match exactly the tokens the doc
 * has. */
#ifndef LEDE_LEXICON_H
#define LEDE_LEXICON_H

#include "lede.h"

#include <stddef.h>
#include <stdint.h>

typedef struct lede_lexicon lede_lexicon;

/* Builds a lexicon from `len` bytes of `data`: one entry per line, an
 * optional value after a TAB, '#' starting a comment line, blank lines
 * ignored.  A later entry replaces an earlier one with the same tokens.
 * *out is owned by the caller
 * (lede_lexicon_free). */
int lede_lexicon_new(lede_lexicon **out, lede_tokenizer *tk, const char *data, size_t len);
void lede_lexicon_free(lede_lexicon *lx);

/* Number of entries. */
size_t lede_lexicon_size(const lede_lexicon *lx);

/* One match: tokens [first, last] (0-based, inclusive) and the entry's value. */
typedef struct lede_lexicon_match {
    uint32_t first, last;
    uint32_t value; /* index for lede_lexicon_value */
} lede_lexicon_match;

/* Finds the leftmost-longest, non-overlapping matches among tokens
 * [first, last) of `doc`.  *out is malloc'd (owned by the caller; NULL when
 * *n is 0).  Returns LEDE_OK or LEDE_ENOMEM. */
int lede_lexicon_find(lede_lexicon_match **out, size_t *n, const lede_lexicon *lx, const lede_doc *doc,
                       size_t first, size_t last);

/* The value of an entry (its text when the line gave none).  Owned by the lexicon. */
const char *lede_lexicon_value(const lede_lexicon *lx, uint32_t value, size_t *len);

/* Looks a phrase up as a whole: 1 and *value when it is an entry, 0 when
 * not, negative on error. */
int lede_lexicon_lookup(uint32_t *value, const lede_lexicon *lx, lede_tokenizer *tk, const char *phrase,
                        size_t len);

#endif
