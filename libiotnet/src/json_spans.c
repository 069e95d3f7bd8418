/* JSON text as a tree of spans: where each value and member name is, nothing
 * decoded. Read with an explicit stack, so deep or hostile input costs memory
 * in proportion to its size and never recursion. */
#include "json_spans.h"

#include <stdlib.h>
#include <string.h>

#include "iotnet/error.h"

/* ------------------------------------------------------------------ */
/* Reading the tree                                                    */

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static uint32_t skip_ws(const jtree *t, uint32_t pos)
{
    while (pos < t->len && is_ws(t->text[pos]))
        pos++;
    return pos;
}

/* The end of a string starting at `pos` (the opening quote), just past the closing quote; 0 if none. */
static uint32_t string_end(const jtree *t, uint32_t pos)
{
    for (uint32_t i = pos + 1; i < t->len; i++) {
        unsigned char c = (unsigned char)t->text[i];
        if (c == '"')
            return i + 1;
        if (c == '\\')
            i++;
        else if (c < 0x20)
            return 0;
    }
    return 0;
}

static uint32_t scalar_end(const jtree *t, uint32_t pos)
{
    uint32_t i = pos;
    while (i < t->len && (strchr("+-.eE", t->text[i]) || (t->text[i] >= '0' && t->text[i] <= '9') ||
                          (t->text[i] >= 'a' && t->text[i] <= 'z')))
        i++;
    return i;
}

static uint32_t add_node(jtree *t, uint32_t parent, uint8_t type, uint32_t at, uint32_t key_at, uint32_t key_len)
{
    if (t->count == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 256;
        if (cap < t->cap)
            return J_NONE;
        jnode *grown = realloc(t->nodes, (size_t)cap * sizeof *grown);
        if (!grown)
            return J_NONE;
        t->nodes = grown;
        t->cap = cap;
    }
    uint32_t n = t->count++;
    t->nodes[n] = (jnode){parent, J_NONE, J_NONE, J_NONE, key_at, key_len, at, at, type};
    if (parent != J_NONE) {
        jnode *p = &t->nodes[parent];
        if (p->last == J_NONE)
            p->first = n;
        else
            t->nodes[p->last].next = n;
        p->last = n;
    }
    return n;
}

static int parse_tree(jtree *t)
{
    uint32_t pos = skip_ws(t, 0), cur = J_NONE;
    for (;;) {
        /* a value, with its member name first inside an object */
        uint32_t key_at = 0, key_len = 0;
        if (cur != J_NONE && t->nodes[cur].type == J_OBJECT) {
            if (pos >= t->len || t->text[pos] != '"')
                return 1;
            uint32_t end = string_end(t, pos);
            if (!end)
                return 1;
            key_at = pos + 1;
            key_len = end - pos - 2;
            pos = skip_ws(t, end);
            if (pos >= t->len || t->text[pos] != ':')
                return 1;
            pos = skip_ws(t, pos + 1);
        }
        if (pos >= t->len)
            return 1;
        char c = t->text[pos];
        uint8_t type = c == '{' ? J_OBJECT : c == '[' ? J_ARRAY : c == '"' ? J_STRING
                     : (c == '-' || (c >= '0' && c <= '9')) ? J_NUMBER : J_LITERAL;
        uint32_t n = add_node(t, cur, type, pos, key_at, key_len);
        if (n == J_NONE)
            return IOTNET_ENOMEM;
        if (type == J_OBJECT || type == J_ARRAY) {
            cur = n;
            pos = skip_ws(t, pos + 1);
            if (pos < t->len && t->text[pos] == (type == J_OBJECT ? '}' : ']')) {
                t->nodes[n].end = ++pos;
                cur = t->nodes[n].parent;
            } else {
                continue;
            }
        } else {
            uint32_t end = type == J_STRING ? string_end(t, pos) : scalar_end(t, pos);
            if (!end || end == pos)
                return 1;
            t->nodes[n].end = pos = end;
        }
        /* after a value: close containers, or go on to the next item */
        for (;;) {
            pos = skip_ws(t, pos);
            if (cur == J_NONE)
                return pos == t->len ? 0 : 1;
            if (pos >= t->len)
                return 1;
            char close = t->nodes[cur].type == J_OBJECT ? '}' : ']';
            if (t->text[pos] == ',') {
                pos = skip_ws(t, pos + 1);
                break;
            }
            if (t->text[pos] != close)
                return 1;
            t->nodes[cur].end = ++pos;
            cur = t->nodes[cur].parent;
        }
    }
}

int iotnet__json_parse(jtree *t, const char *text, size_t len)
{
    memset(t, 0, sizeof *t);
    if (len >= UINT32_MAX)
        return 1;
    t->text = text;
    t->len = (uint32_t)len;
    return parse_tree(t);
}

void iotnet__json_free(jtree *t)
{
    free(t->nodes);
    t->nodes = NULL;
    t->count = t->cap = 0;
}

/* ------------------------------------------------------------------ */
/* Looking at the tree                                                 */

bool iotnet__json_key_is(const jtree *t, const jnode *n, const char *name)
{
    size_t len = strlen(name);
    if (n->key_len < len)
        return false;
    const char *key = t->text + n->key_at;
    if (memcmp(key + n->key_len - len, name, len) != 0)
        return false;
    return n->key_len == len || key[n->key_len - len - 1] == ':';
}

bool iotnet__json_key_equals(const jtree *t, const jnode *n, const char *name)
{
    return n->key_len == strlen(name) && memcmp(t->text + n->key_at, name, n->key_len) == 0;
}

const jnode *iotnet__json_member(const jtree *t, const jnode *obj, const char *name)
{
    if (!obj || obj->type != J_OBJECT)
        return NULL;
    for (uint32_t c = obj->first; c != J_NONE; c = t->nodes[c].next)
        if (iotnet__json_key_is(t, &t->nodes[c], name))
            return &t->nodes[c];
    return NULL;
}

const jnode *iotnet__json_first_child(const jtree *t, const jnode *n)
{
    return n && n->first != J_NONE ? &t->nodes[n->first] : NULL;
}

const jnode *iotnet__json_next_sibling(const jtree *t, const jnode *n)
{
    return n->next != J_NONE ? &t->nodes[n->next] : NULL;
}

const char *iotnet__json_string(const jtree *t, const jnode *n, uint32_t *len)
{
    *len = n->end - n->at - 2;
    return t->text + n->at + 1;
}

long iotnet__json_line(const jtree *t, uint32_t offset)
{
    long line = 1;
    for (uint32_t i = 0; i < offset && i < t->len; i++)
        line += t->text[i] == '\n';
    return line;
}

