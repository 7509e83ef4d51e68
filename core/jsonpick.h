/* Members of a JSON object read straight from its text, without building
 * the object: what a reader needing a few fields of a large record (the
 * metadata plugin's, with nested members) or of each of many records (the
 * casualty figures a corpus pass tracks) can afford. */
#ifndef LEDE_JSONPICK_H
#define LEDE_JSONPICK_H

#include <stddef.h>

#define LEDE_JSONPICK_MAX 8 /* keys one call looks for */

/* For each of the n_keys (at most LEDE_JSONPICK_MAX) names, the value of the top-level member of that
 * name in the JSON object json[0, len) when it is a string, unescaped into
 * a NUL-terminated copy: values[i] receives a pointer into *buf (malloc'd,
 * owned by the caller, free() it; NULL when no value was found), NULL for
 * a missing member or one of another type.  A repeated member: its last
 * value.  Returns 0, -1 when json is not a well-formed object or n_keys is
 * too large (values are then all NULL), or -2 when out of memory. */
int lede_jsonpick_strings(const char **values, char **buf, const char *json, size_t len, const char *const *keys,
                          size_t n_keys);

/* A member's value as it stands in the text: s[0, n) is a string with its
 * quotes, a number, true, false, null, an object or an array; s is NULL
 * for a member that is absent. */
typedef struct lede_jsonpick_raw {
    const char *s;
    size_t n;
} lede_jsonpick_raw;

/* For each of the n_keys names, the value of the top-level member of that
 * name in the JSON object json[0, len) as text (pointing into json), for
 * the caller to read numbers and booleans itself; a repeated member: its
 * last value.  Nothing is allocated.  Returns 0, or -1 when json is not a
 * well-formed object (values are then all absent).  Values are checked no
 * further than their extent: a number is whatever stands up to the next
 * comma or brace, a string's escapes are checked by unescaping it.  Keys
 * are found fastest given in the order the object has its members. */
int lede_jsonpick_raws(lede_jsonpick_raw *values, const char *json, size_t len, const char *const *keys,
                       size_t n_keys);

/* Unescapes the string value v (with its quotes, as lede_jsonpick_raws
 * gives it) into out, which has room for v.n - 1 bytes (no escape grows),
 * NUL-terminated.  Returns its length, or -1 when v is not a string or has
 * a bad escape. */
long lede_jsonpick_unescape(char *out, lede_jsonpick_raw v);

#endif
