/* Speakers the quote extractor meets in an article, remembered in text
 * order so that later references resolve to them: pronouns ("he", "they")
 * to the most recent compatible speaker, descriptions ("the governor") to
 * the speaker they describe or a name printed after the role.  Also the
 * subject of a sentence, for cues whose speaker is elided. */
#ifndef LEDE_QUOTEREF_H
#define LEDE_QUOTEREF_H

#include "quoteart.h"

/* Remembers sp (and each member of a group) as met at token pos. */
void qr_remember(article *ar, speaker *sp, int pos);

/* The speaker to report for phrase sp met at pos in the sentence starting
 * at lo; *resolved when it came from resolving a pronoun or description. */
speaker *qr_resolve(article *ar, speaker *sp, int pos, int lo, int *resolved);

/* The subject of the sentence starting at lo, if it is a speaker phrase
 * before pos; with plain, an unresolved pronoun gives NULL. */
speaker *qr_sentence_subject(article *ar, int lo, int pos, int plain);

#endif
