/* The library's process-wide locks, in one place so that fork() can wait for
 * them: a lock copied into a child while another thread held it would stay
 * locked there for ever (that thread does not exist in the child). */
#ifndef IOTNET_LOCKS_H
#define IOTNET_LOCKS_H

typedef enum iotnet__lock_id {
    IOTNET__LOCK_CATALOG_SCHEMA, /* a catalog file in libxml2: parse, shared RELAX NG schema, read (catalog.c) */
    IOTNET__LOCK_GRAPHVIZ,       /* Graphviz's global state while laying out SVG (emit_svg.c) */
    IOTNET__LOCK_COUNT
} iotnet__lock_id;

/* Take a lock; while one is held, fork() waits until it is released, so the
 * child starts with every lock free and what they guard whole. */
void iotnet__lock(iotnet__lock_id which);
void iotnet__unlock(iotnet__lock_id which);

#endif
