/* Cleaning raw input: repair invalid UTF-8, normalise to NFC.
 *
 * Most news text is ASCII plus curly quotes and a few accented letters, all
 * of which NFC leaves alone.  So one pass validates the bytes and checks each
 * non-ASCII code point against a conservative NFC quick check; only text that
 * holds a code point NFC might change pays for utf8proc's full normalisation. */
#include "text.h"

#include "lede.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Length of the well-formed UTF-8 sequence at s (n > 0 bytes available) and
 * its code point; 0 when ill-formed, with *bad set to the length of the
 * maximal ill-formed subpart (Unicode 3.9, "U+FFFD substitution of maximal
 * subparts"), which is what one U+FFFD replaces. */
static size_t utf8_sequence(const uint8_t *s, size_t n, uint32_t *cp, size_t *bad)
{
    uint8_t b = s[0], lo = 0x80, hi = 0xBF;
    size_t need;
    uint32_t c;
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b < 0xC2 || b > 0xF4) { /* continuation, overlong lead, or beyond U+10FFFF */
        *bad = 1;
        return 0;
    }
    if (b < 0xE0) {
        need = 1;
        c = b & 0x1Fu;
    } else if (b < 0xF0) {
        need = 2;
        c = b & 0x0Fu;
        if (b == 0xE0)
            lo = 0xA0; /* overlong */
        else if (b == 0xED)
            hi = 0x9F; /* surrogates */
    } else {
        need = 3;
        c = b & 0x07u;
        if (b == 0xF0)
            lo = 0x90; /* overlong */
        else if (b == 0xF4)
            hi = 0x8F; /* beyond U+10FFFF */
    }
    for (size_t i = 1; i <= need; i++) {
        if (i >= n || s[i] < lo || s[i] > hi) {
            *bad = i;
            return 0;
        }
        c = (c << 6) | (s[i] & 0x3Fu);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = c;
    return need + 1;
}

/* Non-zero when `cp`, in any context, is left alone by NFC: a starter that
 * never composes with what precedes it and whose own decomposition (if any)
 * composes back to it.  Conservative: zero sends the text to utf8proc. */
static int nfc_stable_slow(uint32_t cp)
{
    if (cp >= 0x1100 && cp < 0x1200)
        return 0; /* conjoining jamo compose algorithmically */
    const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)cp);
    if (p->combining_class != 0)
        return 0;
    if (p->comb_index != UINT16_MAX && p->comb_index >= 0x8000)
        return 0; /* may be the second half of a composition */
    if (p->decomp_seqindex == UINT16_MAX || p->decomp_type != 0)
        return 1; /* no canonical decomposition */
    if (p->comp_exclusion)
        return 0;
    utf8proc_int32_t d[8];
    int boundclass = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char((utf8proc_int32_t)cp, d, 8, UTF8PROC_DECOMPOSE, &boundclass);
    if (n < 2 || n > 8)
        return 0; /* singleton decompositions change under NFC */
    const utf8proc_property_t *first = utf8proc_get_property(d[0]);
    if (first->comb_index != UINT16_MAX && first->comb_index >= 0x8000)
        return 0;
    n = utf8proc_normalize_utf32(d, n, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    return n == 1 && (uint32_t)d[0] == cp;
}

/* Quick check with a small per-call cache: a text repeats the same few
 * non-ASCII characters (quotes, dashes, accented letters). */
static int nfc_stable(uint32_t cp, uint32_t cache[64])
{
    uint32_t *slot = &cache[(cp ^ (cp >> 6)) & 63];
    if (*slot == cp)
        return 1;
    if (!nfc_stable_slow(cp))
        return 0;
    *slot = cp;
    return 1;
}

/* Index of the first byte >= 0x80 at or after i, or len. */
static size_t skip_ascii(const uint8_t *s, size_t i, size_t len)
{
    while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ull)
            break;
        i += 8;
    }
    while (i < len && s[i] < 0x80)
        i++;
    return i;
}

typedef struct scan_result {
    size_t repairs, first_bad, extra; /* extra: bytes the repaired text gains */
    int need_nfc;
} scan_result;

