/* libFuzzer target: the toll tracker (core/castrack.h) on figures whose
 * attrs are the input's lines, spread over four articles (two outlets
 * loosely the same, one article without a folder), the input itself
 * standing for every article's text.  Must not crash, and every toll and
 * series row written must be a JSON object jansson reads with the declared
 * fields in order.  A violation aborts. */
#include "castrack.h"
#include "lede.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The plugin's declared fields, and one the tracker does not know. */
static char *TOLL[] = {"series", "place", "category", "scope",  "seq",      "as_of", "count", "low",
                       "high",   "qualifier", "outlet", "previous", "change", "movement", "notes", "extra"};
static char *ROW[] = {"series", "place", "category", "scope", "points", "first_as_of", "last_as_of", "first",
                      "last",   "change", "trend",    "decreases", "conflicts", "repeats", "outlets"};
#define N_TOLL (sizeof TOLL / sizeof *TOLL)
#define N_ROW (sizeof ROW / sizeof *ROW)

typedef struct input {
    const char *text;
    size_t len;
} input;

static int text_of(void *ud, uint32_t article, const char **text, size_t *len)
{
    const input *in = ud;
    (void)article;
    *text = in->text;
    *len = in->len;
    return LEDE_OK;
}

static void fail(const char *why, const char *json)
{
    fprintf(stderr, "castrack: %s: %s\n", why, json);
    abort();
}

/* b must be an object with the n fields in order. */
static void check_json(const lede_jsonw *b, char *const *fields, size_t n)
{
    char *text = malloc(b->n + 1);
    if (text == NULL)
        abort();
    memcpy(text, b->p, b->n);
    text[b->n] = '\0';
    json_error_t err;
    json_t *obj = json_loadb(text, b->n, JSON_ALLOW_NUL, &err);
    if (!json_is_object(obj) || json_object_size(obj) != n)
        fail("not an object of the declared fields", text);
    const char *at = text;
    for (size_t i = 0; i < n; i++) {
        char key[64];
        snprintf(key, sizeof key, "\"%s\":", fields[i]);
        const char *k = strstr(at, key);
        if (k == NULL)
            fail("a field missing or out of order", text);
        at = k + strlen(key);
    }
    json_decref(obj);
    free(text);
}

/* The figures: one a line, for articles 0 to 3 in order, at spans spread
 * over the text in no order (some past its end).  Lines that are not
 * figures are refused, and the others go on. */
static int add_figures(cas_tracker *t, const char *s, size_t size)
{
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += s[i] == '\n';
    size_t line = 0;
    for (size_t i = 0; i <= size; line++) {
        const char *nl = memchr(s + i, '\n', size - i);
        size_t end = nl ? (size_t)(nl - s) : size;
        uint32_t start = (uint32_t)((line * 37) % (size + 8));
        if (cas_tracker_figure(t, (uint32_t)(line * 4 / lines), (int64_t)line, start, start + 3, s + i, end - i) ==
            LEDE_ENOMEM)
            return LEDE_ENOMEM;
        i = end + 1;
    }
    return LEDE_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const keys[] = {"wire/a", "wire/b", "solo", "/lead"};
    static const char *const outlets[] = {"The Daily Harbor", "daily harbor", "Meridian", "Ostbr\xC3\xBC" "cke"};
    cas_tracker *t;
    if (cas_tracker_new(&t, 0.1) != LEDE_OK)
        return 0;
    int rc = LEDE_OK;
    for (int a = 0; a < 4 && rc == LEDE_OK; a++)
        rc = cas_tracker_article(t, keys[a], outlets[a]);
    input in = {(const char *)data, size};
    if (rc == LEDE_OK)
        rc = add_figures(t, (const char *)data, size);
    if (rc == LEDE_OK)
        rc = cas_tracker_run(t, text_of, &in);
    if (rc == LEDE_OK && (cas_tracker_toll_fields(t, TOLL, N_TOLL) != LEDE_OK ||
                          cas_tracker_row_fields(t, ROW, N_ROW) != LEDE_OK))
        fail("the declared fields were refused", cas_tracker_error(t));
    lede_jsonw b = {NULL, 0, 0};
    for (size_t s = 0; rc == LEDE_OK && s < cas_tracker_n_series(t); s++)
        if (cas_tracker_row_json(t, s, &b) == 0)
            check_json(&b, ROW, N_ROW);
    for (size_t k = 0; rc == LEDE_OK && k < cas_tracker_n_tolls(t); k++)
        if (cas_tracker_toll_json(t, k, &b) == 0)
            check_json(&b, TOLL, N_TOLL);
    free(b.p);
    cas_tracker_free(t);
    return 0;
}
