/* The article as the quote extractor reads it, paragraph by paragraph:
 * the types its modules share (quotemark, quotecue, quoteref, quoteclause,
 * quoteattr, quoteout, quote.c).  Internal to the quote*.c modules. */
#ifndef LEDE_QUOTEART_H
#define LEDE_QUOTEART_H

#include "quotenp.h"

#include <stddef.h>

/* Which pattern found a quote (reported in its `rule` field). */
typedef enum rule_id {
    R_DIRECT_AFTER, R_DIRECT_BEFORE, R_DIRECT_MIDDLE, R_DIRECT_SHARED, R_DIRECT_CONTINUED, R_DIRECT_RUN,
    R_DIRECT_NONE, R_PARTIAL_CLAUSE, R_PARTIAL_CUE, R_PARTIAL_AFTER, R_PARTIAL_NONE, R_INDIRECT_THAT,
    R_INDIRECT_BARE, R_INDIRECT_PREPOSED, R_INDIRECT_ACCORDING_TO, R_INDIRECT_APPEAL,
    R_INDIRECT_PARENTHETICAL, R_COUNT
} rule_id;

typedef struct event event;
typedef struct qspan qspan;

/* A speaker met at token pos: what pronouns and descriptions resolve to. */
typedef struct hist_item {
    int pos;
    speaker *sp;
} hist_item;

/* A quote found, as it will be reported (quoteout.c). */
typedef struct record {
    int a, z;
    lede_quote_kind kind;
    speaker *sp;
    rule_id rule;
    const char *written, *cue;
    double conf;
    int drop;
} record;

/* A paragraph: tokens [t1, t2] and the quotes paired in it. */
typedef struct block {
    int t1, t2;
    const lede_sentence *sent; /* the block's sentences */
    int n_sent;
    qspan *quotes;
    int n_quotes;
    struct block *prev;
} block;

/* The article being read: its context, the speakers met so far, the
 * records written, and what carries over from one paragraph to the next. */
typedef struct article {
    qctx c;
    hist_item *hist;
    size_t n_hist, cap_hist;
    record *out;
    size_t n_out, cap_out;
    speaker *last_direct, *carry;
    const block *carry_block;
} article;

/* Where an event's speaker phrase was found: before the cue, after it
 * ("said X"), taken from the previous cue, or the sentence's subject. */
enum { M_NONE = 0, M_BACK, M_FWD, M_ELIDED, M_SUBJECT };
/* How a quote's marks were paired (qspan.how). */
enum { H_PAIR = 0, H_LOST, H_UNCLOSED, H_SINGLE };
/* How a reported clause opens (event.how): "that", bare, "urged X to". */
enum { HOW_THAT = 1, HOW_BARE, HOW_APPEAL };

/* A cue (tokens [i, j]) used as a verb, with its speaker (the attribution
 * starts at a1; a2 ends a "said X") and its reported clause [cl_a, cl_z]. */
struct event {
    int i, j; /* cue tokens */
    char class;
    int lo, hi; /* sentence */
    speaker *sp;
    int resolved;
    const char *written;
    int a1, a2, mode, pre_comma, obj, clause_before;
    int cstart, how;
    int cl_a, cl_z;
    int nested;
    qspan *attached;
};

/* A quote: marks o and c (-1 when missing) around the quoted tokens
 * [c1, c2], and what attributes it. */
struct qspan {
    int o, c, c1, c2, how, lo;
    lede_quote_kind kind;
    event *ev, *after_ev;
    rule_id rule;
    const char *written, *cue;
    speaker *sp;
    int resolved, shared;
};

#endif
