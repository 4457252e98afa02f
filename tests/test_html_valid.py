"""Every page of the built demo is valid HTML by the Nu HTML checker (vnu-jar from npm).

One JVM checks the whole site (`--skip-non-html DIR`): starting Java once per page would cost
more than the build. Needs java and `npm ci` in tests/browser/; skips with the reason when
either is missing.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

VNU = Path(__file__).parent / "browser" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = pytest.mark.build


def _vnu(folder: Path) -> list[dict]:
    java = shutil.which("java")
    if java is None:
        pytest.skip("java 未安装（apt-get install default-jre-headless）")
    if not VNU.is_file():
        pytest.skip("vnu-jar 未安装：在 tests/browser/ 运行 npm ci")
    result = subprocess.run([java, "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json",
                             "--skip-non-html", str(folder)], capture_output=True, text=True, timeout=600)
    report = json.loads(result.stderr or '{"messages": []}')  # vnu writes its JSON report to stderr
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


def _describe(messages: list[dict], root: Path) -> list[str]:
    return [f"{m.get('url', '').split(str(root), 1)[-1]}:{m.get('lastLine', '')}: {m['message']}"
            f" -> {m.get('extract', '').strip()[:60]!r}" for m in messages]


def test_nu_checker_finds_no_error_on_any_page(demo_site):
    pages = list(demo_site.rglob("*.html"))
    assert len(pages) > 100 and (demo_site / "404.html").is_file()
    errors = _vnu(demo_site)
    assert errors == [], f"Nu HTML 检查发现 {len(errors)} 处错误：\n" + "\n".join(_describe(errors, demo_site)[:30])


def test_nu_checker_does_report_an_invalid_page(tmp_path):
    """The check above can fail: the same run on a page with the errors it once had."""
    (tmp_path / "bad.html").write_text(
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>x</title>'
        '<meta itemprop="name" content="x"></head><body><div markdown="1">x</div></body></html>', encoding="utf-8")
    messages = " ".join(m["message"] for m in _vnu(tmp_path))
    assert "itemprop" in messages and "markdown" in messages
