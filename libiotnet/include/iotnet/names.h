/**
 * @file names.h
 * The names of the model's enumerations, as they are written in topology
 * files (YANG enumeration names), the CLI and Python.
 */
#ifndef IOTNET_NAMES_H
#define IOTNET_NAMES_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum iotnet_enum {
    IOTNET_ENUM_PROTOCOL = 0,  /* any tcp udp icmp sctp */
    IOTNET_ENUM_TRISTATE,      /* unknown no yes */
    IOTNET_ENUM_MEDIUM,
    IOTNET_ENUM_LINK_ENCRYPTION,
    IOTNET_ENUM_AUTH,
    IOTNET_ENUM_TRANSPORT,
    IOTNET_ENUM_NAT_TRAVERSAL,
    IOTNET_ENUM_UPDATE,
    IOTNET_ENUM_RESET,
    IOTNET_ENUM_ATTESTATION,
    IOTNET_ENUM_ENTITY,
    IOTNET_ENUM_ATTR_TYPE,
    IOTNET_ENUM_ACTION,
    IOTNET_ENUM_SELECTOR,
    IOTNET_ENUM_INITIATED,
    IOTNET_ENUM_NAT_MAPPING,
    IOTNET_ENUM_NAT_FILTERING,
    IOTNET_ENUM_EXPOSURE,      /* none reply-only hole-punchable pinhole port-forward direct */
    IOTNET_ENUM_LAYER,         /* transit firewall nat mud */
    IOTNET_ENUM_MUD_DIRECTION, /* any from-device to-device */
    IOTNET_ENUM_MUD_PEER,
    IOTNET_ENUM_TARGET,        /* node link service zone conduit */
    IOTNET_ENUM_FINDING_STATUS, /* open mitigated accepted not-applicable */
    IOTNET_ENUM_CONTROL_STATUS, /* addressed partially-addressed gap not-applicable not-assessed */
    IOTNET_ENUM_COUNT
} iotnet_enum;

/**
 * The name of an enumeration value ("wifi", "tls1.3", "endpoint-independent").
 * @return a static string, or NULL when the value is not in the enumeration
 */
const char *iotnet_enum_name(iotnet_enum type, int value);

/**
 * The value of a name.
 * @param[out] out the value
 * @return 0, or IOTNET_EINVAL when the name is not in the enumeration (the
 *         message lists the names that are)
 */
int iotnet_enum_parse(iotnet_enum type, const char *name, int *out);

/**
 * The i-th (name, value) of an enumeration, for listing choices.
 * @return the name, or NULL past the end
 */
const char *iotnet_enum_entry(iotnet_enum type, int i, int *out_value);

#ifdef __cplusplus
}
#endif

#endif
