/* SVG through Graphviz, in the library: the DOT text is parsed by cgraph,
 * laid out by dot and rendered by the core SVG renderer.
 *
 * Only the dot layout and core render plugins are loaded, built in rather
 * than found through Graphviz's plugin configuration: the output does not
 * depend on which plugins a machine has, and the pango text-layout plugin
 * (which reads freed memory in Graphviz 2.42 when a second label is sized)
 * stays out of the process. Text is measured with Graphviz's own font
 * metrics instead. Graphviz keeps global state (its error handler, the
 * parser), so one export renders at a time. */
#include "emit_internal.h"
#include "error_internal.h"

#include <graphviz/gvc.h>
#include <graphviz/gvplugin.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

extern gvplugin_library_t gvplugin_dot_layout_LTX_library;
extern gvplugin_library_t gvplugin_core_LTX_library;

static const lt_symlist_t builtin_plugins[] = {
    {"gvplugin_dot_layout_LTX_library", &gvplugin_dot_layout_LTX_library},
    {"gvplugin_core_LTX_library", &gvplugin_core_LTX_library},
    {NULL, NULL},
};

static pthread_mutex_t graphviz_lock = PTHREAD_MUTEX_INITIALIZER;

/* What Graphviz said during the current render (under graphviz_lock).
   Graphviz hands a message over in pieces ("Error", ": ", "text\n"). */
static iotnet__buf graphviz_said;

static int collect_message(char *piece)
{
    iotnet__buf_puts(&graphviz_said, piece);
    return 0;
}

/* The first line Graphviz wrote, for an error message. */
static const char *first_line(void)
{
    if (!graphviz_said.data || graphviz_said.failed)
        return "no message";
    char *newline = strchr(graphviz_said.data, '\n');
    if (newline)
        *newline = '\0';
    return graphviz_said.data;
}

static int graphviz_error(const char *what)
{
    return iotnet__error_set(IOTNET_ERROR, "Graphviz could not %s the drawing: %s", what, first_line());
}

static int layout_and_render(GVC_t *gvc, Agraph_t *g, char **out)
{
    if (gvLayout(gvc, g, "dot") != 0)
        return graphviz_error("lay out");
    char *svg = NULL;
    unsigned int length = 0;
    int error = 0;
    if (gvRenderData(gvc, g, "svg", &svg, &length) != 0 || !svg)
        error = graphviz_error("render");
    if (!error && !(*out = malloc((size_t)length + 1)))
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory rendering SVG");
    if (!error) {
        memcpy(*out, svg, length);
        (*out)[length] = '\0';
    }
    gvFreeRenderData(svg);
    gvFreeLayout(gvc, g);
    return error;
}

int iotnet__emit_svg(const char *dot, char **out)
{
    pthread_mutex_lock(&graphviz_lock);
    memset(&graphviz_said, 0, sizeof graphviz_said);
    agusererrf previous_handler = agseterrf(collect_message);
    agerrlevel_t previous_level = agseterr(AGERR); /* warnings are not failures */
    agreseterrors();
    int error = 0;
    GVC_t *gvc = gvContextPlugins(builtin_plugins, 0);
    Agraph_t *g = gvc ? agmemread(dot) : NULL;
    if (!gvc)
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory starting Graphviz");
    else if (!g)
        error = graphviz_error("read");
    else
        error = layout_and_render(gvc, g, out);
    if (g)
        agclose(g);
    if (gvc)
        gvFreeContext(gvc);
    agseterr(previous_level);
    agseterrf(previous_handler);
    iotnet__buf_free(&graphviz_said);
    pthread_mutex_unlock(&graphviz_lock);
    return error;
}
