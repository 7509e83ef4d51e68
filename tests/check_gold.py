#!/usr/bin/env python3
"""Validate hand-made gold annotations against the articles they describe.

The schema is the one of ../shared/gold/README.md.  Articles are the .txt
files under --corpus (recursively, the gold folder and hidden entries
skipped; other files such as README.md are not articles) and every line of
its .jsonl/.ndjson files.  A .txt article's key is its path relative to
--corpus; its gold file is that key with "/" replaced by "__" and ".txt" by
".json".  A JSON Lines article's key is its "id" (or "key") and its gold file
is "<key>.json".

Checks: every article has a gold file and every gold file an article; JSON
syntax; required keys and their types; enum values; ISO dates; every text
field occurring verbatim in the article; boilerplate and caption entries
being whole trimmed lines, a line listed k times occurring at least k times;
JSON Lines metadata agreeing with the gold meta.  Stdlib only.

Usage: check_gold.py [--corpus DIR] [--gold DIR] [-q]
Exit status: 0 when everything holds, 1 when a problem was found, 2 on bad usage.
"""

import argparse
import collections
import datetime
import json
import os
import sys
import unicodedata

QUOTE_KINDS = {"direct", "partial", "indirect"}
QUALIFIERS = {"exact", "more_than", "at_least", "over", "about", "nearly", "up_to", "vague"}
CATEGORIES = {"killed", "dead", "wounded", "displaced", "abducted", "arrested", "missing"}
SCOPES = {"cumulative", "incident"}

TOP_KEYS = {"file", "meta", "boilerplate_lines", "caption_lines", "quotes",
            "unattributed_quotes", "figures"}
OPTIONAL_TOP_KEYS = {"notes"}
META_KEYS = {"title", "published", "event_date", "outlet", "agency", "dateline"}
QUOTE_KEYS = {"text", "speaker", "speaker_as_written", "cue", "kind"}
FIGURE_KEYS = {"text", "count", "low", "high", "qualifier", "vague", "category",
               "victims", "where", "scope", "as_of"}
OPTIONAL_FIGURE_KEYS = {"repeat"}


class Article:
    def __init__(self, key, text, origin, jsonl=None):
        self.key = key
        self.text = text
        self.origin = origin      # "path" or "path:line", for messages
        self.jsonl = jsonl        # the JSON object of a JSON Lines article
        self.lines = [l.strip() for l in text.split("\n")]


class Report:
    def __init__(self):
        self.problems = []

    def add(self, where, message):
        self.problems.append("%s: %s" % (where, message))


def gold_name(key):
    if key.endswith(".txt"):
        key = key[:-4]
    return key.replace("/", "__") + ".json"


def read_utf8(path, report):
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        report.add(path, "cannot read: %s" % e.strerror)
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        report.add("%s@%d" % (path, e.start), "invalid UTF-8")
        return None


def check_article_text(art, report):
    """Text that ingest would change (NFC, CR) would break verbatim checks later."""
    if not unicodedata.is_normalized("NFC", art.text):
        report.add(art.origin, "text is not in Unicode NFC")
    if "\r" in art.text:
        report.add(art.origin, "text contains a carriage return")
    if not art.text.strip():
        report.add(art.origin, "text is empty")


def load_jsonl(path, rel, articles, report):
    text = read_utf8(path, report)
    if text is None:
        return
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = "%s:%d" % (rel, lineno)
        try:
            obj = json.loads(line)
        except ValueError as e:
            report.add(where, "malformed JSON: %s" % e)
            continue
        if not isinstance(obj, dict):
            report.add(where, "not a JSON object")
            continue
        key = obj.get("id", obj.get("key"))
        body = obj.get("text", obj.get("body"))
        if not isinstance(key, str) or not key:
            report.add(where, "no string id or key")
            continue
        if not isinstance(body, str):
            report.add(where, "no string text or body")
            continue
        add_article(Article(key, body, where, obj), articles, report)


