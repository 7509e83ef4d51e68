"""lede for Python: a ctypes binding of the C API in lede.h (stdlib only).

    import lede
    with lede.Engine() as db:                     # in-memory database
        db.ingest("He said: \"Yes.\"", key="a1", source="Wire")
        db.run(["quotes"])
        for q in db.quotes():
            print(q["speaker"], q["text"])
    with lede.Analyzer(["quotes"]) as an:         # no database at all
        spans = an.analyze("\"No,\" she said.")

The shared library is found through $LEDE_LIB, else as liblede.so.0 on the
usual library path.  Offsets ("start", "end") are byte offsets into the
article's UTF-8 NFC text, as everywhere in lede.  Like the C API, an Engine
or Analyzer must be used by one thread at a time.
"""
import ctypes
import ctypes.util
import json
import os
import weakref

__all__ = ["Engine", "Analyzer", "LedeError", "version", "analyze"]

_c_char_pp = ctypes.POINTER(ctypes.c_char_p)
_PROGRESS = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_uint64, ctypes.c_uint64)
_WRITE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_char), ctypes.c_size_t)

LEDE_OK, LEDE_ROW = 0, 1
LEDE_EREJECTED = -9
LEDE_EPLUGIN = -10
_RUN_OPTS_VERSION = 1
_OUTCOMES = ("added", "replaced", "unchanged", "rejected")


