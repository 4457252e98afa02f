"""The terminal as staff meet it: Chinese --help and usage errors, commands that work as typed,
no English banner from Material, a Chinese stop instead of a traceback without .venv, and
serve.sh saying what it does and what to install."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "error:", "required",
           "invalid", "unrecognized", "expected", "choose from", "Traceback")

HELPS = [["check.py"], ["new.py"], ["new.py", "activity"], ["new.py", "notice"], ["new.py", "honor"],
         ["report.py"], ["photos.py"]]
MISTAKES = [["check.py", "--days", "many"], ["check.py", "--as-of"], ["check.py", "--colour"],
            ["new.py"], ["new.py", "poster"], ["new.py", "honor", "--stars", "9"], ["report.py"],
            ["report.py", "2026-q1", "extra"], ["photos.py"], ["photos.py", "shrink"]]


def run(args: list[str], python: str = PY, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([python, *args], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env=env or {k: v for k, v in os.environ.items() if k != "BOARD_CONTENT"})


@pytest.mark.parametrize("argv", HELPS, ids=" ".join)
def test_help_is_chinese(argv):
    out = run([f"scripts/{argv[0]}", *argv[1:], "--help"])
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("用法："), out.stdout
    assert "显示这段说明后退出" in out.stdout and "选项" in out.stdout
    assert not [w for w in ENGLISH if w in out.stdout], out.stdout


@pytest.mark.parametrize("argv", MISTAKES, ids=" ".join)
def test_usage_error_is_chinese_and_exits_2(argv):
    out = run([f"scripts/{argv[0]}", *argv[1:]])
    assert out.returncode == 2, out.stdout + out.stderr
    assert "用法：" in out.stderr and "：错误：" in out.stderr, out.stderr
    assert not [w for w in ENGLISH if w in out.stderr], out.stderr


def test_usage_error_names_what_was_wrong():
    out = run(["scripts/new.py", "honor", "--stars", "9"])
    assert "--stars" in out.stderr and "9" in out.stderr and "1, 2, 3, 4, 5" in out.stderr


def _runnable(command: str) -> str | None:
    """Why `command`, typed at the project root, would not run (None when it would)."""
    words = [w for w in shlex.split(command.replace("\\\n", " ")) if not re.fullmatch(r"[A-Z_]+=\S*", w)]
    if not words:
        return None
    head = words[0]
    if head in ("python", "python3", "mkdocs", "pip", "pre-commit"):
        return f"{head!r} is not what serve.sh installs on PATH"
    if head == "bash" and not (ROOT / words[1]).is_file():
        return f"no {words[1]}"
    if head.startswith(".venv/") and not (ROOT / head).exists():
        return f"no {head}"
    scripts = [w for w in words if w.startswith("scripts/")]
    missing = [s for s in scripts if not (ROOT / s).is_file()]
    return f"no {missing}" if missing else None


def test_upcoming_prints_a_command_that_runs_as_typed():
    out = run(["scripts/check.py", "--upcoming", "--as-of", "2026-11-25"])
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stdout.splitlines() if "预览" in line]
    assert lines, out.stdout
    command = lines[-1].split("：", 1)[1].split("，")[0].strip()
    assert command.startswith("BOARD_AS_OF=") and "scripts/serve.sh" in command, command
    assert _runnable(command) is None, command


@pytest.mark.parametrize("doc", ["README.md", "docs/staff/index.md", "docs/staff/errors.md"])
def test_documented_commands_run_as_typed(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    commands = [line.split("#")[0].strip() for block in re.findall(r"```bash\n(.*?)```", text, re.S)
                for line in block.replace("\\\n", " ").splitlines()]
    commands += re.findall(r"`((?:[A-Z_]+=\S+ )*(?:\.venv/bin/|bash |python |mkdocs )[^`]*)`", text)
    bad = {c: why for c in commands if (why := _runnable(c))}
    assert not bad, bad
    if doc != "docs/staff/errors.md":
        assert any("scripts/report.py 2026" in c for c in commands), "report.py is not documented with an example"


def test_the_rule_above_catches_a_bare_python():
    assert _runnable("python scripts/check.py") and _runnable("BOARD_AS_OF=2027-01-01 mkdocs serve")
    assert _runnable("bash scripts/nothing.sh") and _runnable(".venv/bin/python scripts/nothing.py")
    assert _runnable(".venv/bin/python scripts/report.py 2026-q3 --docx 总结.docx") is None


def test_material_banner_would_show_without_our_setting():
    """The control: importing Material's theme as `mkdocs` does prints the banner we look for."""
    env = {k: v for k, v in os.environ.items() if k != "NO_MKDOCS_2_WARNING"}
    out = run(["-c", "import sys; sys.argv[0] = 'mkdocs'; import material.templates"], env=env)
    assert "end of life" in out.stderr