def add_article(art, articles, report):
    if art.key in articles:
        report.add(art.origin, "key %r already used by %s" % (art.key, articles[art.key].origin))
        return
    check_article_text(art, report)
    articles[art.key] = art


def load_articles(corpus, gold_dir, report):
    articles = {}
    gold_real = os.path.realpath(gold_dir)
    for root, dirs, files in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and os.path.realpath(os.path.join(root, d)) != gold_real)
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, corpus).replace(os.sep, "/")
            if name.endswith((".jsonl", ".ndjson")):
                load_jsonl(path, rel, articles, report)
            elif name.endswith(".txt"):
                text = read_utf8(path, report)
                if text is not None:
                    add_article(Article(rel, text, rel), articles, report)
    return articles


def is_iso_date(value):
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


class GoldChecker:
    """Checks one gold file against its article; problems go to the report."""

    def __init__(self, gold_path, gold, art, report):
        self.where = gold_path
        self.gold = gold
        self.art = art
        self.report = report

    def problem(self, field, message):
        self.report.add("%s:%s" % (self.where, field), message)

    def check_keys(self, obj, field, required, optional=frozenset()):
        if not isinstance(obj, dict):
            self.problem(field, "must be an object")
            return False
        for k in sorted(required - obj.keys()):
            self.problem(field, "missing key %r" % k)
        for k in sorted(obj.keys() - required - optional):
            self.problem(field, "unknown key %r" % k)
        return True

    def expect_str(self, value, field, nullable=False, verbatim=False):
        if value is None:
            if not nullable:
                self.problem(field, "must be a string, not null")
            return
        if not isinstance(value, str) or not value.strip():
            self.problem(field, "must be a non-empty string%s" % (" or null" if nullable else ""))
            return
        if value != value.strip():
            self.problem(field, "has leading or trailing white space: %r" % value)
        if verbatim and value not in self.art.text:
            self.problem(field, "not found verbatim in the article: %r" % short(value))

    def expect_date(self, value, field):
        if value is not None and not is_iso_date(value):
            self.problem(field, "must be an ISO date YYYY-MM-DD or null, got %r" % (value,))

    def expect_enum(self, value, field, allowed):
        if value not in allowed:
            self.problem(field, "%r is not one of %s" % (value, ", ".join(sorted(allowed))))

    def run(self):
        g = self.gold
        if not self.check_keys(g, "(top)", TOP_KEYS, OPTIONAL_TOP_KEYS):
            return
        if g.get("file") != self.art.key:
            self.problem("file", "is %r, the article key is %r" % (g.get("file"), self.art.key))
        self.check_meta(g.get("meta"))
        self.check_lines()
        self.check_quotes(g.get("quotes"))
        self.check_unattributed(g.get("unattributed_quotes"))
        self.check_figures(g.get("figures"))
        notes = g.get("notes", [])
        if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
            self.problem("notes", "must be a list of strings")

    def check_meta(self, meta):
        if meta is None or not self.check_keys(meta, "meta", META_KEYS):
            return
        title = meta.get("title")
        self.expect_str(title, "meta.title", nullable=True)
        jsonl_title = self.art.jsonl.get("title") if self.art.jsonl else None
        if isinstance(title, str) and title not in self.art.text and title != jsonl_title:
            self.problem("meta.title", "neither in the article text nor its JSONL title: %r"
                         % short(title))
        for f in ("published", "event_date"):
            self.expect_date(meta.get(f), "meta." + f)
        self.expect_str(meta.get("outlet"), "meta.outlet", nullable=True)
        self.expect_str(meta.get("dateline"), "meta.dateline", nullable=True, verbatim=True)
        agency = meta.get("agency")
        if not isinstance(agency, list) or not all(isinstance(a, str) and a.strip() for a in agency):
            self.problem("meta.agency", "must be a list of non-empty strings")
        elif len({a.casefold() for a in agency}) != len(agency):
            self.problem("meta.agency", "lists a name twice")
        if self.art.jsonl:
            self.check_meta_against_jsonl(meta)

    def check_meta_against_jsonl(self, meta):
        """Metadata given at ingest wins over the text: gold must agree with it."""
        src = self.art.jsonl
        published = src.get("published", src.get("date"))
        if isinstance(published, str) and published[:10] != meta.get("published"):
            self.problem("meta.published", "is %r but the JSONL record says %r"
                         % (meta.get("published"), published))
        source = src.get("source")
        if isinstance(source, str) and source != meta.get("outlet"):
            self.problem("meta.outlet", "is %r but the JSONL source is %r"
                         % (meta.get("outlet"), source))

    def check_lines(self):
        available = collections.Counter(l for l in self.art.lines if l)
        used = collections.Counter()
        for field in ("boilerplate_lines", "caption_lines"):
            entries = self.gold.get(field)
            if not isinstance(entries, list):
                self.problem(field, "must be a list")
                continue
            for i, line in enumerate(entries):
                where = "%s[%d]" % (field, i)
                if not isinstance(line, str) or not line.strip():
                    self.problem(where, "must be a non-empty string")
                elif line != line.strip():
                    self.problem(where, "is not trimmed: %r" % short(line))
                elif line not in available:
                    self.problem(where, "not a whole line of the article: %r" % short(line))
                else:
                    used[line] += 1
        for line, k in sorted(used.items()):
            if k > available[line]:
                self.problem("boilerplate_lines+caption_lines",
                             "line listed %d times but occurs %d times: %r"
                             % (k, available[line], short(line)))

    def check_quotes(self, quotes):
        if not isinstance(quotes, list):
            self.problem("quotes", "must be a list")
            return
        seen = collections.Counter()
        for i, q in enumerate(quotes):
            where = "quotes[%d]" % i
            if not self.check_keys(q, where, QUOTE_KEYS):
                continue
            self.expect_str(q.get("text"), where + ".text", verbatim=True)
            self.expect_str(q.get("speaker"), where + ".speaker")
            self.expect_str(q.get("speaker_as_written"), where + ".speaker_as_written",
                            nullable=True, verbatim=True)
            self.expect_str(q.get("cue"), where + ".cue", nullable=True, verbatim=True)
            if (q.get("speaker_as_written") is None) != (q.get("cue") is None):
                self.problem(where, "speaker_as_written and cue must be both null "
                             "(a quote run's continuation) or both given")
            self.expect_enum(q.get("kind"), where + ".kind", QUOTE_KINDS)
            if isinstance(q.get("text"), str):
                seen[(q["kind"], q["text"])] += 1
        for (kind, text), k in sorted(seen.items(), key=str):
            n = self.art.text.count(text)
            if 0 < n < k:  # n == 0 was reported already
                self.problem("quotes", "%s quote listed %d times but occurs %d times: %r"
                             % (kind, k, n, short(text)))

    def check_unattributed(self, entries):
        if not isinstance(entries, list):
            self.problem("unattributed_quotes", "must be a list")
            return
        for i, text in enumerate(entries):
            self.expect_str(text, "unattributed_quotes[%d]" % i, verbatim=True)

    def check_figures(self, figures):
        if not isinstance(figures, list):
            self.problem("figures", "must be a list")
            return
        seen = collections.Counter()
        for i, f in enumerate(figures):
            where = "figures[%d]" % i
            if not self.check_keys(f, where, FIGURE_KEYS, OPTIONAL_FIGURE_KEYS):
                continue
            self.expect_str(f.get("text"), where + ".text", verbatim=True)
            if isinstance(f.get("text"), str):
                seen[f["text"]] += 1
            self.check_figure_numbers(f, where)
            self.expect_enum(f.get("qualifier"), where + ".qualifier", QUALIFIERS)
            self.expect_enum(f.get("category"), where + ".category", CATEGORIES)
            self.expect_enum(f.get("scope"), where + ".scope", SCOPES)
            self.expect_str(f.get("victims"), where + ".victims")
            self.expect_str(f.get("where"), where + ".where", nullable=True)
            self.expect_date(f.get("as_of"), where + ".as_of")
            if "repeat" in f and f["repeat"] is not True:
                self.problem(where + ".repeat", "must be true when present")
        for text, k in sorted(seen.items()):
            n = self.art.text.count(text)
            if 0 < n < k:  # n == 0 was reported already
                self.problem("figures", "text listed %d times but occurs %d times: %r"
                             % (k, n, short(text)))

    def check_figure_numbers(self, f, where):
        for k in ("count", "low", "high"):
            v = f.get(k)
            if v is not None and (not is_int(v) or v < 0):
                self.problem("%s.%s" % (where, k), "must be a non-negative integer or null")
        count, low, high, vague = f.get("count"), f.get("low"), f.get("high"), f.get("vague")
        if vague is not None and (not isinstance(vague, str) or not vague.strip()):
            self.problem(where + ".vague", "must be a non-empty string or null")
        if (low is None) != (high is None):
            self.problem(where, "low and high must be given together")
        if is_int(low) and is_int(high) and low > high:
            self.problem(where, "low %d is above high %d" % (low, high))
        if count is None and low is None and vague is None:
            self.problem(where, "has no count, no low/high range and no vague word")
        if f.get("qualifier") == "vague" and vague is None:
            self.problem(where + ".vague", "qualifier is vague but vague is null")
        if vague is not None and f.get("qualifier") != "vague":
            self.problem(where + ".qualifier", "vague is %r but qualifier is %r"
                         % (vague, f.get("qualifier")))