class LedeError(Exception):
    """A lede call failed: .code is the lede_status, str() the message."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class _Meta(ctypes.Structure):
    _fields_ = [(n, ctypes.c_char_p) for n in
                ("key", "source", "url", "title", "published", "language", "extra_json", "origin")]


class _Limits(ctypes.Structure):
    _fields_ = [("memory", ctypes.c_size_t), ("budget", ctypes.c_uint64), ("per_byte", ctypes.c_uint64)]


class _RunOpts(ctypes.Structure):
    _fields_ = [("version", ctypes.c_int), ("jobs", ctypes.c_uint), ("force", ctypes.c_int),
                ("fail_fast", ctypes.c_int), ("limits", _Limits),
                ("plugin_dirs", _c_char_pp), ("n_plugin_dirs", ctypes.c_size_t),
                ("options", _c_char_pp), ("n_options", ctypes.c_size_t),
                ("progress", _PROGRESS), ("ud", ctypes.c_void_p)]


class _RunStats(ctypes.Structure):
    _fields_ = [("run_id", ctypes.c_int64), ("plugins", ctypes.c_size_t)] + [
        (n, ctypes.c_uint64) for n in ("articles", "computed", "current", "errors", "spans", "corpus_passes")]


class _IngestStats(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint64) for n in ("added", "replaced", "unchanged", "rejected", "repaired", "bytes")]


class _ResultSpan(ctypes.Structure):
    _fields_ = [("layer", ctypes.c_char_p), ("plugin", ctypes.c_char_p), ("start", ctypes.c_uint32),
                ("end", ctypes.c_uint32), ("attrs", ctypes.c_char_p)]


def _load():
    path = os.environ.get("LEDE_LIB") or ctypes.util.find_library("lede") or "liblede.so.0"
    lib = ctypes.CDLL(path)
    P, I, S, U64 = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint64
    sig = {
        "lede_version": (S, []),
        "lede_errstr": (S, [I]),
        "lede_engine_open": (I, [ctypes.POINTER(P), S, ctypes.c_uint]),
        "lede_engine_close": (None, [P]),
        "lede_errmsg": (S, [P]),
        "lede_ingest_buffer": (I, [ctypes.POINTER(ctypes.c_int), P, ctypes.POINTER(_Meta), ctypes.c_char_p,
                                   ctypes.c_size_t, P]),
        "lede_ingest_path": (I, [ctypes.POINTER(_IngestStats), P, S, P]),
        "lede_engine_run": (I, [ctypes.POINTER(_RunStats), P, _c_char_pp, ctypes.c_size_t,
                                ctypes.POINTER(_RunOpts)]),
        "lede_query_prepare": (I, [ctypes.POINTER(P), P, S]),
        "lede_query_bind_int64": (I, [P, I, ctypes.c_int64]),
        "lede_query_bind_text": (I, [P, I, ctypes.c_char_p, ctypes.c_size_t]),
        "lede_query_step": (I, [P]),
        "lede_query_column_count": (I, [P]),
        "lede_query_column_name": (S, [P, I]),
        "lede_query_column_type": (I, [P, I]),
        "lede_query_column_int64": (ctypes.c_int64, [P, I]),
        "lede_query_column_double": (ctypes.c_double, [P, I]),
        "lede_query_column_text": (ctypes.POINTER(ctypes.c_char), [P, I, ctypes.POINTER(ctypes.c_size_t)]),
        "lede_query_finalize": (None, [P]),
        "lede_spans_query": (I, [ctypes.POINTER(P), P, S, S]),
        "lede_export": (I, [ctypes.POINTER(U64), P, S, _WRITE, P]),
        "lede_analyzer_new": (I, [ctypes.POINTER(P), _c_char_pp, ctypes.c_size_t, ctypes.POINTER(_RunOpts)]),
        "lede_analyzer_free": (None, [P]),
        "lede_analyzer_errmsg": (S, [P]),
        "lede_analyze_text": (I, [ctypes.POINTER(P), P, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_Meta)]),
        "lede_result_text": (ctypes.POINTER(ctypes.c_char), [P, ctypes.POINTER(ctypes.c_size_t)]),
        "lede_result_span_count": (ctypes.c_size_t, [P]),
        "lede_result_span_get": (I, [ctypes.POINTER(_ResultSpan), P, ctypes.c_size_t]),
        "lede_result_free": (None, [P]),
    }
    for name, (res, args) in sig.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    return lib


_lib = _load()


def _b(s):
    return None if s is None else (s if isinstance(s, bytes) else str(s).encode("utf-8"))


def _s(b):
    return None if b is None else b.decode("utf-8")


def _strings(items):
    """A C array of char * for items (kept alive by the returned tuple)."""
    items = [_b(x) for x in items]
    arr = (ctypes.c_char_p * (len(items) + 1))(*items)
    return ctypes.cast(arr, _c_char_pp), len(items), arr


def version():
    """The run-time version string of the loaded library."""
    return _s(_lib.lede_version())


def _meta(key, meta):
    fields = {k: _b(v) for k, v in meta.items() if k in _Meta.__dict__}
    unknown = set(meta) - set(fields)
    if unknown:
        raise TypeError("unknown metadata: %s" % ", ".join(sorted(unknown)))
    return _Meta(key=_b(key), **fields)


class _Opts:
    """lede_run_opts built from keyword arguments, with the arrays it points to."""

    def __init__(self, jobs=0, force=False, fail_fast=False, plugin_dirs=(), options=None, progress=None,
                 memory=0, budget=0):
        self.dirs = _strings(plugin_dirs)
        self.opts = _strings("%s=%s" % kv for kv in (options or {}).items())
        self.cb = _PROGRESS(lambda ud, done, total: int(bool(progress(done, total)))) if progress \
            else _PROGRESS()
        self.c = _RunOpts(version=_RUN_OPTS_VERSION, jobs=jobs, force=int(force), fail_fast=int(fail_fast),
                          limits=_Limits(memory, budget, 0), plugin_dirs=self.dirs[0], n_plugin_dirs=self.dirs[1],
                          options=self.opts[0], n_options=self.opts[1], progress=self.cb)


def _span_dict(base, attrs):
    if attrs:
        for k, v in json.loads(attrs).items():
            base.setdefault(k, v)
    return base


class _Handle:
    """A C handle, freed by close(), at the end of a with block, or when the
    object is collected; a subclass frees it in _free."""

    _h = None

    def _free(self, h):
        raise NotImplementedError

    def close(self):
        if self._h:
            self._free(self._h)
            self._h = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()


class _Cursor(_Handle):
    """Rows of a prepared lede_query; finalized when exhausted or closed,
    and by Engine.close (a query must end before its engine)."""

    def __init__(self, engine, q):
        self._engine, self._h = engine, q
        engine._cursors.add(self)
        self.columns = [_s(_lib.lede_query_column_name(q, c)) for c in range(_lib.lede_query_column_count(q))]

    def __iter__(self):
        return self

    def __next__(self):
        if not self._h:
            raise StopIteration
        rc = _lib.lede_query_step(self._h)
        if rc != LEDE_ROW:
            self.close()
            self._engine._check(rc)
            raise StopIteration
        return {name: self._column(c) for c, name in enumerate(self.columns)}

    def _column(self, c):
        q = self._h
        kind = _lib.lede_query_column_type(q, c)
        if kind == 1:
            return _lib.lede_query_column_int64(q, c)
        if kind == 2:
            return _lib.lede_query_column_double(q, c)
        if kind == 5:
            return None
        n = ctypes.c_size_t()
        p = _lib.lede_query_column_text(q, c, ctypes.byref(n))
        raw = ctypes.string_at(p, n.value)
        return raw.decode("utf-8", "replace") if kind == 3 else raw

    def _free(self, h):
        _lib.lede_query_finalize(h)


class Engine(_Handle):
    """A lede database: Engine() or Engine(":memory:") is in memory,
    Engine("lede.db") a file (created and migrated as needed)."""

    def __init__(self, path=":memory:", readonly=False):
        self._cursors = weakref.WeakSet()
        h = ctypes.c_void_p()
        rc = _lib.lede_engine_open(ctypes.byref(h), _b(path), 1 if readonly else 0)
        self._h = h
        if rc != LEDE_OK:
            err = self._error(rc)
            self.close()
            raise err

    def _error(self, rc):
        msg = _s(_lib.lede_errmsg(self._h)) if self._h else ""
        return LedeError(rc, msg or _s(_lib.lede_errstr(rc)))

    def _check(self, rc, ok=(LEDE_OK,)):
        if rc not in ok:
            raise self._error(rc)
        return rc

    def _free(self, h):
        _lib.lede_engine_close(h)

    def close(self):
        for cur in list(self._cursors):
            cur.close()
        super().close()

    def ingest(self, text, key, **meta):
        """Stores one article (text: str or bytes); returns "added",
        "replaced" or "unchanged".  meta: source, url, title, published,
        language, extra_json, origin."""
        data = _b(text)
        m = _meta(key, meta)
        outcome = ctypes.c_int(0)
        self._check(_lib.lede_ingest_buffer(ctypes.byref(outcome), self._h, ctypes.byref(m), data, len(data),
                                            None))
        return _OUTCOMES[outcome.value]

    def ingest_path(self, path):
        """Ingests a file, folder or JSON Lines file; returns counts as a dict.
        Rejected inputs do not raise: see the "rejected" count."""
        st = _IngestStats()
        self._check(_lib.lede_ingest_path(ctypes.byref(st), self._h, _b(path), None), (LEDE_OK, LEDE_EREJECTED))
        return {n: getattr(st, n) for n, _ in _IngestStats._fields_}

    def run(self, plugins=(), **opts):
        """Runs plugins (names or .lua paths; none: the stock set) over every
        article.  Options: jobs, force, fail_fast, plugin_dirs, options
        ({"plugin.option": value}), memory, budget, progress (a function
        (done, total) returning True to cancel).  Returns the run's counts;
        a plugin failure raises LedeError with code -10 after the run."""
        names = _strings(plugins)
        o = _Opts(**opts)
        st = _RunStats()
        rc = _lib.lede_engine_run(ctypes.byref(st), self._h, names[0], names[1], ctypes.byref(o.c))
        self._check(rc)
        return {n: getattr(st, n) for n, _ in _RunStats._fields_}

    def query(self, sql, *params):
        """Rows of one read-only SQL statement, as dicts: an iterable
        cursor (close() it, or iterate to the end).  params bind ?1, ?2, ...
        (int, str or None).  A statement that could write raises LedeError
        with code -13 at once."""
        q = ctypes.c_void_p()
        self._check(_lib.lede_query_prepare(ctypes.byref(q), self._h, _b(sql)))
        cur = _Cursor(self, q)
        for i, p in enumerate(params, 1):
            v = None if isinstance(p, int) else _b(p)
            rc = _lib.lede_query_bind_int64(q, i, p) if isinstance(p, int) \
                else _lib.lede_query_bind_text(q, i, v, len(v) if v is not None else 0)
            if rc != LEDE_OK:
                cur.close()
                self._check(rc)
        return cur

    def spans(self, layer, article=None):
        """Spans of a layer as dicts: article, layer, start, end, text and
        the layer's fields (a generator); article=KEY limits to one article."""
        q = ctypes.c_void_p()
        self._check(_lib.lede_spans_query(ctypes.byref(q), self._h, _b(layer), _b(article)))
        with _Cursor(self, q) as cur:
            for row in cur:
                yield _span_dict({"article": row["article"], "layer": layer, "start": row["start"],
                                  "end": row["end"], "text": row["text"]}, row["attrs"])

    def quotes(self, article=None):
        """Spans of the stock quotes plugin's "quote" layer."""
        return self.spans("quote", article)

    def figures(self, article=None):
        """Spans of the stock casualties plugin's "figure" layer."""
        return self.spans("figure", article)

    def export(self, layer, out):
        """Writes a layer as JSON Lines to the binary file object out;
        returns the number of spans."""
        def write(ud, data, n):
            out.write(ctypes.string_at(data, n))
            return 0
        cb = _WRITE(write)
        count = ctypes.c_uint64()
        self._check(_lib.lede_export(ctypes.byref(count), self._h, _b(layer), cb, None))
        return count.value


