/* lede.num: the number parser of numparse.h for plugins.
 *
 *   lede.num.scan(text [, opts [, i [, j]]]) -> list of quantities in text
 *       (bytes i..j only, 1-based inclusive; offsets stay those of text)
 *   lede.num.tokens(text [, opts [, i [, j]]]) -> the words, quantities and
 *       punctuation of bytes i..j as columns, or nil when no quantity there
 *       can count people (percentages, money, ordinals, times, decimals,
 *       "five-year-old" compounds cannot): {n, nq (countable quantities), w
 *       (lower-case word, the character, or "#" for a quantity), s, e
 *       (1-based, inclusive), k ("w", "n", "p", "d" for stray digits), q
 *       (quantity at a countable quantity's index, else nil), qi (the
 *       indices of the countable quantities, in order)}
 *   lede.num.parse(s [, opts])                -> the quantity s starts with, or nil
 *   lede.num.vague_range(name)               -> low, high of a vague word, or nil
 *   lede.num.F                               -> flag bits: words, decimal, scaled,
 *       range, vague, percent, currency, ordinal, compound, year, time,
 *       attached, from, slashed, huge
 *
 * opts: {language = "es", decimal_comma = true|false}.  A quantity is a
 * table {start, stop, num_start, num_stop (1-based, inclusive), value (nil
 * for ranges and vague quantities), low, high, real, qualifier ("exact",
 * "more_than", ...), vague (nil or "dozens", ...), flags}. */
#ifndef LEDE_LUANUM_H
#define LEDE_LUANUM_H

#include <lua.h>

/* Sets field `num` of the table on top of the stack (the lede module). */
void lede_luanum_open(lua_State *L);

#endif
