/* The casualties extractor behind the stock plugin `casualties`
 * (docs/casualties.md): in the sentences of an article's content that hold
 * a cue word, every casualty figure, with its date, scope, place and
 * confidence.  The rules live in caspat.c (shapes), casplace.c (places) and
 * casctx.c (context); casart.h has the types they share. */
#ifndef LEDE_CASUALTY_H
#define LEDE_CASUALTY_H

#include "casart.h"

/* Appends the figures of article `a` to out (in text order; out->v is
 * malloc'd, the caller frees it, strings live in a's arena).  sent[i] is
 * the doc's sentence behind a->sentences[i] (its tokens place the cue
 * words).  Returns LEDE_OK, LEDE_ENOMEM, or the negative code a->meta
 * returned. */
int cas_article(cas_figures *out, cas_art *a, const lede_sentence *const *sent, const lede_num_opts *opts);

/* The language a text ingested as English is really in: "en" unless the
 * function words of es, fr, de, pt or it clearly outnumber English ones in
 * its first 4,000 bytes.  A static string. */
const char *cas_guess_language(const char *text, size_t len);

#endif
