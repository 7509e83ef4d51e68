/* One record of a JSON Lines file as the list of its top-level members.
 *
 * Article records are flat objects of strings and integers (key, title,
 * text...): those are read here in one pass over the line, several times
 * faster than building a jansson tree.  Any other line (reals, arrays,
 * nested objects, duplicate keys, escaped keys, errors) goes through
 * jansson, so results and error messages are the same either way. */
#ifndef LEDE_JSONREC_H
#define LEDE_JSONREC_H

#include <stddef.h>

typedef enum lede_jv_kind {
    LEDE_JV_STRING,
    LEDE_JV_INTEGER,
    LEDE_JV_REAL,
    LEDE_JV_NULL,
    LEDE_JV_OTHER /* booleans, arrays, objects */
} lede_jv_kind;

typedef struct lede_jmember {
    const char *key;  /* NUL-terminated */
    lede_jv_kind kind;
    const char *text; /* a string's value, or a number as text; NULL otherwise */
    size_t len;       /* bytes of text */
} lede_jmember;

typedef struct lede_jrecord lede_jrecord;

/* Reads the JSON object of line[0, len), which must be valid UTF-8.
 * Returns LEDE_OK with *out (owned by the caller: lede_jrecord_free),
 * LEDE_EPARSE with a message in err ("malformed JSON at column 7: ...",
 * "not a JSON object"), or LEDE_ENOMEM. */
int lede_jrecord_parse(lede_jrecord **out, const char *line, size_t len, char *err, size_t err_cap);

/* The members in line order; owned by the record. */
const lede_jmember *lede_jrecord_members(const lede_jrecord *r, size_t *n);

/* The members whose `keep` flag is set, as one compact JSON object in line
 * order (jansson's JSON_COMPACT form); *out NULL when none is kept, else
 * malloc'd and owned by the caller.  Returns LEDE_OK or LEDE_ENOMEM. */
int lede_jrecord_subset(char **out, const lede_jrecord *r, const unsigned char *keep);

void lede_jrecord_free(lede_jrecord *r);

#endif
