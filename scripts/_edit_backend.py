"""The web editor's local backend: Decap CMS's proxy protocol (POST /api/v1 with a JSON
{"action": ..., "params": ...}), answered over the project's files, with every save a git commit.

decap-server (packages/decap-server, its local_fs middleware) only writes files; here each
save that writes or removes files is committed at once with exactly those files, so staff can
see and undo every change (`git log`). Paths are confined to content/: anything else, a `..`,
an absolute path or a link out of content/ is refused before a file is touched. Uploaded photos
go to content/photos/YYYY/ whatever folder the CMS chose, and the record's text is rewritten to
the path the file got. A new record arrives named with its kind's placeholder (Decap cannot
turn a Chinese title into pinyin): it is stored under the contract's id, the date and the
ASCII slug of its title, and the placeholder path stays an alias of it for the session, so the
open form keeps working. Nothing here knows HTTP (edit_server.py does); `handle` is the protocol.
"""
from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Callable

import yaml

from community_board.attachments import unsafe
from community_board.editor_config import placeholder_slug
from community_board.slugs import title_slug
from community_board.kinds import KINDS

DEFAULT_AUTHOR = ("社区办公室", "office@localhost")
PHOTOS = "content/photos"
RECORD_SUFFIXES = (".md", ".yml", ".yaml")


class Refused(Exception):
    """A request the backend will not carry out: (HTTP status, Chinese reason)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Backend:
    repo: Path  # the project folder: content/ is in it and it is a git work tree
    author: tuple[str, str] = DEFAULT_AUTHOR
    today: Callable[[], date] = date.today  # the upload's year when the record gives none
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False)
    # placeholder path Decap knows -> the path the record was stored under (see the docstring)
    renamed: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def content(self) -> Path:
        return self.repo / "content"


def author_from(env, repo: Path) -> tuple[str, str]:
    """BOARD_EDITOR_NAME/BOARD_EDITOR_EMAIL, else the repository's git user, else the office."""
    name, email = env.get("BOARD_EDITOR_NAME", ""), env.get("BOARD_EDITOR_EMAIL", "")
    if not name:
        name = _git_config(repo, "user.name") or DEFAULT_AUTHOR[0]
    if not email:
        email = _git_config(repo, "user.email") or DEFAULT_AUTHOR[1]
    return name, email


