"""A build writes into a staging folder beside site/; site/ is replaced only when it passed.

A refused build (the post-build scan found a leak, the disk filled up, a page failed) must
leave the last good site exactly as it was: the web server, `scripts/publish.py` and
`mkdocs serve` keep serving it. The staging and the set-aside folders are hidden siblings of
site/ so that each rename stays on one file system (a rename across file systems fails).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path


def staging_dir(site_dir: Path) -> Path:
    site_dir = Path(site_dir)
    return site_dir.parent / f".{site_dir.name}.staging"


def _aside_dir(site_dir: Path) -> Path:
    return site_dir.parent / f".{site_dir.name}.old"


def fresh(site_dir: Path, copy_site: bool = False) -> Path:
    """An empty staging folder for a build of site_dir (what a killed build left is removed).
    `copy_site`: start from a copy of the current site, for MkDocs' --dirty builds, which
    write only the pages that changed."""
    site_dir = Path(site_dir)
    staging = staging_dir(site_dir)
    discard(staging)
    if copy_site and site_dir.is_dir():
        shutil.copytree(site_dir, staging, symlinks=True)
    else:
        staging.mkdir(parents=True)
    return staging


def swap(staging: Path, site_dir: Path) -> None:
    """Put the finished staging folder in site_dir's place; the old site is removed last.
    If the second rename fails, the old site is put back."""
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
    discard(aside)


def discard(folder: Path | None) -> None:
    """Remove a staging (or set-aside) folder, whatever state it is in."""
    if folder is not None and os.path.lexists(folder):
        if os.path.isdir(folder) and not os.path.islink(folder):
            shutil.rmtree(folder, ignore_errors=True)
        else:
            os.unlink(folder)

