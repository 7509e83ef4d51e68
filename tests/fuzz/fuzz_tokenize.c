/* libFuzzer target: lede_doc_analyze on arbitrary bytes must not crash and
 * must produce a document satisfying the structural invariants (see
 * tests/unit/doc_check.h); a violation aborts.  The first input byte picks
 * the tokenizer's language so that every abbreviation list gets fuzzed. */
#include "../unit/doc_check.h"
#include "lede.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const langs[] = {"en", "fr", "de", "es", "pt"};
    const char *lang = langs[size ? data[0] % 5 : 0];
    lede_tokenizer *tk;
    if (lede_tokenizer_new(&tk, lang) != LEDE_OK)
        abort();
    lede_doc *doc;
    int rc = lede_doc_analyze(&doc, tk, (const char *)data, size);
    if (rc == LEDE_ENOMEM) {
        lede_tokenizer_free(tk);
        return 0;
    }
    if (rc != LEDE_OK)
        abort();
    const char *why = doc_check(doc);
    if (why) {
        fprintf(stderr, "invariant broken: %s\n", why);
        abort();
    }
    lede_doc_free(doc);
    lede_tokenizer_free(tk);
    return 0;
}
