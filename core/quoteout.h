/* What the quote extractor reports: the records of the quotes found in an
 * article (with the rule that found each and its confidence), and the
 * result built from them: in text order, surnames completed with the full
 * names printed in the article, headline echoes of body quotes dropped. */
#ifndef LEDE_QUOTEOUT_H
#define LEDE_QUOTEOUT_H

#include "quoteart.h"

/* Records a quote of tokens [a, z]; its confidence is the rule's, less when
 * the speaker was resolved. */
void qo_record_quote(article *ar, lede_quote_kind kind, int a, int z, speaker *sp, int resolved, rule_id rule,
                     const char *written, const char *cue);
/* Records the reported clause [a, z] of ev as an indirect quote. */
void qo_record_event(article *ar, const event *ev, int a, int z, rule_id rule);

/* The cue of ev as written: the verb, its addressee, "in a statement". */
const char *qo_cue_text(qctx *c, const event *ev);

/* The result of the article's records.  *out is owned by the caller
 * (lede_quote_result_free).  Returns LEDE_OK or LEDE_ENOMEM. */
int qo_build_result(lede_quote_result **out, article *ar);

#endif
