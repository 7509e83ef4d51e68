/* Blocks and the sentence splitter (rules in sentence.h). */
#include "sentence.h"

#include "grow.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define LONG_PROSE_WORDS 20

static uint32_t first_cp(const char *text, const lede_token *t)
{
    if ((unsigned char)text[t->start] < 0x80)
        return (unsigned char)text[t->start];
    utf8proc_int32_t cp = 0xFFFD;
    utf8proc_iterate((const utf8proc_uint8_t *)text + t->start, t->end - t->start, &cp);
    return cp < 0 ? 0xFFFD : (uint32_t)cp;
}

static int token_is(const char *text, const lede_token *t, const char *s)
{
    size_t n = strlen(s);
    return t->end - t->start == n && memcmp(text + t->start, s, n) == 0;
}

static int is_terminal_cp(uint32_t cp)
{
    switch (cp) {
    case '.': case '!': case '?':
    case 0x2026: /* … */
    case 0x3002: case 0xFF0E: case 0xFF01: case 0xFF1F: /* 。．！？ */
    case 0x061F: case 0x06D4: case 0x0964: /* Arabic ?, Urdu full stop, danda */
    case 0x203C: case 0x2047: case 0x2048: case 0x2049: /* ‼ ⁇ ⁈ ⁉ */
        return 1;
    default:
        return 0;
    }
}

static inline int is_terminal(const char *text, const lede_token *t)
{
    return t->kind == LEDE_TOK_PUNCT && is_terminal_cp(first_cp(text, t));
}

static int is_bracket(const char *text, const lede_token *t, int open)
{
    if (t->kind != LEDE_TOK_PUNCT)
        return 0;
    uint32_t cp = first_cp(text, t);
    if (cp < 0x80)
        return open ? (cp == '(' || cp == '[' || cp == '{') : (cp == ')' || cp == ']' || cp == '}');
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
    return cat == (open ? UTF8PROC_CATEGORY_PS : UTF8PROC_CATEGORY_PE);
}

/* A token after sentence punctuation that still belongs to the sentence. */
static int is_closer(const char *text, const lede_token *tok, size_t j, size_t n)
{
    const lede_token *t = &tok[j];
    int spaced = (t->flags & LEDE_TF_SPACE_BEFORE) != 0;
    if (t->kind == LEDE_TOK_CLOSE_QUOTE)
        return 1;
    if (t->kind == LEDE_TOK_AMBIG_QUOTE)
        return !spaced || j + 1 == n;
    return !spaced && is_bracket(text, t, 0);
}

static int is_lower_initial(const char *text, const lede_token *t)
{
    uint32_t cp = first_cp(text, t);
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z';
    return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LL;
}

/* Can tok[j] open a sentence after sentence punctuation? */
static int opens_sentence(const char *text, const lede_token *tok, size_t j, size_t n)
{
    const lede_token *t = &tok[j];
    switch (t->kind) {
    case LEDE_TOK_WORD:
        return !is_lower_initial(text, t);
    case LEDE_TOK_NUMBER:
        return 1;
    case LEDE_TOK_OPEN_QUOTE:
    case LEDE_TOK_AMBIG_QUOTE:
        return !(j + 1 < n && tok[j + 1].kind == LEDE_TOK_WORD && is_lower_initial(text, &tok[j + 1]));
    case LEDE_TOK_PUNCT:
        if (is_bracket(text, t, 1))
            return !(j + 1 < n && tok[j + 1].kind == LEDE_TOK_WORD && is_lower_initial(text, &tok[j + 1]));
        return first_cp(text, t) == 0xBF || first_cp(text, t) == 0xA1; /* ¿ ¡ */
    case LEDE_TOK_CLOSE_QUOTE:
        return 0;
    default: /* dash, symbol, URL, e-mail, hashtag, mention */
        return (t->flags & LEDE_TF_SPACE_BEFORE) != 0;
    }
}

