/* The `corpus` object plugins' corpus() functions receive (reference:
 * docs/plugins.md): articles, spans of a layer across the corpus, docs on
 * demand, corpus-level annotations and rows. */
#ifndef LEDE_LUACORPUS_H
#define LEDE_LUACORPUS_H

#include "vm.h"

#include <lua.h>

/* Registers the corpus metatable in L.  Called once per VM. */
void lede_luacorpus_open(lua_State *L);

/* Pushes a corpus handle reading vm->db. */
void lede_luacorpus_push(lua_State *L, lede_vm *vm);

/* Ends the corpus pass: handles refuse use, open statements are released. */
void lede_luacorpus_close(lua_State *L, lede_vm *vm);

#endif
