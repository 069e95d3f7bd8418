/* Free typed attributes, stored column-wise: one typed column per key and table,
 * so catalog conditions can later scan a column instead of probing elements. */
#include "net_internal.h"
#include "error_internal.h"
#include "yangio_time.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const entity_names[] = {"node", "link", "zone"};

/* Whether `index` names a live element of the entity's table. */
static int element_check(const iotnet_net *net, iotnet_entity entity, iotnet_index index)
{
    if (!net)
        return iotnet__error_set(IOTNET_EINVAL, "net is required");
    bool alive = false;
    switch (entity) {
    case IOTNET_ENTITY_NODE: alive = index < net->nodes.count && net->nodes.alive[index]; break;
    case IOTNET_ENTITY_LINK: alive = index < net->links.count && net->links.alive[index]; break;
    case IOTNET_ENTITY_ZONE: alive = index < net->zones.count && net->zones.alive[index]; break;
    default: return iotnet__error_set(IOTNET_EINVAL, "unknown entity %d", (int)entity);
    }
    if (!alive)
        return iotnet__error_set(IOTNET_ENOTFOUND, "no %s at index %u", entity_names[entity], index);
    return 0;
}

static const char *element_id(const iotnet_net *net, iotnet_entity entity, iotnet_index index)
{
    switch (entity) {
    case IOTNET_ENTITY_NODE: return iotnet__text(net, net->nodes.id[index]);
    case IOTNET_ENTITY_LINK: return iotnet__text(net, net->links.id[index]);
    default: return iotnet__text(net, net->zones.id[index]);
    }
}

static attr_column *column_find(const iotnet_net *net, iotnet_entity entity, const char *key)
{
    iotnet__str k = iotnet__strpool_lookup(&net->strings, key);
    const attr_table *t = &net->attrs[entity];
    for (uint32_t c = 0; k && c < t->count; c++)
        if (t->cols[c].key == k)
            return &t->cols[c];
    return NULL;
}

static size_t value_size(iotnet_attr_type type)
{
    switch (type) {
    case IOTNET_ATTR_STRING: return sizeof(iotnet__str);
    case IOTNET_ATTR_FLOAT: return sizeof(double);
    default: return sizeof(int64_t);
    }
}

static int column_add(iotnet_net *net, iotnet_entity entity, const char *key, iotnet_attr_type type,
                      attr_column **out)
{
    attr_table *t = &net->attrs[entity];
    iotnet__str k;
    int error;
    if ((error = iotnet__intern(net, key, &k)) ||
        (error = iotnet__vec_grow((void **)&t->cols, &t->cap, t->count, sizeof *t->cols)))
        return error;
    attr_column *c = &t->cols[t->count++];
    memset(c, 0, sizeof *c);
    c->key = k;
    c->type = type;
    *out = c;
    return 0;
}

/* Make room for row `index` in a column. */
static int column_room(attr_column *c, iotnet_index index)
{
    if (index < c->cap)
        return 0;
    uint32_t cap = c->cap ? c->cap : 64;
    while (cap <= index)
        cap *= 2;
    uint8_t *present = realloc(c->present, cap);
    if (!present)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory growing an attribute column");
    c->present = present;
    memset(present + c->cap, 0, cap - c->cap);
    size_t size = value_size(c->type);
    void *values = realloc(c->v.integer, (size_t)cap * size);
    if (!values)
        return iotnet__error_set(IOTNET_ENOMEM, "out of memory growing an attribute column");
    c->v.integer = values;
    c->cap = cap;
    return 0;
}

/* A value a topology file cannot hold is refused when it is set, not at
 * the next save: what the model holds, it saves and loads back exactly. */
static int value_fits_a_file(const char *element, const char *id, const char *key, const iotnet_value *value)
{
    char date[32];
    switch (value->type) {
    case IOTNET_ATTR_FLOAT:
        if (!isfinite(value->real))
            return iotnet__error_set(IOTNET_EINVAL, "%s \"%s\": attribute \"%s\": a float must be a finite number, not %g",
                                     element, id, key, value->real);
        return 0;
    case IOTNET_ATTR_DURATION:
        if (value->integer < 0)
            return iotnet__error_set(IOTNET_EINVAL,
                                     "%s \"%s\": attribute \"%s\": a duration must be 0 s or more, not %" PRId64 " s",
                                     element, id, key, value->integer);
        return 0;
    case IOTNET_ATTR_DATE:
        if (iotnet__date_format(date, sizeof date, value->integer))
            return iotnet__error_set(IOTNET_EINVAL,
                                     "%s \"%s\": attribute \"%s\": a date must be in the years 0000 to 9999, not %" PRId64
                                     " s from 1970",
                                     element, id, key, value->integer);
        return 0;
    default:
        return 0;
    }
}

static int value_check(iotnet_entity entity, const char *id, const char *key, const iotnet_value *value)
{
    const char *element = entity_names[entity];
    if (!iotnet_attr_type_name(value->type))
        return iotnet__error_set(IOTNET_EINVAL, "%s \"%s\": attribute \"%s\": unknown type %d", element, id, key,
                                 (int)value->type);
    if (value->type == IOTNET_ATTR_STRING && !value->string)
        return iotnet__error_set(IOTNET_EINVAL, "%s \"%s\": attribute \"%s\": a string value is required", element,
                                 id, key);
    return value_fits_a_file(element, id, key, value);
}

