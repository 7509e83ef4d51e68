/* libFuzzer target: the number parser (lede_num_scan, lede_num_parse,
 * lede_num_tokens) on arbitrary bytes must not crash and must keep its
 * invariants: quantities inside the text, in order, without overlaps, the
 * number within its quantity, low <= high; tokens in order, inside the
 * text, a quantity token exactly its quantity.  A violation aborts.  The
 * first input byte picks the language and the decimal mark convention. */
#include "lede.h"
#include "numparse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why, size_t i)
{
    fprintf(stderr, "invariant broken: %s (item %zu)\n", why, i);
    abort();
}

static void check_quantities(const lede_quantity *q, size_t n, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        if (q[i].start >= q[i].end || q[i].end > len)
            fail("quantity outside the text or empty", i);
        if (q[i].num_start < q[i].start || q[i].num_end > q[i].end || q[i].num_start >= q[i].num_end)
            fail("number outside its quantity", i);
        if (i > 0 && q[i].start < q[i - 1].end)
            fail("quantities overlap or are out of order", i);
        if (q[i].low > q[i].high)
            fail("low above high", i);
        if (lede_num_qualifier_name(q[i].qualifier) == NULL)
            fail("unnamed qualifier", i);
        if (q[i].vague && lede_num_vague_name(q[i].vague) == NULL)
            fail("unnamed vague word", i);
    }
}

static void check_tokens(const char *text, size_t len, const lede_quantity *q, size_t n_q)
{
    lede_num_token *t;
    size_t n;
    if (lede_num_tokens(&t, &n, text, len, q, n_q) != LEDE_OK)
        return; /* out of memory */
    char buf[64];
    for (size_t i = 0; i < n; i++) {
        if (t[i].start >= t[i].end || t[i].end > len || (i > 0 && t[i].start < t[i - 1].end))
            fail("token outside the text, empty or out of order", i);
        if (t[i].kind == LEDE_NUM_TOK_QUANTITY &&
            (t[i].quantity >= n_q || q[t[i].quantity].start != t[i].start || q[t[i].quantity].end != t[i].end))
            fail("quantity token is not its quantity", i);
        if (t[i].kind == LEDE_NUM_TOK_WORD)
            (void)lede_num_fold(buf, sizeof buf, text, t[i].start, t[i].end);
    }
    free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const langs[] = {"en", "fr", "de", "es", "pt", "it", "nl"};
    lede_num_opts o = LEDE_NUM_OPTS_INIT;
    if (size > 0) {
        o.language = langs[data[0] % 7];
        o.decimal_comma = (int)(data[0] / 7 % 3) - 1;
    }
    const char *text = (const char *)data;
    lede_quantity *q;
    size_t n;
    if (lede_num_scan(&q, &n, text, size, &o) != LEDE_OK)
        return 0;
    check_quantities(q, n, size);
    check_tokens(text, size, q, n);
    free(q);
    lede_quantity one;
    size_t used = lede_num_parse(&one, text, size, &o);
    if (used > size || (used && (one.end > size || one.low > one.high)))
        fail("parse outside the text", 0);
    return 0;
}
