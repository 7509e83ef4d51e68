/* Internal entry points of the analysed document (see lede.h). */
#ifndef LEDE_DOC_H
#define LEDE_DOC_H

#include "lede.h"

#include <stdint.h>

/* Like lede_doc_analyze, for text that is already valid NFC UTF-8 (the output
 * of lede_text_clean or an article read back from the database).  Takes
 * ownership of the malloc'd `text` (NUL-terminated, `len` bytes), even on error. */
int lede_doc_analyze_owned(lede_doc **out, lede_tokenizer *tk, char *text, size_t len);

/* lede_hash64 (seed 0) of every token's fold, in token order: computed on the
 * first call and kept with the doc (owned by it), so that every lexicon
 * matched against the doc hashes its tokens once.  NULL when out of memory.
 * Like the rest of a doc, not to be called from two threads at once. */
const uint64_t *lede_doc_fold_hashes(const lede_doc *doc);

#endif
