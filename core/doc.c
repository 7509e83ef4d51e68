/* Tokenizers and analysed documents (see lede.h). */
#include "doc.h"

#include "abbrev.h"
#include "hash.h"
#include "sentence.h"
#include "text.h"
#include "tokenize.h"

#include <stdint.h>
#include <stdlib.h>

struct lede_doc {
    char *text; /* NFC, NUL-terminated, owned */
    size_t len;
    size_t repairs;
    lede_analysis a;
    uint64_t *fold_hashes; /* a cache: see lede_doc_fold_hashes */
};

int lede_tokenizer_new(lede_tokenizer **out, const char *lang)
{
    *out = NULL;
    lede_tokenizer *tk = calloc(1, sizeof *tk);
    if (!tk)
        return LEDE_ENOMEM;
    int rc = lede_abbrev_new(&tk->abbrev, lang);
    if (rc != LEDE_OK) {
        free(tk);
        return rc;
    }
    *out = tk;
    return LEDE_OK;
}

void lede_tokenizer_free(lede_tokenizer *tk)
{
    if (!tk)
        return;
    lede_abbrev_free(tk->abbrev);
    free(tk);
}

void lede_doc_free(lede_doc *doc)
{
    if (!doc)
        return;
    lede_analysis_release(&doc->a);
    free(doc->fold_hashes);
    free(doc->text);
    free(doc);
}

static int analyze(lede_doc **out, lede_tokenizer *tk, char *text, size_t len, size_t repairs)
{
    *out = NULL;
    if (!tk || !text) {
        free(text);
        return LEDE_EINVAL;
    }
    if (len >= UINT32_MAX) {
        free(text);
        return LEDE_ELIMIT;
    }
    lede_doc *doc = calloc(1, sizeof *doc);
    if (!doc) {
        free(text);
        return LEDE_ENOMEM;
    }
    doc->text = text;
    doc->len = len;
    doc->repairs = repairs;
    int rc = lede_analysis_run(&doc->a, tk, text, len);
    if (rc != LEDE_OK) {
        lede_doc_free(doc);
        return rc;
    }
    *out = doc;
    return LEDE_OK;
}

int lede_doc_analyze_owned(lede_doc **out, lede_tokenizer *tk, char *text, size_t len)
{
    return analyze(out, tk, text, len, 0);
}

int lede_doc_analyze(lede_doc **out, lede_tokenizer *tk, const char *text, size_t len)
{
    *out = NULL;
    if (!tk || (!text && len))
        return LEDE_EINVAL;
    if (len >= UINT32_MAX)
        return LEDE_ELIMIT;
    char *clean;
    size_t clean_len, repairs, first_bad;
    int rc = lede_text_clean(&clean, &clean_len, &repairs, &first_bad, text ? text : "", len);
    if (rc != LEDE_OK)
        return rc;
    return analyze(out, tk, clean, clean_len, repairs);
}

const char *lede_doc_text(const lede_doc *doc, size_t *len)
{
    if (len)
        *len = doc->len;
    return doc->text;
}

const lede_block *lede_doc_blocks(const lede_doc *doc, size_t *n)
{
    if (n)
        *n = doc->a.n_blocks;
    return doc->a.blocks;
}

const lede_sentence *lede_doc_sentences(const lede_doc *doc, size_t *n)
{
    if (n)
        *n = doc->a.n_sentences;
    return doc->a.sentences;
}

const lede_token *lede_doc_tokens(const lede_doc *doc, size_t *n)
{
    if (n)
        *n = doc->a.tokens.n;
    return doc->a.tokens.v;
}

const char *lede_doc_folds(const lede_doc *doc, size_t *len)
{
    if (len)
        *len = doc->a.tokens.folds_len;
    return doc->a.tokens.folds;
}

const uint64_t *lede_doc_fold_hashes(const lede_doc *doc)
{
    if (doc->fold_hashes || doc->a.tokens.n == 0)
        return doc->fold_hashes;
    uint64_t *h = malloc(doc->a.tokens.n * sizeof *h);
    if (h == NULL)
        return NULL;
    const lede_token *t = doc->a.tokens.v;
    for (size_t i = 0; i < doc->a.tokens.n; i++)
        h[i] = lede_hash64(doc->a.tokens.folds + t[i].fold, t[i].fold_len, 0);
    /* Filling a cache does not change what the doc says; every doc is
     * allocated writable, so the cast is sound. */
    ((lede_doc *)doc)->fold_hashes = h;
    return h;
}

size_t lede_doc_repairs(const lede_doc *doc)
{
    return doc->repairs;
}

const char *lede_token_kind_name(int kind)
{
    static const char *const names[LEDE_TOK_KIND_COUNT] = {
        "word", "number", "punct", "open_quote", "close_quote", "ambig_quote",
        "dash", "symbol", "url", "email", "hashtag", "mention"};
    return kind >= 0 && kind < LEDE_TOK_KIND_COUNT ? names[kind] : "unknown";
}

const char *lede_block_kind_name(int kind)
{
    static const char *const names[LEDE_BLOCK_KIND_COUNT] = {"paragraph", "line", "list_item"};
    return kind >= 0 && kind < LEDE_BLOCK_KIND_COUNT ? names[kind] : "unknown";
}