static void scan_input(scan_result *r, const uint8_t *s, size_t len)
{
    uint32_t cache[64] = {0}; /* 0 is ASCII, never looked up */
    memset(r, 0, sizeof *r);
    r->first_bad = SIZE_MAX;
    for (size_t i = skip_ascii(s, 0, len); i < len; i = skip_ascii(s, i, len)) {
        uint32_t cp;
        size_t bad = 0, n = utf8_sequence(s + i, len - i, &cp, &bad);
        if (n == 0) {
            if (r->repairs++ == 0)
                r->first_bad = i;
            r->extra += 3 - (bad < 3 ? bad : 3);
            i += bad;
            continue;
        }
        if (!r->need_nfc && !nfc_stable(cp, cache))
            r->need_nfc = 1;
        i += n;
    }
}

/* Copies s into out, replacing each maximal ill-formed subpart by U+FFFD. */
static size_t repair(char *out, const uint8_t *s, size_t len)
{
    size_t o = 0, i = 0;
    while (i < len) {
        size_t j = skip_ascii(s, i, len);
        memcpy(out + o, s + i, j - i);
        o += j - i;
        i = j;
        if (i >= len)
            break;
        uint32_t cp;
        size_t bad = 0, n = utf8_sequence(s + i, len - i, &cp, &bad);
        if (n) {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        } else {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i += bad;
        }
    }
    return o;
}

int lede_text_clean(char **out, size_t *out_len, size_t *repairs, size_t *first_bad,
                    const char *in, size_t len)
{
    const uint8_t *s = (const uint8_t *)in;
    scan_result r;
    *out = NULL;
    *out_len = 0;
    scan_input(&r, s, len);
    *repairs = r.repairs;
    *first_bad = r.first_bad;
    if (len > SIZE_MAX - 1 - r.extra)
        return LEDE_ENOMEM;
    char *buf = malloc(len + r.extra + 1);
    if (!buf)
        return LEDE_ENOMEM;
    size_t n = len;
    if (r.repairs)
        n = repair(buf, s, len);
    else if (len)
        memcpy(buf, in, len);
    buf[n] = '\0';
    if (r.need_nfc) {
        utf8proc_uint8_t *nfc = NULL;
        utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)buf, (utf8proc_ssize_t)n, &nfc,
                                          UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        free(buf);
        if (m < 0) /* the input is valid by now, so only memory can fail */
            return LEDE_ENOMEM;
        buf = (char *)nfc;
        n = (size_t)m;
    }
    *out = buf;
    *out_len = n;
    return LEDE_OK;
}

int lede_text_is_binary(const char *in, size_t len)
{
    size_t n = len < 8192 ? len : 8192, control = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = (uint8_t)in[i];
        if (b == 0)
            return 1;
        /* Tab, line breaks, form feed, vertical tab and escape occur in text. */
        if ((b < 0x20 && !(b >= '\t' && b <= '\r') && b != 0x1B) || b == 0x7F)
            control++;
    }
    return control * 10 > n; /* more than one byte in ten */
}

size_t lede_utf8_put(char out[4], unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

int lede_hex4(unsigned *out, const char *p)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v << 4 | (unsigned)d;
    }
    *out = v;
    return 0;
}

size_t lede_text_change_case(char *out, const char *s, size_t len, int upper)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0) { /* not UTF-8: the byte is kept */
            if (out)
                out[n] = s[i];
            n++;
            i++;
            continue;
        }
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t m = utf8proc_encode_char(upper ? utf8proc_toupper(cp) : utf8proc_tolower(cp), enc);
        if (out)
            memcpy(out + n, enc, (size_t)m);
        n += (size_t)m;
        i += (size_t)k;
    }
    return n;
}

int lede_text_fold(char **out, size_t *n, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (unsigned char)s[i] < 0x80)
        i++;
    if (i == len) { /* ASCII: no need for utf8proc */
        char *d = malloc(len + 1);
        if (d == NULL)
            return LEDE_ENOMEM;
        for (size_t k = 0; k < len; k++)
            d[k] = (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] + 32 : s[k]);
        d[len] = '\0';
        *out = d;
        *n = len;
        return LEDE_OK;
    }
    utf8proc_uint8_t *d = NULL;
    utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &d,
                                      (utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD));
    if (m < 0)
        return m == UTF8PROC_ERROR_NOMEM ? LEDE_ENOMEM : LEDE_EUTF8;
    *out = (char *)d;
    *n = (size_t)m;
    return LEDE_OK;
}
