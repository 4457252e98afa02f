"""The build cache (.cache/build/): a warm build writes the bytes a cold one writes, and a
damaged or foreign cache file is ignored, never a crash."""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from community_board.buildcache import FILE_NAME, MAGIC, BuildCache, packed, version
from conftest import ContentTree, build_site

AS_OF = "2026-11-25"


def tree_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _build(root: Path, content: Path, out: Path, cache: Path, as_of: str = AS_OF) -> dict[str, bytes]:
    env = {"BOARD_BUILD_CACHE": str(cache), "BOARD_CACHE": str(root / "photos"),
           "BOARD_SHARE_CACHE": str(root / "share")}
    result = build_site(out, as_of, content=content, extra_env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return tree_bytes(out)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """A small community built cold, then warm on the cache that left, then edited (one
    activity added, one body changed) and built warm again and cold with an empty cache, then
    once more on a truncated cache file."""
    root = tmp_path_factory.mktemp("buildcache")
    tree = ContentTree(root)
    for day in ("2026-04-02", "2026-05-09", "2026-10-20"):
        tree.activity(f"{day}-visit-{day[5:7]}", text=None)
    cache = root / "cache"
    out = {"cold": _build(root, tree.dir, root / "cold", cache)}
    out["file"] = (cache / FILE_NAME).read_bytes()
    out["warm"] = _build(root, tree.dir, root / "warm", cache)
    out["next-day"] = _build(root, tree.dir, root / "next-day", cache, "2026-11-26")
    out["next-day-cold"] = _build(root, tree.dir, root / "next-day-cold", root / "empty-1", "2026-11-26")
    tree.activity("2026-11-20-new-one")
    edited = tree.dir / "activities/2026/2026-04-02-visit-04.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("走访了", "登门走访了"), encoding="utf-8")
    out["edited-warm"] = _build(root, tree.dir, root / "edited-warm", cache)
    out["edited-cold"] = _build(root, tree.dir, root / "edited-cold", root / "empty-2")
    data = (cache / FILE_NAME).read_bytes()
    (cache / FILE_NAME).write_bytes(data[: len(data) // 2])
    out["truncated"] = _build(root, tree.dir, root / "truncated", cache)
    out["rewritten"] = (cache / FILE_NAME).read_bytes()
    return out


pytestmark = pytest.mark.build


def _same(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    assert sorted(a) == sorted(b), "the two builds have different files"
    return [name for name in a if a[name] != b[name]]


def test_a_warm_build_writes_the_bytes_of_a_cold_one(builds):
    assert builds["file"].startswith(MAGIC) and len(builds["file"]) > 10_000  # the cold build filled it
    assert _same(builds["cold"], builds["warm"]) == []


def test_the_next_day_and_an_edit_on_a_warm_cache_equal_cold_builds(builds):
    assert _same(builds["next-day"], builds["next-day-cold"]) == []
    assert _same(builds["edited-warm"], builds["edited-cold"]) == []
    page = builds["edited-warm"]["activities/2026-04-02-visit-04/index.html"].decode()
    assert "登门走访了" in page and "activities/2026-11-20-new-one/index.html" in builds["edited-warm"]


def test_a_truncated_cache_file_is_ignored_and_written_again(builds):
    assert _same(builds["truncated"], builds["edited-cold"]) == []
    assert builds["rewritten"].startswith(MAGIC) and BuildCache.load  # a whole file again
    assert len(builds["rewritten"]) > 10_000


# --- the file itself -------------------------------------------------------------------------

def _saved(tmp_path: Path, entries: dict, ver: str = "v1") -> BuildCache:
    cache = BuildCache(tmp_path, ver)
    cache.begin_build()
    for key, value in entries.items():
        cache.put(key, value)
    cache.commit()
    cache.save()
    return cache


def test_an_entry_no_build_used_for_a_few_builds_is_dropped(tmp_path):
    from community_board.buildcache import KEEP_BUILDS

    _saved(tmp_path, {"a": "html a", "b": ["parsed", 1]})
    for n in range(KEEP_BUILDS):
        cache = BuildCache.load(tmp_path, "v1")
        assert cache.warm and cache.get("b") == ["parsed", 1] and ("a" in cache._items) == (n < KEEP_BUILDS)
        cache.begin_build()
        cache.get("b")  # used by every build; "a" by none since the first
        cache.put(f"new-{n}", n)
        cache.commit()
        cache.save()
    kept = sorted(k for k, _ in BuildCache.load(tmp_path, "v1").items())
    assert kept == ["b", *(f"new-{n}" for n in range(KEEP_BUILDS))]  # "a" unused for KEEP_BUILDS builds


def test_search_terms_are_written_packed_and_read_back_equal(tmp_path):
    from community_board.search import doc_terms, synonym_groups

    terms = doc_terms("学雷锋志愿服务", "社区志愿者走访 20 户老人，送去米面油。Volunteer day", synonym_groups())
    odd = terms._replace(title=frozenset({"a\x1fb", "c"}))  # a term with the packing's separator
    _saved(tmp_path, {"t": terms, "empty": terms._replace(syllables=frozenset(), chars=frozenset()), "odd": odd,
                      "sent": packed(terms)})  # as a worker sends them
    cache = BuildCache.load(tmp_path, "v1")
    assert cache.get("t") == terms and type(cache.get("t")) is type(terms)
    assert cache.get("empty").syllables == frozenset() and cache.get("odd") == odd
    assert cache.get("sent") == terms and packed(odd) is odd


@pytest.mark.parametrize("damage", [
    lambda data: data[:-1],  # truncated
    lambda data: data[: len(MAGIC) + 10],  # cut inside the payload
    lambda data: data[:-40] + bytes([data[-40] ^ 1]) + data[-39:],  # one bit flipped
    lambda data: b"",  # empty
    lambda data: b"not a cache at all",
    lambda data: MAGIC + pickle.dumps(("v1", {"a": "forged"}, {})) + bytes(32),  # wrong checksum
])
def test_a_damaged_cache_file_is_an_empty_cache(tmp_path, damage):
    _saved(tmp_path, {"a": "html a"})
    path = tmp_path / FILE_NAME
    path.write_bytes(damage(path.read_bytes()))
    cache = BuildCache.load(tmp_path, "v1")
    assert not cache.warm and cache.get("a") is None


def test_a_cache_of_another_version_is_an_empty_cache(tmp_path):
    _saved(tmp_path, {"a": "html a"}, "v1")
    assert not BuildCache.load(tmp_path, "v2").warm
    assert BuildCache.load(tmp_path / "missing", "v1").loaded == 0


def test_the_version_changes_with_the_config_and_the_settings_but_not_the_date(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: a\n", encoding="utf-8")
    base = version(config, {"BOARD_AS_OF": "2026-11-25"})
    assert version(config, {"BOARD_AS_OF": "2026-11-26", "BOARD_JOBS": "1"}) == base
    assert version(config, {"BOARD_SITE_URL": "https://x.example/"}) != base
    config.write_text("site_name: b\n", encoding="utf-8")
    assert version(config, {}) != base


# --- the whole catalog, kept between builds --------------------------------------------------

ID_NUMBER = "33050219850612301X"  # a valid resident ID number (check digit and all)


def _reads(tree, cache):
    from community_board.content import read_catalog

    catalog, problems = read_catalog(tree.dir, cache)
    return catalog, [(p.file, p.message) for p in problems.items]


@pytest.fixture
def cached_tree(tree, tmp_path):
    cache = BuildCache(tmp_path / "cache", "v")
    tree.write("files/notice.txt", "三月份停水安排。\n")
    tree.write("notices/2026-03-02-plan.md", "---\ntitle: 停水安排\ndate: 2026-03-02\nattachments: [files/notice.txt]\n---\n见附件。\n")
    catalog, problems = _reads(tree, cache)
    assert problems == []
    return tree, cache, catalog


def test_unchanged_content_is_not_read_or_checked_again(cached_tree, monkeypatch):
    from community_board import content

    tree, cache, first = cached_tree
    monkeypatch.setattr(content, "_read_catalog", lambda *a: pytest.fail("read and checked again"))
    assert _reads(tree, cache) == (first, [])


@pytest.mark.parametrize("change", ["record", "attachment", "new-file", "link"])
def test_any_change_to_what_the_catalog_was_made_of_is_read_and_checked(cached_tree, change):
    """A record's bytes, an attachment's bytes (same size, same listing), a new entry, a file
    swapped for a link: each is seen, and an ID number in it is refused as on a cold build."""
    tree, cache, _ = cached_tree
    activity = tree.dir / "activities/2026/2026-03-05-leifeng-visit.md"
    if change == "record":
        activity.write_text(activity.read_text(encoding="utf-8").replace("20 户", f"身份证号 {ID_NUMBER} 的"), encoding="utf-8")
    elif change == "attachment":
        tree.write("files/notice.txt", f"联系人身份证 {ID_NUMBER}。\n")
    elif change == "new-file":
        tree.activity("2026-04-01-new", text=f"---\ntitle: 新活动\ndate: 2026-04-01\n---\n身份证 {ID_NUMBER}。\n")
    else:
        outside = tree.root / "outside.md"
        outside.write_text(activity.read_text(encoding="utf-8"), encoding="utf-8")
        activity.unlink()
        activity.symlink_to(outside)
    _, problems = _reads(tree, cache)
    assert problems, "the change was not seen"
    assert all(ID_NUMBER not in message for _, message in problems)  # the report masks the number


def test_a_catalog_with_problems_is_never_kept(tree, tmp_path, monkeypatch):
    from community_board import content

    cache = BuildCache(tmp_path / "cache", "v")
    tree.activity("2026-04-01-bad", text=f"---\ntitle: 登记\ndate: 2026-04-01\n---\n身份证 {ID_NUMBER}。\n")
    assert _reads(tree, cache)[1]
    calls = []
    real = content._read_catalog
    monkeypatch.setattr(content, "_read_catalog", lambda *a: calls.append(1) or real(*a))
    assert _reads(tree, cache)[1] and calls == [1]  # read and checked again, refused again


def test_a_kept_catalog_keeps_the_answers_it_was_made_from(cached_tree):
    """Builds that take the whole catalog still use the checks' answers it was made with:
    they stay in the cache file for the day one record changes."""
    tree, cache, _ = cached_tree
    made_of = set(cache._used)
    for _ in range(4):  # more builds than an unused entry survives
        cache.begin_build()
        _reads(tree, cache)
        cache.commit()
        cache.save()
        cache = BuildCache.load(cache.folder, "v")
    assert made_of <= set(cache._items)


def test_a_record_with_a_problem_is_checked_again_each_time(tree, tmp_path):
    """The answers kept per record file are for files that passed; one with a wrong field
    is reported on every build, not once."""
    cache = BuildCache(tmp_path / "cache", "v")
    tree.activity("2026-04-01-late", text="---\ntitle: 晚会\ndate: 2026-04-01\ncolumn: leifeng\nlocation: 社区\nstats: {volunteers: 很多}\n---\n晚会。\n")
    first = _reads(tree, cache)[1]
    assert any("volunteers" in message or "数字" in message for _, message in first), first
    assert _reads(tree, cache)[1] == first
