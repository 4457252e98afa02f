#!/usr/bin/env python3
"""比较两次构建出的网站：.venv/bin/python scripts/compare_sites.py 旧网站文件夹 新网站文件夹

Byte comparison of two built sites (issue 16: nothing changes for residents while the
code moves). Prints each file that differs, is missing from the second or is extra in it,
then a one-line summary; exits 0 when the two trees are byte-identical, 1 otherwise, 2 on a
usage error (a folder that does not exist).
"""
from __future__ import annotations

import sys
from pathlib import Path

import _paths  # noqa: F401  (the same start as every staff script)
from _cli import ArgumentParser


def tree(root: Path) -> dict[str, Path]:
    """Every file under root by its POSIX path relative to root (links not followed)."""
    return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


def compare(a: Path, b: Path) -> tuple[list[str], list[str], list[str]]:
    """(differing, missing from b, extra in b), each sorted."""
    old, new = tree(a), tree(b)
    differ = sorted(k for k in old.keys() & new.keys() if old[k].read_bytes() != new[k].read_bytes())
    return differ, sorted(old.keys() - new.keys()), sorted(new.keys() - old.keys())


def main(argv: list[str] | None = None) -> int:
    p = ArgumentParser(prog="compare_sites.py",
                       description="逐字节比较两次构建出的网站文件夹，列出内容不同、缺少和多出的文件；"
                                   "完全相同时退出码为 0，有任何不同时为 1。")
    p.add_argument("a", metavar="旧网站", type=Path, help="先构建的网站文件夹，例如 /tmp/ref-demo")
    p.add_argument("b", metavar="新网站", type=Path, help="后构建的网站文件夹，例如 /tmp/new-demo")
    args = p.parse_args(argv)
    for folder in (args.a, args.b):
        if not folder.is_dir():
            p.error(f"找不到文件夹 {folder}")
    differ, missing, extra = compare(args.a, args.b)
    for label, names in (("内容不同", differ), ("新网站里缺少", missing), ("新网站里多出", extra)):
        for name in names:
            print(f"{label}：{name}")
    total = len(tree(args.a))
    if differ or missing or extra:
        print(f"不一致：{len(differ)} 个文件内容不同，{len(missing)} 个缺少，{len(extra)} 个多出（旧网站共 {total} 个文件）。")
        return 1
    print(f"逐字节相同：{total} 个文件。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
