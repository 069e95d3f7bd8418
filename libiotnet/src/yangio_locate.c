/* Topology errors that libyang reports by the rule broken rather than the
 * fault, and without a line: reworded, and located in the text as written.
 * Only failed loads come here, so looking at the text again costs nothing
 * that matters. */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "error_internal.h"
#include "json_spans.h"
#include "util.h"
#include "yangio_internal.h"

/* The error-message of the must statement of list link in iotnet-topology. */
#define SELF_LOOP_RULE "a link joins two different nodes"

#define ID_MAX 256

/* Where a link is written and the node its end a names. */
typedef struct link_site {
    char node[ID_MAX];
    long line;
} link_site;

/* The id of a data path ending in "/link[id='ID']" (either quote), into buf. */
static bool link_id_of(const char *path, char *buf, size_t size)
{
    static const char step[] = "/link[id=";
    const char *p = path ? strstr(path, step) : NULL;
    if (!p)
        return false;
    p += sizeof step - 1;
    char quote = *p;
    const char *end = quote == '\'' || quote == '"' ? strchr(p + 1, quote) : NULL;
    if (!end || strcmp(end + 1, "]") != 0 || (size_t)(end - p - 1) >= size)
        return false;
    snprintf(buf, size, "%.*s", (int)(end - p - 1), p + 1);
    return true;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

static bool json_text_is(const jtree *t, const jnode *n, const char *want)
{
    if (!n || n->type != J_STRING)
        return false;
    uint32_t len;
    const char *s = iotnet__json_string(t, n, &len);
    return len == strlen(want) && memcmp(s, want, len) == 0;
}

static void find_in_json(link_site *site, const char *text, size_t len, const char *id)
{
    jtree t;
    if (iotnet__json_parse(&t, text, len) == 0 && t.count) {
        const jnode *top = iotnet__json_member(&t, &t.nodes[0], "topology");
        const jnode *links = iotnet__json_member(&t, top, "link");
        const jnode *link = links && links->type == J_ARRAY ? iotnet__json_first_child(&t, links) : NULL;
        for (; link && !json_text_is(&t, iotnet__json_member(&t, link, "id"), id);
             link = iotnet__json_next_sibling(&t, link))
            ;
        if (link) {
            site->line = iotnet__json_line(&t, link->at);
            const jnode *node = iotnet__json_member(&t, iotnet__json_member(&t, link, "a"), "node");
            uint32_t n = 0;
            const char *name = node && node->type == J_STRING ? iotnet__json_string(&t, node, &n) : "";
            snprintf(site->node, sizeof site->node, "%.*s", (int)(n < ID_MAX ? n : ID_MAX - 1), name);
        }
    }
    iotnet__json_free(&t);
}

/* ------------------------------------------------------------------ */
/* XML                                                                 */

static const xmlNode *child_element(const xmlNode *parent, const char *name)
{
    for (const xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

/* The text of an element, into buf ("" for none). */
static void element_text(const xmlNode *n, char *buf, size_t size)
{
    xmlChar *content = n ? xmlNodeGetContent(n) : NULL;
    snprintf(buf, size, "%s", content ? (const char *)content : "");
    xmlFree(content);
}

static void find_in_xml(link_site *site, const char *text, size_t len, const char *id)
{
    if (len > INT_MAX)
        return;
    /* libyang read this text already: no DOCTYPE, so no entities; nothing is fetched */
    xmlDocPtr doc = xmlReadMemory(text, (int)len, NULL, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    for (const xmlNode *c = root ? root->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "link") != 0)
            continue;
        char link_id[ID_MAX];
        element_text(child_element(c, "id"), link_id, sizeof link_id);
        if (strcmp(link_id, id) != 0)
            continue;
        site->line = xmlGetLineNo(c);
        element_text(child_element(child_element(c, "a"), "node"), site->node, sizeof site->node);
        break;
    }
    xmlFreeDoc(doc);
}

/* ------------------------------------------------------------------ */
/* Rewording                                                           */

static int self_loop_error(const char *label, const char *text, size_t len, iotnet_format format, int code,
                           const char *id)
{
    link_site site = {"", 0};
    if (format == IOTNET_FORMAT_XML)
        find_in_xml(&site, text, len, id);
    else
        find_in_json(&site, text, len, id);
    char *path = iotnet__strdup(iotnet_error_last()->path);
    if (!path)
        return IOTNET_ENOMEM;
    char at[24] = "";
    if (site.line > 0)
        snprintf(at, sizeof at, ":%ld", site.line);
    if (site.node[0])
        iotnet__error_set(code, "%s%s: link \"%s\" connects node \"%s\" to itself; " SELF_LOOP_RULE " (at %s)",
                          label, at, id, site.node, path);
    else
        iotnet__error_set(code, "%s%s: link \"%s\" connects a node to itself; " SELF_LOOP_RULE " (at %s)", label,
                          at, id, path);
    iotnet__error_locate(label, site.line, path);
    free(path);
    return code;
}

int iotnet__yang_reword_error(const char *label, const char *text, size_t len, iotnet_format format, int code)
{
    const iotnet_error *e = iotnet_error_last();
    char id[ID_MAX];
    if (e->message && strstr(e->message, SELF_LOOP_RULE) && link_id_of(e->path, id, sizeof id))
        return self_loop_error(label, text, len, format, code, id);
    return code;
}
