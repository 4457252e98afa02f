"""The synthetic community follows the content contract, and is the same bytes every time.

Benchmarks and large-site tests stand on it: a generator that drifts from the contract, or
from itself, would make their figures meaningless.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

import synthetic  # scripts/ is on pytest's pythonpath (pytest.ini)

N = 50
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
STEM = re.compile(r"(\d{4}-\d{2}-\d{2})-(.+)")
STATS = {"participants", "volunteers", "households_visited", "beneficiaries", "donations_yuan", "hours"}
NOTICE_KINDS = {"通知公告", "居务公开", "财务公开", "党务公开", "政策宣传"}
HONOR_KINDS = {"family", "person", "building", "unit", "team"}
HARDSHIP = ("低保", "残疾", "困难家庭")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _front(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    _, fm, body = text.split("---\n", 2)
    return yaml.load(fm, Loader=yaml.CSafeLoader), body


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("syn")
    synthetic.generate(root, N, seed=7)
    return root / "content"


def test_same_arguments_give_the_same_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    counts_a = synthetic.generate(a, N, seed=3)
    counts_b = synthetic.generate(b, N, seed=3)
    assert counts_a == counts_b
    assert _tree(a) == _tree(b)


def test_another_seed_gives_another_community(tmp_path):
    synthetic.generate(tmp_path / "a", N, seed=1)
    synthetic.generate(tmp_path / "b", N, seed=2)
    assert _tree(tmp_path / "a") != _tree(tmp_path / "b")


def test_counts_match_what_was_asked_and_report(content):
    activities = list((content / "activities").glob("*/*.md"))
    assert len(activities) == N
    notices = list((content / "notices").glob("*.md"))
    honors = [h for f in (content / "honors").glob("*.yml") for h in yaml.safe_load(f.read_text("utf-8"))["honors"]]
    # Proportions: about 1 honour per 10, 1 notice per 8, 1 slogan per 50 (at least one of each kind).
    assert len(honors) == 5
    assert len(notices) == round(N / 8)
    slogans = yaml.safe_load((content / "slogans.yml").read_text("utf-8"))
    assert len(slogans["slogans"]) == 1 and slogans["maxims"]


def test_community_has_the_five_columns(content):
    community = yaml.safe_load((content / "community.yml").read_text("utf-8"))
    assert community["name"]
    assert [c["slug"] for c in community["columns"]] == ["leifeng", "festivals", "environment", "classroom", "safety"]


def test_activities_follow_the_name_and_field_rules(content):
    community = yaml.safe_load((content / "community.yml").read_text("utf-8"))
    columns = {c["slug"] for c in community["columns"]}
    for path in (content / "activities").glob("*/*.md"):
        meta, body = _front(path)
        day, slug = STEM.fullmatch(path.stem).groups()
        assert SLUG.fullmatch(slug), path.name
        assert meta["date"] == date.fromisoformat(day), path.name
        assert path.parent.name == day[:4]
        assert meta["title"] and meta["column"] in columns
        assert set(meta["stats"]) <= STATS and all(v >= 0 for v in meta["stats"].values())
        assert 300 <= len(body.strip()) <= 800, path.name
        assert "\n- " in body and "**" in body  # a list and bold, as staff write
        assert meta["date"] <= synthetic.DEFAULT_END


def test_activities_end_in_2026_at_about_five_a_week(tmp_path):
    counts = synthetic.generate(tmp_path, 520, seed=1)
    days = sorted(date.fromisoformat(p.stem[:10]) for p in (tmp_path / "content/activities").glob("*/*.md"))
    assert days[-1].year == 2026
    weeks = (days[-1] - days[0]).days / 7
    assert 4 <= len(days) / weeks <= 6
    assert counts["years"][1] == 2026


def test_notices_honours_and_boards_are_valid(content):
    kinds = set()
    for path in (content / "notices").glob("*.md"):
        meta, _ = _front(path)
        day, slug = STEM.fullmatch(path.stem).groups()
        assert SLUG.fullmatch(slug) and meta["date"] == date.fromisoformat(day)
        assert meta["kind"] in NOTICE_KINDS
        assert "expires" not in meta or meta["expires"] > meta["date"]
        kinds.add(meta["kind"])
    assert kinds == NOTICE_KINDS

    seen = set()
    for path in (content / "honors").glob("*.yml"):
        data = yaml.safe_load(path.read_text("utf-8"))
        assert path.stem == str(data["year"])
        for h in data["honors"]:
            assert h["kind"] in HONOR_KINDS and h["title"] and h["name"]
            assert "date" not in h or h["date"].year == data["year"]
            assert "stars" not in h or 1 <= h["stars"] <= 5
            assert "story" not in h or h["consent"] is True
            seen.add(h["kind"])
    assert seen == HONOR_KINDS

    ids = {p.stem for p in (content / "activities").glob("*/*.md")}
    slogans = {s["text"] for s in yaml.safe_load((content / "slogans.yml").read_text("utf-8"))["slogans"]}
    boards = list((content / "boards").glob("*.yml"))
    assert boards
    for path in boards:
        assert re.fullmatch(r"\d{4}-q[1-4]", path.stem)
        board = yaml.safe_load(path.read_text("utf-8"))
        assert set(board["featured"]) <= ids
        assert set(board.get("slogans", [])) <= slogans


def test_text_passes_the_privacy_rules(content):
    for path in content.rglob("*"):
        if path.is_file():
            text = path.read_text("utf-8")
            # no ID card, mobile or bank card number: no run of 11 or more digits anywhere
            assert not re.search(r"\d{11,}", text.replace(" ", "")), path
    for path in (content / "honors").glob("*.yml"):
        text = path.read_text("utf-8")
        assert not any(word in text for word in HARDSHIP), path


def test_every_file_is_valid_yaml_at_a_larger_size(tmp_path):
    synthetic.generate(tmp_path, 400, seed=5)
    for path in (tmp_path / "content").rglob("*"):
        if path.suffix == ".yml":
            assert isinstance(yaml.load(path.read_text("utf-8"), Loader=yaml.CSafeLoader), dict)
        elif path.suffix == ".md":
            assert isinstance(_front(path)[0], dict)


def test_refuses_to_write_over_existing_content(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "community.yml").write_text("name: 真实社区\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        synthetic.generate(tmp_path, N)
    assert (tmp_path / "content" / "community.yml").read_text(encoding="utf-8") == "name: 真实社区\n"


def test_photos_are_optional_and_referenced(tmp_path):
    counts = synthetic.generate(tmp_path, N, photos=3)
    content = tmp_path / "content"
    assert counts["photos"] == 3 and len(list((content / "photos").rglob("*.jpg"))) == 3
    for path in (content / "activities").glob("*/*.md"):
        for photo in _front(path)[0].get("photos", []):
            assert (content / photo["file"]).is_file() and photo["consent"] is True


def test_the_content_model_accepts_it_whole(tmp_path):
    # The contract is enforced by the model's loader and privacy guard: the generator must
    # pass both, or every benchmark would measure a refused build.
    from community_board.content import load_content

    counts = synthetic.generate(tmp_path, 120, seed=11)
    as_of = synthetic.DEFAULT_END
    content = load_content(tmp_path / "content", as_of)
    shown = [m for m, _ in map(_front, (tmp_path / "content/activities").glob("*/*.md"))
             if not m.get("draft") and m.get("publish", m["date"]) <= as_of]
    assert len(content.activities) == len(shown) > 100
    assert len(content.notices) == counts["notices"]
    assert len(content.honors) == counts["honors"]
