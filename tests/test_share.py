"""Share images and content-hashed asset URLs: what a chat app shows when a page is shared."""
from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from PIL import Image

from community_board import share
from community_board.assets import hashed_path, template_filters, wrap_tables
from community_board.pages import PageSpec
from community_board.share import (SharePlan, find_cjk_font, make_share_image, missing_glyphs,
                                   plan_share_images, wrap_text)

FONT = find_cjk_font(None)
needs_font = pytest.mark.skipif(FONT is None, reason="没有中文字体：apt-get install fonts-noto-cjk")


def photo(tmp_path: Path, name="cover.jpg", color=(30, 120, 60)) -> Path:
    path = tmp_path / name
    Image.new("RGB", (960, 720), color).save(path, "JPEG")
    return path


@needs_font
def test_the_system_font_has_chinese():
    assert missing_glyphs("夏家桥社区宣传窗，重阳节敬老", FONT) == []


@needs_font
@pytest.mark.parametrize("with_cover", [True, False])
def test_image_is_1200x630_with_text_and_the_same_bytes_every_time(tmp_path, with_cover):
    cover = photo(tmp_path) if with_cover else None
    data = make_share_image("重阳节为 90 岁以上老人集体庆生", "夏家桥社区", cover, FONT)
    assert data == make_share_image("重阳节为 90 岁以上老人集体庆生", "夏家桥社区", cover, FONT)
    image = Image.open(io.BytesIO(data))
    assert image.size == (1200, 630)
    plain = Image.open(io.BytesIO(make_share_image(" ", "夏家桥社区", cover, FONT)))
    # the title is drawn in white in the lower part of the picture
    band = (80, 380, 1120, 560)
    white = lambda im: sum(im.convert("L").crop(band).histogram()[231:])
    assert white(image) > white(plain) + 2000


@needs_font
def test_a_character_the_font_lacks_gives_no_image_and_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="community_board.share"):
        assert make_share_image("施𪚥家庭", "夏家桥社区", None, FONT) is None
    assert "𪚥" in caplog.text


def test_no_font_gives_no_image_and_a_warning(caplog, tmp_path):
    with caplog.at_level(logging.WARNING, logger="community_board.share"):
        assert make_share_image("标题", "夏家桥社区", None, None) is None
        assert find_cjk_font(str(tmp_path / "missing.ttc")) is None
    assert "fonts-noto-cjk" in caplog.text and "missing.ttc" in caplog.text


def test_no_font_means_no_share_images_in_the_plan(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(share, "find_cjk_font", lambda setting: None)
    with caplog.at_level(logging.WARNING, logger="community_board.share"):
        plan = plan_share_images([PageSpec("index.md", "首页", "")], lambda s: None, "夏家桥社区宣传窗",
                                 "夏家桥社区", tmp_path / "cache")
    assert plan == SharePlan() and plan.image_for("index.md") is None
    assert "中文字体" in caplog.text


def test_chinese_lines_never_start_with_closing_punctuation():
    measure = lambda s: 10.0 * len(s)
    lines = wrap_text("社区志愿者为老人送去慰问品，共度佳节。", measure, 60, 5)
    assert all(line[0] not in "，。" for line in lines[1:])
    assert "".join(lines) == "社区志愿者为老人送去慰问品，共度佳节。"
    cut = wrap_text("一二三四五六七八九十" * 3, measure, 60, 2)
    assert len(cut) == 2 and cut[-1].endswith("…") and measure(cut[-1]) <= 60


@needs_font
def test_plan_draws_pages_with_photos_once_and_the_rest_share_one_image(tmp_path, monkeypatch):
    cover = photo(tmp_path)
    pages = [PageSpec("activities/a.md", "学雷锋走访", "", kind="activity", image="photos/a.jpg"),
             PageSpec("activities/b.md", "环境整治", "", kind="activity"),
             PageSpec("notices/n.md", "停水通知", "", kind="notice")]
    cover_of = {"photos/a.jpg": cover}.get
    calls = []
    real = share.make_share_image
    monkeypatch.setattr(share, "make_share_image", lambda *a: calls.append(a[0]) or real(*a))
    cache = tmp_path / "cache"
    plan = plan_share_images(pages, cover_of, "夏家桥社区宣传窗", "夏家桥社区", cache)
    assert sorted(calls) == ["夏家桥社区宣传窗", "学雷锋走访"]
    own, generic = plan.image_for("activities/a.md"), plan.image_for("notices/n.md")
    assert own != generic and plan.image_for("activities/b.md") == generic
    assert own.startswith("assets/share/") and own.endswith(".jpg")
    assert plan.files[own].read_bytes()[:2] == b"\xff\xd8"

    calls.clear()
    again = plan_share_images(pages, cover_of, "夏家桥社区宣传窗", "夏家桥社区", cache)
    assert calls == [] and again == plan, "没有变化的页面不应重新生成分享图片"

    renamed = [PageSpec("activities/a.md", "学雷锋走访困难家庭", "", kind="activity", image="photos/a.jpg")]
    changed = plan_share_images(renamed, cover_of, "夏家桥社区宣传窗", "夏家桥社区", cache)
    assert calls == ["学雷锋走访困难家庭"]
    assert changed.image_for("activities/a.md") != own, "标题改了，图片网址也要变（微信按网址缓存）"


def test_asset_urls_carry_the_hash_of_their_bytes(tmp_path):
    theme = tmp_path / "overrides"
    (theme / "assets").mkdir(parents=True)
    css = theme / "assets" / "board.css"
    css.write_text("body{}")
    first = hashed_path("assets/board.css", [theme])
    assert first.startswith("assets/board.css?h=")
    css.write_text("body{color:red}")
    assert hashed_path("assets/board.css", [theme]) != first
    filters = template_filters([theme], "https://xjq.example.cn/board/")
    assert filters["absolute"]("assets/share/x.jpg") == "https://xjq.example.cn/board/assets/share/x.jpg"


def test_wide_tables_scroll_in_a_focusable_box():
    html = wrap_tables('<p>x</p><table>\n<tr><td align="right">1</td></tr></table><p>tablet</p>')
    assert html.count('<div class="cb-table" role="region" aria-label="表格" tabindex="0"><table>') == 1
    assert html.endswith("</table></div><p>tablet</p>")
