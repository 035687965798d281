#!/usr/bin/env python3
"""Runs the test suite of feedparser (Universal Feed Parser) against kanbao.

Each suite feed carries its expectation in its header comment (`Expect:`),
a Python expression over what feedparser returns (`entries[0]['title'] ==
'…'`). This script downloads feedparser's source distribution (pinned and
checked by its SHA-256), reads every suite feed through kanbao's feed path,
builds from kanbao's output the names an expectation uses, and evaluates
every expectation whose names kanbao models (see MODELLED). The date-parser
table of the suite's runtests.py is run too, each date as an item's
pubDate.

Texts are compared as a reader sees them: feedparser returns sanitised
HTML and kanbao plain paragraphs, so an expected HTML value is reduced to
its text (tags dropped, entities decoded, white space collapsed) and
compared with kanbao's text reduced the same way. Dates are compared as
UTC instants, as feedparser's `*_parsed` tuples are.

Usage: suite.py --kanbao BIN --cache DIR --allow FILE [--report FILE]

Prints one JSON object on the last line of stdout: the counts, the
failures not in the allow-list, and the allow-list entries that now pass.
Exit status 0 if the run finished, 2 if the suite could not be fetched.
"""

import argparse
import ast
import hashlib
import html
import html.parser
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.parse
import http.server
from datetime import datetime, timezone

VERSION = "6.0.11"
SDIST = f"feedparser-{VERSION}.tar.gz"
SHA256 = "c9d0407b64c6f2a065d0ebb292c2b35c01050cc0dc33757461aaabdc4c4184d5"

# The suite's folders, as runtests.py reads them (http/ is feedparser's own
# HTTP client: redirects, status codes, compression).
FOLDERS = ("wellformed", "illformed", "encoding", "entities")


# --- the suite ------------------------------------------------------------


def fetch_suite(cache):
    """The suite's tests/ folder, downloaded once into `cache`."""
    os.makedirs(cache, exist_ok=True)
    tests = os.path.join(cache, f"feedparser-{VERSION}", "tests")
    if os.path.isdir(tests):
        return tests
    archive = os.path.join(cache, SDIST)
    if not os.path.exists(archive):
        command = [
            sys.executable, "-m", "pip", "download", f"feedparser=={VERSION}",
            "--no-deps", "--no-binary", ":all:", "--disable-pip-version-check",
            "-q", "-d", cache,
        ]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0 or not os.path.exists(archive):
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            print(f"cannot download feedparser {VERSION} with pip: {last}", file=sys.stderr)
            sys.exit(2)
    with open(archive, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != SHA256:
        os.remove(archive)
        print(f"{SDIST}: SHA-256 {digest}, expected {SHA256}; removed it", file=sys.stderr)
        sys.exit(2)
    prefix = f"feedparser-{VERSION}/tests/"
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith(prefix) and m.isfile()]
        tar.extractall(cache, members=members, filter="data")
    return tests


SKIP_RE = re.compile(rb"SkipUnless:\s*(.*?)\n")
DESC_RE = re.compile(rb"Description:\s*(.*?)\s*Expect:\s*(.*)\s*-->")
HEADER_RE = re.compile(rb"^Header:\s+([^:]+):(.+)$", re.MULTILINE)


def as_utf8(data):
    """The comment of a UTF-16/32 or EBCDIC file made readable, as
    runtests.py does before it looks for the expectation."""
    for head, codec, skip in (
        (b"\x4c\x6f\xa7\x94", "cp037", 0),
        (b"\x00\x00\xfe\xff", "utf-32be", 0),
        (b"\xff\xfe\x00\x00", "utf-32le", 0),
        (b"\x00\x00\x00\x3c", "utf-32be", 0),
        (b"\x3c\x00\x00\x00", "utf-32le", 0),
        (b"\x00\x3c\x00\x3f", "utf-16be", 0),
        (b"\x3c\x00\x3f\x00", "utf-16le", 0),
        (b"\xfe\xff", "utf-16be", 2),
        (b"\xff\xfe", "utf-16le", 2),
    ):
        if data.startswith(head):
            return data[skip:].decode(codec).encode("utf-8")
    return data


