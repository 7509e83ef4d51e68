/* The tokenizer (rules in tokenize.h).  ASCII bytes go through a class table;
 * only non-ASCII code points are decoded and looked up in utf8proc. */
#include "tokenize.h"

#include "grow.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ASCII classes.  C0 controls and DEL count as space: they are not content. */
enum { A_SPACE = 1, A_UPPER = 2, A_LOWER = 4, A_DIGIT = 8, A_HIGH = 16, A_OTHER = 32 };
#define A_ALNUM (A_UPPER | A_LOWER | A_DIGIT)
#define A_LETTERS (A_UPPER | A_LOWER | A_OTHER)

#define S_ A_SPACE
#define U_ A_UPPER
#define L_ A_LOWER
#define D_ A_DIGIT
#define H_ A_HIGH
#define ROW_S S_, S_, S_, S_, S_, S_, S_, S_
#define ROW_H H_, H_, H_, H_, H_, H_, H_, H_
#define ROW_U U_, U_, U_, U_, U_, U_, U_, U_
#define ROW_L L_, L_, L_, L_, L_, L_, L_, L_
static const unsigned char aclass[256] = {
    ROW_S, ROW_S, ROW_S, ROW_S,
    S_, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,          /* space ! " # ... / */
    D_, D_, D_, D_, D_, D_, D_, D_, D_, D_, 0, 0, 0, 0, 0, 0, /* 0-9 : ; < = > ? */
    0, U_, U_, U_, U_, U_, U_, U_, ROW_U, ROW_U, U_, U_, U_, 0, 0, 0, 0, 0,
    0, L_, L_, L_, L_, L_, L_, L_, ROW_L, ROW_L, L_, L_, L_, 0, 0, 0, 0, S_,
    ROW_H, ROW_H, ROW_H, ROW_H, ROW_H, ROW_H, ROW_H, ROW_H,
    ROW_H, ROW_H, ROW_H, ROW_H, ROW_H, ROW_H, ROW_H, ROW_H,
};

/* Classes of non-ASCII code points. */
enum uclass {
    U_SYMBOL, U_UPPER, U_LOWER, U_LETTER, U_MARK, U_DIGIT, U_SPACE, U_FORMAT,
    U_PUNCT, U_OPEN, U_CLOSE, U_QUOTE, U_DASH, U_HYPHEN, U_ELLIPSIS
};

static enum uclass uclass(uint32_t cp)
{
    switch (cp) {
    case 0x00AB: case 0x00BB: case 0x2018: case 0x2019: case 0x201A: case 0x201B:
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2039: case 0x203A:
    case 0x300C: case 0x300D: case 0x300E: case 0x300F: case 0xFF02: case 0xFF07:
        return U_QUOTE;
    case 0x2010: case 0x2011:
        return U_HYPHEN;
    case 0x2026:
        return U_ELLIPSIS;
    case 0x200B: case 0x2060: case 0xFEFF: /* invisible separators */
        return U_SPACE;
    }
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT: return U_UPPER;
    case UTF8PROC_CATEGORY_LL: return U_LOWER;
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: return U_LETTER;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: return U_MARK;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: return U_DIGIT;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC: return U_SPACE;
    case UTF8PROC_CATEGORY_CF: return U_FORMAT;
    case UTF8PROC_CATEGORY_PD: return U_DASH;
    case UTF8PROC_CATEGORY_PS: return U_OPEN;
    case UTF8PROC_CATEGORY_PE: return U_CLOSE;
    case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF: return U_QUOTE;
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PO: return U_PUNCT;
    default: return U_SYMBOL;
    }
}

static int is_alnum_class(enum uclass u)
{
    return u == U_UPPER || u == U_LOWER || u == U_LETTER || u == U_MARK || u == U_DIGIT;
}

/* Decodes the code point at s[i] (i < end).  Lenient, so that text handed
 * over as valid but is not cannot cause an out-of-bounds read: a bad byte
 * reads as U+FFFD of length 1. */
