"""Privacy detectors: named hardship, and the labelled set (numbers: test_numbers.py; the
post-build scan: test_sitescan.py)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from community_board.privacy import (
    Finding,
    names_person,
    scan_filename,
    scan_hardship,
    scan_numbers,
)

LABELLED = yaml.safe_load((Path(__file__).parent / "data" / "privacy_labelled.yml").read_text("utf-8"))
ALLOWED = frozenset(LABELLED["allowed"])


def detect(text: str) -> list[Finding]:
    found = scan_numbers(text, ALLOWED) + scan_hardship(text)
    if "/" in text and " " not in text:
        found += scan_filename(text, ALLOWED)
    return found


# --- the labelled set (issue 5, item 7) -----------------------------------------------------


def test_labelled_set_is_large_enough_and_mixed():
    kinds = {p["kind"] for p in LABELLED["positives"]}
    assert len(LABELLED["positives"]) >= 100 and len(LABELLED["negatives"]) >= 100
    assert kinds == {"id_number", "mobile", "bank_card", "hardship"}


@pytest.mark.parametrize("item", LABELLED["positives"], ids=lambda p: p["text"][:24])
def test_every_positive_is_caught(item):
    assert any(f.kind == item["kind"] for f in detect(item["text"])), item


def test_at_most_two_false_alarms_on_negatives():
    alarms = [(n["text"], [f.masked for f in detect(n["text"])]) for n in LABELLED["negatives"]]
    alarms = [a for a in alarms if a[1]]
    assert len(alarms) <= 2, alarms


# --- hardship and names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,named",
    [("施福生家庭", True), ("王利华", True), ("欧阳娜娜", True), ("张大爷", True), ("3栋2单元", False),
     ("社区志愿服务队", False), ("白沙井社区", False), ("向阳花志愿队", False), ("张某某", False), ("", False)],
)
def test_names_person(text, named):
    assert names_person(text) is named


def test_hardship_with_a_name_is_found_with_its_line():
    text = "社区开展走访。\n\n低保户施福生家住3栋，老伴常年卧床。"
    found = scan_hardship(text)
    assert [(f.kind, f.line, f.masked) for f in found] == [("hardship", 3, "施**")]
    assert "consent: true" in found[0].hint and "低保" in found[0].message


@pytest.mark.parametrize(
    "text",
    ["社区干部走访 20 户低保家庭", "社区主任王芳带队走访低保户", "李明书记看望特困老人",
     "张某某家庭困难，已纳入救助", "白沙井社区低保户共 23 户", "施福生家庭获评星级文明家庭"],
)
def test_counts_staff_pseudonyms_and_names_without_hardship_pass(text):
    assert scan_hardship(text) == []


def test_name_and_hardship_in_different_sentences_pass():
    assert scan_hardship("王利华家庭获评文明家庭。社区共有低保户 12 户。") == []


def _sentences(texts) -> list[str]:
    return sorted({s.strip() for t in texts for s in re.findall(r"[^。！？!?；;\n]+", t) if s.strip()})


def test_jieba_loaded_for_some_sentences_tags_them_as_the_whole_dictionary(tmp_path):
    """tagger.for_sentences keeps only the dictionary words inside the sentences: tokens, tags
    and the names found must be those of the whole dictionary, for a batch and one by one."""
    import synthetic
    from community_board import tagger
    from community_board.names import _names
    from conftest import ROOT
    synthetic.generate(tmp_path, 150, seed=4)
    texts = [p["text"] for p in LABELLED["positives"] + LABELLED["negatives"]]
    texts += [p.read_text("utf-8") for p in sorted((ROOT / "content").rglob("*.md"))]
    texts += [p.read_text("utf-8") for p in sorted(tmp_path.rglob("*.md"))]
    sentences = _sentences(texts)
    whole = tagger.whole()
    part = tagger.for_sentences(sentences)
    assert len(sentences) > 1000 and len(part.counts) < len(whole.counts) / 10  # a real part, not the whole
    for sentence in sentences:
        assert list(part.cutter.cut(sentence)) == list(whole.cutter.cut(sentence)), sentence
        assert _names(sentence, part) == _names(sentence, whole), sentence
    hardship = _sentences(p["text"] for p in LABELLED["positives"] if p["kind"] == "hardship")[:12]
    for sentence in hardship:
        alone = tagger.for_sentences([sentence])
        assert list(alone.cutter.cut(sentence)) == list(whole.cutter.cut(sentence)), sentence
        assert _names(sentence, alone) == _names(sentence, whole) != [], sentence
