/* The `doc` object plugins receive (reference: docs/plugins.md). */
#ifndef LEDE_LUADOC_H
#define LEDE_LUADOC_H

#include "vm.h"

#include <lua.h>

/* Registers the doc metatable in L.  Called once per VM. */
void lede_luadoc_open(lua_State *L);

/* Pushes a doc handle on the VM's open article, for the current plugin. */
void lede_luadoc_push(lua_State *L, lede_vm *vm);

/* The analysed document behind the doc handle at `idx`; raises a Lua error
 * when it is not a doc or its article is finished. */
lede_doc *lede_luadoc_check(lua_State *L, int idx);

/* Pushes a new array of the spans of `layer` on the open article as tables
 * {start, stop, <fields>} (1-based, inclusive), ordered by start.  Spans come
 * from the plugin that wrote them on this article in this pass, else from the
 * database. */
void lede_luadoc_push_spans(lua_State *L, lede_vm *vm, const char *layer);

/* The first span of `layer` on the open article in the order
 * lede_luadoc_push_spans gives, or NULL when there is none; found as that
 * function finds them.  Pushes one value that owns the span (keep it on
 * the stack while using the span). */
const lede_span *lede_luadoc_first_span(lua_State *L, lede_vm *vm, const char *layer);
/* Which of the doc's sentences and blocks are content, as doc:sentences()
 * and doc:blocks() see them: sets *sentences and *blocks to keep[] arrays
 * (one byte per unit) owned by one pushed userdata, or pushes nil and sets
 * them NULL when every unit is content (no boilerplate layer, or the
 * current plugin writes it).  The boilerplate spans are read once. */
void lede_luadoc_content_masks(lua_State *L, lede_vm *vm, const lede_doc *doc, const unsigned char **sentences,
                               const unsigned char **blocks);
/* Validates a span of `art` written by the current plugin and appends it to
 * `out`.  Raises Lua errors naming what is wrong. */
void lede_luadoc_annotate(lua_State *L, lede_vm *vm, lede_article *art, int layer_arg, lede_spans *out);

#endif
