/* Internal entry points of the analysed document (see lede.h). */
#ifndef LEDE_DOC_H
#define LEDE_DOC_H

#include "lede.h"

/* Like lede_doc_analyze, for text that is already valid NFC UTF-8 (the output
 * of lede_text_clean or an article read back from the database).  Takes
 * ownership of the malloc'd `text` (NUL-terminated, `len` bytes), even on error. */
int lede_doc_analyze_owned(lede_doc **out, lede_tokenizer *tk, char *text, size_t len);

#endif
