/* Text cleaning: UTF-8 repair, NFC normalisation (including a sweep that
 * checks the NFC fast path against utf8proc for every code point of the
 * assigned planes), and binary detection. */
#include "check.h"
#include "lede.h"
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

typedef struct rcase {
    const char *in;
    size_t in_len;
    const char *want;
    size_t want_len;
    size_t repairs;
    size_t first_bad;
} rcase;

#define NONE SIZE_MAX
#define R(in, want, repairs, first) {in, sizeof in - 1, want, sizeof want - 1, repairs, first}
#define FFFD "\xEF\xBF\xBD"

static const rcase repairs[] = {
    R("plain ASCII", "plain ASCII", 0, NONE),
    R("", "", 0, NONE),
    R("caf\xC3\xA9 \xE2\x80\x9Cok\xE2\x80\x9D", "caf\xC3\xA9 \xE2\x80\x9Cok\xE2\x80\x9D", 0, NONE),
    R("\xF0\x9F\x98\x80 emoji", "\xF0\x9F\x98\x80 emoji", 0, NONE),
    R("\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF", 0, NONE), /* U+10FFFF is valid */
    R("\xEF\xBF\xBD", FFFD, 0, NONE),                     /* a real U+FFFD is no repair */
    R("a\0b", "a\0b", 0, NONE),                           /* NUL is valid UTF-8 */
    /* Truncated sequences */
    R("a\xC3", "a" FFFD, 1, 1),
    R("\xE2\x82", FFFD, 1, 0),
    R("\xE2\x82 x", FFFD " x", 1, 0),
    R("\xF0\x9F\x98x", FFFD "x", 1, 0),
    R("\xF0\x9F", FFFD, 1, 0),
    R("ok\xE2\x80", "ok" FFFD, 1, 2),
    /* Stray continuation bytes */
    R("\x80", FFFD, 1, 0),
    R("a\x80\x80" "b", "a" FFFD FFFD "b", 2, 1),
    R("\xBF", FFFD, 1, 0),
    /* Overlong encodings */
    R("\xC0\xAF", FFFD FFFD, 2, 0),
    R("\xC1\xBF", FFFD FFFD, 2, 0),
    R("\xE0\x80\xAF", FFFD FFFD FFFD, 3, 0),
    R("\xE0\x9F\xBF", FFFD FFFD FFFD, 3, 0),
    R("\xF0\x80\x80\xAF", FFFD FFFD FFFD FFFD, 4, 0),
    R("\xF0\x8F\xBF\xBF", FFFD FFFD FFFD FFFD, 4, 0),
    /* Surrogates */
    R("\xED\xA0\x80", FFFD FFFD FFFD, 3, 0),
    R("x\xED\xBF\xBF", "x" FFFD FFFD FFFD, 3, 1),
    R("\xED\x9F\xBF", "\xED\x9F\xBF", 0, NONE), /* U+D7FF is valid */
    /* Beyond U+10FFFF and bytes never valid */
    R("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD, 4, 0),
    R("\xF5\x80\x80\x80", FFFD FFFD FFFD FFFD, 4, 0),
    R("\xF8\x88\x80\x80\x80", FFFD FFFD FFFD FFFD FFFD, 5, 0),
    R("\xFE\xFF", FFFD FFFD, 2, 0),
    /* Mixed: Latin-1 bytes in UTF-8 text */
    R("Caf\xE9 ok", "Caf" FFFD " ok", 1, 3),
    R("na\xEFve \xE9t\xE9", "na" FFFD "ve " FFFD "t" FFFD, 3, 2),
    R("\xC3\xA9\xE9", "\xC3\xA9" FFFD, 1, 2),
    /* Repair then NFC: the mark after a repaired byte still composes with e */
    R("e\xCC\x81\xFF", "\xC3\xA9" FFFD, 1, 3),
    /* NFC */
    R("e\xCC\x81", "\xC3\xA9", 0, NONE),                 /* e + U+0301 -> é */
    R("A\xCC\x8A", "\xC3\x85", 0, NONE),                 /* A + U+030A -> Å */
    R("\xE2\x84\xAB", "\xC3\x85", 0, NONE),              /* U+212B ANGSTROM SIGN -> Å */
    R("\xE1\x84\x80\xE1\x85\xA1", "\xEA\xB0\x80", 0, NONE), /* jamo -> U+AC00 */
    R("a\0e\xCC\x81", "a\0\xC3\xA9", 0, NONE),           /* NUL does not end normalisation */
    R("\xCD\x84", "\xCC\x88\xCC\x81", 0, NONE),          /* U+0344 is excluded from composition */
    R("\xE0\xA5\x98", "\xE0\xA4\x95\xE0\xA4\xBC", 0, NONE), /* U+0958 likewise */
    R("caf\xC3\xA9", "caf\xC3\xA9", 0, NONE),             /* already NFC */
};

static void test_repairs(void)
{
    for (size_t i = 0; i < sizeof repairs / sizeof repairs[0]; i++) {
        const rcase *c = &repairs[i];
        char *out;
        size_t out_len, n, first;
        if (!CHECK_INT(lede_text_clean(&out, &out_len, &n, &first, c->in, c->in_len), LEDE_OK))
            continue;
        int ok = CHECK_INT(out_len, c->want_len) && CHECK(memcmp(out, c->want, out_len) == 0);
        ok &= CHECK(out[out_len] == '\0');
        ok &= CHECK_INT(n, c->repairs);
        ok &= CHECK_INT(first, c->first_bad);
        if (!ok)
            fprintf(stderr, "  case %zu\n", i);
        free(out);
    }
}

/* lede_text_clean(s) must equal utf8proc's NFC of s. */
static int same_as_utf8proc(const char *s, size_t n)
{
    char *out;
    size_t out_len, rep, first;
    if (lede_text_clean(&out, &out_len, &rep, &first, s, n) != LEDE_OK)
        return 0;
    utf8proc_uint8_t *want = NULL;
    utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &want,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    int ok = m >= 0 && (size_t)m == out_len && memcmp(out, want, out_len) == 0 && rep == 0;
    free(out);
    free(want);
    return ok;
}

/* The fast path skips normalisation when it believes the text is NFC: check
 * that belief for every code point alone, after a starter, and as its own
 * canonical decomposition (which NFC must recompose). */
static void test_nfc_sweep(void)
{
    size_t failures = 0, tested = 0;
    for (utf8proc_int32_t cp = 0x80; cp < 0xE0200 && failures < 10; cp++) {
        if (cp == 0x32000)
            cp = 0xE0000; /* planes 4 to 13 are unassigned */
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char buf[64];
        size_t n = 0;
        buf[n++] = 'x';
        n += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)buf + n);
        buf[n++] = 'y';
        int ok = same_as_utf8proc(buf, n) && same_as_utf8proc(buf + 1, n - 2);
        utf8proc_int32_t d[8];
        int boundclass = 0;
        utf8proc_ssize_t k = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, &boundclass);
        if (k >= 2 && k <= 8) {
            n = 0;
            for (utf8proc_ssize_t j = 0; j < k; j++)
                n += (size_t)utf8proc_encode_char(d[j], (utf8proc_uint8_t *)buf + n);
            ok &= same_as_utf8proc(buf, n);
        }
        tested++;
        if (!ok) {
            failures++;
            fprintf(stderr, "  NFC fast path differs from utf8proc at U+%04X\n", (unsigned)cp);
        }
    }
    CHECK_INT(failures, 0);
    printf("NFC sweep: %zu code points\n", tested);
}

