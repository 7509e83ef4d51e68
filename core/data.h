/* Data files compiled into the library (see cmake/embed.cmake). */
#ifndef LEDE_DATA_H
#define LEDE_DATA_H

#include <stddef.h>

typedef struct lede_data_file {
    const char *name; /* "abbrev/en.txt" */
    const char *bytes;
    size_t len;
} lede_data_file;

/* Terminated by an entry whose name is NULL.  Static, read-only. */
extern const lede_data_file lede_data_files[];

/* The embedded file `name`, or NULL.  *len receives its length. */
const char *lede_data_find(const char *name, size_t *len);

#endif
