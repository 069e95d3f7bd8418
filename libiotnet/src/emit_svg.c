/* SVG through Graphviz, in the library: the DOT text is parsed by cgraph,
 * laid out by dot and rendered by the core SVG renderer.
 *
 * Only the dot layout and core render plugins are loaded, built in rather
 * than found through Graphviz's plugin configuration: the output does not
 * depend on which plugins a machine has, and the pango text-layout plugin
 * (AddressSanitizer catches it reading freed memory while sizing labels in
 * Graphviz 2.42) stays out of the process. Text is measured with
 * Graphviz's own font metrics instead. Graphviz keeps global state (its
 * error handler, the parser), so one export renders at a time.
 *
 * Graphviz's default ID discipline makes a name's ID the address of its
 * interned string, and it keeps subgraphs ordered by ID: clusters would be
 * laid out and written in an order that changes with the heap. The
 * discipline here numbers names in the order the parser first meets them,
 * so the same DOT gives the same SVG.
 *
 * Every error Graphviz reports makes the export fail with its message. dot
 * can report a failed step and carry on: gvLayout() still returns 0 after
 * "trouble in init_rank", and what it does next with the broken ranks
 * corrupts the heap (a double free when the layout is freed). So the first
 * error reported while laying out abandons the layout there: the error
 * handler jumps back out of Graphviz before it goes on. */
#include "emit_internal.h"
#include "error_internal.h"
#include "locks.h"

#include <graphviz/gvc.h>
#include <graphviz/gvplugin.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

extern gvplugin_library_t gvplugin_dot_layout_LTX_library;
extern gvplugin_library_t gvplugin_core_LTX_library;

static const lt_symlist_t builtin_plugins[] = {
    {"gvplugin_dot_layout_LTX_library", &gvplugin_dot_layout_LTX_library},
    {"gvplugin_core_LTX_library", &gvplugin_core_LTX_library},
    {NULL, NULL},
};

/* Exported by libgvc but not declared: gvLayout() sets the C numeric locale
   on entry and puts the caller's back on return, counting; an abandoned
   layout puts it back here. Weak, for a Graphviz that lacks it. */
extern void gv_fixLocale(int set) __attribute__((weak));

/* ------------------------------------------------------------------ */
/* IDs in the order names first appear                                 */

/* Named objects get even IDs 2, 4, 6... (index + 1) * 2 into `names`;
   anonymous ones (edges) odd IDs, as Graphviz's own discipline does. */
typedef struct ordered_ids {
    Agraph_t *g;
    char **names;     /* interned strings, by ID / 2 - 1 */
    size_t count, cap;
    size_t *slots;    /* open addressing: name pointer -> index + 1; 0 empty */
    size_t nslots;    /* a power of two, at least twice count */
    IDTYPE next_anonymous;
} ordered_ids;

static size_t pointer_hash(const char *p, size_t nslots)
{
    uintptr_t v = (uintptr_t)p;
    v ^= v >> 17;
    v *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(v >> 7) & (nslots - 1);
}

static size_t *slot_of(const ordered_ids *ids, const char *name)
{
    for (size_t h = pointer_hash(name, ids->nslots);; h = (h + 1) & (ids->nslots - 1)) {
        size_t *slot = &ids->slots[h];
        if (*slot == 0 || ids->names[*slot - 1] == name)
            return slot;
    }
}

static bool ids_grow(ordered_ids *ids)
{
    if (ids->count + 1 > ids->cap) {
        size_t cap = ids->cap ? ids->cap * 2 : 64;
        char **names = realloc(ids->names, cap * sizeof *names);
        if (!names)
            return false;
        ids->names = names;
        ids->cap = cap;
    }
    if (2 * (ids->count + 1) <= ids->nslots)
        return true;
    size_t nslots = ids->nslots ? ids->nslots * 2 : 128;
    size_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return false;
    free(ids->slots);
    ids->slots = slots;
    ids->nslots = nslots;
    for (size_t i = 0; i < ids->count; i++)
        *slot_of(ids, ids->names[i]) = i + 1;
    return true;
}

static void *ids_open(Agraph_t *g, Agdisc_t *disc)
{
    (void)disc;
    ordered_ids *ids = calloc(1, sizeof *ids);
    if (ids) {
        ids->g = g;
        ids->next_anonymous = 1;
    }
    return ids;
}

static long ids_map(void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
    (void)objtype;
    ordered_ids *ids = state;
    if (!str) {
        *id = ids->next_anonymous;
        ids->next_anonymous += 2;
        return 1;
    }
    char *name = createflag ? agstrdup(ids->g, str) : agstrbind(ids->g, str);
    if (!name || (createflag && !ids_grow(ids)))
        return 0;
    size_t *slot = ids->nslots ? slot_of(ids, name) : NULL;
    if (!slot || *slot == 0) {
        if (!createflag)
            return 0;
        ids->names[ids->count++] = name;
        *slot = ids->count;
    }
    *id = (IDTYPE)*slot * 2;
    return 1;
}

static long ids_alloc(void *state, int objtype, IDTYPE request)
{
    (void)state, (void)objtype, (void)request;
    return 0; /* objects are made by name only */
}

static const char *named(const ordered_ids *ids, IDTYPE id)
{
    return id % 2 == 0 && id / 2 >= 1 && id / 2 <= ids->count ? ids->names[id / 2 - 1] : NULL;
}

static void ids_free(void *state, int objtype, IDTYPE id)
{
    (void)objtype;
    ordered_ids *ids = state;
    const char *name = named(ids, id);
    if (name)
        agstrfree(ids->g, (char *)name); /* one reference per object mapped */
}

static char *ids_print(void *state, int objtype, IDTYPE id)
{
    (void)objtype;
    return (char *)named(state, id);
}

