"""Tests of the Python binding, run by ctest with LEDE_LIB set to the built
shared library and LEDE_SOURCE_DIR to the source tree.  Also runs every
```python block of the Python section of docs/embedding.md, so the documented example works."""
import io
import json
import os
import re
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import lede  # noqa: E402

SRC = os.environ.get("LEDE_SOURCE_DIR", os.path.join(HERE, "..", ".."))
BASIC = os.path.join(SRC, "tests", "plugins", "basic")
STORY = "Yesterday Ann met Bob in Paris.\nThen Cy left.\n"


class EngineTest(unittest.TestCase):
    def setUp(self):
        self.db = lede.Engine()
        self.addCleanup(self.db.close)

    def test_version(self):
        with open(os.path.join(SRC, "include", "lede.h")) as f:
            want = re.search(r'#define LEDE_VERSION_STRING "([^"]+)"', f.read()).group(1)
        self.assertEqual(lede.version(), want)

    def test_ingest_outcomes(self):
        self.assertEqual(self.db.ingest(STORY, key="a", source="Wire"), "added")
        self.assertEqual(self.db.ingest(STORY, key="a", source="Wire"), "unchanged")
        self.assertEqual(self.db.ingest(STORY + "More.", key="a", source="Wire"), "replaced")
        rows = list(self.db.query("SELECT key, source FROM article"))
        self.assertEqual(rows, [{"key": "a", "source": "Wire"}])
        with self.assertRaises(TypeError):
            self.db.ingest("x", key="b", colour="red")

    def test_run_and_spans(self):
        self.db.ingest(STORY, key="a")
        self.db.ingest("Nothing capitalised here, said Zed.", key="b")
        stats = self.db.run(["caps"], plugin_dirs=[BASIC], jobs=1)
        self.assertEqual(stats["plugins"], 1)
        self.assertEqual(stats["computed"], 2)
        spans = list(self.db.spans("cap", article="a"))
        self.assertEqual([s["text"] for s in spans], ["Ann", "Bob", "Paris", "Cy"])
        raw = STORY.encode()
        for s in spans:
            self.assertEqual(raw[s["start"]:s["end"]].decode(), s["text"])
            self.assertEqual(s["word"], s["text"])
            self.assertEqual(s["article"], "a")
        self.assertEqual(len(list(self.db.spans("cap"))), 5)
        self.assertEqual(self.db.run(["caps"], plugin_dirs=[BASIC])["current"], 2)

    def test_progress_cancels(self):
        for i in range(50):
            self.db.ingest("Article %d by Ann." % i, key="k%d" % i)
        calls = []
        with self.assertRaises(lede.LedeError) as cm:
            self.db.run(["caps"], plugin_dirs=[BASIC], jobs=1, progress=lambda done, total: calls.append(done) or True)
        self.assertEqual(cm.exception.code, -12)
        self.assertTrue(calls)

    def test_query_is_read_only(self):
        self.db.ingest(STORY, key="a")
        for sql in ("INSERT INTO run (started_at, command, lede_version) VALUES ('x', 'y', 'z')",
                    "DELETE FROM article", "BEGIN", "PRAGMA user_version = 9",
                    "ATTACH DATABASE ':memory:' AS other"):
            with self.assertRaises(lede.LedeError, msg=sql) as cm:
                self.db.query(sql)
            self.assertEqual(cm.exception.code, -13, sql)
        with self.assertRaises(lede.LedeError) as cm:
            self.db.query("SELECT 1; DELETE FROM article")
        self.assertEqual(cm.exception.code, -3)
        self.assertEqual(next(iter(self.db.query("SELECT count(*) AS n FROM article"))), {"n": 1})
        row = next(iter(self.db.query("SELECT ?1 AS i, ?2 AS s, ?3 AS z, 1.5 AS f, x'00ff' AS b", 7, "é", None)))
        self.assertEqual(row, {"i": 7, "s": "é", "z": None, "f": 1.5, "b": b"\x00\xff"})

    def test_close_with_open_cursor(self):
        cur = self.db.query("SELECT 1 AS one")
        self.db.close()
        self.assertEqual(list(cur), [])

    def test_export(self):
        self.db.ingest(STORY, key="a")
        self.db.run(["caps"], plugin_dirs=[BASIC])
        out = io.BytesIO()
        self.assertEqual(self.db.export("cap", out), 4)
        lines = [json.loads(l) for l in out.getvalue().decode().splitlines()]
        self.assertEqual(lines[0], {"article": "a", "layer": "cap", "start": 10, "end": 13, "text": "Ann",
                                    "word": "Ann", "fold": "ann"})

    def test_file_database_and_errors(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "t.db")
            with lede.Engine(path) as db:
                db.ingest(STORY, key="a")
            with lede.Engine(path, readonly=True) as db:
                self.assertEqual(next(iter(db.query("SELECT key FROM article")))["key"], "a")
            with self.assertRaises(lede.LedeError):
                lede.Engine(os.path.join(d, "missing.db"), readonly=True)
        with self.assertRaises(lede.LedeError) as cm:
            self.db.run(["no_such_plugin"])
        self.assertIn("no_such_plugin", str(cm.exception))


