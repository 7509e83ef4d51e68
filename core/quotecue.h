/* Cue events of the quote extractor: the cue-lexicon matches of a
 * paragraph that are used as verbs ("said", "according to", "urged"),
 * each with its speaker phrase (before the verb, after it, or elided) as
 * found and resolved.  Events are in text order. */
#ifndef LEDE_QUOTECUE_H
#define LEDE_QUOTECUE_H

#include "quoteart.h"

/* The cue matches m (n_m of them) of block b outside its quotes, as events
 * with speakers, into `events` (room for n_m).  Returns their number. */
int qe_parse_events(article *ar, const block *b, const lede_lexicon_match *m, size_t n_m, event *events);

/* Index of the first event at or after token pos. */
int qe_first_event(const event *events, int n, int pos);

/* Past the adverbials right after a cue from token k ("on Monday",
 * "Friday, July 15,"), no further than hi: the next token. */
int qe_skip_fwd(qctx *c, int k, int hi);

#endif
