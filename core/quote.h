/* The quote extractor behind the stock plugin `quotes` (docs/quotes.md):
 * quote marks paired per paragraph, cue verbs with their speakers, reported
 * clauses, each quote given a kind, a speaker and the rule that found it.
 * Its word lists come from the plugin's data files, as text. */
#ifndef LEDE_QUOTE_H
#define LEDE_QUOTE_H

#include "lede.h"

#include <stddef.h>
#include <stdint.h>

typedef struct lede_quoter lede_quoter;

/* The word lists, as text: one entry per line, an optional TAB-separated
 * value, '#' comment lines (plugins/quotes/data/README of each list). */
typedef struct lede_quoter_lists {
    const char *cues;           /* lexicon format: "form<TAB>lemma|class" */
    const char *roles;          /* person nouns, value m|f for a gender */
    const char *titles;         /* titles before names, value m|f */
    const char *organisations;  /* organisation words */
    const char *groups;         /* unnamed groups and documents */
    const char *function_words; /* "word<TAB>class" */
    const char *acronyms;       /* "UN<TAB>United Nations" */
} lede_quoter_lists;

/* Builds a quoter from `lists` (borrowed; NUL-terminated texts, any of them
 * may be NULL for an empty list) with the tokenizer `tk` (borrowed, used
 * only during the call).  *out is owned by the caller (lede_quoter_free). */
int lede_quoter_new(lede_quoter **out, lede_tokenizer *tk, const lede_quoter_lists *lists);
void lede_quoter_free(lede_quoter *q);

/* Number of distinct cue lemmas. */
size_t lede_quoter_cue_lemmas(const lede_quoter *q);

typedef enum lede_quote_kind { LEDE_QUOTE_DIRECT = 0, LEDE_QUOTE_PARTIAL, LEDE_QUOTE_INDIRECT } lede_quote_kind;

typedef enum lede_speaker_type {
    LEDE_SPEAKER_NONE = 0,
    LEDE_SPEAKER_PERSON,
    LEDE_SPEAKER_ORGANISATION,
    LEDE_SPEAKER_UNNAMED
} lede_speaker_type;

/* "direct", "partial", "indirect"; "person", "organisation", "unnamed" (NULL for none). */
const char *lede_quote_kind_name(int kind);
const char *lede_speaker_type_name(int type);

/* One quote: bytes [start, end) of the text.  Strings are NULL when
 * unknown; they and `rule` are owned by the result (rule is static). */
typedef struct lede_quote {
    uint32_t start, end;
    lede_quote_kind kind;
    lede_speaker_type type;
    double confidence;
    const char *rule;
    const char *speaker, *written, *role, *cue;
} lede_quote;

typedef struct lede_quote_result lede_quote_result;

/* Finds the quotes of `doc` (borrowed), skipping the blocks that the byte
 * ranges `skip` ([start, end) pairs: 2 * n_skip values, e.g. boilerplate)
 * cover for more than half.  *out is owned by the caller
 * (lede_quote_result_free).  Returns LEDE_OK or LEDE_ENOMEM. */
int lede_quoter_run(lede_quote_result **out, const lede_quoter *q, const lede_doc *doc, const uint32_t *skip,
                    size_t n_skip);

/* The quotes of a result in text order; owned by the result. */
const lede_quote *lede_quote_result_items(const lede_quote_result *r, size_t *n);
void lede_quote_result_free(lede_quote_result *r);

#endif
