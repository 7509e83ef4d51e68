/* Structural invariants of an analysed document, shared by the unit tests
 * and the fuzz target: returns NULL when they hold, else what broke. */
#ifndef LEDE_DOC_CHECK_H
#define LEDE_DOC_CHECK_H

#include "lede.h"
#include "tokenize.h"

#include <string.h>
#include <utf8proc.h>

static int doc_check_valid_utf8(const char *s, size_t n)
{
    while (n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &cp);
        if (k <= 0)
            return 0;
        s += k;
        n -= (size_t)k;
    }
    return 1;
}

/* Bytes [from, to) hold only what the tokenizer skips. */
static int doc_check_all_space(const char *text, size_t from, size_t to)
{
    while (from < to) {
        size_t k = lede_space_len(text + from, to - from);
        if (k == 0)
            return 0;
        from += k;
    }
    return 1;
}

static int doc_check_has_break(const char *text, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (lede_line_break_len(text + i, to - i))
            return 1;
    return 0;
}

static const char *doc_check_tokens(const char *text, size_t len, const lede_token *tok, size_t nt,
                                    const char *folds, size_t folds_len)
{
    size_t prev_end = 0;
    for (size_t i = 0; i < nt; i++) {
        const lede_token *t = &tok[i];
        if (t->start >= t->end || t->end > len || t->kind >= LEDE_TOK_KIND_COUNT)
            return "token range or kind out of bounds";
        if (t->start < prev_end)
            return "tokens overlap or are not sorted";
        if (!doc_check_all_space(text, prev_end, t->start))
            return "a non-space byte is not covered by a token";
        if (doc_check_has_break(text, t->start, t->end) || memchr(text + t->start, ' ', t->end - t->start))
            return "a token holds a space or a line break";
        if (t->end - t->start > LEDE_TOKEN_MAX_BYTES)
            return "a token is longer than LEDE_TOKEN_MAX_BYTES";
        if (t->fold_len == 0 || (size_t)t->fold + t->fold_len > folds_len)
            return "fold out of bounds";
        if (!doc_check_valid_utf8(folds + t->fold, t->fold_len))
            return "fold is not valid UTF-8";
        if (!(t->flags & LEDE_TF_NON_ASCII)) {
            if (t->fold_len != t->end - t->start)
                return "ASCII fold has another length";
            for (size_t k = 0; k < t->fold_len; k++) {
                char c = text[t->start + k];
                if (c >= 'A' && c <= 'Z')
                    c = (char)(c + 32);
                if (folds[t->fold + k] != c || (unsigned char)c >= 0x80)
                    return "ASCII fold is not the lower-cased text";
            }
        }
        int space = t->start == 0 || lede_space_len(text + t->start - 1, 1) ||
                    (t->start >= 2 && lede_space_len(text + t->start - 2, 2) == 2) ||
                    (t->start >= 3 && lede_space_len(text + t->start - 3, 3) == 3);
        if (!!(t->flags & LEDE_TF_SPACE_BEFORE) != space)
            return "SPACE_BEFORE disagrees with the text";
        prev_end = t->end;
    }
    if (!doc_check_all_space(text, prev_end, len))
        return "a non-space byte after the last token";
    return NULL;
}

static const char *doc_check_structure(const char *text, const lede_block *b, size_t nb, const lede_sentence *s,
                                       size_t ns, const lede_token *tok, size_t nt)
{
    size_t next_sentence = 0, next_token = 0;
    for (size_t i = 0; i < nb; i++) {
        if (b[i].kind >= LEDE_BLOCK_KIND_COUNT || b[i].n_sentences == 0 || b[i].first_sentence != next_sentence)
            return "block sentences are not contiguous";
        if (i && b[i].start < b[i - 1].end)
            return "blocks overlap";
        if (doc_check_has_break(text, b[i].start, b[i].end))
            return "a block crosses a line break";
        for (size_t j = b[i].first_sentence; j < (size_t)b[i].first_sentence + b[i].n_sentences; j++) {
            if (j >= ns)
                return "block names a missing sentence";
            const lede_sentence *x = &s[j];
            if (x->block != i || x->n_tokens == 0 || x->first_token != next_token ||
                (size_t)x->first_token + x->n_tokens > nt)
                return "sentence tokens are not contiguous";
            if (x->start != tok[x->first_token].start || x->end != tok[x->first_token + x->n_tokens - 1].end)
                return "sentence is not trimmed to its tokens";
            if (x->start < b[i].start || x->end > b[i].end)
                return "sentence outside its block";
            for (size_t k = x->first_token; k < (size_t)x->first_token + x->n_tokens; k++) {
                int first = k == x->first_token;
                if (!!(tok[k].flags & LEDE_TF_SENT_START) != first)
                    return "SENT_START is not on the first token of each sentence";
                if (!!(tok[k].flags & LEDE_TF_BLOCK_START) != (first && j == b[i].first_sentence))
                    return "BLOCK_START is not on the first token of each block";
            }
            next_token += x->n_tokens;
        }
        if (b[i].start != s[b[i].first_sentence].start ||
            b[i].end != s[b[i].first_sentence + b[i].n_sentences - 1].end)
            return "block is not trimmed to its sentences";
        next_sentence += b[i].n_sentences;
    }
    if (next_sentence != ns || next_token != nt)
        return "sentences or tokens outside every block";
    return NULL;
}

static const char *doc_check(const lede_doc *doc)
{
    size_t len, nb, ns, nt, folds_len;
    const char *text = lede_doc_text(doc, &len);
    const lede_block *b = lede_doc_blocks(doc, &nb);
    const lede_sentence *s = lede_doc_sentences(doc, &ns);
    const lede_token *tok = lede_doc_tokens(doc, &nt);
    const char *folds = lede_doc_folds(doc, &folds_len);
    if (text[len] != '\0')
        return "text is not NUL-terminated";
    if (!doc_check_valid_utf8(text, len))
        return "text is not valid UTF-8";
    const char *why = doc_check_tokens(text, len, tok, nt, folds, folds_len);
    return why ? why : doc_check_structure(text, b, nb, s, ns, tok, nt);
}

#endif
