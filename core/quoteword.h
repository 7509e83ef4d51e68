/* Word classes of the quote extractor: every word the rules look at by
 * meaning (determiners, cue verbs, role nouns, ...) in one hash table keyed
 * by the case-folded word, and the quoter that owns it.  Internal to the
 * quote*.c modules. */
#ifndef LEDE_QUOTEWORD_H
#define LEDE_QUOTEWORD_H

#include "lexicon.h"
#include "quote.h"

#include <stddef.h>
#include <stdint.h>

/* Class bits of a word. */
enum {
    QW_DET = 1u << 0,
    QW_AUX = 1u << 1,
    QW_PREP = 1u << 2,
    QW_CONJ = 1u << 3,
    QW_SUB = 1u << 4,
    QW_ADV = 1u << 5,
    QW_PRON = 1u << 6,
    QW_TIME = 1u << 7,
    QW_PAST = 1u << 8,
    QW_NOBODY = 1u << 9,
    QW_ROLE = 1u << 10,
    QW_ROLE_PL = 1u << 11,
    QW_TITLE = 1u << 12,
    QW_ORG = 1u << 13,
    QW_ORG_PL = 1u << 14,
    QW_GROUP = 1u << 15,
    QW_CUE = 1u << 16,     /* first word of a cue form */
    QW_PARTICLE = 1u << 17, /* "de" in "Staffan de Mistura" */
    QW_QUANT = 1u << 18,   /* "about", "at least": may open a reported clause */
    QW_DEFINITE = 1u << 19,
    QW_ARTICLE = 1u << 20, /* a determiner no verb follows */
    QW_NONFINITE = 1u << 21,
    QW_STOP = 1u << 22,    /* ends a speaker phrase: aux, prep, conj, sub, adv, pron, nobody */
    QW_CUE_PHRASE = 1u << 23 /* the verb of a cue form of several words ("point out", "a déclaré") */
};
#define QW_NOUN (QW_ROLE | QW_ROLE_PL | QW_ORG | QW_ORG_PL | QW_GROUP)

/* Words the rules name one by one. */
enum {
    W_NONE = 0, W_THAT, W_WHO, W_WHICH, W_WHOSE, W_WHOM, W_TO, W_NOT, W_THE, W_A, W_AN, W_OF, W_AND, W_AMP,
    W_BUT, W_OR, W_THEN, W_WHILE, W_WHEREAS, W_ALTHOUGH, W_THOUGH, W_IN, W_ON, W_AT, W_BY, W_DURING,
    W_LATE, W_EARLY, W_THIS, W_NAME, W_AS, W_HE, W_SHE, W_THEY, W_IT, W_WE, W_I, W_THEM, W_HIM, W_US,
    W_ME, W_HIMSELF, W_HERSELF, W_STAFF, W_CREW, W_MEN, W_WOMEN, W_POLICE, W_FOR, W_DE, W_DU,
    W_STATEMENT, W_INTERVIEW, W_BE, W_BEEN, W_BEING,
    /* punctuation */
    W_COMMA, W_SEMI, W_COLON, W_LPAREN, W_RPAREN, W_PERIOD, W_EXCL, W_QUEST, W_ELLIPSIS,
    /* quote marks */
    W_Q2, W_Q2_OPEN, W_Q2_CLOSE, W_Q2_LOW, W_Q2_REV, W_GUIL_OPEN, W_GUIL_CLOSE, W_Q1, W_Q1_OPEN,
    W_Q1_CLOSE, W_Q1_LOW, W_Q1_REV, W_SGUIL_OPEN, W_SGUIL_CLOSE,
    W_COUNT
};

typedef struct qw_entry {
    const char *key; /* NULL: empty slot */
    uint32_t len;
    uint32_t bits;
    uint8_t wid;
    uint8_t gender; /* 0, 'm', 'f' */
} qw_entry;

typedef struct qw_table {
    qw_entry *slots;
    size_t mask, n;
    char *arena; /* keys */
    size_t arena_len, arena_cap;
} qw_table;

/* A filter of the verbs of cue forms: tokens that cannot be one skip the
 * word table and the lexicon (most of them). */
#define QW_FILTER_BITS 65536

struct lede_quoter {
    qw_table words;
    uint64_t cue_filter[QW_FILTER_BITS / 64];
    char **acronyms; /* pairs: acronym, full name (a short list, searched in order) */
    size_t n_acronyms;
    lede_lexicon *cues;
    size_t cue_lemmas;
};

/* The entry of `word` (len bytes), or NULL. */
const qw_entry *qw_find(const qw_table *t, const char *word, size_t len);

/* Loads the word lists into q (cleared by the caller).  Returns LEDE_OK or LEDE_ENOMEM. */
int qw_load(lede_quoter *q, const lede_quoter_lists *lists);
void qw_free(lede_quoter *q);

/* The filter slot of a folded word. */
static inline unsigned qw_filter_slot(const char *w, size_t n)
{
    unsigned h = (unsigned)n * 40503u;
    for (size_t i = 0; i < n && i < 4; i++)
        h = (h ^ (unsigned char)w[i]) * 16777619u;
    return h & (QW_FILTER_BITS - 1);
}

/* May a token whose fold is w be the verb of a cue form? */
static inline int qw_may_cue(const lede_quoter *q, const char *w, size_t n)
{
    unsigned s = qw_filter_slot(w, n);
    return (q->cue_filter[s / 64] >> (s % 64)) & 1;
}

/* The full name of an acronym ("UN" -> "United Nations"), or NULL. */
const char *qw_acronym(const lede_quoter *q, const char *word, size_t len);

#endif