def cases(tests):
    """(name, path, expectation, headers) of every suite feed."""
    out = []
    for folder in FOLDERS:
        for root, _, files in os.walk(os.path.join(tests, folder)):
            for name in sorted(files):
                if not name.endswith(".xml"):
                    continue
                path = os.path.join(root, name)
                with open(path, "rb") as f:
                    data = f.read()
                text = as_utf8(data)
                found = DESC_RE.search(text)
                if not found:
                    continue
                skip = SKIP_RE.search(text)
                if skip:
                    try:
                        if not eval(skip.group(1).strip().decode("utf-8"), {"__import__": __import__}):
                            continue
                    except Exception:
                        continue
                headers = {
                    k.decode("utf-8").strip().lower(): v.decode("utf-8").strip()
                    for k, v in HEADER_RE.findall(text)
                }
                expect = found.group(2).strip().decode("utf-8")
                out.append((os.path.relpath(path, tests), path, expect, headers))
    return sorted(out)


def date_cases(tests):
    """The date table of runtests.py: (parser, date text, UTC tuple or None)."""
    with open(os.path.join(tests, "runtests.py"), encoding="utf-8") as f:
        tree = ast.parse(f.read())
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "date_tests" for t in node.targets)
        ):
            table = node.value
            break
    else:
        raise SystemExit("runtests.py: no date_tests table")
    out = []
    for key, rows in zip(table.keys, table.values):
        parser = key.id
        for n, row in enumerate(rows.elts):
            text, expected = ast.literal_eval(row)
            out.append((f"dates/{parser}/{n:02}", text, expected))
    return out


# --- what kanbao models ---------------------------------------------------

# Paths an expectation may use, with the kanbao value each one reads. `N`
# stands for any entry index. Anything else (feed-level metadata other than
# the title, xml:base and language details, iTunes, geo, enclosures,
# contributors, the encoding's name …) is not modelled, and an expectation
# using it is skipped.
MODELLED = {
    ("bozo",): "warnings",
    ("feed", "title"): "feed title",
    ("feed", "title_detail", "value"): "feed title",
    ("entries", "N", "title"): "title",
    ("entries", "N", "title_detail", "value"): "title",
    ("entries", "N", "description"): "text",
    ("entries", "N", "summary"): "text",
    ("entries", "N", "summary_detail", "value"): "text",
    ("entries", "N", "content", 0, "value"): "text",
    ("entries", "N", "link"): "url",
    ("entries", "N", "author"): "byline",
    ("entries", "N", "author_detail", "name"): "byline",
    ("entries", "N", "published_parsed"): "published",
    ("entries", "N", "updated_parsed"): "published",
    ("entries", "N", "created_parsed"): "published",
    ("encoding",): "decoding",
}


def paths(expression):
    """Every name an expression reads, as a path of keys, or None if it
    reads something in a way the model cannot follow (a method call)."""
    found = []
    tree = ast.parse(expression, mode="eval")

    def chain(node):
        keys = []
        while isinstance(node, (ast.Subscript, ast.Attribute)):
            if isinstance(node, ast.Attribute):
                keys.append(node.attr)
            else:
                index = node.slice
                if not isinstance(index, ast.Constant):
                    return None
                keys.append(index.value)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        return (node.id, *reversed(keys))

    def visit(node):
        if isinstance(node, (ast.Subscript, ast.Attribute)):
            path = chain(node)
            if path is None:
                found.append(None)
            else:
                found.append(path)
            return
        if isinstance(node, ast.Name) and node.id not in ("ord", "len", "None", "True", "False"):
            found.append((node.id,))
            return
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id in ("ord", "len")):
                found.append(None)
                return
            for arg in node.args:
                visit(arg)
            return
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def modelled(path):
    if path is None:
        return False
    if path[:1] == ("entries",) and len(path) > 1 and isinstance(path[1], int):
        path = ("entries", "N", *path[2:])
    return path in MODELLED


def family(name, expression):
    """The family a check belongs to, for the report."""
    parts = name.split("/")
    if parts[0] in ("encoding", "entities", "illformed", "dates"):
        return parts[0]
    if parts[1] in ("atom", "rdf", "sanitize", "amp"):
        return {"atom": "atom03", "rdf": "rss1.0"}.get(parts[1], parts[1])
    for key in ("title", "link", "author", "published", "updated", "created"):
        if f"['{key}" in expression:
            return {"published": "dates", "updated": "dates", "created": "dates"}.get(key, key + "s")
    return "content"


# --- texts as a reader sees them ------------------------------------------

SPACE = re.compile(r"\s+")


