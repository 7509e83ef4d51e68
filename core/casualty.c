/* The casualties extractor over one article: see casualty.h. */
#include "casualty.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- the language of a text ingested as English ---- */

enum { N_LANGS = 5, SAMPLE_BYTES = 4000 };

/* Function words that tell a text's language, for texts ingested without
 * one.  ("não" never matches: words are read as runs of ASCII letters.) */
static const char *const LANGS[N_LANGS] = {"es", "fr", "de", "pt", "it"};
static const char *const FUNCTION_WORDS[N_LANGS][8] = {
    {"el", "los", "las", "del", "que", "por", "una", NULL},
    {"le", "les", "des", "une", "est", "dans", "qui", NULL},
    {"der", "die", "das", "und", "nicht", "mit", "ist", NULL},
    {"os", "as", "dos", "das", "uma", "n\xC3\xA3o", "com", NULL},
    {"il", "della", "degli", "sono", "che", "gli", "nel", NULL},
};

static int is_function_word(int lang, const char *w, size_t n)
{
    for (const char *const *f = FUNCTION_WORDS[lang]; *f; f++)
        if (strlen(*f) == n && memcmp(*f, w, n) == 0)
            return 1;
    return 0;
}

static size_t count_the(const char *s, size_t n, size_t limit)
{
    size_t k = 0;
    for (size_t i = 0; k < limit && i + 5 <= n; i++)
        if (memcmp(s + i, " the ", 5) == 0) {
            k++;
            i += 4;
        }
    return k;
}

static int is_word(const char *w, size_t n, const char *s) { return strlen(s) == n && memcmp(w, s, n) == 0; }

const char *cas_guess_language(const char *text, size_t len)
{
    size_t n = len < SAMPLE_BYTES ? len : SAMPLE_BYTES;
    if (count_the(text, n, 4) >= 4)
        return "en";
    int counts[N_LANGS] = {0}, best = -1, best_n = 0, en = 0;
    char w[64];
    for (size_t i = 0; i < n;) {
        if (!isalpha((unsigned char)text[i])) {
            i++;
            continue;
        }
        size_t j = i, k = 0;
        for (; j < n && isalpha((unsigned char)text[j]); j++)
            if (k < sizeof w)
                w[k++] = (char)tolower((unsigned char)text[j]);
        size_t wn = j - i;
        i = j;
        if (wn > sizeof w)
            continue; /* longer than any function word */
        en += is_word(w, wn, "the") || is_word(w, wn, "and") || is_word(w, wn, "of");
        for (int l = 0; l < N_LANGS; l++)
            if (is_function_word(l, w, wn) && ++counts[l] > best_n) {
                best = l;
                best_n = counts[l];
            }
    }
    return best >= 0 && best_n >= 6 && best_n > 2 * en ? LANGS[best] : "en";
}

/* ---- candidate sentences ---- */

/* Indexes (into a->sentences) of the sentences holding a cue or trigger
 * word; a hit is placed by token, as the sentences' token ranges say. */
static int candidates(size_t **out, size_t *n_out, const cas_art *a, const lede_sentence *const *sent)
{
    lede_lexicon_match *m;
    size_t n_m;
    *out = NULL;
    *n_out = 0;
    size_t n_tok;
    lede_doc_tokens(a->doc, &n_tok);
    if (lede_lexicon_find(&m, &n_m, a->lex->trigger_lx, a->doc, 0, n_tok) != LEDE_OK)
        return LEDE_ENOMEM;
    size_t *c = n_m ? malloc(n_m * sizeof *c) : NULL;
    if (n_m && c == NULL) {
        free(m);
        return LEDE_ENOMEM;
    }
    size_t k = 0, si = 0;
    for (size_t h = 0; h < n_m; h++) {
        while (si < a->n_sentences && sent[si]->first_token + sent[si]->n_tokens <= m[h].first)
            si++;
        if (si == a->n_sentences)
            break;
        if (sent[si]->first_token <= m[h].first && (k == 0 || c[k - 1] != si))
            c[k++] = si;
    }
    free(m);
    *out = c;
    *n_out = k;
    return LEDE_OK;
}

int cas_article(cas_figures *out, cas_art *a, const lede_sentence *const *sent, const lede_num_opts *opts)
{
    size_t *cand, n_cand;
    lede_num_scanner *numbers = NULL;
    int rc = candidates(&cand, &n_cand, a, sent);
    if (rc == LEDE_OK && n_cand)
        rc = lede_num_scanner_new(&numbers, opts);
    for (size_t c = 0; rc == LEDE_OK && c < n_cand; c++) {
        cas_toks *t;
        rc = cas_toks_read(&t, a, a->sentences[cand[c]], numbers);
        if (rc == LEDE_OK && t)
            rc = cas_find(out, t, a->lex, (int)cand[c] + 1, a);
    }
    lede_num_scanner_free(numbers);
    free(cand);
    if (rc == LEDE_OK && out->n)
        rc = cas_resolve(a, out->v, out->n);
    return rc;
}
