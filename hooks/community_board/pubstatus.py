"""The last publish run's outcome, so that staff see a failed nightly rebuild in check.py.

publish.py writes one small JSON file after every run (`status_path`); `last_failure_line`
turns it into the one Chinese line check.py prints, or None when the last run succeeded.
Plain Python: no MkDocs, no boto3.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Mapping

__all__ = ["status_path", "write_status", "last_failure_line"]

MAX_REASON = 160  # characters of the reason shown in check.py; the log has the rest


def status_path(project: Path, env: Mapping[str, str]) -> Path:
    return Path(env.get("BOARD_PUBLISH_STATUS") or project / ".cache" / "publish-status.json")


def write_status(path: Path, record: Mapping[str, object]) -> None:
    """Atomically (a half-written status would hide a failure)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(json.dumps(dict(record), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temp, path)


def last_failure_line(path: Path) -> str | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # never published from this project folder, or unreadable: nothing to say
    if not isinstance(record, dict) or record.get("ok", True):
        return None
    reason = " ".join(str(record.get("reason") or "原因不明").split())
    if len(reason) > MAX_REASON:
        reason = reason[:MAX_REASON] + "……"
    which = "自动发布" if record.get("scheduled") else "发布"
    log = record.get("log") or "publish.py 的输出"
    return f"上次{which}失败：{record.get('time', '时间不明')}，原因：{reason}（详见 {log}）"
