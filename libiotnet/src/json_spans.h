/* JSON text as a tree of spans (json_spans.c), for looking at a file's
 * structure as written: the MUD loader's rewrites, the line of a list entry in
 * an error. Nothing is decoded; libyang does the real parsing and reports
 * what is wrong with text that is not JSON. */
#ifndef IOTNET_JSON_SPANS_H
#define IOTNET_JSON_SPANS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { J_OBJECT, J_ARRAY, J_STRING, J_NUMBER, J_LITERAL };

/** No node: the end of a list of children. */
#define J_NONE UINT32_MAX

/** A value: its span in the text and, inside an object, its member name's span (without quotes). */
typedef struct jnode {
    uint32_t parent, first, last, next;
    uint32_t key_at, key_len;
    uint32_t at, end;
    uint8_t type;
} jnode;

/** The tree of a whole text; nodes[0] is the top-level value. */
typedef struct jtree {
    const char *text;
    uint32_t len;
    jnode *nodes;
    uint32_t count, cap;
} jtree;

/** Build the tree of `text`. Returns 0, 1 when it is not one JSON value (or 4 GiB or more), or
 *  IOTNET_ENOMEM (nothing recorded). Free with iotnet__json_free() in every case. */
int iotnet__json_parse(jtree *t, const char *text, size_t len);
void iotnet__json_free(jtree *t);

/** Whether a member's name is `name`, bare or with a module prefix ("module:name"). */
bool iotnet__json_key_is(const jtree *t, const jnode *n, const char *name);
/** Whether a member's name is exactly `name`. */
bool iotnet__json_key_equals(const jtree *t, const jnode *n, const char *name);
/** The member of an object named `name` (as iotnet__json_key_is), or NULL (also when `obj` is
 *  NULL or not an object). */
const jnode *iotnet__json_member(const jtree *t, const jnode *obj, const char *name);
/** The first item of an object or array (NULL-safe), and the next one. */
const jnode *iotnet__json_first_child(const jtree *t, const jnode *n);
const jnode *iotnet__json_next_sibling(const jtree *t, const jnode *n);
/** A string value's text without quotes (escapes as written): pointer and length. */
const char *iotnet__json_string(const jtree *t, const jnode *n, uint32_t *len);
/** The 1-based line of byte `offset`. */
long iotnet__json_line(const jtree *t, uint32_t offset);

#endif
