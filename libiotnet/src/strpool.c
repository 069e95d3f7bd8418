/* Interned strings and id maps. */
#include "strpool.h"
#include "error_internal.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (256 * 1024)

static uint32_t hash_text(const char *s)
{
    /* FNV-1a: short ids, good enough spread, no allocation */
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static uint32_t mix(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

#define TAG_SHIFT 48
#define ADDR_MASK ((UINT64_C(1) << TAG_SHIFT) - 1)

/* A slot's tag: the hash's top bits, never 0 so a full slot is never 0. */
static uint64_t slot_tag(uint32_t h)
{
    return (uint64_t)((h >> 16) | 1) << TAG_SHIFT;
}

static const char *slot_text(uint64_t slot)
{
    return (const char *)(uintptr_t)(slot & ADDR_MASK);
}

/* Each stored string is preceded by its id and its hash: [id][hash][text\0]. */
#define HEADER_SIZE (2 * sizeof(uint32_t))

static uint32_t slot_id(uint64_t slot)
{
    uint32_t id;
    memcpy(&id, slot_text(slot) - HEADER_SIZE, sizeof id);
    return id;
}

static uint32_t stored_hash(const char *text)
{
    uint32_t h;
    memcpy(&h, text - sizeof h, sizeof h);
    return h;
}

void iotnet__strpool_free(iotnet__strpool *p)
{
    for (size_t i = 0; i < p->nblocks; i++)
        free(p->blocks[i]);
    free(p->blocks);
    free(p->text);
    free(p->slots);
    memset(p, 0, sizeof *p);
}

static void slot_insert(uint64_t *slots, uint32_t nslots, uint32_t h, uint64_t slot)
{
    uint32_t i = h & (nslots - 1);
    while (slots[i])
        i = (i + 1) & (nslots - 1);
    slots[i] = slot;
}

static int pool_rehash(iotnet__strpool *p, uint32_t nslots)
{
    uint64_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory growing the string table");
    /* strings sit in id order in their blocks: this walk reads memory in sequence */
    for (uint32_t id = 1; id < p->count; id++) {
        uint32_t h = stored_hash(p->text[id]);
        slot_insert(slots, nslots, h, slot_tag(h) | (uintptr_t)p->text[id]);
    }
    free(p->slots);
    p->slots = slots;
    p->nslots = nslots;
    return 0;
}

static int pool_grow_ids(iotnet__strpool *p)
{
    uint32_t cap = p->cap ? p->cap * 2 : 1024;
    const char **text = realloc(p->text, (size_t)cap * sizeof *text);
    if (!text)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory growing the string table");
    p->text = text;
    if (p->count == 0) {
        p->text[0] = NULL;
        p->count = 1;
    }
    p->cap = cap;
    return 0;
}

/* Store the header then the string in the current block; blocks never move. */
static char *pool_store(iotnet__strpool *p, uint32_t id, uint32_t h, const char *s, size_t len)
{
    size_t need = HEADER_SIZE + len + 1;
    if (!p->block || p->block_used + need > p->block_size) {
        size_t size = need > BLOCK_SIZE ? need : BLOCK_SIZE;
        if (p->nblocks == p->capblocks) {
            size_t cap = p->capblocks ? p->capblocks * 2 : 16;
            char **blocks = realloc(p->blocks, cap * sizeof *blocks);
            if (!blocks)
                return NULL;
            p->blocks = blocks;
            p->capblocks = cap;
        }
        char *block = malloc(size);
        if (!block)
            return NULL;
        p->blocks[p->nblocks++] = block;
        p->block = block;
        p->block_size = size;
        p->block_used = 0;
        p->bytes += size;
    }
    char *dst = p->block + p->block_used;
    memcpy(dst, &id, sizeof id);
    memcpy(dst + sizeof id, &h, sizeof h);
    memcpy(dst + HEADER_SIZE, s, len + 1);
    p->block_used += need;
    return dst + HEADER_SIZE;
}

int iotnet__strpool_reserve(iotnet__strpool *p, size_t extra)
{
    uint64_t want = (uint64_t)p->count + extra + 1;
    if (want >= UINT32_MAX / 2)
        return iotnet__error_set(IOTNET_ENOMEM, "too many strings (%llu)", (unsigned long long)want);
    int error;
    while (p->cap < want)
        if ((error = pool_grow_ids(p)))
            return error;
    uint32_t nslots = p->nslots ? p->nslots : 2048;
    while ((uint64_t)nslots < want * 2)
        nslots *= 2;
    return nslots > p->nslots ? pool_rehash(p, nslots) : 0;
}

/* The slot holding `s`, or the empty slot where it would go. */
static uint32_t probe(const iotnet__strpool *p, const char *s, uint32_t h, bool *found)
{
    uint64_t tag = slot_tag(h);
    for (uint32_t i = h & (p->nslots - 1);; i = (i + 1) & (p->nslots - 1)) {
        uint64_t slot = p->slots[i];
        *found = slot != 0;
        if (!slot || ((slot & ~ADDR_MASK) == tag && strcmp(slot_text(slot), s) == 0))
            return i;
    }
}

iotnet__str iotnet__strpool_lookup(const iotnet__strpool *p, const char *s)
{
    if (!s || !p->nslots)
        return 0;
    bool found;
    uint32_t i = probe(p, s, hash_text(s), &found);
    return found ? slot_id(p->slots[i]) : 0;
}

int iotnet__strpool_intern_new(iotnet__strpool *p, const char *s, iotnet__str *out, bool *created)
{
    *out = 0;
    *created = false;
    if (!s)
        return 0;
    int error;
    if ((uint64_t)(p->count + 1) * 2 > p->nslots &&
        (error = pool_rehash(p, p->nslots ? p->nslots * 2 : 2048)))
        return error;
    uint32_t h = hash_text(s);
    bool found;
    uint32_t i = probe(p, s, h, &found);
    if (found) {
        *out = slot_id(p->slots[i]);
        return 0;
    }
    if (p->count + 1 >= p->cap && (error = pool_grow_ids(p)))
        return error;
    uint32_t id = p->count;
    char *copy = pool_store(p, id, h, s, strlen(s));
    if (!copy)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory storing a string");
    p->count++;
    p->text[id] = copy;
    p->slots[i] = slot_tag(h) | (uintptr_t)copy;
    *out = id;
    *created = true;
    return 0;
}

int iotnet__strpool_intern(iotnet__strpool *p, const char *s, iotnet__str *out)
{
    bool created;
    return iotnet__strpool_intern_new(p, s, out, &created);
}

size_t iotnet__strpool_memory(const iotnet__strpool *p)
{
    return p->bytes + (size_t)p->cap * sizeof *p->text + (size_t)p->nslots * sizeof *p->slots;
}

/* ---- id maps -------------------------------------------------------- */

#define MAP_KEY(slot) ((uint32_t)((slot) >> 32))
#define MAP_VALUE(slot) ((uint32_t)(slot))
#define MAP_SLOT(key, value) ((uint64_t)(key) << 32 | (value))

void iotnet__idmap_free(iotnet__idmap *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

static uint32_t map_home(const iotnet__idmap *m, uint32_t key)
{
    return mix(key) & (m->nslots - 1);
}

int iotnet__idmap_reserve(iotnet__idmap *m, uint32_t extra)
{
    uint64_t need = ((uint64_t)m->count + extra) * 2;
    if (need <= m->nslots)
        return 0;
    iotnet__idmap grown = {NULL, m->nslots ? m->nslots : 64, 0};
    while (grown.nslots < need)
        grown.nslots *= 2;
    grown.slots = calloc(grown.nslots, sizeof *grown.slots);
    if (!grown.slots)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory growing an id index");
    for (uint32_t i = 0; i < m->nslots; i++)
        if (m->slots[i])
            iotnet__idmap_put(&grown, MAP_KEY(m->slots[i]), MAP_VALUE(m->slots[i]));
    free(m->slots);
    *m = grown;
    return 0;
}

void iotnet__idmap_put(iotnet__idmap *m, iotnet__str key, uint32_t value)
{
    uint32_t i = map_home(m, key);
    while (m->slots[i] && MAP_KEY(m->slots[i]) != key)
        i = (i + 1) & (m->nslots - 1);
    if (!m->slots[i])
        m->count++;
    m->slots[i] = MAP_SLOT(key, value);
}

uint32_t iotnet__idmap_get(const iotnet__idmap *m, iotnet__str key)
{
    if (!key || !m->nslots)
        return UINT32_MAX;
    for (uint32_t i = map_home(m, key);; i = (i + 1) & (m->nslots - 1)) {
        uint64_t slot = m->slots[i];
        if (!slot)
            return UINT32_MAX;
        if (MAP_KEY(slot) == key)
            return MAP_VALUE(slot);
    }
}

void iotnet__idmap_remove(iotnet__idmap *m, iotnet__str key)
{
    if (!key || !m->nslots)
        return;
    uint32_t mask = m->nslots - 1, i = map_home(m, key);
    while (MAP_KEY(m->slots[i]) != key) {
        if (!m->slots[i])
            return;
        i = (i + 1) & mask;
    }
    /* backward-shift deletion keeps probe chains intact without tombstones */
    uint32_t hole = i;
    for (uint32_t j = (i + 1) & mask; m->slots[j]; j = (j + 1) & mask) {
        uint32_t home = map_home(m, MAP_KEY(m->slots[j]));
        if (((j - home) & mask) >= ((j - hole) & mask)) {
            m->slots[hole] = m->slots[j];
            hole = j;
        }
    }
    m->slots[hole] = 0;
    m->count--;
}

size_t iotnet__idmap_memory(const iotnet__idmap *m)
{
    return (size_t)m->nslots * sizeof *m->slots;
}
