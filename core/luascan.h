/* lede.scan: byte scans of a text that Lua's patterns make slow (a pattern
 * unanchored over a whole article is tried at every byte).
 *
 *   lede.scan.suffixed(text, suffix) -> the capitalised words of text that
 *       end in `suffix` and come before a lower-case word: "Marovian" of
 *       "the Marovian police" for suffix "an".  A word is an ASCII capital
 *       not preceded by an ASCII letter, then at least one lower-case ASCII
 *       letter or byte of an accented Latin letter (0x80-0xBF, 0xC3-0xDF),
 *       then the suffix; spaces (ASCII, or the bytes of a no-break space)
 *       and a lower-case ASCII letter follow.  The longest such word wins.
 *       In text order, as string.gmatch(text,
 *       "%f[%a](%u[%l\128-\191\195-\223]+" .. suffix .. ")[ \194\160]+%l")
 *       finds them (suffix written as a literal).
 */
#ifndef LEDE_LUASCAN_H
#define LEDE_LUASCAN_H

#include <lua.h>

/* Sets field `scan` of the table on top of the stack (the lede module). */
void lede_luascan_open(lua_State *L);

#endif
