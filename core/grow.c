/* Growable arrays: see grow.h. */
#include "grow.h"

#include "lede.h"

#include <stdint.h>
#include <stdlib.h>

int lede_grow(void **v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return LEDE_OK;
    size_t c = *cap ? *cap : 16;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return LEDE_ENOMEM;
        c *= 2;
    }
    if (c > SIZE_MAX / size)
        return LEDE_ENOMEM;
    void *p = realloc(*v, c * size);
    if (!p)
        return LEDE_ENOMEM;
    *v = p;
    *cap = c;
    return LEDE_OK;
}
