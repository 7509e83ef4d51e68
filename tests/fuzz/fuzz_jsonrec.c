/* Fuzz target: arbitrary bytes (made valid UTF-8 first, as ingest does) as
 * one JSON Lines record.  The record reader must agree with jansson on
 * everything: whether the line is an object, the error message when it is
 * not, each member's key, kind and text, and the compact JSON of all
 * members together. */
#include "jsonrec.h"
#include "lede.h"
#include "text.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_jsonrec: disagrees with jansson: %s\n", what);
        abort();
    }
}

static void check_member(const lede_jmember *m, const char *key, json_t *v)
{
    char num[32];
    require(strcmp(m->key, key) == 0, "key");
    switch (json_typeof(v)) {
    case JSON_STRING:
        require(m->kind == LEDE_JV_STRING && m->len == json_string_length(v) &&
                    memcmp(m->text, json_string_value(v), m->len) == 0,
                "string");
        break;
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        require(m->kind == LEDE_JV_INTEGER && strcmp(m->text, num) == 0, "integer");
        break;
    case JSON_REAL:
        snprintf(num, sizeof num, "%.17g", json_real_value(v));
        require(m->kind == LEDE_JV_REAL && strcmp(m->text, num) == 0, "real");
        break;
    case JSON_NULL: require(m->kind == LEDE_JV_NULL, "null"); break;
    default: require(m->kind == LEDE_JV_OTHER, "other"); break;
    }
}

static void compare(const char *line, size_t len)
{
    lede_jrecord *r = NULL;
    char err[512], want[512];
    int rc = lede_jrecord_parse(&r, line, len, err, sizeof err);
    json_error_t e;
    json_t *root = json_loadb(line, len, 0, &e);
    if (!root || !json_is_object(root)) {
        if (root)
            snprintf(want, sizeof want, "not a JSON object");
        else
            snprintf(want, sizeof want, "malformed JSON at column %d: %s", e.column, e.text);
        require(rc == LEDE_EPARSE && strcmp(err, want) == 0, "error");
        json_decref(root);
        return;
    }
    require(rc == LEDE_OK, "status");
    size_t n, i = 0;
    const lede_jmember *m = lede_jrecord_members(r, &n);
    require(n == json_object_size(root), "member count");
    const char *k;
    json_t *v;
    json_object_foreach(root, k, v) check_member(&m[i++], k, v);
    unsigned char *all = malloc(n + 1);
    memset(all, 1, n + 1);
    char *mine = NULL, *theirs = json_dumps(root, JSON_COMPACT);
    require(lede_jrecord_subset(&mine, r, all) == LEDE_OK, "subset status");
    require(n ? mine && strcmp(mine, theirs) == 0 : mine == NULL, "compact JSON");
    free(mine);
    free(theirs);
    free(all);
    json_decref(root);
    lede_jrecord_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *clean;
    size_t len, repairs, first_bad;
    if (lede_text_clean(&clean, &len, &repairs, &first_bad, (const char *)data, size) != LEDE_OK)
        return 0;
    compare(clean, len);
    free(clean);
    return 0;
}