static uint32_t decode(const unsigned char *s, size_t i, size_t end, size_t *len)
{
    unsigned b = s[i];
    uint32_t cp;
    if (b < 0x80) {
        *len = 1;
        return b;
    }
    if (b >= 0xC2 && b < 0xE0 && i + 1 < end && (s[i + 1] & 0xC0) == 0x80) {
        *len = 2;
        return ((b & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
    }
    if (b >= 0xE0 && b < 0xF0 && i + 2 < end && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
        cp = ((b & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
        if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
            *len = 3;
            return cp;
        }
    } else if (b >= 0xF0 && b < 0xF5 && i + 3 < end && (s[i + 1] & 0xC0) == 0x80 &&
               (s[i + 2] & 0xC0) == 0x80 && (s[i + 3] & 0xC0) == 0x80) {
        cp = ((b & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
        if (cp >= 0x10000 && cp <= 0x10FFFF) {
            *len = 4;
            return cp;
        }
    }
    *len = 1;
    return 0xFFFD;
}

size_t lede_space_len(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80)
        return (aclass[u[0]] & A_SPACE) ? 1 : 0;
    size_t len;
    enum uclass k = uclass(decode(u, 0, n, &len));
    return (k == U_SPACE || k == U_FORMAT) ? len : 0;
}

size_t lede_line_break_len(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return 0;
    if (u[0] == '\n')
        return 1;
    if (u[0] == '\r')
        return (n > 1 && u[1] == '\n') ? 2 : 1;
    if (u[0] == 0xC2 && n > 1 && u[1] == 0x85)
        return 2;
    if (u[0] == 0xE2 && n > 2 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9))
        return 3;
    return 0;
}

int lede_tokens_init(lede_tokens *t, const char *text, size_t len)
{
    memset(t, 0, sizeof *t);
    /* News prose averages a token per five or six bytes; huge texts grow
     * from a capped first guess instead. */
    size_t guess = len / 5 + 16, guess_max = (size_t)1 << 22;
    if (lede_grow((void **)&t->v, &t->cap, guess < guess_max ? guess : guess_max, sizeof *t->v) != LEDE_OK ||
        lede_grow((void **)&t->folds, &t->folds_cap, len + len / 16 + 64, 1) != LEDE_OK)
        return LEDE_ENOMEM;
    if (len)
        memcpy(t->folds, text, len);
    t->folds_len = len;
    return LEDE_OK;
}

void lede_tokens_release(lede_tokens *t)
{
    free(t->v);
    free(t->folds);
    memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------------------
 * The line being tokenized.
 * ------------------------------------------------------------------------ */

typedef struct cursor {
    const unsigned char *s;
    size_t end;                /* of the text: tokens stop at line breaks, which are spaces */
    const lede_abbrev *abbrev;
    lede_tokens *out;
    unsigned single_open;      /* single quotes opened and not yet closed */
    int space_before;          /* white space or line start precedes the next token */
    int prev_opening;          /* the previous token, adjacent, opens: ( [ “ or a dash */
    int prev_wordlike;         /* the previous token, adjacent, is a word or number */
} cursor;

static enum uclass class_at(const cursor *c, size_t i, size_t *len)
{
    size_t n;
    uint32_t cp = decode(c->s, i, c->end, &n);
    if (len)
        *len = n;
    return uclass(cp);
}

static int alnum_at(const cursor *c, size_t i)
{
    if (i >= c->end)
        return 0;
    if (c->s[i] < 0x80)
        return (aclass[c->s[i]] & A_ALNUM) != 0;
    return is_alnum_class(class_at(c, i, NULL));
}

static int letter_at(const cursor *c, size_t i)
{
    if (i >= c->end)
        return 0;
    if (c->s[i] < 0x80)
        return (aclass[c->s[i]] & (A_UPPER | A_LOWER)) != 0;
    enum uclass u = class_at(c, i, NULL);
    return u == U_UPPER || u == U_LOWER || u == U_LETTER;
}

static int ascii_digit_at(const cursor *c, size_t i)
{
    return i < c->end && (aclass[c->s[i]] & A_DIGIT);
}

static int digit_at(const cursor *c, size_t i)
{
    if (i >= c->end)
        return 0;
    if (c->s[i] < 0x80)
        return (aclass[c->s[i]] & A_DIGIT) != 0;
    return class_at(c, i, NULL) == U_DIGIT;
}

static int lower_ascii(int b)
{
    return (unsigned)(b - 'A') < 26u ? b + 32 : b;
}

/* Case-insensitive comparison of s[i..i+n) with the lower-case ASCII word w. */
static int ascii_ieq(const cursor *c, size_t i, size_t n, const char *w)
{
    if (strlen(w) != n)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (lower_ascii(c->s[i + k]) != w[k])
            return 0;
    return 1;
}

/* Appends the case fold of s[start..end) to the folds.  In words and numbers
 * ’ and ʼ fold to ', so "don’t" and "don't" fold alike. */
static int append_fold(lede_tokens *t, const unsigned char *s, size_t start, size_t end, int apostrophes,
                       lede_token *tok)
{
    size_t worst = 6 * (end - start) + 16; /* a 2-byte code point folds to at most 3 of 2 bytes */
    if (t->folds_len + worst > UINT32_MAX)
        return LEDE_ELIMIT;
    if (lede_grow((void **)&t->folds, &t->folds_cap, t->folds_len + worst, 1) != LEDE_OK)
        return LEDE_ENOMEM;
    size_t o = t->folds_len;
    for (size_t i = start; i < end;) {
        size_t n;
        uint32_t cp = decode(s, i, end, &n);
        i += n;
        if (cp < 0x80) {
            t->folds[o++] = (char)lower_ascii((int)cp);
            continue;
        }
        if (apostrophes && (cp == 0x2019 || cp == 0x02BC)) {
            t->folds[o++] = '\'';
            continue;
        }
        utf8proc_int32_t buf[4];
        int boundclass = 0;
        utf8proc_ssize_t m = utf8proc_decompose_char((utf8proc_int32_t)cp, buf, 4, UTF8PROC_CASEFOLD, &boundclass);
        if (m < 1 || m > 4) {
            buf[0] = (utf8proc_int32_t)cp;
            m = 1;
        }
        for (utf8proc_ssize_t k = 0; k < m; k++)
            o += (size_t)utf8proc_encode_char(buf[k], (utf8proc_uint8_t *)t->folds + o);
    }
    tok->fold = (uint32_t)t->folds_len;
    tok->fold_len = (uint16_t)(o - t->folds_len);
    t->folds_len = o;
    return LEDE_OK;
}

static unsigned high_flag(const cursor *c, size_t start, size_t end)
{
    for (size_t i = start; i < end; i++)
        if (c->s[i] >= 0x80)
            return LEDE_TF_NON_ASCII;
    return 0;
}

static int is_open_bracket(unsigned char b)
{
    return b == '(' || b == '[' || b == '{';
}

/* Appends a token.  `upper`: the token may hold ASCII capitals, which its
 * fold (the copy of the text in folds) must lower. */
static int emit(cursor *c, size_t start, size_t end, int kind, unsigned flags, int upper)
{
    lede_tokens *t = c->out;
    if (t->n == t->cap && lede_grow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v) != LEDE_OK)
        return LEDE_ENOMEM;
    /* Filled in place: a struct built on the stack and copied stalls on
     * store forwarding. */
    lede_token *tok = &t->v[t->n];
    tok->start = (uint32_t)start;
    tok->end = (uint32_t)end;
    tok->fold = (uint32_t)start;
    tok->fold_len = (uint16_t)(end - start);
    tok->flags = (uint16_t)(flags | (c->space_before ? LEDE_TF_SPACE_BEFORE : 0));
    tok->kind = (uint8_t)kind;
    tok->reserved[0] = tok->reserved[1] = tok->reserved[2] = 0;
    if (flags & LEDE_TF_NON_ASCII) {
        int rc = append_fold(t, c->s, start, end, kind == LEDE_TOK_WORD || kind == LEDE_TOK_NUMBER, tok);
        if (rc != LEDE_OK)
            return rc;
    } else if (upper) {
        for (size_t i = start; i < end; i++)
            t->folds[i] = (char)lower_ascii(c->s[i]);
    }
    t->n++;
    c->space_before = 0;
    c->prev_wordlike = kind == LEDE_TOK_WORD || kind == LEDE_TOK_NUMBER;
    c->prev_opening = kind == LEDE_TOK_OPEN_QUOTE || kind == LEDE_TOK_DASH ||
                      (kind == LEDE_TOK_PUNCT && (is_open_bracket(c->s[start]) ||
                                                  (c->s[start] >= 0x80 && class_at(c, start, NULL) == U_OPEN)));
    return LEDE_OK;
}

static size_t token_limit(const cursor *c, size_t start)
{
    return c->end - start > LEDE_TOKEN_MAX_BYTES ? start + LEDE_TOKEN_MAX_BYTES : c->end;
}

/* ------------------------------------------------------------------------
 * URLs, domains, e-mails.
 * ------------------------------------------------------------------------ */

static int is_label_byte(unsigned char b)
{
    return (aclass[b] & A_ALNUM) || b == '-';
}

/* Two-letter lower-case words that are also country domains, so that
 * "said.it" or "end.in" (a missing space) are not taken for domains. */
static int is_common_word(const unsigned char *w)
{
    static const char words[] = "am an as at be by do go he if in is it me my no of on or so to up us we ";
    for (const char *p = words; *p; p += 3)
        if (p[0] == w[0] && p[1] == w[1])
            return 1;
    return 0;
}

static int is_known_tld(const unsigned char *w, size_t n)
{
    static const char *const tlds[] = {"com", "org", "net", "gov", "edu", "mil", "int", "info", "biz", "name",
                                       "pro", "news", "online", "site", "web", "app", "dev", "tech", "media",
                                       "blog", "live", "world", "today", "press", "asia", "mobi", "museum", NULL};
    for (int i = 0; tlds[i]; i++)
        if (strlen(tlds[i]) == n && memcmp(tlds[i], w, n) == 0)
            return 1;
    return 0;
}

/* End of the domain name starting at i: labels joined by single periods,
 * at least two, the last of letters.  `strict` (bare domains in prose) also
 * wants a lower-case, known or two-letter top-level domain. */
static size_t domain_end(const cursor *c, size_t i, size_t lim, int strict)
{
    const unsigned char *s = c->s;
    size_t labels = 0, last = i, end = 0;
    for (;;) {
        size_t j = i;
        while (j < lim && is_label_byte(s[j]))
            j++;
        if (j == i || s[i] == '-' || s[j - 1] == '-')
            break;
        labels++;
        last = i;
        end = j;
        if (j + 1 >= lim || s[j] != '.' || !(aclass[s[j + 1]] & A_ALNUM))
            break;
        i = j + 1;
    }
    if (labels < 2)
        return 0;
    size_t n = end - last;
    for (size_t k = last; k < end; k++) {
        if (!(aclass[s[k]] & (strict ? A_LOWER : A_UPPER | A_LOWER)))
            return 0;
    }
    if (n < 2)
        return 0;
    if (strict && !(n == 2 ? !is_common_word(s + last) : is_known_tld(s + last, n)))
        return 0;
    return end;
}

static int is_url_stop(const cursor *c, size_t i)
{
    unsigned char b = c->s[i];
    if (b < 0x80)
        return (aclass[b] & A_SPACE) || strchr("<>\"`{}|\\^", b) != NULL;
    enum uclass u = class_at(c, i, NULL);
    return u == U_SPACE || u == U_QUOTE || u == U_FORMAT;
}

/* End of a URL whose characters run from i: stops at white space or a quote
 * and gives back trailing punctuation, and a closing bracket it did not open. */
static size_t url_end(const cursor *c, size_t i, size_t lim)
{
    const unsigned char *s = c->s;
    int parens = 0;
    size_t end = i;
    while (end < lim && !is_url_stop(c, end)) {
        size_t n = 1;
        if (s[end] >= 0x80)
            decode(s, end, lim, &n);
        if (end + n > lim)
            break;
        end += n;
    }
    for (size_t k = i; k < end; k++)
        parens += s[k] == '(' ? 1 : s[k] == ')' ? -1 : 0;
    while (end > i) {
        unsigned char b = s[end - 1];
        if (b == ')' && parens < 0)
            parens++;
        else if (!strchr(".,;:!?'*", b) && !(b == ']' || b == '}'))
            break;
        end--;
    }
    return end;
}

static int is_local_part_byte(unsigned char b)
{
    return (aclass[b] & A_ALNUM) || b == '.' || b == '_' || b == '%' || b == '+' || b == '-';
}

/* Bounds of what an address may hold (RFC 5321), which also bound the
 * look-ahead spent on text that is no address. */
#define EMAIL_LOCAL_MAX 64
#define DOMAIN_MAX 253

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* End of an e-mail address starting at `start`, or 0. */
static size_t email_end(const cursor *c, size_t start, size_t lim)
{
    const unsigned char *s = c->s;
    size_t i = start, local_lim = min_size(lim, start + EMAIL_LOCAL_MAX + 1);
    while (i < local_lim && is_local_part_byte(s[i]))
        i++;
    if (i == start || i >= local_lim || s[i] != '@' || s[start] == '.' || s[i - 1] == '.')
        return 0;
    return domain_end(c, i + 1, min_size(lim, i + 1 + DOMAIN_MAX), 0);
}

/* Can an initialism, e-mail address or domain start at `start`?  Not right
 * after a character they are made of: then the scan from the start of the
 * chain has already failed, and scanning again from every part of a long
 * chain ("ab.ab.ab...") would take quadratic time. */
static int starts_chain(const cursor *c, size_t start)
{
    return start == 0 || !(is_local_part_byte(c->s[start - 1]) || c->s[start - 1] == '@');
}

/* ------------------------------------------------------------------------
 * Words and numbers.
 * ------------------------------------------------------------------------ */

typedef struct word {
    size_t start, p, lim;
    unsigned acc;         /* A_* classes seen, A_HIGH for any non-ASCII byte */
    unsigned n_upper;     /* upper- or title-case letters */
    size_t group_start;   /* start of the current digit group */
    size_t abbrev_end;    /* end of a period that makes the token an abbreviation */
    size_t apos_first, apos_last, apos_last_len;
    unsigned n_apos;
    int seg_numeric;      /* the current hyphen-separated part has digits only */
    int numeric;          /* the token starts with a digit */
    int word_part;        /* a numeric token hyphenated to a part starting with a letter */
    int joined;           /* anything but letters and digits was joined in */
    int trailing_apos;    /* possessive apostrophe after a final s */
    unsigned flags;
} word;

/* Consumes letters, marks and digits (and invisible format characters
 * between them); returns the A_* classes of what it consumed. */
static unsigned word_run(const cursor *c, word *w)
{
    const unsigned char *s = c->s;
    size_t p = w->p;
    unsigned acc = 0, upper = 0;
    for (;;) {
        while (p < w->lim) {
            unsigned k = aclass[s[p]];
            if (!(k & A_ALNUM))
                break;
            acc |= k;
            upper += (k >> 1) & 1; /* A_UPPER */
            p++;
        }
        if (p >= w->lim || s[p] < 0x80)
            break;
        size_t n;
        enum uclass u = uclass(decode(s, p, c->end, &n));
        if (p + n > w->lim)
            break;
        if (u == U_UPPER) {
            acc |= A_UPPER;
            upper++;
        } else if (u == U_LOWER) {
            acc |= A_LOWER;
        } else if (u == U_LETTER || u == U_MARK) {
            acc |= A_OTHER;
        } else if (u == U_DIGIT) {
            acc |= A_DIGIT;
        } else if (!(u == U_FORMAT && alnum_at(c, p + n))) {
            break;
        }
        acc |= A_HIGH;
        p += n;
    }
    w->p = p;
    w->acc |= acc;
    w->n_upper += upper;
    return acc;
}

/* Joins a connector of n bytes at w->p to the token. */
static void join(word *w, size_t n, int non_ascii)
{
    w->p += n;
    w->joined = 1;
    if (non_ascii)
        w->acc |= A_HIGH;
}

#define INITIALISM_MAX_PARTS 8

/* Length of the initialism (U.S., e.g., Ph.D.) at start, or 0: two or more
 * parts of one or two letters, each followed by a period, at least one
 * part a single letter unless the list knows it (EE.UU.). */
static size_t initialism_end(const cursor *c, size_t start, size_t lim)
{
    size_t i = start, end = 0, parts = 0;
    int single = 0;
    while (i < lim && parts <= INITIALISM_MAX_PARTS) {
        size_t q = i, letters = 0;
        while (letters <= 2 && q < lim && letter_at(c, q)) {
            size_t n = 1;
            if (c->s[q] >= 0x80)
                decode(c->s, q, c->end, &n);
            q += n;
            letters++;
        }
        if (letters == 0 || letters > 2 || q >= lim || c->s[q] != '.')
            break;
        parts++;
        single |= letters == 1;
        i = end = q + 1;
    }
    if (parts < 2 || parts > INITIALISM_MAX_PARTS || alnum_at(c, end))
        return 0;
    if (!single && !(lede_abbrev_lookup(c->abbrev, (const char *)c->s + start, end - start) & LEDE_ABBR_KNOWN))
        return 0;
    return end;
}

/* Non-zero when the next non-space character after i on the line is a digit. */
static int digit_follows(const cursor *c, size_t i)
{
    while (i < c->end && !lede_line_break_len((const char *)c->s + i, c->end - i)) {
        size_t n = lede_space_len((const char *)c->s + i, c->end - i);
        if (!n)
            return digit_at(c, i);
        i += n;
    }
    return 0;
}

/* A period after a plain word: keeps it when the word is an initial or a
 * listed abbreviation. */
static void maybe_abbrev_period(const cursor *c, word *w)
{
    size_t p = w->p;
    if (p >= c->end || c->s[p] != '.' || w->joined || (w->acc & A_DIGIT) || w->n_apos ||
        (p + 1 < c->end && c->s[p + 1] == '.') || p + 1 - w->start > LEDE_TOKEN_MAX_BYTES)
        return;
    size_t n = 1; /* bytes of the first letter */
    int upper = c->s[w->start] < 0x80 ? (aclass[c->s[w->start]] & A_UPPER) != 0
                                      : class_at(c, w->start, &n) == U_UPPER;
    int initial = upper && w->start + n == p;
    const char *word_text = (const char *)c->s + w->start;
    unsigned tags = initial ? 0 : lede_abbrev_lookup_word(c->abbrev, word_text, p + 1 - w->start);
    if (!initial && !(tags & LEDE_ABBR_KNOWN))
        return;
    if ((tags & LEDE_ABBR_NUM) && !digit_follows(c, p + 1))
        return;
    w->p = w->abbrev_end = p + 1;
}

static int is_space_group_separator(uint32_t cp)
{
    return cp == 0x00A0 || cp == 0x2009 || cp == 0x202F;
}

/* After a no-break or thin space in a number: exactly three digits. */
static int digit_group_follows(const cursor *c, size_t i)
{
    return ascii_digit_at(c, i) && ascii_digit_at(c, i + 1) && ascii_digit_at(c, i + 2) && !alnum_at(c, i + 3);
}

/* Is s[0..n), lower-cased, one of the NULL-terminated lower-case words? */
static int lower_in(const unsigned char *s, size_t n, const char *const *words)
{
    for (int i = 0; words[i]; i++) {
        const char *w = words[i];
        size_t j = 0;
        while (j < n && w[j] && lower_ascii(s[j]) == w[j])
            j++;
        if (j == n && !w[j])
            return 1;
    }
    return 0;
}

static unsigned apostrophe_flags(const cursor *c, const word *w)
{
    /* 's after these stands for is, has or us, not a possessive. */
    static const char *const pronouns[] = {"it", "he", "she", "that", "there", "what", "who", "where", "here",
                                           "how", "let", "when", "why", "this", "everyone", "everybody",
                                           "nobody", "somebody", "someone", "something", "nothing", NULL};
    static const char *const suffixes[] = {"t", "re", "ve", "ll", "d", "m", NULL};
    static const char *const prefixes[] = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu",
                                           "puisqu", "quoiqu", "presqu", "dell", "dall", "nell", "sull",
                                           "all", "un", NULL};
    const unsigned char *s = c->s;
    if (w->trailing_apos)
        return LEDE_TF_POSSESSIVE;
    if (!w->n_apos)
        return 0;
    size_t suffix = w->apos_last + w->apos_last_len;
    size_t suffix_len = w->p - suffix;
    if (w->abbrev_end == w->p && suffix_len)
        suffix_len--;
    if (suffix_len == 1 && lower_ascii(s[suffix]) == 's')
        return lower_in(s + w->start, w->apos_last - w->start, pronouns) ? LEDE_TF_ELISION : LEDE_TF_POSSESSIVE;
    if (lower_in(s + suffix, suffix_len, suffixes) ||
        lower_in(s + w->start, w->apos_first - w->start, prefixes))
        return LEDE_TF_ELISION;
    return 0;
}

static int is_ordinal(const cursor *c, const word *w)
{
    const unsigned char *s = c->s;
    size_t n = w->p - w->start;
    if (n < 3 || !(aclass[s[w->p - 3]] & A_DIGIT))
        return 0;
    int a = lower_ascii(s[w->p - 2]), b = lower_ascii(s[w->p - 1]);
    if (!((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') || (a == 't' && b == 'h')))
        return 0;
    for (size_t i = w->start; i < w->p - 2; i++)
        if (aclass[s[i]] & A_LETTERS)
            return 0;
    return 1;
}

static int emit_word(cursor *c, const word *w)
{
    int kind = (w->numeric && !w->word_part) ? LEDE_TOK_NUMBER : LEDE_TOK_WORD;
    unsigned flags = w->flags | apostrophe_flags(c, w);
    if (w->acc & A_DIGIT)
        flags |= LEDE_TF_HAS_DIGIT;
    if (w->acc & A_HIGH)
        flags |= LEDE_TF_NON_ASCII;
    if (w->abbrev_end == w->p)
        flags |= LEDE_TF_ABBREV;
    if (w->n_upper >= 2 && !(w->acc & A_LOWER))
        flags |= LEDE_TF_ALL_CAPS;
    unsigned char b = c->s[w->start];
    if (b < 0x80 ? (aclass[b] & A_UPPER) != 0 : class_at(c, w->start, NULL) == U_UPPER)
        flags |= LEDE_TF_CAPITALISED;
    if (kind == LEDE_TOK_NUMBER && (w->acc & A_LETTERS) && is_ordinal(c, w))
        flags |= LEDE_TF_ORDINAL;
    return emit(c, w->start, w->p, kind, flags, (w->acc & A_UPPER) != 0);
}

/* What a character after a run of letters and digits does to the word. */
typedef enum step {
    STEP_END,  /* the word ends before it */
    STEP_JOIN, /* it was joined in: the word goes on */
    STEP_OTHER /* the word is really a URL or e-mail, ending at other->end */
} step;

typedef struct other_token {
    size_t end;
    int kind;
} other_token;

static step found(other_token *other, size_t end, int kind)
{
    other->end = end;
    other->kind = kind;
    return STEP_OTHER;
}

/* A period at w->p: a decimal point, an initialism, an e-mail address or a
 * domain, or the end of the word. */
static step period_in_word(const cursor *c, word *w, other_token *other)
{
    size_t p = w->p;
    if (w->seg_numeric && ascii_digit_at(c, p + 1)) {
        join(w, 1, 0);
        w->group_start = w->p;
        return STEP_JOIN;
    }
    if (!alnum_at(c, p + 1) || !starts_chain(c, w->start))
        return STEP_END;
    if (!w->joined && p - w->start <= 8 && !(w->acc & A_DIGIT)) {
        size_t e = initialism_end(c, w->start, w->lim);
        if (e) {
            while (w->p < e) { /* count the letters after the first period */
                w->p++;
                word_run(c, w);
            }
            w->abbrev_end = e;
            w->joined = 1;
            return STEP_JOIN;
        }
    }
    if (w->acc & A_HIGH || w->n_apos)
        return STEP_END;
    size_t e = email_end(c, w->start, w->lim);
    if (e)
        return found(other, e, LEDE_TOK_EMAIL);
    if (p - w->start == 3 && ascii_ieq(c, w->start, 3, "www"))
        return found(other, url_end(c, w->start, w->lim), LEDE_TOK_URL);
    e = domain_end(c, w->start, min_size(w->lim, w->start + DOMAIN_MAX), 1);
    if (!e)
        return STEP_END;
    if (e < w->lim && (c->s[e] == '/' || (c->s[e] == ':' && ascii_digit_at(c, e + 1))))
        e = url_end(c, e, w->lim);
    return found(other, e, LEDE_TOK_URL);
}

/* "http://", "https://", "ftp://" after the word at w->start..w->p. */
static size_t scheme_url_end(const cursor *c, const word *w)
{
    size_t n = w->p - w->start, p = w->p;
    if (!(ascii_ieq(c, w->start, n, "http") || ascii_ieq(c, w->start, n, "https") ||
          ascii_ieq(c, w->start, n, "ftp")))
        return 0;
    if (p + 3 >= w->lim || c->s[p + 1] != '/' || c->s[p + 2] != '/' || is_url_stop(c, p + 3))
        return 0;
    return url_end(c, w->start, w->lim);
}

static int is_apostrophe(uint32_t cp)
{
    return cp == '\'' || cp == 0x2019;
}

/* An apostrophe of n bytes at w->p: inside the word before a letter, or a
 * possessive after a final s when no single quote is open on the line. */
static step apostrophe_in_word(const cursor *c, word *w, size_t n)
{
    size_t p = w->p;
    if (letter_at(c, p + n)) {
        if (!w->n_apos++)
            w->apos_first = p;
        w->apos_last = p;
        w->apos_last_len = n;
        join(w, n, n > 1);
        return STEP_JOIN;
    }
    if (c->single_open == 0 && (w->acc & A_LETTERS) && (c->s[p - 1] | 0x20) == 's' && !alnum_at(c, p + n)) {
        join(w, n, n > 1);
        w->trailing_apos = 1;
    }
    return STEP_END;
}

/* A hyphen of n bytes at w->p between two alphanumerics. */
static step hyphen_in_word(const cursor *c, word *w, size_t n)
{
    if (!alnum_at(c, w->p + n))
        return STEP_END;
    if (w->numeric && letter_at(c, w->p + n))
        w->word_part = 1;
    w->flags |= LEDE_TF_HYPHENATED;
    join(w, n, n > 1);
    w->seg_numeric = 1;
    w->group_start = w->p;
    return STEP_JOIN;
}

/* A separator of n bytes at w->p inside a number: , : / before a digit, or
 * a no-break or thin space between groups of three digits. */
static step number_separator(const cursor *c, word *w, size_t n, int space)
{
    size_t group = w->p - w->group_start;
    if (!w->seg_numeric || (space ? !(w->numeric && group >= 1 && group <= 3 && digit_group_follows(c, w->p + n))
                                  : !ascii_digit_at(c, w->p + 1)))
        return STEP_END;
    join(w, n, space);
    w->group_start = w->p;
    return STEP_JOIN;
}

static step ascii_connector(const cursor *c, word *w, other_token *other)
{
    const unsigned char *s = c->s;
    size_t p = w->p, e;
    switch (s[p]) {
    case '.':
        return period_in_word(c, w, other);
    case ':':
        if ((e = scheme_url_end(c, w)) != 0)
            return found(other, e, LEDE_TOK_URL);
        return number_separator(c, w, 1, 0);
    case ',':
    case '/':
        return number_separator(c, w, 1, 0);
    case '-':
        return hyphen_in_word(c, w, 1);
    case '\'':
        return apostrophe_in_word(c, w, 1);
    case '&': /* AT&T, S&P */
        if (w->acc != A_UPPER || w->joined || p + 1 >= w->lim || !(aclass[s[p + 1]] & A_UPPER))
            return STEP_END;
        w->p++;
        return STEP_JOIN;
    case '%': /* kept by a number, then the number ends */
        if (w->seg_numeric && w->numeric)
            w->p++;
        return STEP_END;
    case '@':
    case '_':
    case '+':
        if (!(w->acc & A_HIGH) && !w->n_apos && starts_chain(c, w->start) &&
            (e = email_end(c, w->start, w->lim)) != 0)
            return found(other, e, LEDE_TOK_EMAIL);
        return STEP_END;
    default:
        return STEP_END;
    }
}

static step unicode_connector(const cursor *c, word *w)
{
    size_t n;
    uint32_t cp = decode(c->s, w->p, c->end, &n);
    if (w->p + n > w->lim)
        return STEP_END;
    if (cp == 0x2019)
        return apostrophe_in_word(c, w, n);
    if (cp == 0x2010 || cp == 0x2011)
        return hyphen_in_word(c, w, n);
    if (is_space_group_separator(cp))
        return number_separator(c, w, n, 1);
    return STEP_END;
}

/* Scans the word, number, URL or e-mail starting at `start` and emits it. */
static int scan_word(cursor *c, size_t start, size_t *next)
{
    word w;
    memset(&w, 0, sizeof w);
    w.start = w.p = w.group_start = start;
    w.lim = token_limit(c, start);
    w.abbrev_end = SIZE_MAX;
    w.numeric = digit_at(c, start);
    w.seg_numeric = 1;
    other_token other = {0, 0};
    step st = STEP_JOIN;
    while (st == STEP_JOIN) {
        if (word_run(c, &w) & A_LETTERS)
            w.seg_numeric = 0;
        if (w.p >= w.lim)
            break;
        st = c->s[w.p] < 0x80 ? ascii_connector(c, &w, &other) : unicode_connector(c, &w);
    }
    if (st == STEP_OTHER) {
        *next = other.end;
        return emit(c, start, other.end, other.kind, high_flag(c, start, other.end), 1);
    }
    maybe_abbrev_period(c, &w);
    *next = w.p;
    return emit_word(c, &w);
}

/* ------------------------------------------------------------------------
 * Quotes, punctuation, symbols.
 * ------------------------------------------------------------------------ */

static int is_single_quote(uint32_t cp)
{
    return cp == '\'' || cp == 0x2018 || cp == 0x2019 || cp == 0x201A || cp == 0x201B || cp == 0x2039 ||
           cp == 0x203A || cp == 0xFF07;
}

/* Direction a quote character has by itself: 1 open, -1 close, 0 none. */
static int quote_direction(uint32_t cp)
{
    switch (cp) {
    case 0x201C: case 0x2018: case 0x00AB: case 0x2039: case 0x201E: case 0x201A: case 0x201F: case 0x201B:
    case 0x300C: case 0x300E:
        return 1;
    case 0x201D: case 0x2019: case 0x00BB: case 0x203A: case 0x300D: case 0x300F:
        return -1;
    default:
        return 0;
    }
}

/* Closing context of a quote at i: what follows it ends a word. */
static int closing_context(const cursor *c, size_t i, int open_ctx)
{
    if (i >= c->end)
        return 1;
    unsigned char b = c->s[i];
    if (b < 0x80) {
        if (aclass[b] & A_SPACE)
            return 1;
        if (b == '.')
            return !(i + 1 < c->end && c->s[i + 1] == '.'); /* "...and" opens */
        if (b == '"' || b == '\'')
            return !open_ctx;
        return strchr(",;:!?)]}-", b) != NULL;
    }
    switch (class_at(c, i, NULL)) {
    case U_SPACE: case U_FORMAT: case U_CLOSE: case U_DASH: case U_HYPHEN: case U_PUNCT:
        return 1;
    case U_QUOTE:
        return !open_ctx;
    default:
        return 0;
    }
}

static int scan_quote(cursor *c, size_t p, size_t n, uint32_t cp, size_t *next)
{
    int open_ctx = c->space_before || c->prev_opening;
    int close_ctx = closing_context(c, p + n, open_ctx);
    int dir = open_ctx != close_ctx ? (open_ctx ? 1 : -1) : quote_direction(cp);
    int kind = dir > 0 ? LEDE_TOK_OPEN_QUOTE : dir < 0 ? LEDE_TOK_CLOSE_QUOTE : LEDE_TOK_AMBIG_QUOTE;
    if (is_single_quote(cp)) {
        if (kind == LEDE_TOK_OPEN_QUOTE)
            c->single_open++;
        else if (kind == LEDE_TOK_CLOSE_QUOTE && c->single_open)
            c->single_open--;
    }
    *next = p + n;
    return emit(c, p, p + n, kind, n > 1 ? LEDE_TF_NON_ASCII : 0, 0);
}

/* '90s, ’95: an apostrophe standing for a century, at the start of a word. */
static size_t elided_year_end(const cursor *c, size_t p, size_t n)
{
    size_t i = p + n;
    if (!(c->space_before || c->prev_opening) || !ascii_digit_at(c, i) || !ascii_digit_at(c, i + 1))
        return 0;
    i += 2;
    if (i < c->end && c->s[i] == 's')
        i++;
    return alnum_at(c, i) ? 0 : i;
}

static int scan_apostrophe(cursor *c, size_t p, size_t n, uint32_t cp, size_t *next)
{
    size_t e = elided_year_end(c, p, n);
    if (!e)
        return scan_quote(c, p, n, cp, next);
    *next = e;
    return emit(c, p, e, LEDE_TOK_NUMBER, LEDE_TF_ELISION | LEDE_TF_HAS_DIGIT | (n > 1 ? LEDE_TF_NON_ASCII : 0), 0);
}

static int is_dash_at(const cursor *c, size_t i, size_t *n)
{
    if (i >= c->end)
        return 0;
    if (c->s[i] == '-') {
        *n = 1;
        return 1;
    }
    if (c->s[i] < 0x80)
        return 0;
    enum uclass u = class_at(c, i, n);
    return u == U_DASH || u == U_HYPHEN;
}

static int scan_dash(cursor *c, size_t p, size_t *next)
{
    size_t lim = token_limit(c, p), e = p, n;
    unsigned flags = 0;
    while (e < lim && is_dash_at(c, e, &n) && e + n <= lim) {
        if (n > 1)
            flags = LEDE_TF_NON_ASCII;
        e += n;
    }
    *next = e;
    return emit(c, p, e, LEDE_TOK_DASH, flags, 0);
}

/* A symbol or punctuation code point keeps the marks, emoji modifiers and
 * zero-width-joined symbols after it (❤️, 👍🏽, 👨‍👩‍👧). */
static size_t symbol_end(const cursor *c, size_t e, size_t lim)
{
    while (e < lim && c->s[e] >= 0x80) {
        size_t n;
        uint32_t cp = decode(c->s, e, c->end, &n);
        enum uclass u = uclass(cp);
        if (u == U_MARK || (cp >= 0x1F3FB && cp <= 0x1F3FF)) {
            if (e + n > lim)
                break;
            e += n;
            continue;
        }
        size_t m;
        if (cp == 0x200D && e + n < lim && c->s[e + n] >= 0x80 && class_at(c, e + n, &m) == U_SYMBOL &&
            e + n + m <= lim) {
            e += n + m;
            continue;
        }
        break;
    }
    return e;
}

static int scan_symbol(cursor *c, size_t p, size_t n, int kind, size_t *next)
{
    size_t e = symbol_end(c, p + n, token_limit(c, p));
    *next = e;
    return emit(c, p, e, kind, high_flag(c, p, e), 0);
}

/* @name and #tag: a run of letters, digits, marks and _ after the sign. */
static size_t handle_end(const cursor *c, size_t p, int need_letter)
{
    size_t lim = token_limit(c, p), e = p + 1;
    int letter = 0;
    while (e < lim) {
        unsigned char b = c->s[e];
        if (b < 0x80) {
            if (!((aclass[b] & A_ALNUM) || b == '_'))
                break;
            letter |= (aclass[b] & (A_UPPER | A_LOWER)) != 0;
            e++;
            continue;
        }
        size_t n;
        enum uclass u = class_at(c, e, &n);
        if (!is_alnum_class(u) || e + n > lim)
            break;
        letter |= u != U_DIGIT;
        e += n;
    }
    if (e == p + 1 || (need_letter && !letter))
        return 0;
    return e;
}

static int scan_ascii_other(cursor *c, size_t p, size_t *next)
{
    unsigned char b = c->s[p];
    size_t e;
    switch (b) {
    case '.':
        e = p + 1;
        for (size_t lim = token_limit(c, p); e < lim && c->s[e] == '.';)
            e++;
        *next = e;
        return emit(c, p, e, LEDE_TOK_PUNCT, 0, 0);
    case ',': case ';': case ':': case '!': case '?': case '(': case ')': case '[': case ']': case '{': case '}':
        *next = p + 1;
        return emit(c, p, p + 1, LEDE_TOK_PUNCT, 0, 0);
    case '"':
        return scan_quote(c, p, 1, b, next);
    case '\'':
        return scan_apostrophe(c, p, 1, b, next);
    case '-':
        return scan_dash(c, p, next);
    case '@':
    case '#':
        e = (c->prev_wordlike && !c->space_before) ? 0 : handle_end(c, p, b == '#');
        if (e) {
            *next = e;
            return emit(c, p, e, b == '@' ? LEDE_TOK_MENTION : LEDE_TOK_HASHTAG, high_flag(c, p, e), 1);
        }
        break;
    }
    return scan_symbol(c, p, 1, LEDE_TOK_SYMBOL, next);
}

static int scan_non_ascii(cursor *c, size_t p, size_t *next)
{
    size_t n;
    uint32_t cp = decode(c->s, p, c->end, &n);
    switch (uclass(cp)) {
    case U_SPACE:
    case U_FORMAT:
        c->space_before = 1;
        *next = p + n;
        return LEDE_OK;
    case U_UPPER: case U_LOWER: case U_LETTER: case U_MARK: case U_DIGIT:
        return scan_word(c, p, next);
    case U_QUOTE:
        return is_apostrophe(cp) ? scan_apostrophe(c, p, n, cp, next) : scan_quote(c, p, n, cp, next);
    case U_DASH: case U_HYPHEN:
        return scan_dash(c, p, next);
    case U_ELLIPSIS: case U_PUNCT: case U_OPEN: case U_CLOSE:
        return scan_symbol(c, p, n, LEDE_TOK_PUNCT, next);
    default:
        return scan_symbol(c, p, n, LEDE_TOK_SYMBOL, next);
    }
}

/* Bytes that end a plain ASCII word for sure: no connector (. - ' & @ _ +
 * % / :) can follow, so the word needs none of scan_word's rules. */
static const unsigned char ends_plain_word[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1, [','] = 1, [';'] = 1,
    ['!'] = 1, ['?'] = 1, [')'] = 1, [']'] = 1, ['}'] = 1, ['"'] = 1};

/* The common case: ASCII letters (and digits after them) followed by white
 * space or plain punctuation.  Returns 1 and emits the word, or 0 when
 * scan_word must decide. */
static int plain_word(cursor *c, size_t p, size_t *next, int *rc)
{
    const unsigned char *s = c->s;
    size_t q = p, lim = token_limit(c, p);
    unsigned acc = 0, upper = 0;
    while (q < lim) {
        unsigned k = aclass[s[q]];
        if (!(k & A_ALNUM))
            break;
        acc |= k;
        upper += (k >> 1) & 1; /* A_UPPER */
        q++;
    }
    if (!(q < lim ? ends_plain_word[s[q]] : q == c->end) || (aclass[s[p]] & A_DIGIT))
        return 0;
    unsigned flags = (acc & A_DIGIT) ? LEDE_TF_HAS_DIGIT : 0;
    if (aclass[s[p]] & A_UPPER)
        flags |= LEDE_TF_CAPITALISED;
    if (upper >= 2 && !(acc & A_LOWER))
        flags |= LEDE_TF_ALL_CAPS;
    *next = q;
    *rc = emit(c, p, q, LEDE_TOK_WORD, flags, upper != 0);
    return 1;
}

static int is_line_break_cp(uint32_t cp)
{
    return cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}

int lede_tokenize_line(lede_tokens *t, const lede_tokenizer *tk, const char *text, size_t len, size_t start,
                       size_t *next)
{
    cursor c;
    memset(&c, 0, sizeof c);
    c.s = (const unsigned char *)text;
    c.end = len;
    c.abbrev = tk->abbrev;
    c.out = t;
    c.space_before = 1;
    size_t p = start;
    while (p < len) {
        unsigned char b = c.s[p];
        unsigned k = aclass[b];
        int rc = LEDE_OK;
        if (k & A_SPACE) {
            if (b == '\n' || b == '\r')
                break;
            c.space_before = 1;
            p++;
            continue;
        }
        if (k & A_ALNUM) {
            if (!plain_word(&c, p, &p, &rc))
                rc = scan_word(&c, p, &p);
        } else if (b < 0x80) {
            rc = scan_ascii_other(&c, p, &p);
        } else {
            size_t n;
            uint32_t cp = decode(c.s, p, len, &n);
            if (is_line_break_cp(cp))
                break;
            rc = scan_non_ascii(&c, p, &p);
        }
        if (rc != LEDE_OK)
            return rc;
    }
    *next = p + lede_line_break_len(text + p, len - p);
    return LEDE_OK;
}
