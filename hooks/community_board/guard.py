"""Privacy checks run on every file's text while it is loaded (filled in by the privacy work)."""
from __future__ import annotations

TEXT_CHECKS: tuple = ()
