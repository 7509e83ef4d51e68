/* Lua binding of the quote extractor (core/quote.h) for the stock plugin
 * `quotes`: lede.quoter{lists} in setup(), quoter:annotate(doc, layer,
 * skip) per article, quoter:speakers(corpus, layer) in the corpus pass
 * (docs/quotes.md). */
#ifndef LEDE_LUAQUOTE_H
#define LEDE_LUAQUOTE_H

#include <lua.h>

/* lede.quoter(lists): a lua_CFunction returning a quoter. */
int lede_luaquote_new(lua_State *L);

#endif
