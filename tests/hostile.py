"""The hostile-input oracle shared by tests/test_hostile_*.py (one file per class of attack).

A case is a few files written into a copy of the small fixture community (conftest.ContentTree)
and carries a unique marker token. The oracle is what a user would see, never our internals:

- `check`: the exit status and the Chinese report of `scripts/check.py`;
- `build`: the exit status and the log of `mkdocs build --strict`;
- `leaks`: a byte grep of every output file (gzip decompressed) for a forbidden byte string.

Cases that must be refused are built one per tree (a refusal stops the build). Cases that must
build and show the hostile value as text share one tree and one build (`build_together`).
"""
from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Union

from conftest import DEMO_AS_OF, ROOT, ContentTree, build_site

FileSpec = Union[str, bytes, Callable[[Path], None]]  # text, bytes, or a function that makes the file


@dataclass(frozen=True)
class Case:
    id: str  # unique within its class; the marker is derived from it
    files: dict[str, FileSpec]  # path under content/ -> what to write there
    forbidden: tuple[bytes, ...] = ()  # must not be in any output file; "{m}" is replaced by the marker
    names: str = ""  # a word the refusal must name (usually the file's path under content/)
    note: str = ""

    @property
    def marker(self) -> str:
        return "HX" + re.sub(r"[^A-Za-z0-9]", "", self.id).upper()[:24] + "Q"

    def forbidden_bytes(self) -> list[bytes]:
        m = self.marker.encode()
        return [f.replace(b"{m}", m) for f in self.forbidden] or [m]


def write_case(tree: ContentTree, case: Case) -> None:
    for rel, spec in case.files.items():
        spec = spec.replace("{m}", case.marker) if isinstance(spec, str) else spec
        if callable(spec):
            path = tree.dir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            spec(path)
        else:
            tree.write(rel, spec)


@dataclass
class Run:
    returncode: int
    output: str  # stdout and stderr together

    @property
    def crashed(self) -> bool:
        return self.returncode < 0 or "Traceback (most recent call last)" in self.output


def run_check(tree: ContentTree, as_of: str = DEMO_AS_OF, timeout: float = 120) -> Run:
    env = {k: v for k, v in os.environ.items() if k not in ("BOARD_CONTENT", "SOURCE_DATE_EPOCH", "BOARD_AS_OF")}
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "check.py"), "--content", str(tree.dir),
                           "--as-of", as_of], env=env, capture_output=True, text=True, timeout=timeout)
    return Run(done.returncode, done.stdout + done.stderr)


def run_build(tree: ContentTree, out: Path, as_of: str = DEMO_AS_OF, extra_env: dict | None = None) -> Run:
    done = build_site(out, as_of, content=tree.dir, extra_env={"BOARD_CACHE": str(tree.root / "cache"),
                                                               "BOARD_SHARE_CACHE": str(tree.root / "share"),
                                                               **(extra_env or {})})
    return Run(done.returncode, done.stdout + done.stderr)


def output_files(site_dir: Path) -> Iterator[tuple[str, bytes]]:
    """Every file under site_dir, gzip files decompressed."""
    if not site_dir.is_dir():
        return
    for path in sorted(site_dir.rglob("*")):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if path.suffix == ".gz" or data[:2] == b"\x1f\x8b":
                try:
                    data = gzip.decompress(data)
                except OSError:
                    pass
            yield path.relative_to(site_dir).as_posix(), data


def leaks(site_dir: Path, needles: list[bytes]) -> list[str]:
    """Output files that hold any of the needles (byte grep)."""
    return [rel for rel, data in output_files(site_dir) if any(n in data for n in needles)]


_PROBLEM_LINE = re.compile(r"^(\S+?)(?::\d+)?：(?:字段「([^」]+)」：)?", re.M)


def problem_keys(report: str) -> set[tuple[str, str]]:
    """(file, field) of each problem in a Chinese report (errors.Problem.format), for comparing
    what check.py and the build each said."""
    return {(m.group(1), m.group(2) or "") for m in _PROBLEM_LINE.finditer(report) if "/" in m.group(1)}


@dataclass
class Verdict:
    case: Case
    check: Run
    build: Run
    leaked: list[str] = field(default_factory=list)


def refuse_alone(case: Case, root: Path) -> Verdict:
    """A case that must be refused: its own tree, check.py and the build both run."""
    tree = ContentTree(root)
    write_case(tree, case)
    out = root / "site"
    check = run_check(tree)
    build = run_build(tree, out)
    return Verdict(case, check, build, leaks(out, case.forbidden_bytes()))


def assert_refused(v: Verdict) -> None:
    """Both tools refuse, in Chinese, naming the case's file; they agree; nothing leaked."""
    assert not v.check.crashed and not v.build.crashed, (v.check.output[-2000:], v.build.output[-2000:])
    assert v.check.returncode == 1, v.check.output[-2000:]
    assert v.build.returncode != 0, v.build.output[-2000:]
    if v.case.names:
        assert v.case.names in v.check.output, v.check.output[-2000:]
        assert v.case.names in v.build.output, v.build.output[-2000:]
    assert problem_keys(v.check.output) == problem_keys(v.build.output), (v.check.output, v.build.output)
    assert not v.leaked, v.leaked


def build_together(cases: list[Case], root: Path) -> tuple[Run, Run, Path]:
    """Cases that must build: one tree, one check, one build."""
    tree = ContentTree(root)
    for case in cases:
        write_case(tree, case)
    out = root / "site"
    return run_check(tree), run_build(tree, out), out
