/* The article as the casualties extractor reads it: the types its modules
 * share (caslex: word lists; castok: a sentence's tokens; caspat: the
 * shapes of a figure; casplace: places; casctx: date, scope, place and
 * confidence of each figure; casualty.c: the article).  Internal to the
 * cas*.c modules; docs/casualties.md says what the rules decide.
 *
 * The rules were first written in Lua (plugins/casualties/lib/, up to
 * commit 3be8a0a): these modules reproduce that version's output byte for
 * byte, and comments that say "the Lua" mean it.
 *
 * Conventions, so that the rules read as docs/casualties.md states them:
 *  - token indexes are 1-based (1..n); asking for a token outside 1..n
 *    gives "nothing" (NULL word, kind 0, no quantity) rather than an error;
 *  - byte positions in the article text are 1-based and inclusive
 *    ([start, stop]), as the plugin API gives them;
 *  - strings are NUL-terminated and owned by the word lists (cas_lex) or
 *    by the article's arena (cas_art), never by a figure or a mention;
 *  - functions that allocate return LEDE_OK or LEDE_ENOMEM. */
#ifndef LEDE_CASART_H
#define LEDE_CASART_H

#include "lede.h"
#include "lexicon.h"
#include "numparse.h"

#include <stddef.h>
#include <stdint.h>

/* ---- word lists (caslex.c) ---- */

/* A set of words, each with a value (the word itself when the list gave none). */
typedef struct cas_set cas_set;

/* The value of word w in s; NULL when w is NULL or not in s. */
const void *cas_set_get(const cas_set *s, const char *w);
/* The value of the word w[0, len) (not NUL-terminated) in s, as cas_set_get. */
const void *cas_set_getn(const cas_set *s, const char *w, size_t len);
/* Whether w (NULL: no) is in s. */
int cas_set_has(const cas_set *s, const char *w);

/* Phrases: single words, and longer phrases by first word, longest first. */
typedef struct cas_phrases cas_phrases;

/* The value of the phrase starting at word i of words[1..n] (NULL words
 * never match), and in *last the index of its last word; NULL when no
 * phrase starts there. */
const void *cas_phrases_match(const cas_phrases *t, const char *const *words, int n, int i, int *last);

/* A section "[name]" of words.txt or places.txt: its words as a set, as
 * phrases (keys lower-cased, value: the phrase) and as a list in file
 * order (list[0, n)). */
typedef struct cas_section {
    cas_set *set;
    cas_phrases *phrases;
    const char **list;
    size_t n;
} cas_section;

/* A cue (cues.txt): what happened, and where its word may stand. */
typedef struct cas_cue {
    const char *word;     /* the phrase as cues.txt writes it */
    const char *category; /* killed, dead, wounded, displaced, abducted, arrested, missing */
    unsigned strict : 1, complement : 1, p : 1, a : 1, n : 1, j : 1;
} cas_cue;

/* A gazetteer name: what it is and which country it belongs to.  For a
 * demonym or alias, name is the country. */
typedef struct cas_place {
    const char *name;
    const char *kind;    /* country, alias, demonym, city, region */
    const char *country; /* NULL when the file gives none */
} cas_place;

typedef struct cas_lex {
    cas_phrases *cues;      /* values: const cas_cue * */
    cas_phrases *victims;   /* values: const char * (what the figure layer calls them) */
    cas_phrases *gazetteer; /* values: const cas_place * */
    /* words.txt */
    cas_section aux, negation, unit, function, toll_verb, toll_more, toll_nearly, conflict, conflict_subject,
        disaster, anchor, cumulative, anaphor, trigger;
    /* places.txt */
    cas_section preposition, direction, geo_name, head, modifier, geo, facility, not_place, name_stop, org;
    /* matched over a whole doc (lede_lexicon, tokens of the doc) */
    lede_lexicon *trigger_lx;     /* cue phrases and [trigger] words */
    lede_lexicon *places_lx;      /* the gazetteer's names */
    lede_lexicon *prepositions_lx; /* [preposition] words and "<head> of" */
    lede_lexicon *directions_lx;  /* [direction] words */
    lede_lexicon *conflict_lx;    /* [conflict] */
    lede_lexicon *disaster_lx;    /* [disaster] */
    void *priv;                   /* caslex.c's storage */
} cas_lex;

