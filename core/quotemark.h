/* Quote marks of a paragraph, for the quote extractor: double marks are
 * paired first (a quote left open runs to the paragraph's end), single
 * marks outside them strictly; and the sentences of a paragraph, whose
 * ends are carried past the quotes that enclose them. */
#ifndef LEDE_QUOTEMARK_H
#define LEDE_QUOTEMARK_H

#include "quoteart.h"

/* Bounds [*lo, *hi] of the sentence of token i in block b. */
void qm_sentence_of(const block *b, int i, int *lo, int *hi);
int qm_sentence_start(const block *b, int i);
/* Sentence end of token i, carried past quotes whose marks enclose it. */
int qm_sentence_end(const block *b, int i);

/* The quote whose marks enclose token i, or NULL. */
qspan *qm_quote_at(const block *b, int i);

/* Pair the marks (tokens `marks`, n of them) of block b into b->quotes
 * (room for cap): the doubles, then the singles outside them; the quotes
 * stay disjoint and in text order. */
void qm_pair_doubles(qctx *c, block *b, const int *marks, int n, int cap);
void qm_pair_singles(qctx *c, block *b, const int *marks, int n, int cap);

#endif
