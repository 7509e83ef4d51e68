/* A Lua state that plugin code cannot escape: allow-listed libraries, a
 * memory cap enforced by the allocator, an instruction budget enforced by a
 * count hook that pcall cannot swallow (allocations count too), and
 * `require` confined to the lib/ folders of the plugin folders. */
#ifndef LEDE_SANDBOX_H
#define LEDE_SANDBOX_H

#include <lua.h>
#include <stddef.h>
#include <stdint.h>

/* Defaults: generous for real plugins, small enough that a runaway plugin
 * costs a fraction of a second and a fraction of the machine. */
#define LEDE_SANDBOX_MEMORY_DEFAULT ((size_t)512 << 20) /* bytes per Lua state */
#define LEDE_SANDBOX_BUDGET_DEFAULT 20000000ull        /* instructions per call */
#define LEDE_SANDBOX_BUDGET_PER_BYTE 500ull             /* plus this per byte of text */

/* Which limit stopped the last call. */
typedef enum lede_sandbox_trip {
    LEDE_TRIP_NONE = 0,
    LEDE_TRIP_BUDGET,
    LEDE_TRIP_MEMORY
} lede_sandbox_trip;

typedef struct lede_sandbox lede_sandbox;

/* Creates a sandboxed state with a cap of `memory_limit` bytes (0: the
 * default).  *out is owned by the caller and released with
 * lede_sandbox_free.  Returns LEDE_OK or LEDE_ENOMEM. */
int lede_sandbox_new(lede_sandbox **out, size_t memory_limit);
void lede_sandbox_free(lede_sandbox *sb);

/* The state; owned by the sandbox. */
lua_State *lede_sandbox_state(const lede_sandbox *sb);
/* The sandbox of a state (or of one of its coroutines). */
lede_sandbox *lede_sandbox_of(lua_State *L);

/* Adds `dir`/lib to the folders `require` searches (copied).  Returns
 * LEDE_OK or LEDE_ENOMEM. */
int lede_sandbox_add_plugin_dir(lede_sandbox *sb, const char *dir);

/* Starts a fresh budget of `instructions` for the next call into Lua and
 * clears the trip state.  Must be called before every call into plugin code. */
void lede_sandbox_arm(lede_sandbox *sb, uint64_t instructions);
/* What stopped the last call, if a limit did. */
lede_sandbox_trip lede_sandbox_tripped(const lede_sandbox *sb);
uint64_t lede_sandbox_budget(const lede_sandbox *sb);
size_t lede_sandbox_memory_used(const lede_sandbox *sb);
size_t lede_sandbox_memory_limit(const lede_sandbox *sb);

/* Loads `len` bytes of Lua source (text only: bytecode and the <close>
 * attribute are refused) named
 * `chunkname` ("@file" or "=name") and pushes the function, whose _ENV is a
 * fresh table reading through to the sandbox's globals.  On error pushes
 * the message instead.  Returns a Lua status (LUA_OK on success). */
int lede_sandbox_load(lua_State *L, const char *src, size_t len, const char *chunkname);

/* Registers `module` (the table on top of the stack, popped) as what
 * require(name) returns, before any file is searched. */
void lede_sandbox_preload(lua_State *L, const char *name);

/* Message handler for lua_pcall: turns the error into "message\nstack
 * traceback:\n...".  Push it with lua_pushcfunction. */
int lede_sandbox_msgh(lua_State *L);

#endif
