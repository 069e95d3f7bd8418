"""Tables of results for documents: Internet-Drafts (xml2rfc v3 and
kramdown-rfc Markdown), CSV, JSON and HTML.

    findings = net.analyze()
    findings.to_xml2rfc()                        # the findings as an xml2rfc v3 <table>
    t = iotnet.Table.threats(findings=findings)  # what can go wrong, which technologies fix it
    t = net.reach("internet").to_table()         # what the Internet reaches
    t = net.zone_matrix().to_table(group="to_zone")
    t.arrange(columns=["node", "exposure"], sort="-exposure").to_markdown()
    iotnet.draft([findings.to_table(), t], format="markdown", author="A. Author")

A Table has a kind ("findings", "threats", "exposure", "zones" or
"custom"), a title, an anchor (derived from the kind and the model's name,
the same for the same input), a description, columns with keys and labels,
and rows of text cells. Grouped rows share one cell: rowspan in xml2rfc and
HTML, the value on the group's first row only in Markdown.

Rendering is the C library's, so the CLI, C and Python write the same
documents. A Table is a snapshot: it holds its own copy of every cell.
"""

import collections.abc
import datetime
import json

from . import enums
from ._ffi import CArgs, ffi, lib, text
from .errors import ClosedError, check
from .owned import new_lock

__all__ = ["Table", "draft", "KINDS", "FORMATS"]

#: The kinds of table, by name.
KINDS = {
    "custom": lib.IOTNET_TABLE_CUSTOM,
    "findings": lib.IOTNET_TABLE_FINDINGS,
    "threats": lib.IOTNET_TABLE_THREATS,
    "exposure": lib.IOTNET_TABLE_EXPOSURE,
    "zones": lib.IOTNET_TABLE_ZONES,
}
_KIND_NAMES = {v: k for k, v in KINDS.items()}

#: The formats of one table.
FORMATS = {
    "xml2rfc": lib.IOTNET_TABLE_XML2RFC,
    "markdown": lib.IOTNET_TABLE_MARKDOWN,
    "csv": lib.IOTNET_TABLE_CSV,
    "json": lib.IOTNET_TABLE_JSON,
    "html": lib.IOTNET_TABLE_HTML,
}

_DRAFT_FORMATS = {"xml2rfc": lib.IOTNET_DRAFT_XML2RFC, "markdown": lib.IOTNET_DRAFT_MARKDOWN}
_CELL_TYPES = {"text": lib.IOTNET_TABLE_TEXT, "int": lib.IOTNET_TABLE_INT, "list": lib.IOTNET_TABLE_LIST}
_CELL_NAMES = {v: k for k, v in _CELL_TYPES.items()}


def _keys(value, what, allow_empty=True):
    """A list of column keys (a list, or a str with commas or spaces) as the
    comma-separated text the library reads."""
    if value is None:
        return None
    if isinstance(value, str):
        words = value.replace(",", " ").split()
    elif isinstance(value, collections.abc.Iterable):
        words = list(value)
        for w in words:
            if not isinstance(w, str):
                raise TypeError("%s must hold str, not %s" % (what, type(w).__name__))
            if not w or any(c.isspace() or c == "," for c in w):
                raise ValueError("%s: %r is not a column key" % (what, w))
    else:
        raise TypeError("%s must be a list of column keys or a str, not %s"
                        % (what, type(value).__name__))
    if not words and not allow_empty:
        raise ValueError("%s names no column" % what)
    return ",".join(words)