class Analyzer(_Handle):
    """Plugins loaded once to analyse many texts in memory, no database."""

    def __init__(self, plugins=(), plugin_dirs=(), options=None, memory=0, budget=0):
        names = _strings(plugins)
        o = _Opts(plugin_dirs=plugin_dirs, options=options, memory=memory, budget=budget)
        h = ctypes.c_void_p()
        rc = _lib.lede_analyzer_new(ctypes.byref(h), names[0], names[1], ctypes.byref(o.c))
        self._h = h
        if rc != LEDE_OK:
            msg = _s(_lib.lede_analyzer_errmsg(h))
            self.close()
            raise LedeError(rc, msg)

    def _free(self, h):
        _lib.lede_analyzer_free(h)

    def analyze(self, text, key=None, **meta):
        """Spans found in one text, as dicts: layer, plugin, start, end,
        text and the layer's fields.  A failing plugin raises LedeError;
        its .spans holds the other plugins' spans."""
        data = _b(text)
        m = _meta(key, meta)
        r = ctypes.c_void_p()
        rc = _lib.lede_analyze_text(ctypes.byref(r), self._h, data, len(data), ctypes.byref(m))
        if not r:
            raise LedeError(rc, _s(_lib.lede_analyzer_errmsg(self._h)))
        try:
            n = ctypes.c_size_t()
            clean = ctypes.string_at(_lib.lede_result_text(r, ctypes.byref(n)), n.value)
            spans = []
            s = _ResultSpan()
            for i in range(_lib.lede_result_span_count(r)):
                _lib.lede_result_span_get(ctypes.byref(s), r, i)
                spans.append(_span_dict({"layer": _s(s.layer), "plugin": _s(s.plugin), "start": s.start,
                                         "end": s.end, "text": clean[s.start:s.end].decode("utf-8")}, s.attrs))
        finally:
            _lib.lede_result_free(r)
        if rc != LEDE_OK:
            err = LedeError(rc, _s(_lib.lede_analyzer_errmsg(self._h)))
            err.spans = spans
            raise err
        return spans


def analyze(text, plugins=(), **meta):
    """One-off analysis of one text (loads the plugins each call: use an
    Analyzer for many texts)."""
    with Analyzer(plugins) as an:
        return an.analyze(text, **meta)