static void ids_close(void *state)
{
    ordered_ids *ids = state;
    free(ids->names);
    free(ids->slots);
    free(ids);
}

static void ids_register(void *state, int objtype, void *obj)
{
    (void)state, (void)objtype, (void)obj;
}

static Agiddisc_t ordered_id_discipline = {ids_open, ids_map, ids_alloc, ids_free,
                                           ids_print, ids_close, ids_register};

/* ------------------------------------------------------------------ */
/* Reading DOT text from memory                                        */

typedef struct text_reader {
    const char *text;
    size_t length, pos;
} text_reader;

/* Graphviz's reader takes a line at a time, as its own memory reader gives them. */
static int read_line(void *chan, char *buf, int bufsize)
{
    text_reader *r = chan;
    size_t n = 0;
    while (r->pos < r->length && n + 1 < (size_t)bufsize) {
        char c = r->text[r->pos++];
        buf[n++] = c;
        if (c == '\n')
            break;
    }
    return (int)n;
}

static Agiodisc_t text_io_discipline; /* read_line, with Graphviz's own writing */

static Agraph_t *read_dot(const char *dot)
{
    text_io_discipline.afread = read_line;
    text_io_discipline.putstr = AgIoDisc.putstr;
    text_io_discipline.flush = AgIoDisc.flush;
    Agdisc_t disc = {&AgMemDisc, &ordered_id_discipline, &text_io_discipline};
    text_reader reader = {dot, strlen(dot), 0};
    return agread(&reader, &disc);
}

/* What Graphviz said during the current render (under IOTNET__LOCK_GRAPHVIZ),
   and where to go when it reports an error while laying out. Graphviz hands
   a message over in pieces ("Error", ": ", "text\n"). */
static iotnet__buf graphviz_said;
static jmp_buf abandon_layout;
static volatile bool laying_out;
static pthread_t layout_thread; /* the handler is process-wide: jump only in this one */

/* Graphviz hands a message over in pieces: "Error", ": ", then the text. Only
   errors get here (agseterr(AGERR)), so any text is an error's. */
static int collect_message(char *piece)
{
    if (strcmp(piece, "Error") == 0 || strcmp(piece, "Warning") == 0 || strcmp(piece, ": ") == 0)
        return 0;
    iotnet__buf_puts(&graphviz_said, piece);
    if (laying_out && pthread_equal(pthread_self(), layout_thread)) {
        laying_out = false;
        longjmp(abandon_layout, 1);
    }
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

static bool graphviz_reported_errors(void)
{
    return agerrors() >= AGERR || graphviz_said.len > 0;
}

/* dot's layout, or the error it reported. An abandoned layout has not yet
   installed dot's own cleanup, so gvFreeLayout() frees only the drawing;
   what dot had allocated is left behind rather than risk freeing it. A
   layout that came back after reporting an error (outside this thread's
   jump) may hold corrupt state: it is left behind whole. One that did not
   start (gvLayout() failed: no layout engine) holds only the drawing. */
static int lay_out(GVC_t *gvc, Agraph_t *g)
{
    if (setjmp(abandon_layout) != 0) {
        if (gv_fixLocale)
            gv_fixLocale(0);
        gvFreeLayout(gvc, g);
        return graphviz_error("lay out");
    }
    layout_thread = pthread_self();
    laying_out = true;
    int status = gvLayout(gvc, g, "dot");
    laying_out = false;
    if (status != 0 || graphviz_reported_errors()) {
        if (status != 0)
            gvFreeLayout(gvc, g);
        return graphviz_error("lay out");
    }
    return 0;
}

/* The SVG text of a laid out graph into *out. */
static int render(GVC_t *gvc, Agraph_t *g, char **out)
{
    char *svg = NULL;
    unsigned int length = 0;
    int error = 0;
    if (gvRenderData(gvc, g, "svg", &svg, &length) != 0 || !svg || graphviz_reported_errors())
        error = graphviz_error("render");
    if (!error && !(*out = malloc((size_t)length + 1)))
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory rendering SVG");
    if (!error) {
        memcpy(*out, svg, length);
        (*out)[length] = '\0';
    }
    gvFreeRenderData(svg);
    return error;
}

static int layout_and_render(GVC_t *gvc, Agraph_t *g, char **out)
{
    int error = lay_out(gvc, g);
    if (error)
        return error;
    error = render(gvc, g, out);
    if (gvFreeLayout(gvc, g) != 0 && !error)
        error = graphviz_error("free");
    return error;
}

int iotnet__emit_svg(const char *dot, char **out)
{
    *out = NULL;
    iotnet__lock(IOTNET__LOCK_GRAPHVIZ);
    memset(&graphviz_said, 0, sizeof graphviz_said);
    agusererrf previous_handler = agseterrf(collect_message);
    agerrlevel_t previous_level = agseterr(AGERR); /* warnings are not failures */
    agreseterrors();
    int error = 0;
    GVC_t *gvc = gvContextPlugins(builtin_plugins, 0);
    Agraph_t *g = gvc ? read_dot(dot) : NULL;
    if (!gvc)
        error = iotnet__error_set(IOTNET_ENOMEM, "out of memory starting Graphviz");
    else if (!g)
        error = graphviz_error("read");
    else
        error = layout_and_render(gvc, g, out);
    if (g && agclose(g) != 0 && !error)
        error = graphviz_error("close");
    /* gvFreeContext() returns the errors counted during the render: seen above */
    if (gvc)
        gvFreeContext(gvc);
    if (error && *out) {
        free(*out);
        *out = NULL;
    }
    agseterr(previous_level);
    agseterrf(previous_handler);
    iotnet__buf_free(&graphviz_said);
    iotnet__unlock(IOTNET__LOCK_GRAPHVIZ);
    return error;
}