@pytest.mark.build
def test_plain_mkdocs_build_shows_no_end_of_life_banner(tree, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_MKDOCS_2_WARNING", "SOURCE_DATE_EPOCH")}
    env.update(BOARD_CONTENT=str(tree.dir), BOARD_AS_OF="2026-03-20")
    mkdocs = str(Path(PY).parent / "mkdocs")
    out = subprocess.run([mkdocs, "build", "-q", "-d", str(tmp_path / "site")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "end of life" not in out.stderr and "Zensical" not in out.stderr and "NO_MKDOCS_2_WARNING" not in out.stderr


@pytest.mark.parametrize("script", ["check.py", "new.py", "report.py", "photos.py"])
def test_without_the_packages_a_script_says_what_to_run(script):
    # -S: this same Python without its site-packages, i.e. a Python where nothing is installed
    assert run(["-S", "-c", "import yaml"]).returncode != 0
    out = run(["-S", f"scripts/{script}", "--help"])
    assert out.returncode == 1
    assert "Traceback" not in out.stderr and "bash scripts/serve.sh" in out.stderr
    assert ".venv/bin/python scripts/" in out.stderr


def _fake_bin(tmp_path: Path, *, root: bool) -> dict:
    """PATH with a python3 that lacks ensurepip (Debian without python3-venv), an apt-get that
    cannot reach its mirror, and id answering as root or not."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    scripts = {
        "python3": '#!/bin/sh\ncase "$*" in *ensurepip*) exit 1;; esac\nexit 0\n',
        "apt-get": '#!/bin/sh\necho "apt-get $*" >> "$(dirname "$0")/apt.log"\nexit 100\n',
        "id": f'#!/bin/sh\necho {0 if root else 1000}\n',
    }
    for name, text in scripts.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    return {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}


@pytest.mark.parametrize("root", [True, False], ids=["root", "not-root"])
def test_serve_sh_without_python3_venv_stops_with_the_command_to_run(tmp_path, root):
    env = _fake_bin(tmp_path, root=root)
    out = subprocess.run(["bash", "scripts/serve.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert "apt-get install -y python3-venv" in out.stderr, out.stderr
    assert ">>> 检查 Python" in out.stdout  # it said what it was doing first
    log = tmp_path / "bin" / "apt.log"
    assert log.exists() == root  # as root it tried apt itself; otherwise it only said what to run
    assert "Traceback" not in out.stderr and "No module" not in out.stderr


@pytest.mark.parametrize("argv", [["check.py"], ["new.py", "activity"], ["report.py"]], ids=" ".join)
def test_help_columns_line_up_with_chinese_option_values(argv):
    """Every option's explanation starts in the same terminal column (a Chinese character is
    two columns wide), and the options shared by new.py's kinds are under one heading."""
    from _cli import _width
    out = run([f"scripts/{argv[0]}", *argv[1:], "--help"]).stdout
    assert out.count("选项") == 1 or argv[0] != "new.py", out
    section = out.split("选项:\n", 1)[1]
    columns = {_width(m.group(1)) for m in re.finditer(r"^(  -\S.*?  +)\S", section, re.M)}
    assert len(columns) == 1, out


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "scripts").glob("[!_]*.py")))
def test_every_script_runs_in_the_test_environment(script):
    """Every script in scripts/ imports what it needs from the environment the README's test
    command makes (bench_photos.py once needed numpy, which no lock file installed)."""
    before = set(ROOT.iterdir())
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / script), "--help"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert set(ROOT.iterdir()) == before, "--help must only print, not run (timeline.py once built into ./--help)"