def _git_config(repo: Path, key: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), "config", "--get", key], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def is_work_tree(repo: Path) -> bool:
    done = subprocess.run(["git", "-C", str(repo), "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True)
    return done.returncode == 0 and done.stdout.strip() == "true"


# --- paths ----------------------------------------------------------------------------------------

def confined(backend: Backend, rel: object) -> Path:
    """The file `rel` (relative to the project, as the CMS sends it) when it lies inside
    content/ by name and by real path; Refused otherwise. Nothing is opened or created."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\0" in rel:
        raise Refused(400, f"文件路径不对：{rel!r}")
    parts = PurePosixPath(rel).parts
    if PurePosixPath(rel).is_absolute() or ".." in parts or not parts or parts[0] != "content" or len(parts) < 2:
        raise Refused(403, f"编辑器只能改 content 文件夹里的文件，不能改 {rel}")
    path = backend.repo.joinpath(*parts)
    # the nearest part of the path that exists must really be inside content/ (a link in the
    # middle of the path, or the file itself a link out of it, is refused)
    probe = path
    while not os.path.lexists(probe) and probe != backend.content:
        probe = probe.parent
    why = unsafe(backend.content, probe)
    if why is not None:
        raise Refused(403, f"{rel} {why[0]}")
    return path


def _rel(backend: Backend, path: Path) -> str:
    return path.relative_to(backend.repo).as_posix()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- reading --------------------------------------------------------------------------------------

def _entry(backend: Backend, rel: str, label=None) -> dict:
    try:
        data = confined(backend, rel).read_bytes()
    except (OSError, Refused):
        return {"data": None, "file": {"path": rel, "label": label, "id": None}}
    return {"data": data.decode("utf-8", "replace"), "file": {"path": rel, "label": label, "id": _sha256(data)}}


def _list(backend: Backend, folder: str, extension: str, depth: int) -> list[str]:
    """Files under folder (at most depth levels), ending in extension; links are not followed."""
    start = confined(backend, folder.rstrip("/"))
    found: list[str] = []

    def walk(directory: Path, left: int) -> None:
        if left <= 0:
            return
        try:
            children = sorted(directory.iterdir())
        except OSError:
            return
        for child in children:
            if child.is_symlink():
                continue
            if child.is_dir():
                walk(child, left - 1)
            elif child.is_file() and child.name.endswith(extension or ""):
                found.append(_rel(backend, child))

    walk(start, int(depth or 1))
    return found


def _media_file(backend: Backend, rel: str) -> dict:
    path = confined(backend, rel)
    try:
        data = path.read_bytes()
    except OSError:
        raise Refused(404, f"找不到文件 {rel}") from None
    return {"id": _sha256(data), "content": base64.b64encode(data).decode("ascii"), "encoding": "base64",
            "path": rel, "name": path.name}


# --- writing --------------------------------------------------------------------------------------

def record_year(rel: str, today: date) -> str:
    """The year of a record's file (activities/2026/…, 2026-03-05-….md, honors/2026.yml), else
    the year of the upload."""
    match = re.search(r"(?:^|/)((?:19|20)\d\d)(?:[-/.]|$)", rel.removeprefix("content/"))
    return match.group(1) if match else str(today.year)


def photo_target(rel: str, year: str) -> str:
    """A photo the CMS puts straight in content/photos/ (or a sub-folder that is not a year)
    goes to content/photos/YYYY/ under the same name; one already under a year stays."""
    if not rel.startswith(PHOTOS + "/"):
        return rel
    inside = rel[len(PHOTOS) + 1:]
    if re.match(r"(?:19|20)\d\d/", inside):
        return rel
    return f"{PHOTOS}/{year}/{PurePosixPath(inside).name}"


def _free_name(backend: Backend, rel: str, data: bytes, taken: set[str]) -> str:
    """rel, or rel with -2, -3… before the suffix when another file already has that name
    (the same bytes under the same name are the same photo: kept)."""
    stem, dot, suffix = rel.rpartition(".")
    if not dot:
        stem, suffix = rel, ""
    candidate, n = rel, 1
    while True:
        path = backend.repo / candidate
        if candidate not in taken and (not path.exists() or (path.is_file() and path.read_bytes() == data)):
            return candidate
        n += 1
        candidate = f"{stem}-{n}.{suffix}" if dot else f"{stem}-{n}"


def _retarget_photo(raw: str, old: str, new: str) -> str:
    """The record's references to the photo, relative to content/ as the contract says."""
    old_ref, new_ref = old.removeprefix("content/"), new.removeprefix("content/")
    if old_ref == new_ref:
        return raw
    return re.sub(r"(?<![\w.-])/?" + re.escape(old_ref) + r"(?![\w.-])", new_ref, raw)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    work = path.with_name(f".{path.name}.saving")
    work.write_bytes(data)
    os.replace(work, path)  # a reader (the preview's rebuild) never sees half a file


def commit(backend: Backend, paths: list[str], message: str) -> str:
    """Commit exactly `paths` (written or removed) as the editor's author; the commit's hash,
    or "" when the files were already as committed (nothing changed)."""
    paths = sorted(set(paths))
    name, email = backend.author
    env = {**os.environ, "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
           "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email}
    git = ["git", "-C", str(backend.repo)]
    subprocess.run([*git, "add", "-A", "--", *paths], check=True, capture_output=True, env=env)
    staged = subprocess.run([*git, "diff", "--cached", "--quiet", "--", *paths], env=env)
    if staged.returncode == 0:
        return ""
    done = subprocess.run([*git, "commit", "-q", "-m", message, "--", *paths], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise Refused(500, f"文件已经保存，但没能记入 git（{done.stderr.strip()}）。请把这句话发给技术人员。")
    return subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()


def _message(verb: str, paths: list[str]) -> str:
    head, *rest = paths
    return f"{verb}：{head}" + ("\n\n" + "\n".join(rest) if rest else "")


_PLACEHOLDERS = "|".join(sorted({re.escape(placeholder_slug(k)) for k in KINDS}, key=len, reverse=True))
_NEW_RECORD = re.compile(r"(?P<day>\d{4}-\d{2}-\d{2})-(?:%s)(?:-\d+)?\.md" % _PLACEHOLDERS)


def _known(backend: Backend, rel: str) -> str:
    """The stored path of the record Decap calls `rel`: its alias while that file exists (a
    deleted record's placeholder is free for the next new record)."""
    target = backend.renamed.get(rel)
    if target is None:
        return rel
    if (backend.repo / target).is_file():
        return target
    del backend.renamed[rel]
    return rel


def _title(raw: str) -> str:
    parts = raw.split("---", 2)
    try:
        meta = yaml.safe_load(parts[1]) if len(parts) == 3 else None
    except yaml.YAMLError:
        return ""
    title = meta.get("title") if isinstance(meta, dict) else None
    return title if isinstance(title, str) else ""


def stored_path(backend: Backend, rel: str, raw: str) -> str:
    """Where a new record Decap named `rel` is stored: its id made from the title, unique among
    the ids of its kind's folder; `rel` itself for a record that exists or has no placeholder."""
    rel = _known(backend, rel)
    path = PurePosixPath(rel)
    m = _NEW_RECORD.fullmatch(path.name)
    title = _title(raw)
    if not m or not title or (backend.repo / rel).exists():
        return rel
    top = backend.repo / PurePosixPath(*path.parts[:2])  # content/<kind's folder>
    taken = {p.stem for p in top.rglob("*.md")} if top.is_dir() else set()
    new = str(path.with_name(f"{m['day']}-{title_slug(title, m['day'], taken)}.md"))
    backend.renamed[rel] = new
    return new


def persist_entry(backend: Backend, params: dict) -> dict:
    data_files = params.get("dataFiles") or ([params["entry"]] if params.get("entry") else [])
    if not data_files:
        raise Refused(400, "保存的内容是空的。")
    assets = params.get("assets") or []
    for data_file in data_files:  # every path is checked before anything is written
        confined(backend, data_file.get("path"))
        if data_file.get("newPath"):
            confined(backend, data_file["newPath"])
    today = backend.today()
    year = record_year(data_files[0].get("newPath") or data_files[0]["path"], today)
    # a refused save writes nothing
    writes: dict[str, bytes] = {}
    removed: list[str] = []
    photo_moves: dict[str, str] = {}
    for asset in assets:
        confined(backend, asset["path"])
        content = base64.b64decode(asset["content"]) if asset.get("encoding") == "base64" else asset["content"].encode()
        target = _free_name(backend, photo_target(asset["path"], year), content, set(writes))
        confined(backend, target)
        photo_moves[asset["path"]] = target
        writes[target] = content
    records = []
    for data_file in data_files:
        raw = data_file.get("raw", "")
        for old, new in photo_moves.items():
            raw = _retarget_photo(raw, old, new)
        source = _known(backend, data_file["path"])
        target = stored_path(backend, data_file.get("newPath") or source, raw)
        confined(backend, source)
        confined(backend, target)
        writes[target] = raw.encode("utf-8")
        if target != source and (backend.repo / source).exists():
            removed.append(source)
        records.append(target)
    with backend.lock:
        for rel, data in writes.items():
            _write(backend.repo / rel, data)
        for rel in removed:
            (backend.repo / rel).unlink()
        renamed = [f"（原 {s}）" for s in removed]
        commit(backend, [*writes, *removed], _message("编辑", [*records, *renamed, *(p for p in writes if p not in records)]))
    return {"message": "entry persisted"}


def persist_media(backend: Backend, params: dict) -> dict:
    asset = params["asset"]
    confined(backend, asset["path"])
    content = base64.b64decode(asset["content"])
    with backend.lock:
        target = _free_name(backend, photo_target(asset["path"], str(backend.today().year)), content, set())
        confined(backend, target)
        _write(backend.repo / target, content)
        commit(backend, [target], _message("上传", [target]))
    return _media_file(backend, target)


def delete_files(backend: Backend, paths: list) -> dict:
    paths = [_known(backend, p) for p in paths]
    targets = [confined(backend, p) for p in paths]
    with backend.lock:
        gone = []
        for rel, path in zip(paths, targets):
            if path.is_file():
                path.unlink()
                gone.append(rel)
        if gone:
            commit(backend, gone, _message("删除", gone))
    return {"message": f"deleted files {', '.join(paths)}"}


# --- the protocol ---------------------------------------------------------------------------------

def handle(backend: Backend, body: object) -> dict | list | None:
    """The answer to one request of Decap's proxy backend; Refused for what is not allowed."""
    if not isinstance(body, dict) or not isinstance(body.get("action"), str):
        raise Refused(400, "请求的格式不对。")
    action, params = body["action"], body.get("params") or {}
    if action == "info":
        return {"repo": backend.repo.name, "publish_modes": ["simple"], "type": "local_git"}
    if action == "entriesByFolder":
        files = _list(backend, params["folder"], params.get("extension", ""), params.get("depth", 1))
        return [_entry(backend, f) for f in files]
    if action == "entriesByFiles":
        return [_entry(backend, f["path"], f.get("label")) for f in params.get("files", [])]
    if action == "getEntry":
        return _entry(backend, _known(backend, params["path"]))
    if action == "persistEntry":
        return persist_entry(backend, params)
    if action == "getMedia":
        folder = params["mediaFolder"]
        # every photo or file, whatever year folder it is in, so staff can pick an earlier one;
        # never the records (a collection's folder is asked for too)
        return [_media_file(backend, f) for f in _list(backend, folder, "", 3)
                if not f.endswith(RECORD_SUFFIXES)]
    if action == "getMediaFile":
        return _media_file(backend, params["path"])
    if action == "persistMedia":
        return persist_media(backend, params)
    if action == "deleteFile":
        return delete_files(backend, [params["path"]])
    if action == "deleteFiles":
        return delete_files(backend, list(params.get("paths") or []))
    if action == "getDeployPreview":
        return None
    raise Refused(422, f"Unknown action {action}")