/* The word lists' files, as NUL-terminated text (borrowed). */
typedef struct cas_lex_files {
    const char *cues, *victims, *words, *places, *gazetteer;
} cas_lex_files;

/* Builds the word lists; lexicons are tokenized with `tk` (borrowed, used
 * during the call only).  *out is owned by the caller (cas_lex_free).
 * On a malformed file, returns LEDE_EINVAL with a message in err. */
int cas_lex_new(cas_lex **out, lede_tokenizer *tk, const cas_lex_files *files, char *err, size_t err_cap);
void cas_lex_free(cas_lex *lex);

/* A match of a lede_lexicon in a doc: bytes [start, stop], 1-based. */
typedef struct cas_match {
    uint32_t start, stop;
} cas_match;

/* Every match of lx among all the tokens of doc, in text order.  *out is
 * malloc'd and owned by the caller (NULL when *n is 0). */
int cas_lex_find(cas_match **out, size_t *n, const lede_lexicon *lx, const lede_doc *doc);

/* ---- the article (casualty.c) ---- */

/* A stretch of the text: bytes [start, stop], 1-based. */
typedef struct cas_span {
    uint32_t start, stop;
} cas_span;

/* The article's meta record (metadata plugin), fields NULL when absent. */
typedef struct cas_meta {
    const char *dateline, *published, *event_date;
} cas_meta;

typedef struct cas_arena cas_arena;

typedef struct cas_art {
    const cas_lex *lex;
    const lede_doc *doc;
    const char *text;
    size_t len;
    const char *published; /* the article's own field; NULL when unknown */
    const cas_span *sentences; /* the content's sentences (boilerplate left out), in text order */
    size_t n_sentences;
    const cas_span *blocks;    /* the content's blocks */
    size_t n_blocks;
    /* The meta record, fetched when first asked for: 1 and *out filled,
     * 0 when the article has none, negative on error. */
    int (*meta)(void *ud, cas_meta *out);
    void *meta_ud;
    cas_arena *arena;
} cas_art;

/* Per-article memory (casarena.c): blocks freed all at once.  *out is
 * owned by the caller (cas_arena_free); cas_arena_reset frees what was
 * handed out (the memory is kept for the next article). */
int cas_arena_new(cas_arena **out);
void cas_arena_reset(cas_arena *ar);
void cas_arena_free(cas_arena *ar);

/* Per-article memory, freed with the article: n bytes (aligned for any
 * type, zeroed), or a copy of s[0..len) with a NUL.  NULL when out of memory. */
void *cas_alloc(cas_art *a, size_t n);
char *cas_strndup(cas_art *a, const char *s, size_t len);

/* ---- a sentence's tokens (castok.c) ---- */

enum { CAS_WORD = 'w', CAS_QUANTITY = 'n', CAS_PUNCT = 'p', CAS_DIGITS = 'd' };

/* The tokens of a sentence (lede_num_tokens), 1-based.  w[i]: a word
 * case-folded; a punctuation mark or digits as written; "#" for a
 * quantity.  q[i]: the quantity of a token that may count people (not a
 * percentage, money, ordinal, time, code, date, decimal or "five-year-old"
 * compound; NULL otherwise), with start/end made 0-based offsets of the
 * article text.  qi[1..nq]: the indexes of those tokens.  seg[i]: the
 * clause of token i (clause breaks: punctuation, subordinating words). */
typedef struct cas_toks {
    int n, nq;
    const char **w;
    char *k;
    uint32_t *s, *e; /* 1-based, inclusive */
    const lede_quantity **q;
    int *qi;
    int *seg;
    const char *text; /* the article text */
} cas_toks;

/* Reads sentence span `s` of a's text; *out lives in a's arena.  Sets *out
 * to NULL when the sentence has no countable quantity. */
int cas_toks_read(cas_toks **out, cas_art *a, cas_span s, const lede_num_scanner *numbers);

