"""Whatever staff type, the model answers with its own error, never a traceback."""
from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from community_board.content import load_catalog
from community_board.errors import ContentError
from conftest import ContentTree

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                    st.text(max_size=12), st.sampled_from(["2026-03-05", "2026-02-30", "leifeng", "enviroment",
                                                          "photos/none.jpg", "true", "-1"]))
keys = st.one_of(st.sampled_from(["title", "date", "column", "stats", "photos", "cover", "featured",
                                  "publish", "draft", "participants", "file", "consent", "kind", "name",
                                  "stars", "year", "honors", "slogans", "text", "from", "until", "expires",
                                  "attachments", "columns", "slug"]), st.text(max_size=6))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(keys, inner, max_size=5)), max_leaves=12)
raw_text = st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
                     st.sampled_from(["---\n", "---\n---\n", "a: [\n", "? [a]\n: b\n", "&a [*a]\n", "!!python/object:os.system x\n",
                                      "a: !!binary xx\n", "- - - -\n", "{a: 1, a: 2}\n", "a:\tb\n"]))


def _dump(value) -> str:
    try:
        return yaml.safe_dump(value, allow_unicode=True)
    except Exception:
        return str(value)


def _check(tree: ContentTree) -> None:
    try:
        load_catalog(tree.dir)
    except ContentError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front=st.one_of(values.map(_dump), raw_text), body=st.text(max_size=50))
def test_random_front_matter_never_crashes(front, body):
    with tempfile.TemporaryDirectory() as tmp:
        tree = ContentTree(Path(tmp))
        tree.write("activities/2026/2026-03-06-x.md", f"---\n{front}---\n{body}")
        tree.write("notices/2026-03-06-y.md", f"---\n{front}\n---\n{body}")
        _check(tree)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=st.one_of(values.map(_dump), raw_text), which=st.sampled_from(
    ["community.yml", "honors/2026.yml", "slogans.yml", "boards/2026-q1.yml"]))
def test_random_yaml_files_never_crash(doc, which):
    with tempfile.TemporaryDirectory() as tmp:
        tree = ContentTree(Path(tmp))
        tree.write(which, doc)
        _check(tree)


@settings(max_examples=60, deadline=None)
@given(raw=st.binary(max_size=120))
def test_random_bytes_never_crash(raw):
    with tempfile.TemporaryDirectory() as tmp:
        tree = ContentTree(Path(tmp))
        tree.write("activities/2026/2026-03-06-x.md", raw)
        tree.write("honors/2026.yml", raw)
        _check(tree)
