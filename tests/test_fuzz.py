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


# --- hostile structures (issue 14.4): deep nesting, anchors, tags, huge scalars, odd unicode ---

from community_board import limits, yamlio  # noqa: E402
from community_board.errors import Problems  # noqa: E402

# Characters editors and pasted text bring: byte-order marks, bidi controls, zero-width joiners,
# YAML's other line breaks (NEL, LS, PS), full-width brackets, CJK. No lone surrogates: no
# editor can save them.
odd_chars = st.characters(blacklist_categories=("Cs",)) | st.sampled_from(
    ["\ufeff", "\u202e", "\u200d", "\u0085", "\u2028", "\u2029", "【", "（", "\t", "\r"])
odd_text = st.text(odd_chars, max_size=40)


def _nest(depth: int, opener: str, closer: str, inner: str) -> str:
    return opener * depth + inner + closer * depth


yaml_structures = st.one_of(
    st.builds(lambda d, v: "title: " + _nest(d, "[", "]", v), st.integers(1, 3000), odd_text),
    st.builds(lambda d, v: "title: " + _nest(d, "{a: ", "}", v), st.integers(1, 500), odd_text),
    st.builds(lambda d: "".join("  " * i + "-\n" for i in range(d)), st.integers(1, 120)),
    st.builds(lambda d: "- " * d + "x\n", st.integers(1, 500)),
    st.builds(lambda a, v: f"title: &{a} {v}\nsummary: *{a}\n", st.sampled_from(["a", "x1", "长"]), odd_text),
    st.builds(lambda v: f"base: &b {{title: {v}}}\n<<: *b\n", odd_text),
    st.builds(lambda t, v: f"title: {t} {v}\n", st.sampled_from(
        ["!!str", "!!binary", "!!python/object/apply:os.system", "!foo", "!", "!!set", "!!omap", "!<tag:x>"]), odd_text),
    st.builds(lambda n, c: "title: " + c * n + "\n", st.integers(1000, 300_000), st.sampled_from(["学", "a", "[", "*"])),
    st.builds(lambda v: f"title: {v}\n", odd_text),
)

markdown_structures = st.lists(st.one_of(
    st.builds(lambda d, c: c * d, st.integers(1, 3000), st.sampled_from(["[", "(", ">", "*", "_", "~", "`", "<div>", "- ", "    "])),
    st.builds(lambda d: "".join("  " * i + "- 项\n" for i in range(d)), st.integers(1, 60)),
    st.builds(lambda d: "> " * d + "引用\n", st.integers(1, 60)),
    st.builds(lambda d: "[a](" * d, st.integers(1, 100)),
    odd_text, st.just("\n\n"),
), max_size=6).map("".join)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(front=yaml_structures, body=markdown_structures,
       which=st.sampled_from(["activity", "notice", "honors", "slogans", "community"]))
def test_hostile_structures_give_problems_never_an_exception(front, body, which):
    with tempfile.TemporaryDirectory() as tmp:
        tree = ContentTree(Path(tmp))
        if which == "activity":
            tree.write("activities/2026/2026-03-06-x.md", f"---\n{front}\ndate: 2026-03-06\ncolumn: leifeng\n---\n{body}")
        elif which == "notice":
            tree.write("notices/2026-03-06-y.md", f"---\n{front}\ndate: 2026-03-06\n---\n{body}")
        elif which == "honors":
            tree.write("honors/2026.yml", f"year: 2026\n{front}")
        else:
            tree.write(f"{which}.yml", front)
        _check(tree)


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(yaml_structures, raw_text, values.map(_dump)))
def test_the_yaml_prefilter_never_skips_a_file_the_event_scan_would_refuse(text):
    """The cheap text test that spares most files the event scan must be sound: whatever the
    scan refuses, the prefilter sends to it."""
    refused = yamlio._scan_refuses(text, "f.yml", Problems(), 0)
    assert not refused or yamlio._may_refuse(text)


@settings(max_examples=200, deadline=None)
@given(text=markdown_structures)
def test_a_text_within_the_nesting_bound_renders_and_one_past_it_is_refused(text):
    import markdown
    deep = limits.nesting_problem(text)
    if deep is None:
        markdown.markdown(text)  # Python-Markdown copes with whatever passes the bound
    else:
        assert any(word in deep for word in ("层", "符号", "太多", "太长")), deep
