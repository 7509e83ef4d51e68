/* Growable arrays: the one place that doubles a buffer's capacity, so every
 * array in lede grows the same overflow-checked way. */
#ifndef LEDE_GROW_H
#define LEDE_GROW_H

#include <stddef.h>

/* Makes the array *v (elements of `size` bytes, size > 0) hold at least
 * `need` elements: when *cap is smaller, reallocates *v to *cap doubled as
 * often as needed (from 16 when *cap is 0) and updates *cap.  *v is NULL or
 * from malloc/realloc and stays the caller's to free.  Returns LEDE_OK, or
 * LEDE_ENOMEM with *v and *cap unchanged. */
int lede_grow(void **v, size_t *cap, size_t need, size_t size);

#endif