def short(text, n=70):
    return text if len(text) <= n else text[:n - 1] + "…"


def load_gold(gold_dir, report):
    golds = {}
    try:
        names = sorted(os.listdir(gold_dir))
    except OSError as e:
        report.add(gold_dir, "cannot list: %s" % e.strerror)
        return golds
    for name in names:
        if not name.endswith(".json") or name.startswith("."):
            continue
        path = os.path.join(gold_dir, name)
        text = read_utf8(path, report)
        if text is None:
            continue
        try:
            golds[name] = (path, json.loads(text))
        except ValueError as e:
            report.add(path, "malformed JSON: %s" % e)
            golds[name] = (path, None)
    return golds


def check(corpus, gold_dir):
    report = Report()
    if not os.path.isdir(corpus):
        report.add(corpus, "not a directory")
        return report, 0
    articles = load_articles(corpus, gold_dir, report)
    golds = load_gold(gold_dir, report)
    expected = {gold_name(key): art for key, art in articles.items()}
    for name in sorted(expected.keys() - golds.keys()):
        report.add(expected[name].origin, "no gold file %s" % os.path.join(gold_dir, name))
    for name in sorted(golds.keys() - expected.keys()):
        report.add(golds[name][0], "no article in %s has this gold file's key" % corpus)
    for name in sorted(golds.keys() & expected.keys()):
        path, gold = golds[name]
        if gold is not None:
            GoldChecker(path, gold, expected[name], report).run()
    return report, len(articles)


def default_paths():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    corpus = os.path.join(root, "corpus")
    return corpus, os.path.join(corpus, "gold")


def main(argv):
    corpus, gold = default_paths()
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=corpus, help="folder of articles (default %(default)s)")
    ap.add_argument("--gold", default=gold, help="folder of gold files (default %(default)s)")
    ap.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    args = ap.parse_args(argv)
    report, n_articles = check(args.corpus, args.gold)
    for p in report.problems:
        print(p, file=sys.stderr)
    if report.problems:
        print("check_gold: %d problem(s) in %s" % (len(report.problems), args.gold), file=sys.stderr)
        return 1
    if not args.quiet:
        print("check_gold: %d articles, gold complete and consistent (%s)" % (n_articles, args.gold))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
