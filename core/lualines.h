/* lede.lines, lede.line_key and lede.wordset: the line scanner of lines.h
 * for plugins.
 *
 *   lede.line_key(s)         -> the key of s: case-folded, unaccented, digit
 *                              runs "0", words joined by one space
 *   lede.wordset(entries)    -> a set of words and phrases in key form.
 *       `entries` is a string (one entry per line; blank lines and lines
 *       starting with # are skipped) or a table (list items are entries;
 *       string keys are entries whose value is the table's value).
 *       ws:get(s) -> the value of the entry key(s) (true when it has none),
 *       or nil; ws:has(s) -> boolean; ws:find(s [, anchored]) -> value and
 *       entry of the leftmost-longest entry found in key(s) at word
 *       boundaries (at its start only when anchored), or nil; #ws.
 *   lede.lines(text [, opts]) -> the non-empty lines of text as columns:
 *       n; start, stop (1-based, inclusive, trimmed of ASCII space); gap (true
 *       when a blank line or the start of the text comes before); words;
 *       caps (words starting with a capital); numbers (words starting with a
 *       digit); stops (words that are entries of opts.stopwords); seps (menu
 *       separators | · • › » and spaced / >); symbols (other symbols: © ® °
 *       ™, pictographs); term (true when the line ends a sentence).  gap,
 *       term, caps, numbers, seps and symbols are nil rather than false or 0; dup (for a line that repeats an earlier one
 *       byte for byte, the number of the first, else nil); key
 *       (key of the line's first opts.key_bytes bytes, default 200; 0 for no
 *       keys; "" for the lines of more than opts.long_words words, when
 *       that option is > 0); and one column per entry of
 *       opts.find = { name = wordset }: the value of the leftmost-longest
 *       entry found in the key, else (with opts.tail_bytes > 0) in the key
 *       of the last tail_bytes bytes of the lines longer than key_bytes or
 *       long_words that end no sentence (a photo credit, a notice); nil
 *       when none; of opts.prefix = { name = wordset }
 *       (the same, at the start of the key only); and of opts.exact =
 *       { name = wordset } (the value of the entry equal to the key of the
 *       whole line); hits (the number of those columns set, nil for none).
 */
#ifndef LEDE_LUALINES_H
#define LEDE_LUALINES_H

#include <lua.h>

/* Adds lines, line_key and wordset to the table on top of the stack (the
 * lede module). */
void lede_lualines_add(lua_State *L);

#endif