int iotnet_attr_set(iotnet_net *net, iotnet_entity entity, iotnet_index index, const char *key,
                    const iotnet_value *value)
{
    int error = element_check(net, entity, index);
    if (error)
        return error;
    if (!key || !*key || !value)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_attr_set: key and value are required");
    const char *id = element_id(net, entity, index);
    if ((error = value_check(entity, id, key, value)))
        return error;
    attr_column *c = column_find(net, entity, key);
    if (c && c->type != value->type) {
        if (c->used)
            return iotnet__error_set(IOTNET_ETYPE, "%s \"%s\": attribute \"%s\" holds %s values, not %s",
                                     entity_names[entity], id, key, iotnet_attr_type_name(c->type),
                                     iotnet_attr_type_name(value->type));
        /* an empty column takes the type of its next value */
        free(c->v.integer);
        c->v.integer = NULL;
        free(c->present);
        c->present = NULL;
        c->cap = 0;
        c->type = value->type;
    }
    iotnet__str s = 0;
    if (value->type == IOTNET_ATTR_STRING && (error = iotnet__intern(net, value->string, &s)))
        return error;
    if (!c && (error = column_add(net, entity, key, value->type, &c)))
        return error;
    if ((error = column_room(c, index)))
        return error;
    switch (c->type) {
    case IOTNET_ATTR_STRING: c->v.string[index] = s; break;
    case IOTNET_ATTR_FLOAT: c->v.real[index] = value->real; break;
    case IOTNET_ATTR_BOOL: c->v.integer[index] = value->boolean ? 1 : 0; break;
    default: c->v.integer[index] = value->integer; break;
    }
    if (!c->present[index]) {
        c->present[index] = 1;
        c->used++;
    }
    return 0;
}

static void column_read(const iotnet_net *net, const attr_column *c, iotnet_index index, iotnet_value *out)
{
    memset(out, 0, sizeof *out);
    out->type = c->type;
    switch (c->type) {
    case IOTNET_ATTR_STRING: out->string = iotnet__text(net, c->v.string[index]); break;
    case IOTNET_ATTR_FLOAT: out->real = c->v.real[index]; break;
    case IOTNET_ATTR_BOOL: out->boolean = c->v.integer[index] != 0; break;
    default: out->integer = c->v.integer[index]; break;
    }
}

static bool column_has(const attr_column *c, iotnet_index index)
{
    return c && index < c->cap && c->present[index];
}

int iotnet_attr_get(const iotnet_net *net, iotnet_entity entity, iotnet_index index, const char *key,
                    iotnet_value *out)
{
    int error = element_check(net, entity, index);
    if (error)
        return error;
    if (!key || !out)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_attr_get: key and out are required");
    const attr_column *c = column_find(net, entity, key);
    if (!column_has(c, index))
        return iotnet__error_set(IOTNET_ENOTFOUND, "%s \"%s\" has no attribute \"%s\"", entity_names[entity],
                                 element_id(net, entity, index), key);
    column_read(net, c, index, out);
    return 0;
}

int iotnet_attr_unset(iotnet_net *net, iotnet_entity entity, iotnet_index index, const char *key)
{
    int error = element_check(net, entity, index);
    if (error)
        return error;
    if (!key)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_attr_unset: a key is required");
    attr_column *c = column_find(net, entity, key);
    if (!column_has(c, index))
        return iotnet__error_set(IOTNET_ENOTFOUND, "%s \"%s\" has no attribute \"%s\"", entity_names[entity],
                                 element_id(net, entity, index), key);
    c->present[index] = 0;
    c->used--;
    return 0;
}

int iotnet_attr_next(const iotnet_net *net, iotnet_entity entity, iotnet_index index, size_t *cursor,
                     const char **out_key, iotnet_value *out)
{
    int error = element_check(net, entity, index);
    if (error)
        return error;
    if (!cursor)
        return iotnet__error_set(IOTNET_EINVAL, "iotnet_attr_next: cursor is required");
    const attr_table *t = &net->attrs[entity];
    for (size_t c = *cursor; c < t->count; c++) {
        if (!column_has(&t->cols[c], index))
            continue;
        if (out_key)
            *out_key = iotnet__text(net, t->cols[c].key);
        if (out)
            column_read(net, &t->cols[c], index, out);
        *cursor = c + 1;
        return 1;
    }
    *cursor = t->count;
    return 0;
}

void iotnet__attrs_drop(iotnet_net *net, iotnet_entity entity, iotnet_index index)
{
    attr_table *t = &net->attrs[entity];
    for (uint32_t c = 0; c < t->count; c++) {
        if (column_has(&t->cols[c], index)) {
            t->cols[c].present[index] = 0;
            t->cols[c].used--;
        }
    }
}

const attr_column *iotnet__attr_column(const iotnet_net *net, iotnet_entity entity, const char *key)
{
    return column_find(net, entity, key);
}

void iotnet__attrs_free(iotnet_net *net)
{
    for (int e = 0; e < 3; e++) {
        attr_table *t = &net->attrs[e];
        for (uint32_t c = 0; c < t->count; c++) {
            free(t->cols[c].present);
            free(t->cols[c].v.integer);
        }
        free(t->cols);
        memset(t, 0, sizeof *t);
    }
}

size_t iotnet__attrs_memory(const iotnet_net *net)
{
    size_t total = 0;
    for (int e = 0; e < 3; e++) {
        const attr_table *t = &net->attrs[e];
        total += (size_t)t->cap * sizeof *t->cols;
        for (uint32_t c = 0; c < t->count; c++)
            total += (size_t)t->cols[c].cap * (1 + value_size(t->cols[c].type));
    }
    return total;
}
