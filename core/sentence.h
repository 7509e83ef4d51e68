/* Blocks and sentences.
 *
 * A block is one line holding at least one token; it spans its first to its
 * last token, so it is trimmed.  Kinds: LIST_ITEM when it opens with a bullet
 * (• - * – ...) or a "1." "2)" "a)" "(3)" marker followed by a space;
 * PARAGRAPH when its last token (before closing quotes and brackets) is
 * sentence punctuation or an abbreviation, or it holds 20 words or more;
 * LINE otherwise (headlines, captions, menu items).
 *
 * Sentences never cross a block.  A candidate end is . ! ? … (and their
 * fullwidth and other-script forms) or an abbreviation; the closing quotes
 * (spaced or not), straight quotes and brackets right after it, and further
 * sentence punctuation, stay with the sentence.  Then:
 *  - after sentence punctuation, or an abbreviation followed by a closing
 *    quote or bracket, a sentence starts at a word that is not lower-case,
 *    a number, an opening quote or bracket (unless a lower-case word follows
 *    it), or a dash, symbol, URL, mention or hashtag after white space;
 *  - after a bare abbreviation: never after a title (Gen. Sen. Mr.), a
 *    number abbreviation (No. 5) or a single initial (J. Smith); after others
 *    (U.S., Inc., etc., a.m.) only when the next word is one of the
 *    language's sentence starters (The, He, But, ...) or an opening quote
 *    followed by a capitalised word.  So "in the U.S. He said" splits and
 *    "U.S. Secretary of State" does not; "at 5 p.m. Kerry said" does not split
 *    (a name is not a starter) -- the price of never splitting a title.
 * List markers never end a sentence. */
#ifndef LEDE_SENTENCE_H
#define LEDE_SENTENCE_H

#include "tokenize.h"

typedef struct lede_analysis {
    lede_tokens tokens;
    lede_block *blocks;
    size_t n_blocks, cap_blocks;
    lede_sentence *sentences;
    size_t n_sentences, cap_sentences;
} lede_analysis;

/* Splits text[0..len) (valid NFC UTF-8, len < 4 GiB) into blocks, sentences
 * and tokens, filling *a (which the caller releases with
 * lede_analysis_release, also on error).  Returns LEDE_OK, LEDE_ENOMEM or
 * LEDE_ELIMIT. */
int lede_analysis_run(lede_analysis *a, const lede_tokenizer *tk, const char *text, size_t len);
void lede_analysis_release(lede_analysis *a);

#endif