/* Does a sentence end after the abbreviation tok[i], before tok[j]? */
static int ends_after_abbrev(const lede_abbrev *ab, const char *text, const lede_token *tok, size_t i, size_t j,
                             size_t n)
{
    const lede_token *a = &tok[i];
    unsigned tags = lede_abbrev_lookup_word(ab, text + a->start, a->end - a->start);
    if (tags & (LEDE_ABBR_TITLE | LEDE_ABBR_NUM))
        return 0;
    size_t len;
    utf8proc_int32_t cp;
    len = (size_t)utf8proc_iterate((const utf8proc_uint8_t *)text + a->start, a->end - a->start, &cp);
    if (len + 1 == a->end - a->start)
        return 0; /* a single initial */
    const lede_token *t = &tok[j];
    if (t->kind == LEDE_TOK_WORD)
        return (lede_abbrev_lookup(ab, text + t->start, t->end - t->start) & LEDE_ABBR_STARTER) != 0;
    return t->kind == LEDE_TOK_OPEN_QUOTE && j + 1 < n && tok[j + 1].kind == LEDE_TOK_WORD &&
           (tok[j + 1].flags & LEDE_TF_CAPITALISED);
}

static int add_sentence(lede_analysis *a, lede_token *tok, size_t first, size_t last, uint32_t block)
{
    if (lede_grow((void **)&a->sentences, &a->cap_sentences, a->n_sentences + 1, sizeof *a->sentences) !=
        LEDE_OK)
        return LEDE_ENOMEM;
    lede_sentence *s = &a->sentences[a->n_sentences++];
    s->start = tok[first].start;
    s->end = tok[last - 1].end;
    s->block = block;
    s->first_token = (uint32_t)(&tok[first] - a->tokens.v);
    s->n_tokens = (uint32_t)(last - first);
    tok[first].flags |= LEDE_TF_SENT_START;
    return LEDE_OK;
}

/* Splits the n tokens of one block into sentences, from `body` on (list
 * markers before it never end a sentence). */
static int split_sentences(lede_analysis *a, const lede_abbrev *ab, const char *text, lede_token *tok, size_t n,
                           size_t body, uint32_t block)
{
    size_t first = 0;
    for (size_t i = body; i < n; i++) {
        int terminal = is_terminal(text, &tok[i]);
        if (!terminal && !(tok[i].flags & LEDE_TF_ABBREV))
            continue;
        size_t j = i + 1;
        int absorbed = 0;
        while (j < n && (is_terminal(text, &tok[j]) || is_closer(text, tok, j, n))) {
            absorbed = 1;
            j++;
        }
        if (j >= n)
            break;
        int ends = (terminal || absorbed) ? opens_sentence(text, tok, j, n)
                                          : ends_after_abbrev(ab, text, tok, i, j, n);
        if (ends) {
            if (add_sentence(a, tok, first, j, block) != LEDE_OK)
                return LEDE_ENOMEM;
            first = j;
        }
        i = j - 1;
    }
    return add_sentence(a, tok, first, n, block);
}

static int is_bullet(const char *text, const lede_token *t)
{
    unsigned char b = (unsigned char)text[t->start];
    if (t->end - t->start > 3 || !(b == '-' || b == '*' || b == '+' || b == 0xC2 || b == 0xE2))
        return 0;
    static const char *const bullets[] = {"-", "*", "+", "\u2022", "\u00B7", "\u2023", "\u25E6", "\u25AA",
                                          "\u25A0", "\u25CF", "\u25CB", "\u25BA", "\u25B6", "\u2043", "\u2013",
                                          NULL};
    for (int i = 0; bullets[i]; i++)
        if (token_is(text, t, bullets[i]))
            return 1;
    return 0;
}

