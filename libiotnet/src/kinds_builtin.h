/* The built-in kinds, parents listed before their children. */
#ifndef IOTNET_KINDS_BUILTIN_H
#define IOTNET_KINDS_BUILTIN_H

typedef struct iotnet__builtin_kind {
    const char *name;
    const char *parent; /* NULL for a root */
} iotnet__builtin_kind;

/* Terminated by an entry whose name is NULL. */
extern const iotnet__builtin_kind iotnet__builtin_kinds[];

#endif