def _cell(value, what):
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return " ".join(_cell(v, what) or "" for v in value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    raise TypeError("%s: a cell must be a str, number, bool, list or None, not %s"
                    % (what, type(value).__name__))


class Table:
    """A table of results, arranged and ready to render.

    Build one from results with Table.findings(), Table.threats(),
    Table.exposure() and Table.zones() (or the to_table() of Findings,
    ReachRows and ZoneMatrix), or by hand with Table(columns, rows).
    Options, each also a keyword of those constructors:
      columns: keys of the columns to show, in order (a list or "a,b");
      sort: keys to sort by, "-key" descending (a list or "-risk,target");
      group: keys whose equal values share one cell ("" or [] for none);
      anchor, title, description: instead of the derived ones.
    """

    __slots__ = ("_ptr", "_lock", "__weakref__")

    def __init__(self, columns, rows=(), title=None, anchor=None, name=None, description=None):
        """A custom table. columns: keys, or (key, label) or (key, label,
        type) tuples, type "text", "int" or "list"; rows: sequences in
        column order, or dicts by key; name: for the derived anchor."""
        raw = _new(lib.IOTNET_TABLE_CUSTOM, name if name is not None else title,
                   "name" if name is not None else "title")
        keys = []
        if isinstance(columns, (str, bytes)) or not isinstance(columns, collections.abc.Iterable):
            raise TypeError("columns must be a list of keys or (key, label[, type]) tuples")
        for col in columns:
            key, label, kind = _column_spec(col)
            args = CArgs()
            check(lib.iotnet_table_add_column(raw, args.string(key, "column key"),
                                              args.string(label, "column label", optional=True),
                                              kind))
            keys.append(key)
        for i, row in enumerate(rows):
            _add_row(raw, keys, row, "row %d" % i)
        self._adopt(_arrange(raw, None, None, None, anchor, title, description))

    # ---- building -------------------------------------------------------------

    @classmethod
    def _wrap(cls, ptr):
        self = cls.__new__(cls)
        self._adopt(ptr)
        return self

    def _adopt(self, ptr):
        self._lock = new_lock(self)
        self._ptr = ffi.gc(ptr, lib.iotnet_table_free)

    @classmethod
    def findings(cls, findings, catalog=None, **options):
        """The findings of an analysis (a Findings, or a list of Finding).
        catalog: for short threat ids and titles (default: the one the
        findings were evaluated with)."""
        from .findings import Finding, Findings
        if isinstance(findings, Findings):
            rows, name = list(findings), findings.model_name
            if catalog is None and findings._query is not None:
                catalog = findings._query.catalog
        else:
            rows, name = list(findings), options.pop("name", None)
            for f in rows:
                if not isinstance(f, Finding):
                    raise TypeError("findings must be Findings or a list of Finding, not %s"
                                    % type(f).__name__)
        raw = _new(lib.IOTNET_TABLE_FINDINGS, name)
        with _catalog_ptr(catalog) as c:
            for f in rows:
                args = CArgs()
                check(lib.iotnet_table_add_finding(raw, _finding_struct(args, f), c))
        return cls._wrap(_arranged_with(raw, options))

    @classmethod
    def threats(cls, catalog=None, findings=None, network=None, **options):
        """What can go wrong and which technologies fix it: a row per
        threat and candidate mitigation of the catalog (default: the
        bundled one), only the threats that have findings when `findings`
        is given. network: a Network, for the derived anchor."""
        from .catalog import coerce_catalog
        from .findings import Findings
        if findings is not None and not isinstance(findings, Findings):
            raise TypeError("findings must be Findings (net.analyze()), not %s"
                            % type(findings).__name__)
        if catalog is None and findings is not None and findings._query is not None:
            catalog = findings._query.catalog
        _network_ptr(network)  # a TypeError before anything is read from it
        cat = coerce_catalog(catalog)
        name = network.name if network is not None else \
            (findings.model_name if findings is not None else None)
        raw = _new(lib.IOTNET_TABLE_THREATS, name)
        keys = _raw_keys(raw)
        # every column and no grouping from the library, to copy rows from
        args = CArgs()
        opts = args.new("iotnet_table_options *")
        opts.version = lib.IOTNET_TABLE_OPTIONS_VERSION
        opts.columns = args.string(",".join(keys), "columns")
        opts.group = args.string("", "group")
        out = ffi.new("iotnet_table **")
        with cat._use() as c, _network_ptr(network) as p:
            check(lib.iotnet_table_threats(out, p, c, ffi.NULL, opts))
        full = ffi.gc(out[0], lib.iotnet_table_free)
        wanted = None
        if findings is not None:
            wanted = {f.threat for f in findings if f.status != "not-applicable"}
            wanted |= {t.split(":", 1)[1] for t in wanted if ":" in t}
        else:  # the whole catalog is not the model's: the library's title
            options.setdefault("title", text(lib.iotnet_table_title(full)))
            options.setdefault("description", text(lib.iotnet_table_description(full)))
        col = keys.index("threat")
        for r in range(lib.iotnet_table_row_count(full)):
            cells = [text(lib.iotnet_table_cell_text(full, r, c)) for c in range(len(keys))]
            if wanted is None or cells[col] in wanted:
                _add_row(raw, keys, cells, "threat row")
        return cls._wrap(_arranged_with(raw, options))

    @classmethod
    def exposure(cls, rows, **options):
        """What a source reaches (ReachRows, e.g. net.reach("internet"))."""
        from .reach import ReachRows, _entry
        if not isinstance(rows, ReachRows):
            raise TypeError("rows must be ReachRows (net.reach(...)), not %s" % type(rows).__name__)
        raw = _new(lib.IOTNET_TABLE_EXPOSURE, rows.model)
        for r in rows:
            cells = {"source": r.source, "node": r.destination, "service": r.service, "flow": r.flow,
                     "exposure": r.exposure, "entry": _entry(r), "forward": r.via,
                     "path": list(r.path)}
            _add_row(raw, _raw_keys(raw), cells, "reach row")
        src = rows.query.get("src")
        if src not in (None, "internet") and "title" not in options:
            options["title"] = "What %s reaches%s" % (src, " in %s" % rows.model if rows.model else "")
        return cls._wrap(_arranged_with(raw, options))

    @classmethod
    def zones(cls, matrix, **options):
        """The zone matrix (net.zone_matrix()): services between zones,
        the conduit, and what no conduit covers."""
        from .reach import ZoneMatrix
        if not isinstance(matrix, ZoneMatrix):
            raise TypeError("matrix must be a ZoneMatrix (net.zone_matrix()), not %s"
                            % type(matrix).__name__)
        raw = _new(lib.IOTNET_TABLE_ZONES, matrix.model)
        for z in matrix:
            _add_row(raw, _raw_keys(raw), z.to_dict(), "zone pair")
        return cls._wrap(_arranged_with(raw, options))

    def arrange(self, columns=None, sort=None, group=None, anchor=None, title=None,
                description=None):
        """A new Table with other columns, order, grouping or texts (None
        keeps what this one has)."""
        with self._use() as t:
            ptr = _arrange(t, columns, sort, group, anchor, title, description)
        return Table._wrap(ptr)

    # ---- reading --------------------------------------------------------------

    def _use(self):
        return _Using(self)

    @property
    def kind(self):
        with self._use() as t:
            return _KIND_NAMES.get(lib.iotnet_table_kind_of(t), "custom")

    @property
    def title(self):
        with self._use() as t:
            return text(lib.iotnet_table_title(t))

    @property
    def anchor(self):
        with self._use() as t:
            return text(lib.iotnet_table_anchor(t))

    @property
    def description(self):
        with self._use() as t:
            return text(lib.iotnet_table_description(t))

    def _columns(self):
        with self._use() as t:
            out = []
            c = ffi.new("iotnet_table_column_info *")
            for i in range(lib.iotnet_table_column_count(t)):
                check(lib.iotnet_table_column(t, i, c))
                out.append((text(c.key), text(c.label), _CELL_NAMES.get(c.type, "text"),
                            bool(c.grouped)))
            return out

    @property
    def columns(self):
        """The keys of the columns shown, in order."""
        return [c[0] for c in self._columns()]

    @property
    def labels(self):
        """The column headings, in order."""
        return [c[1] for c in self._columns()]

    @property
    def grouped(self):
        """The keys of the group columns."""
        return [c[0] for c in self._columns() if c[3]]

    def __len__(self):
        with self._use() as t:
            return lib.iotnet_table_row_count(t)

    @property
    def rows(self):
        """The rows as tuples of cell text ("" for an empty cell)."""
        with self._use() as t:
            ncols, nrows = lib.iotnet_table_column_count(t), lib.iotnet_table_row_count(t)
            return [tuple(text(lib.iotnet_table_cell_text(t, r, c)) for c in range(ncols))
                    for r in range(nrows)]

    @property
    def spans(self):
        """For each row, how many rows its group cells span (0 on a row a
        group covers, 1 when not grouped)."""
        with self._use() as t:
            return [lib.iotnet_table_row_span(t, r) for r in range(lib.iotnet_table_row_count(t))]

    def close(self):
        """Free the table now; using it afterwards raises ClosedError."""
        with self._lock:
            if self._ptr is not None:
                ptr, self._ptr = self._ptr, None
                ffi.release(ptr)

    def __copy__(self):
        """copy.copy() and copy.deepcopy(): an independent table (its own C
        table) with the same columns, rows and texts."""
        return self.arrange()

    def __deepcopy__(self, memo):
        return self.arrange()

    def __reduce_ex__(self, protocol):
        raise TypeError("a table cannot be pickled (it holds a C table): pickle its "
                        "to_json() or to_records() instead")

    # ---- rendering ------------------------------------------------------------

    def render(self, format):
        """The table as "xml2rfc", "markdown", "csv", "json" or "html" text."""
        if format not in FORMATS:
            raise ValueError("unknown format %r (choose %s)" % (format, ", ".join(FORMATS)))
        out = ffi.new("char **")
        with self._use() as t:
            check(lib.iotnet_table_render(out, t, FORMATS[format]))
        try:
            return text(out[0])
        finally:
            lib.iotnet_string_free(out[0])

    def to_xml2rfc(self):
        """An xml2rfc v3 <table> (RFC 7991) with its anchor, <name> and rowspans."""
        return self.render("xml2rfc")

    def to_markdown(self):
        """A kramdown-rfc table with {: #anchor title="..."} after it."""
        return self.render("markdown")

    def to_csv(self):
        """CSV per RFC 4180: a header of keys, CRLF line ends."""
        return self.render("csv")

    def to_json(self):
        """JSON: {"anchor", "title", "description", "columns", "rows"}."""
        return self.render("json")

    def to_html(self):
        """An HTML <table> with a <caption>."""
        return self.render("html")

    def _repr_html_(self):
        return self.to_html()

    def to_records(self):
        """The rows as dicts by key: integers as int (None when empty),
        lists as lists of words."""
        return json.loads(self.to_json())["rows"]

    def to_dataframe(self):
        """A pandas DataFrame, one column per key; integer columns are
        nullable Int64 (needs pandas)."""
        try:
            import pandas
        except ImportError as exc:
            raise ImportError("to_dataframe() needs pandas: pip install pandas") from exc
        cols = self._columns()
        frame = pandas.DataFrame(self.to_records(), columns=[c[0] for c in cols])
        for key, _, kind, _ in cols:
            if kind == "int":
                frame[key] = frame[key].astype("Int64")
        return frame

    def __repr__(self):
        try:
            return "<Table %s %r: %d rows, columns %s>" % (self.kind, self.anchor, len(self),
                                                          ", ".join(self.columns))
        except ClosedError:
            return "<Table (closed)>"


class _Using:
    """with table._use() as ptr: the C table, or ClosedError."""

    __slots__ = ("_table",)

    def __init__(self, table):
        self._table = table

    def __enter__(self):
        self._table._lock.acquire()
        if self._table._ptr is None:
            self._table._lock.release()
            raise ClosedError("the table is closed")
        return self._table._ptr

    def __exit__(self, *exc):
        self._table._lock.release()
        return False


# ---- helpers -------------------------------------------------------------------------


def _column_spec(col):
    if isinstance(col, str):
        return col, None, lib.IOTNET_TABLE_TEXT
    if isinstance(col, tuple) and len(col) in (2, 3):
        kind = col[2] if len(col) == 3 else "text"
        if kind not in _CELL_TYPES:
            raise ValueError("column type %r: expected text, int or list" % (kind,))
        return col[0], col[1], _CELL_TYPES[kind]
    raise TypeError("a column is a key or a (key, label[, type]) tuple, not %r" % (col,))


def _new(kind, name, what="name"):
    args = CArgs()
    out = ffi.new("iotnet_table **")
    check(lib.iotnet_table_new(out, kind, args.string(name, what, optional=True)))
    return ffi.gc(out[0], lib.iotnet_table_free)


def _raw_keys(raw):
    c = ffi.new("iotnet_table_column_info *")
    keys = []
    for i in range(lib.iotnet_table_column_count(raw)):
        check(lib.iotnet_table_column(raw, i, c))
        keys.append(text(c.key))
    return keys


def _add_row(raw, keys, row, what):
    if isinstance(row, collections.abc.Mapping):
        unknown = set(row) - set(keys)
        if unknown:
            raise ValueError("%s: unknown columns %s" % (what, ", ".join(sorted(map(str, unknown)))))
        values = [row.get(k) for k in keys]
    elif isinstance(row, collections.abc.Sequence) and not isinstance(row, str):
        values = list(row)
    else:
        raise TypeError("%s must be a sequence or a dict, not %s" % (what, type(row).__name__))
    args = CArgs()
    cells = args.new("char *[]", max(len(values), 1))
    for i, v in enumerate(values):
        cells[i] = args.string(_cell(v, what), what, optional=True)
    check(lib.iotnet_table_add_row(raw, cells, len(values)))


def _arrange(ptr, columns, sort, group, anchor, title, description):
    args = CArgs()
    opts = args.new("iotnet_table_options *")
    opts.version = lib.IOTNET_TABLE_OPTIONS_VERSION
    opts.columns = args.string(_keys(columns, "columns", allow_empty=False), "columns", optional=True)
    sort = _keys(sort, "sort")
    opts.sort = args.string(sort, "sort", optional=True)
    opts.group = args.string(_keys(group, "group"), "group", optional=True)
    opts.anchor = args.string(anchor, "anchor", optional=True)
    opts.title = args.string(title, "title", optional=True)
    opts.description = args.string(description, "description", optional=True)
    out = ffi.new("iotnet_table **")
    check(lib.iotnet_table_arrange(out, ptr, opts))
    return out[0]


_OPTIONS = ("columns", "sort", "group", "anchor", "title", "description")


def _arranged_with(raw, options):
    unknown = set(options) - set(_OPTIONS)
    if unknown:
        raise TypeError("unknown table options: %s (expected %s)"
                        % (", ".join(sorted(unknown)), ", ".join(_OPTIONS)))
    return _arrange(raw, *(options.get(k) for k in _OPTIONS))


class _Null:
    def __enter__(self):
        return ffi.NULL

    def __exit__(self, *exc):
        return False


def _catalog_ptr(catalog):
    """with _catalog_ptr(cat) as c: the C catalog, or NULL for None or a closed one."""
    from .catalog import Catalog
    if catalog is None or (isinstance(catalog, Catalog) and catalog.closed):
        return _Null()
    if not isinstance(catalog, Catalog):
        raise TypeError("catalog must be a Catalog, not %s" % type(catalog).__name__)
    return catalog._use()


def _network_ptr(network):
    from .network import Network
    if network is None:
        return _Null()
    if not isinstance(network, Network):
        raise TypeError("network must be a Network, not %s" % type(network).__name__)
    return network._use()


def _finding_struct(args, f):
    c = args.new("iotnet_finding *")
    c.version = lib.IOTNET_FINDING_VERSION
    c.id = args.string(f.id, "finding id")
    c.threat = args.string(f.threat, "threat")
    c.target_kind = enums.value_of(lib.IOTNET_ENUM_TARGET, f.target_kind, "target_kind")
    c.target = args.string(f.target, "target")
    c.status = enums.value_of(lib.IOTNET_ENUM_FINDING_STATUS, f.status, "status")
    for name in ("likelihood", "impact", "inherent_risk", "residual_likelihood", "residual_impact",
                 "residual_risk"):
        setattr(c, name, int(getattr(f, name)))
    c.mitigations = args.string(" ".join(f.mitigations), "mitigations")
    c.accepted_by = args.string(f.accepted_by, "accepted_by", optional=True)
    c.accepted_reason = args.string(f.accepted_reason, "accepted_reason", optional=True)
    from .findings import time_to_c
    c.accepted_until = time_to_c(f.accepted_until, "accepted_until")
    c.evidence = args.string(f.evidence, "evidence", optional=True)
    return c


# ---- drafts --------------------------------------------------------------------------


def draft(tables, format="xml2rfc", title=None, abbrev=None, docname=None, author=None,
          organization=None, email=None, abstract=None, date=None):
    """A whole minimal Internet-Draft made of tables (Table objects, or
    anything with a to_table(): Findings, ReachRows, ZoneMatrix): front
    matter, an introduction, a section per table, Security and IANA
    Considerations, and no external references, so that xml2rfc (and
    kramdown-rfc for format="markdown") renders it offline without
    warnings. date: a date or datetime (default today, as xml2rfc expects);
    docname: "draft-NAME-NN" (default from the first table's model)."""
    if format not in _DRAFT_FORMATS:
        raise ValueError("unknown draft format %r (choose xml2rfc or markdown)" % (format,))
    if isinstance(tables, (Table, str)) or not isinstance(tables, collections.abc.Iterable):
        tables = [tables]
    tables = [t if isinstance(t, Table) else _as_table(t) for t in tables]
    if not tables:
        raise ValueError("a draft needs at least one table")
    from .findings import time_to_c
    args = CArgs()
    opts = args.new("iotnet_draft_options *")
    opts.version = lib.IOTNET_DRAFT_OPTIONS_VERSION
    for field, value in (("title", title), ("abbrev", abbrev), ("docname", docname),
                         ("author", author), ("organization", organization), ("email", email),
                         ("abstract", abstract)):
        setattr(opts, field, args.string(value, field, optional=True))
    opts.date = time_to_c(date, "date")
    ptrs = args.new("iotnet_table *[]", len(tables))
    out = ffi.new("char **")
    with _Holding(tables) as held:
        for i, p in enumerate(held):
            ptrs[i] = p
        check(lib.iotnet_draft_render(out, ptrs, len(tables), _DRAFT_FORMATS[format], opts))
    try:
        return text(out[0])
    finally:
        lib.iotnet_string_free(out[0])


def _as_table(value):
    to_table = getattr(value, "to_table", None)
    if to_table is None:
        raise TypeError("a draft is made of Table objects (or Findings, ReachRows, ZoneMatrix), "
                        "not %s" % type(value).__name__)
    return to_table()


class _Holding:
    """Hold several tables open at once (each with its lock)."""

    def __init__(self, tables):
        self._usings = [t._use() for t in tables]
        self._entered = []

    def __enter__(self):
        try:
            for u in self._usings:
                self._entered.append(u.__enter__())
                # a table given twice: its lock is re-entrant
        except BaseException:
            self.__exit__()
            raise
        return self._entered

    def __exit__(self, *exc):
        for u in self._usings[:len(self._entered)]:
            u.__exit__()
        self._entered = []
        return False


class TableViews:
    """to_xml2rfc(), to_markdown() and to_draft() for a result that has a
    to_table(**options)."""

    __slots__ = ()

    def to_xml2rfc(self, **options):
        """The result as an xml2rfc v3 <table> (options as for Table)."""
        return self.to_table(**options).to_xml2rfc()

    def to_markdown(self, **options):
        """The result as a kramdown-rfc Markdown table (options as for Table)."""
        return self.to_table(**options).to_markdown()

    def to_draft(self, format="xml2rfc", **front):
        """A whole minimal Internet-Draft with this table (see iotnet.draft)."""
        return draft([self.to_table()], format=format, **front)
