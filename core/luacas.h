/* Lua binding of the casualties extractor (core/casualty.h) for the stock
 * plugin `casualties`: lede.casualties{lists} in setup(),
 * extractor:annotate(doc, layer, options) per article, and
 * extractor:track(corpus, options) in corpus() (core/castrack.h, bound in
 * luacastrack.c) (docs/casualties.md). */
#ifndef LEDE_LUACAS_H
#define LEDE_LUACAS_H

#include <lua.h>

/* lede.casualties(lists): a lua_CFunction returning an extractor. */
int lede_luacas_new(lua_State *L);

/* The metatable of an extractor. */
#define LEDE_LUACAS_MT "lede.casualties"

/* extractor:track(corpus, options): the tolls of every `figure` span
 * across the corpus, written as `toll` spans and `toll_series` rows of the
 * running plugin; options.tolerance as the plugin's.  Only in corpus(). */
int lede_luacas_track(lua_State *L);

#endif
