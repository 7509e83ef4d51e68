/* libFuzzer target: lede_jsonpick_strings and lede_jsonpick_raws
 * (core/jsonpick.h) on arbitrary bytes must not crash, and wherever jansson
 * reads the input as a JSON object, must find the same members: the same
 * strings, and raw values of the type jansson reads (a string unescaping to
 * its value, a number strtod reads whole, a literal).  The keys are the
 * names a meta record has, and short ones random inputs hit.  A difference
 * aborts. */
#include "jsonpick.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const KEYS[] = {"dateline", "published", "event_date", "a", "b", ""};
#define N_KEYS (sizeof KEYS / sizeof *KEYS)

static void fail(const char *why, const char *key)
{
    fprintf(stderr, "jsonpick differs from jansson: %s (key '%s')\n", why, key);
    abort();
}

/* The string jansson gives for key (NULL: absent or not a string; embedded NULs: skip). */
static const char *expected(json_t *obj, const char *key, int *comparable)
{
    json_t *v = json_object_get(obj, key);
    *comparable = 1;
    if (!json_is_string(v))
        return NULL;
    *comparable = strlen(json_string_value(v)) == json_string_length(v);
    return json_string_value(v);
}

/* The raw value v must be what jansson read as `want` (NULL: absent). */
static void check_raw(json_t *want, lede_jsonpick_raw v, const char *key)
{
    if ((want == NULL) != (v.s == NULL))
        fail("a raw member found or missed", key);
    if (want == NULL)
        return;
    char *text = malloc(v.n + 1);
    if (text == NULL)
        abort();
    memcpy(text, v.s, v.n);
    text[v.n] = '\0';
    char *end = NULL;
    int ok;
    switch (json_typeof(want)) {
    case JSON_STRING: {
        long n = lede_jsonpick_unescape(text, v); /* room: v.n - 1 bytes, and text has v.n + 1 */
        size_t want_n = json_string_length(want);
        ok = n >= 0 && (strlen(json_string_value(want)) != want_n ||
                        ((size_t)n == want_n && memcmp(text, json_string_value(want), want_n) == 0));
        break;
    }
    case JSON_INTEGER:
    case JSON_REAL:
        strtod(text, &end);
        ok = v.n > 0 && end == text + v.n;
        break;
    case JSON_TRUE: ok = strcmp(text, "true") == 0; break;
    case JSON_FALSE: ok = strcmp(text, "false") == 0; break;
    case JSON_NULL: ok = strcmp(text, "null") == 0; break;
    case JSON_OBJECT: ok = text[0] == '{' && text[v.n - 1] == '}'; break;
    default: ok = text[0] == '[' && text[v.n - 1] == ']'; break;
    }
    free(text);
    if (!ok)
        fail("a raw value of another type or text", key);
}

/* The raw members: each string must unescape without overrunning its room. */
static void check_raws(const uint8_t *data, size_t size, json_t *obj)
{
    lede_jsonpick_raw raw[N_KEYS];
    int rc = lede_jsonpick_raws(raw, (const char *)data, size, KEYS, N_KEYS);
    if (json_is_object(obj) && rc != 0)
        fail("a valid object was rejected (raws)", "");
    for (size_t k = 0; k < N_KEYS; k++) {
        if (rc == 0 && raw[k].s && raw[k].s[0] == '"') {
            char *out = malloc(raw[k].n);
            if (out == NULL)
                abort();
            lede_jsonpick_unescape(out, raw[k]);
            free(out);
        }
        if (json_is_object(obj))
            check_raw(json_object_get(obj, KEYS[k]), raw[k], KEYS[k]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *values[N_KEYS];
    char *buf;
    int rc = lede_jsonpick_strings(values, &buf, (const char *)data, size, KEYS, N_KEYS);
    if (rc == -2)
        return 0;
    json_error_t err;
    json_t *obj = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
    if (json_is_object(obj)) {
        if (rc != 0)
            fail("a valid object was rejected", "");
        for (size_t k = 0; k < N_KEYS; k++) {
            int comparable;
            const char *want = expected(obj, KEYS[k], &comparable);
            if (!comparable)
                continue;
            if ((want == NULL) != (values[k] == NULL) || (want && strcmp(want, values[k]) != 0))
                fail("a different value", KEYS[k]);
        }
    }
    check_raws(data, size, obj);
    json_decref(obj);
    free(buf);
    return 0;
}
