/* Names printed in the article, for the quote extractor: the full name a
 * surname stands for ("Markos" -> "Elan Markos"), and the name printed
 * after a role or an organisation word ("the governor" -> "Governor Elan
 * Markos").  Searched in the text around the word that needs them, and
 * remembered per article in the context's person table. */
#ifndef LEDE_QUOTENAME_H
#define LEDE_QUOTENAME_H

#include "quotectx.h"

#include <stdint.h>

/* Is token i's word (a capitalised surname) printed after a first name
 * somewhere in the article?  Records the full name when so. */
int qn_is_person(qctx *c, int i);

/* The full name recorded for surname `key` (folded), or NULL. */
const char *qn_person_of(const qctx *c, const char *key);

/* Records `name` (borrowed: arena memory) as the full name of surname
 * `key`, keeping the longest; an empty name records that there is none. */
void qn_add_person(qctx *c, const char *key, const char *name);

/* A name printed right after `role` in the article near byte pos, or NULL;
 * with org, an organisation's name ("of", "for" may join its words). */
const char *qn_name_after(qctx *c, const char *role, int org, uint32_t pos);

#endif