class Text(html.parser.HTMLParser):
    """An HTML fragment's text, as a reader sees it."""

    HIDDEN = {"script", "style", "head", "title", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in ("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"):
            self.out.append(" ")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        else:
            self.out.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.out.append(data)


def reduce(value):
    """Text compared as a reader sees it: white space collapsed, and the
    non-breaking space as a space."""
    return SPACE.sub(" ", value.replace("\xa0", " ")).strip()


def html_text(value):
    parser = Text()
    parser.feed(value)
    parser.close()
    return reduce("".join(parser.out))


class Compared(str):
    """A kanbao string standing where feedparser returns one, compared by
    `same` (defined by each kind) rather than character by character."""

    def same(self, other):
        raise NotImplementedError

    def __eq__(self, other):
        if isinstance(other, str):
            return self.same(other)
        return NotImplemented

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = str.__hash__


class Html(Compared):
    """A kanbao text standing where feedparser returns HTML: equal to an
    expected HTML value whose text is the same."""

    def same(self, other):
        return reduce(str(self)) == html_text(other)


class Url(Compared):
    """A link, equal to another that differs only in the case of its
    scheme and host, which do not matter (RFC 3986, 6.2.2.1)."""

    @staticmethod
    def normal(url):
        parts = urllib.parse.urlsplit(url)
        return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()

    def same(self, other):
        return Url.normal(str(self)) == Url.normal(other)


class Plain(Compared):
    """A kanbao title standing where feedparser returns text, not HTML
    (Atom's `type="text"`): equal to the same text."""

    def same(self, other):
        return reduce(str(self)) == reduce(other)


TEXT_TITLE = re.compile(rb"<entry.*?<title[^>]*type=[\"'](?:text|text/plain)[\"']", re.S)


def utc_tuple(stamp):
    if stamp is None:
        return None
    when = datetime.fromisoformat(stamp).astimezone(timezone.utc)
    return tuple(when.timetuple()[:8]) + (0,)


class Decoding:
    """`encoding == X` as kanbao models it: every text kanbao read is in the
    document decoded as X (so it was decoded as X, or as an encoding that
    agrees with X on this document)."""

    def __init__(self, path, texts, read):
        self.path, self.texts, self.read = path, texts, read

    def __eq__(self, label):
        if not self.read or not isinstance(label, str):
            return False
        with open(self.path, "rb") as f:
            data = f.read()
        try:
            document = data.decode(label)
        except (LookupError, UnicodeDecodeError):
            return False
        document = reduce(html.unescape(document.lstrip("\ufeff")))
        return all(reduce(t) in document for t in self.texts if t)

    __hash__ = object.__hash__


class Dict(dict):
    """A dict whose keys read as attributes too, as feedparser's do."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def deep(value):
    if isinstance(value, dict):
        return Dict({k: deep(v) for k, v in value.items()})
    if isinstance(value, list):
        return [deep(v) for v in value]
    return value


LINK_MARK = re.compile(r"\[(\d+)\]")


def article_text(article):
    """An item's text without the numbers kanbao puts after each link's
    text (`platypus[1]`), which stand where the HTML has an anchor."""
    links = len(article.get("links") or [])
    text = " ".join(article.get("paragraphs") or [])
    return LINK_MARK.sub(lambda m: "" if 1 <= int(m.group(1)) <= links else m.group(0), text)


def environment(path, result):
    """The names an expectation reads, from kanbao's output for one file."""
    feed_title = result["feed"]["title"] if result["feed"] else None
    with open(path, "rb") as f:
        # feedparser gives an Atom title of type text as text, others as HTML.
        title_kind = Plain if TEXT_TITLE.search(f.read()) else Html
    entries = []
    texts = [feed_title] if feed_title else []
    for a in result["articles"]:
        # An item whose title has no text has none in kanbao.
        title = " ".join(t for t in (a.get("kicker"), a.get("title")) if t)
        text = article_text(a)
        texts += [title, text]
        entry = {
            "title": title_kind(title),
            "description": Html(text),
            "summary": Html(text),
            "content": [{"value": Html(text)}],
            "link": Url(a["url"]) if a.get("url") else None,
            "author": (a.get("byline") or {}).get("text"),
            "published_parsed": utc_tuple(a.get("published")),
        }
        entry["title_detail"] = {"value": entry["title"]}
        entry["summary_detail"] = {"value": entry["summary"]}
        entry["author_detail"] = {"name": entry["author"]}
        entry["updated_parsed"] = entry["created_parsed"] = entry["published_parsed"]
        entries.append({k: v for k, v in entry.items() if v is not None})
    feed = {}
    if result["feed"] is not None:
        # A feed read without a title has one with no text.
        feed = {"title": Html(feed_title or ""), "title_detail": {"value": Html(feed_title or "")}}
    return {
        "bozo": bool(result["warnings"]) or result["feed"] is None,
        "feed": deep(feed),
        "entries": deep(entries),
        "encoding": Decoding(path, texts, result["feed"] is not None),
        "ord": ord,
        "len": len,
    }


def evaluate(expression, env):
    try:
        return bool(eval(expression, {"__builtins__": {}}, env))
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return False


# --- running kanbao -------------------------------------------------------


def run_kanbao(kanbao, files):
    """kanbao parse --json over `files`: per file, its feed (title, items),
    articles and warnings; a file kanbao failed to read has feed None."""
    results = {f: {"feed": None, "articles": [], "warnings": []} for f in files}
    for start in range(0, len(files), 400):
        batch = files[start:start + 400]
        done = subprocess.run(
            [kanbao, "parse", "--json", *batch], capture_output=True, env={**os.environ, "NO_COLOR": "1"}
        )
        output = json.loads(done.stdout)
        for feed in output.get("feeds", []):
            results[feed["path"]]["feed"] = feed
        for article in output["articles"]:
            results[article["source"]["path"]]["articles"].append(article)
        for warning in output["warnings"]:
            file = next((f for f in batch if warning.startswith(f + ":")), None)
            if file:
                results[file]["warnings"].append(warning[len(file) + 1:].strip())
    return results


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def serve(tests, headers_of):
    """A 127.0.0.1 server for the suite files that carry HTTP headers; it
    sends each file with its `Header:` lines, as runtests.py does."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            path = os.path.join(tests, self.path.lstrip("/"))
            try:
                with open(path, "rb") as f:
                    body = f.read()
            except OSError:
                self.send_error(404)
                return
            headers = dict(headers_of.get(self.path.lstrip("/"), {}))
            self.send_response(int(headers.pop("status", 200)))
            self.send_header("Content-Type", headers.pop("content-type", "application/xml"))
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_kanbao_http(kanbao, tests, http_cases, workdir):
    """The files that carry HTTP headers, fetched by `kanbao fetch` from a
    127.0.0.1 server that sends those headers; the stored items are then
    read back with `kanbao parse --json`. Per file, as run_kanbao."""
    headers_of = {name: headers for name, _, _, headers in http_cases}
    server = serve(tests, headers_of)
    port = server.server_address[1]
    ids = {name: f"t{n}" for n, (name, _, _, _) in enumerate(http_cases)}
    lines = []
    for name, _, _, _ in http_cases:
        lines.append(
            f'[[feeds]]\nid = "{ids[name]}"\ntitle = "{ids[name]}"\nkind = "feed"\n'
            f'url = "http://127.0.0.1:{port}/{name}"\nstore = "store/{ids[name]}"\n'
        )
    config = os.path.join(workdir, "config.toml")
    with open(config, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "XDG_STATE_HOME": os.path.join(workdir, "state"),
        "XDG_CACHE_HOME": os.path.join(workdir, "cache"),
    }
    fetched = subprocess.run([kanbao, "--config", config, "fetch"], capture_output=True, env=env, text=True)
    server.shutdown()
    said = {}
    for line in (fetched.stdout + fetched.stderr).splitlines():
        feed_id, _, message = line.partition(": ")
        said.setdefault(feed_id, []).append(message)
    results = {}
    for name, path, _, _ in http_cases:
        feed_id = ids[name]
        messages = said.get(feed_id, [])
        failed = any(m.startswith("failed") for m in messages)
        store = os.path.join(workdir, "store", feed_id)
        items = sorted(
            os.path.join(store, f) for f in (os.listdir(store) if os.path.isdir(store) else []) if f.endswith(".txt")
        )
        articles = []
        if items:
            parsed = subprocess.run([kanbao, "parse", "--json", *items], capture_output=True, env=env)
            articles = json.loads(parsed.stdout)["articles"]
        results[path] = {
            # The title of a fetched feed is not kept (the configured one
            # is shown): see main().
            "feed": None if failed else {"title": None, "items": len(articles)},
            "articles": articles,
            "warnings": [m for m in messages if m.startswith(("warning", "failed"))],
        }
    return results


# --- the run --------------------------------------------------------------


def date_feed(text):
    escaped = html.escape(text, quote=False)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>dates</title>'
        f"<item><title>date</title><pubDate>{escaped}</pubDate></item></channel></rss>\n"
    ).encode("utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kanbao", required=True)
    parser.add_argument("--cache", required=True)
    parser.add_argument("--allow", required=True)
    parser.add_argument("--report", help="write every check's result here, one per line")
    args = parser.parse_args()

    tests = fetch_suite(args.cache)
    allowed = {}
    with open(args.allow, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, _, reason = line.partition(" ")
            if not reason.strip():
                raise SystemExit(f"{args.allow}:{n}: {name} has no reason; write why after the name")
            allowed[name] = reason.strip()

    suite = cases(tests)
    checks = []  # (name, family, expression, path)
    skipped = 0
    for name, path, expect, headers in suite:
        found = paths(expect)
        if headers and ("feed", "title") in found:
            # Fetched feeds keep their items, not the feed's own title.
            skipped += 1
        elif found and all(modelled(p) for p in found) and any(p != ("bozo",) or "bozo" == expect.strip() for p in found):
            checks.append((name, family(name, expect), expect, path, headers))
        else:
            skipped += 1

    started = time.monotonic()
    with tempfile.TemporaryDirectory() as work:
        dates = date_cases(tests)
        date_files = {}
        os.makedirs(os.path.join(work, "dates"))
        for name, text, expected in dates:
            file = os.path.join(work, name.replace("/", "_") + ".xml")
            with open(file, "wb") as f:
                f.write(date_feed(text))
            date_files[name] = (file, expected, text)
        local = [c for c in checks if not c[4]]
        remote = [(c[0], c[3], c[2], c[4]) for c in checks if c[4]]
        results = run_kanbao(args.kanbao, [c[3] for c in local] + [f for f, _, _ in date_files.values()])
        if remote:
            os.makedirs(os.path.join(work, "http"))
            results.update(run_kanbao_http(args.kanbao, tests, remote, os.path.join(work, "http")))
    seconds = time.monotonic() - started

    outcomes = []  # (name, family, passed, detail)
    for name, fam, expect, path, _ in checks:
        result = results[path]
        passed = evaluate(expect, environment(path, result))
        detail = "" if passed else summary(result)
        outcomes.append((name, fam, passed, expect if passed else f"{expect}  ⟶  {detail}"))
    for name, (file, expected, text) in date_files.items():
        result = results[file]
        got = utc_tuple(result["articles"][0].get("published")) if result["articles"] else None
        passed = got == (tuple(expected) if expected else None)
        outcomes.append((name, "dates", passed, f"{text!r}: expected {expected}, got {got}"))

    families = {}
    for name, fam, passed, _ in outcomes:
        total, good = families.get(fam, (0, 0))
        families[fam] = (total + 1, good + passed)
    failures = [(n, d) for n, _, p, d in outcomes if not p]
    unexpected = [f"{n}: {d}" for n, d in failures if n not in allowed]
    passing_allowed = sorted(set(allowed) & {n for n, _, p, _ in outcomes if p})
    unknown_allowed = sorted(set(allowed) - {n for n, _, _, _ in outcomes})
    if args.report:
        with open(args.report, "w", encoding="utf-8") as f:
            for name, fam, passed, detail in outcomes:
                f.write(f"{'pass' if passed else 'FAIL'} {fam:10} {name}  {detail}\n")
    print(json.dumps({
        "feeds": len(suite),
        "skipped": skipped,
        "checks": len(outcomes),
        "passed": sum(p for _, _, p, _ in outcomes),
        "allowed": len([n for n, _ in failures if n in allowed]),
        "seconds": round(seconds, 1),
        "families": {k: f"{g}/{t}" for k, (t, g) in sorted(families.items())},
        "unexpected": unexpected,
        "passing_allowed": passing_allowed,
        "unknown_allowed": unknown_allowed,
    }, ensure_ascii=False))


def summary(result):
    """What kanbao made of a file, briefly, for a failure's line."""
    if result["feed"] is None:
        return "failed: " + "; ".join(result["warnings"])[:200]
    parts = []
    if result["feed"].get("title") is not None:
        parts.append(f"feed title {result['feed']['title']!r}")
    for a in result["articles"][:1]:
        parts.append(
            f"title {a.get('title')!r} text {' '.join(a.get('paragraphs') or [])[:120]!r} "
            f"url {a.get('url')!r} byline {a.get('byline')!r} published {a.get('published')!r}"
        )
    if not result["articles"]:
        parts.append("no items")
    if result["warnings"]:
        parts.append("warnings: " + "; ".join(result["warnings"])[:160])
    return ", ".join(parts)


if __name__ == "__main__":
    main()
