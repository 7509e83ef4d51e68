/* The floor baseline: a table-driven whitespace/punctuation splitter. */
#include "floor.h"

enum { SP = 0, WD = 1, PU = 2 }; /* space, word byte, punctuation */

static const unsigned char floor_class[256] = {
    SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, /* 0x00 controls */
    SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, SP, /* 0x10 */
    SP, PU, PU, PU, PU, PU, PU, PU, PU, PU, PU, PU, PU, PU, PU, PU, /* 0x20  !"#...  */
    WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, PU, PU, PU, PU, PU, PU, /* 0x30 0-9 :;<=>? */
    PU, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, /* 0x40 @A-O */
    WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, PU, PU, PU, PU, PU, /* 0x50 P-Z [\]^_ */
    PU, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, /* 0x60 `a-o */
    WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, PU, PU, PU, PU, SP, /* 0x70 p-z {|}~ DEL */
    WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, /* 0x80.. UTF-8 */
    WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD,
    WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD,
    WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD,
    WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD,
    WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD,
    WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD,
    WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD, WD,
};

size_t floor_split(floor_span *spans, const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t count = 0, i = 0;
    while (i < n) {
        unsigned cls = floor_class[s[i]];
        if (cls == SP) {
            i++;
            continue;
        }
        size_t start = i++;
        if (cls == WD)
            while (i < n && floor_class[s[i]] == WD)
                i++;
        spans[count].start = (uint32_t)start;
        spans[count].end = (uint32_t)i;
        count++;
    }
    return count;
}