/* For string literals, which may hold NUL bytes. */
#define BINARY(lit) lede_text_is_binary(lit, sizeof lit - 1)

static void test_binary(void)
{
    CHECK(!BINARY(""));
    CHECK(!BINARY("hello world\n"));
    CHECK(!BINARY("tab\tcr\r\nff\f vt\v"));
    CHECK(!BINARY("\x1b[1mbold\x1b[0m text"));
    CHECK(!BINARY("caf\xC3\xA9 \xE2\x80\x9C"));
    CHECK(!BINARY("Caf\xE9")); /* Latin-1 is text to repair */
    CHECK(BINARY("hel\0lo"));
    CHECK(BINARY("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"));
    CHECK(BINARY("\x01\x02\x03\x04 abc"));
    CHECK(BINARY("\x7f\x7f\x7f abcdefg"));
    /* One control byte in long text is noise, not binary. */
    char text[1000];
    memset(text, 'a', sizeof text);
    text[500] = '\x01';
    CHECK(!lede_text_is_binary(text, sizeof text));
    /* Only the first 8 KiB are looked at. */
    size_t big = 20000;
    char *s = malloc(big);
    if (CHECK(s != NULL)) {
        memset(s, 'a', big);
        s[big - 1] = '\0';
        CHECK(!lede_text_is_binary(s, big));
        s[100] = '\0';
        CHECK(lede_text_is_binary(s, big));
        free(s);
    }
}

/* lede_doc_analyze counts the repairs it made and stores NFC text. */
static void test_doc(void)
{
    lede_tokenizer *tk;
    if (!CHECK_INT(lede_tokenizer_new(&tk, "en"), LEDE_OK))
        return;
    lede_doc *doc;
    const char in[] = "Caf\xE9 e\xCC\x81t\xE9.";
    if (CHECK_INT(lede_doc_analyze(&doc, tk, in, sizeof in - 1), LEDE_OK)) {
        size_t len;
        CHECK_INT(lede_doc_repairs(doc), 2);
        CHECK_STR(lede_doc_text(doc, &len), "Caf" FFFD " \xC3\xA9t" FFFD ".");
        CHECK_INT(len, strlen("Caf" FFFD " \xC3\xA9t" FFFD "."));
        lede_doc_free(doc);
    }
    lede_tokenizer_free(tk);
}

int main(void)
{
    test_repairs();
    test_binary();
    test_doc();
    test_nfc_sweep();
    return check_report("test_text");
}