class AnalyzerTest(unittest.TestCase):
    def test_spans_in_memory(self):
        with lede.Analyzer(["caps"], plugin_dirs=[BASIC]) as an:
            spans = an.analyze("Then Zoë met Ann.", key="z")
            self.assertEqual([(s["layer"], s["text"], s["start"], s["end"]) for s in spans],
                             [("cap", "Zoë", 5, 9), ("cap", "Ann", 14, 17)])
            self.assertEqual(an.analyze(""), [])
            # invalid UTF-8 is repaired as ingest does; offsets follow the cleaned text
            spans = an.analyze(b"Then \xff Ann came.")
            self.assertEqual(spans[0]["text"], "Ann")
            self.assertEqual(spans[0]["start"], len("Then \ufffd ".encode()))

    def test_failing_plugin_keeps_others(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "fragile.lua"), "w") as f:
                f.write('return { name = "fragile", layers = { first = {} },\n'
                        '  article = function(doc) error("no luck") end }\n')
            with lede.Analyzer(["caps", "fragile"], plugin_dirs=[BASIC, d]) as an:
                with self.assertRaises(lede.LedeError) as cm:
                    an.analyze("Then Ann came.", key="t1")
                self.assertEqual(cm.exception.code, -10)
                self.assertIn("fragile", str(cm.exception))
                self.assertEqual([s["text"] for s in cm.exception.spans], ["Ann"])

    def test_stock_quotes_and_figures(self):
        text = ('"We lost everything," said Maria Lopez, the mayor of Riverton.\n'
                'At least 12 people were killed in the flood, officials said.\n')
        with lede.Analyzer(["quotes", "casualties"]) as an:
            spans = an.analyze(text, key="flood", source="Example Wire")
        quotes = [s for s in spans if s["layer"] == "quote"]
        figures = [s for s in spans if s["layer"] == "figure"]
        self.assertEqual(quotes[0]["text"], "We lost everything")
        self.assertEqual(quotes[0]["speaker"], "Maria Lopez")
        self.assertEqual(figures[0]["count"], 12)

    def test_unknown_plugin(self):
        with self.assertRaises(lede.LedeError) as cm:
            lede.Analyzer(["no_such_plugin"])
        self.assertIn("no_such_plugin", str(cm.exception))


class DocsTest(unittest.TestCase):
    def test_documented_examples_run(self):
        with open(os.path.join(SRC, "docs", "embedding.md"), encoding="utf-8") as f:
            section = f.read().split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
        blocks = re.findall(r"```python\n(.*?)```", section, re.S)
        self.assertTrue(blocks)
        for code in blocks:
            exec(compile(code, "docs/embedding.md", "exec"), {"__name__": "docs_example"})


if __name__ == "__main__":
    unittest.main()