static inline const char *cas_w(const cas_toks *t, int i) { return i >= 1 && i <= t->n ? t->w[i] : NULL; }
static inline int cas_k(const cas_toks *t, int i) { return i >= 1 && i <= t->n ? t->k[i] : 0; }
static inline const lede_quantity *cas_q(const cas_toks *t, int i) { return i >= 1 && i <= t->n ? t->q[i] : NULL; }
/* w[i] when token i is a word (kind 'w'), else NULL. */
static inline const char *cas_word(const cas_toks *t, int i) { return cas_k(t, i) == CAS_WORD ? t->w[i] : NULL; }
/* Whether w[i] equals s (NULL: never). */
int cas_is(const cas_toks *t, int i, const char *s);

/* ---- a figure (caspat.c finds it, casctx.c fills its fields) ---- */

typedef struct cas_figure {
    /* what the shape found */
    int qi;            /* token of the quantity */
    int cue;           /* token of the cue word (0: none; the quantity stands for it) */
    const lede_quantity *q;
    const char *category, *victims, *rule;
    const char *toll_qualifier; /* "more_than", "nearly" or NULL */
    unsigned past : 1, perfect : 1, had : 1, running : 1, subset : 1, anaphor : 1;
    int sentence;      /* index of its sentence in cas_art.sentences, 1-based */
    const cas_toks *toks;
    /* what casctx.c worked out: the fields of the figure layer */
    uint32_t start, stop; /* bytes of the span, 1-based */
    const char *qualifier, *scope, *as_of, *where;
    double confidence;
    unsigned repeat : 1;
} cas_figure;

typedef struct cas_figures {
    cas_figure *v;
    size_t n, cap;
} cas_figures;

/* Appends the figures of sentence `sentence` (tokens t) to out, in token
 * order.  out->v is malloc'd (the caller frees it). */
int cas_find(cas_figures *out, const cas_toks *t, const cas_lex *lex, int sentence, cas_art *a);

/* ---- places (casplace.c) ---- */

/* A place named in a sentence: tokens [ti, last].  kind: country, demonym,
 * alias, city, region (gazetteer), learned (introduced by the article),
 * candidate (a capitalised name not settled yet: cas_places_resolve),
 * none (settled: not a place). */
typedef struct cas_mention {
    int ti, last;
    const char *name, *kind, *country; /* name and country NULL when unknown */
    int prep; /* after a locative preposition ("in", "near"; not "from") */
} cas_mention;

typedef struct cas_mentions {
    cas_mention *v;
    size_t n;
} cas_mentions;

/* The dateline: bytes [start, stop]; city title-cased, region NULL when none. */
typedef struct cas_dateline {
    uint32_t start, stop;
    const char *city, *region;
} cas_dateline;

/* The places of one article; what it works out over the whole article
 * (dateline, names introduced as places, main country) is worked out once,
 * when first needed.  Lives in a's arena. */
typedef struct cas_places cas_places;

int cas_places_new(cas_places **out, cas_art *a);
/* The place mentions of sentence tokens t, in token order (in a's arena). */
int cas_places_sentence(cas_mentions *out, cas_places *p, const cas_toks *t);
/* Settles a candidate mention (kind becomes learned or none); `here`: the
 * sentence itself introduces it.  Others are left as they are. */
int cas_places_resolve(cas_places *p, cas_mention *m, const cas_toks *t, int here);
/* The name a mention gives a figure: the country of a demonym or alias, else its name. */
const char *cas_place_name_of(const cas_mention *m);
/* Whether m names a country (or what the article's adjectives make one). */
int cas_places_is_country(int *out, cas_places *p, const cas_mention *m);
/* The dateline (*out NULL when the article has none). */
int cas_places_dateline(const cas_dateline **out, cas_places *p);
/* The country the article is mostly about (*out NULL when none). */
int cas_places_main(const char **out, cas_places *p);
/* The name of the last place the article introduced before byte pos (*out NULL: none). */
int cas_places_before(const char **out, cas_places *p, uint32_t pos);
/* How many conflict words ([conflict]) the doc has. */
int cas_places_conflicts(size_t *out, cas_places *p);

/* ---- what a figure's sentence and article say about it (casctx.c) ---- */

/* Fills the fields of figures[0..n) (in text order) from their sentences
 * and the article: span, qualifier, scope, as_of (against the article's
 * date, else the meta record's), where, confidence, repeat; a count said
 * once as a running total makes its repeats running totals too. */
int cas_resolve(cas_art *a, cas_figure *figures, size_t n);

#endif
