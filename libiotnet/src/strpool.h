/* Interned strings and id → index hash maps, the model's O(1) lookups. */
#ifndef IOTNET_STRPOOL_H
#define IOTNET_STRPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** An interned string: 0 is "no string", others index the pool. */
typedef uint32_t iotnet__str;

/** Strings live in fixed blocks that never move, so borrowed pointers stay valid. */
typedef struct iotnet__strpool {
    const char **text;     /* by string id */
    uint32_t count, cap;   /* ids in use (id 0 reserved) */
    uint64_t *slots;       /* open addressing: a 16-bit hash tag << 48 | the string's
                              address; 0 = empty. Each string is stored after its id and hash,
                              so a lookup touches one slot and one string. */
    uint32_t nslots;       /* power of two */
    char *block;           /* current block */
    size_t block_used, block_size;
    char **blocks;         /* every block, for freeing */
    size_t nblocks, capblocks;
    size_t bytes;          /* bytes in blocks */
} iotnet__strpool;

void iotnet__strpool_free(iotnet__strpool *p);
/** Intern `s` into *out (NULL gives 0). @return 0 or IOTNET_ENOMEM (recorded) */
int iotnet__strpool_intern(iotnet__strpool *p, const char *s, iotnet__str *out);
/** As iotnet__strpool_intern; *created tells whether `s` was new, so callers
 *  can skip duplicate checks for ids never seen before. */
int iotnet__strpool_intern_new(iotnet__strpool *p, const char *s, iotnet__str *out, bool *created);
/** Make room for `extra` more strings without rehashing. */
int iotnet__strpool_reserve(iotnet__strpool *p, size_t extra);
/** The id of `s` if interned, else 0. O(1). */
iotnet__str iotnet__strpool_lookup(const iotnet__strpool *p, const char *s);
/** The text of an id (NULL for 0). */
static inline const char *iotnet__str_text(const iotnet__strpool *p, iotnet__str id)
{
    return id ? p->text[id] : NULL;
}
size_t iotnet__strpool_memory(const iotnet__strpool *p);

/** A map from string id to table index (linear probing, backward-shift delete). */
typedef struct iotnet__idmap {
    uint64_t *slots;  /* string id << 32 | value; 0 = empty (id 0 is never a key) */
    uint32_t nslots;  /* power of two or 0 */
    uint32_t count;
} iotnet__idmap;

void iotnet__idmap_free(iotnet__idmap *m);
/** Make room for `extra` more entries. */
int iotnet__idmap_reserve(iotnet__idmap *m, uint32_t extra);
/** Insert or replace. Call iotnet__idmap_reserve first. */
void iotnet__idmap_put(iotnet__idmap *m, iotnet__str key, uint32_t value);
/** The value for key, or UINT32_MAX. */
uint32_t iotnet__idmap_get(const iotnet__idmap *m, iotnet__str key);
void iotnet__idmap_remove(iotnet__idmap *m, iotnet__str key);
size_t iotnet__idmap_memory(const iotnet__idmap *m);

#endif
