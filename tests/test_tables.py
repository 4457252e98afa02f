"""Tables that fit a phone: each value carries its column's heading, or the table is left alone."""
from __future__ import annotations

import re

import markdown

from community_board.tables import STACK_ATTR, label_tables


def _md(text: str) -> str:
    return markdown.markdown(text, extensions=["tables"])


def test_a_markdown_table_gets_every_value_labelled():
    html = label_tables(_md("| 项目 | 收入（元） | 支出（元） |\n|---|--:|--:|\n| 物业费 | 1,200 | |\n| 维修 | | 350 |\n"))
    assert STACK_ATTR in html
    labels = re.findall(r'<td data-label="([^"]*)"', html)
    assert labels == ["项目", "收入（元）", "支出（元）"] * 2


def test_labels_are_plain_escaped_text():
    html = label_tables('<table><thead><tr><th><em>A&amp;B</em> "x"</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>')
    assert '<td data-label="A&amp;B &quot;x&quot;">1</td>' in html


def test_row_headings_stay_headings():
    html = label_tables('<table><thead><tr><th>项目</th><th>本期</th></tr></thead>'
                        '<tbody><tr><th scope="row">活动</th><td>4</td></tr></tbody></table>')
    assert '<th scope="row">活动</th><td data-label="本期">4</td>' in html


def test_tables_of_another_shape_are_left_alone():
    for table in ('<table><tbody><tr><td>1</td><td>2</td></tr></tbody></table>',  # no headings
                  '<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td colspan="2">1</td></tr></tbody></table>',
                  '<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>',
                  '<table><thead><tr><th>a</th></tr><tr><th>b</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>'):
        assert label_tables(table) == table
    assert label_tables("<p>没有表格</p>") == "<p>没有表格</p>"


def test_labelling_twice_changes_nothing():
    once = label_tables(_md("| a | b |\n|---|---|\n| 1 | 2 |\n"))
    assert label_tables(once) == once
