#include "data.h"

#include <string.h>

const char *lede_data_find(const char *name, size_t *len)
{
    for (const lede_data_file *f = lede_data_files; f->name; f++) {
        if (strcmp(f->name, name) == 0) {
            if (len)
                *len = f->len;
            return f->bytes;
        }
    }
    return NULL;
}
