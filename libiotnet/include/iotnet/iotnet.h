/**
 * @file iotnet.h
 * libiotnet: model IoT networks with their firewall, NAT44 and MUD layers.
 * Include this header for the whole public API.
 *
 * fork(): the child of a process whose other threads were inside the
 * library can go on using it: fork() waits until the library's process-wide
 * locks (the catalog schema, Graphviz) are free, so none is held in the child.
 */
#ifndef IOTNET_H
#define IOTNET_H

#include "error.h"
#include "library.h"
#include "names.h"
#include "net.h"
#include "policy.h"
#include "reach.h"
#include "yangio.h"
#include "mud.h"
#include "catalog.h"
#include "eval.h"
#include "table.h"
#include "comply.h"
#include "emit.h" /* after eval.h: its options name iotnet_findings */
#include "oscal.h"

#endif
