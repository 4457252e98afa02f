"""A build writes into a staging folder beside site/; site/ is replaced only when it passed.

A refused build (the post-build scan found a leak, the disk filled up, a page failed) must
leave the last good site exactly as it was: the web server, `scripts/publish.py` and
`mkdocs serve` keep serving it. The staging and the set-aside folders are hidden siblings of
site/ so that each rename stays on one file system (a rename across file systems fails).
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path


def staging_dir(site_dir: Path) -> Path:
    site_dir = Path(site_dir)
    return site_dir.parent / f".{site_dir.name}.staging"


def _aside_dir(site_dir: Path) -> Path:
    return site_dir.parent / f".{site_dir.name}.old"


def _leftovers(site_dir: Path) -> list[Path]:
    """Old sites whose background removal (swap, later=True) another process had not finished
    when it ended; this process's own are its threads' to remove."""
    mine = f"-{os.getpid()}-"
    return sorted(p for p in site_dir.parent.glob(f".{site_dir.name}.old-*") if mine not in p.name)


def fresh(site_dir: Path, copy_site: bool = False) -> Path:
    """An empty staging folder for a build of site_dir (what a killed build left is removed).
    `copy_site`: start from a copy of the current site, for MkDocs' --dirty builds, which
    write only the pages that changed."""
    site_dir = Path(site_dir)
    staging = staging_dir(site_dir)
    discard(staging)
    for leftover in _leftovers(site_dir):
        discard(leftover)
    if copy_site and site_dir.is_dir():
        shutil.copytree(site_dir, staging, symlinks=True)
    else:
        staging.mkdir(parents=True)
    return staging


def swap(staging: Path, site_dir: Path, later: bool = False) -> threading.Thread | None:
    """Put the finished staging folder in site_dir's place; the old site is removed last.
    If the second rename fails, the old site is put back. `later` (serve): the old site is
    removed by a thread (returned) while the preview already shows the new one: deleting
    3,600 files took 0.6 s on this project's ext4 disk, a quarter of a serve rebuild; a
    removal cut short by the process's end is finished by the next build (fresh)."""
    staging, site_dir = Path(staging), Path(site_dir)
    aside = _aside_dir(site_dir)
    discard(aside)
    had_site = site_dir.exists()
    if had_site:
        os.rename(site_dir, aside)
    try:
        os.rename(staging, site_dir)
    except OSError:
        if had_site:
            os.rename(aside, site_dir)
        raise
    if not (later and had_site):
        discard(aside)
        return None
    doomed = aside.with_name(f"{aside.name}-{os.getpid()}-{time.monotonic_ns()}")
    os.rename(aside, doomed)  # a name of its own: the next swap's aside never meets it
    remover = threading.Thread(target=discard, args=(doomed,), daemon=True, name="board-old-preview")
    remover.start()
    return remover


def discard(folder: Path | None) -> None:
    """Remove a staging (or set-aside) folder, whatever state it is in."""
    if folder is not None and os.path.lexists(folder):
        if os.path.isdir(folder) and not os.path.islink(folder):
            shutil.rmtree(folder, ignore_errors=True)
        else:
            os.unlink(folder)