/* A number of one to three digits or a single ASCII letter: "1" "12" "a". */
static int is_enumerator(const char *text, const lede_token *t)
{
    size_t n = t->end - t->start;
    const char *s = text + t->start;
    if (t->kind == LEDE_TOK_WORD)
        return n == 1 && ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z');
    if (t->kind != LEDE_TOK_NUMBER || n > 3)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Number of tokens of a list marker opening the block, or 0. */
static size_t list_marker(const char *text, const lede_token *tok, size_t n)
{
    if (n >= 2 && is_bullet(text, &tok[0]) && (tok[1].flags & LEDE_TF_SPACE_BEFORE))
        return 1;
    if (n >= 3 && is_enumerator(text, &tok[0]) && !(tok[1].flags & LEDE_TF_SPACE_BEFORE) &&
        (token_is(text, &tok[1], ".") || token_is(text, &tok[1], ")")) && (tok[2].flags & LEDE_TF_SPACE_BEFORE) &&
        (tok[0].kind == LEDE_TOK_NUMBER || token_is(text, &tok[1], ")")))
        return 2;
    if (n >= 4 && token_is(text, &tok[0], "(") && is_enumerator(text, &tok[1]) && token_is(text, &tok[2], ")") &&
        (tok[3].flags & LEDE_TF_SPACE_BEFORE))
        return 3;
    return 0;
}

static lede_block_kind block_kind(const char *text, const lede_token *tok, size_t n, size_t *body)
{
    *body = list_marker(text, tok, n);
    if (*body)
        return LEDE_BLOCK_LIST_ITEM;
    size_t last = n;
    while (last > 0 && is_closer(text, tok, last - 1, n))
        last--;
    if (last > 0 && (is_terminal(text, &tok[last - 1]) || (tok[last - 1].flags & LEDE_TF_ABBREV)))
        return LEDE_BLOCK_PARAGRAPH;
    size_t words = 0;
    for (size_t i = 0; i < n; i++)
        words += tok[i].kind == LEDE_TOK_WORD;
    return words >= LONG_PROSE_WORDS ? LEDE_BLOCK_PARAGRAPH : LEDE_BLOCK_LINE;
}

static int add_block(lede_analysis *a, const lede_tokenizer *tk, const char *text, size_t first)
{
    if (lede_grow((void **)&a->blocks, &a->cap_blocks, a->n_blocks + 1, sizeof *a->blocks) != LEDE_OK)
        return LEDE_ENOMEM;
    lede_token *tok = a->tokens.v + first;
    size_t n = a->tokens.n - first, body;
    lede_block *b = &a->blocks[a->n_blocks];
    b->start = tok[0].start;
    b->end = tok[n - 1].end;
    b->kind = block_kind(text, tok, n, &body);
    b->first_sentence = (uint32_t)a->n_sentences;
    tok[0].flags |= LEDE_TF_BLOCK_START;
    int rc = split_sentences(a, tk->abbrev, text, tok, n, body, (uint32_t)a->n_blocks);
    b->n_sentences = (uint32_t)(a->n_sentences - b->first_sentence);
    a->n_blocks++;
    return rc;
}

int lede_analysis_run(lede_analysis *a, const lede_tokenizer *tk, const char *text, size_t len)
{
    memset(a, 0, sizeof *a);
    if (len >= UINT32_MAX)
        return LEDE_ELIMIT;
    int rc = lede_tokens_init(&a->tokens, text, len);
    if (rc != LEDE_OK)
        return rc;
    size_t pos = 0;
    while (pos < len) {
        size_t next, first = a->tokens.n;
        rc = lede_tokenize_line(&a->tokens, tk, text, len, pos, &next);
        if (rc == LEDE_OK && a->tokens.n > first)
            rc = add_block(a, tk, text, first);
        if (rc != LEDE_OK)
            return rc;
        pos = next;
    }
    return LEDE_OK;
}

void lede_analysis_release(lede_analysis *a)
{
    lede_tokens_release(&a->tokens);
    free(a->blocks);
    free(a->sentences);
    memset(a, 0, sizeof *a);
}
