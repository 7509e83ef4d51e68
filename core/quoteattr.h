/* Quotes of a paragraph and who said them, for the quote extractor: each
 * quote's kind (direct when it stands as a sentence of its own, else
 * partial) and its speaker: the cue right before or after its marks, else
 * the clause or cue of its sentence, else the paragraph's other quotes or
 * the speaker of the run of quotes it continues. */
#ifndef LEDE_QUOTEATTR_H
#define LEDE_QUOTEATTR_H

#include "quoteart.h"

/* Gives the quotes of block b their kinds, and the n events that attribute
 * them from right before or after their marks (those report no clause). */
void qa_place_quotes(qctx *c, const block *b, event *events, int n);

/* Gives every quote of block b its speaker and records it; after the
 * block's reported clauses are known (qcl_indirect). */
void qa_attribute_quotes(article *ar, const block *b, event *events, int n);

#endif
