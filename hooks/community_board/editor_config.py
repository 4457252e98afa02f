"""The web editor's configuration (Decap CMS 3.x), generated from the record kinds' declarations.

One collection per kind of `kinds.KINDS`, each written field once, with its Chinese label, help,
required flag, default and an input derived from its normaliser (or from `Field.widget` where
the normaliser does not say): a new kind or field reaches the editor with no edit here, and a
normaliser this module cannot map raises `Unmapped` (the tests build the configuration of every
kind, so a kind's author sees it at once).

Decap's templates, read in its source (decap-cms-core lib/formatters.ts, decap-cms-lib-widgets
stringTemplate.ts), decide three things here:
- `{{year}}`, `{{month}}`, `{{day}}` are the UTC parts of the date field parsed as local
  midnight: in Beijing (UTC+8) that is the day before. File names take the date from the field's
  own text instead (`{{fields.date | date('YYYY-MM-DD')}}`, formatted in local time).
- A collection's `path` template is lower-cased and loses its dots and quotes before use, so
  no `fields.` and no quoted filter works there; the year folder of activities is the first four
  characters of the date: `{{date | truncate(4)}}` gives "2026..." and the slug sanitiser turns
  the dots into "-" and trims them, leaving "2026". Uploads of a dated record go to
  photos/<that year>/ the same way (`{{year}}` put a New Year's Day photo in last year's folder).
- Decap cannot transliterate a Chinese title. New records get an ASCII placeholder slug, the
  pinyin of the kind's label (活动 -> huodong), made unique by Decap itself (-1, -2...): a valid id
  in every backend with nothing for staff to type. The office PC's local server
  (scripts/_edit_backend.py) stores a new record under `title_slug`, the pinyin of its title
  (slugs.py), as scripts/new.py does; the gitea backend keeps the placeholder id.
"""
from __future__ import annotations

import html
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import yaml

from . import schema
from .kinds import KINDS
from .kinds.activities import PHOTO_FIELDS, photo_entry
from .kinds.base import NO_DEFAULT, Field, Kind, Layout
from .slugs import title_slug  # noqa: F401  (the id a backend that can rename gives a new record)
from .kinds.community import FOOTER_FIELDS, footer
from .kinds.notices import ATTACHMENT_FIELDS, attachment_entry

BACKENDS = ("local", "gitea")
# The office PC's editor server answers Decap's proxy protocol here (same origin as /admin/).
LOCAL_API = "/admin/api/v1"
MEDIA_FOLDER = "content/photos"  # uploads land here; records name them relative to content/
FILES_FOLDER = "content/files"  # attachments (notices)
DATE_FORMAT = "YYYY-MM-DD"
DATETIME_FORMAT = "YYYY-MM-DD HH:mm"  # the contract's "2026-11-28 09:00"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# The year of a date field's text in a path or media folder template (see the docstring); ""
# while the field is empty, so an upload before the date is set goes to photos/ itself.
_YEAR = "{{%s | truncate(4)}}"
EDITOR_TITLE = "社区宣传窗 · 内容编辑"
# A period file (honors/YYYY.yml) names its year in a field of the same file (the contract's
# `year: 2026`); its file name is made from it. A quarter's board file has no such field.
PERIOD_FIELDS = {"YYYY": Field("year", int, "年份", "", schema.integer_between(1949, 2999), required=True)}


class Unmapped(Exception):
    """A written field whose normaliser has no editor input: declare `widget` on the Field."""


@dataclass(frozen=True)
class _Context:
    kind: str  # for messages
    columns: tuple[tuple[str, str], ...]  # (slug, title) of community.yml, in display order
    day: str = ""  # the field a dated record's file name takes its date from: its photos' year


# --- fields -----------------------------------------------------------------------------------

def _closure(fn: Callable) -> tuple[str, dict[str, Any]]:
    """(factory, its captured arguments) of a normaliser made by a factory of schema.py
    (choice(...), list_of(...)...), else (the function's own name, {})."""
    qual = getattr(fn, "__qualname__", "")
    if getattr(fn, "__module__", "") == schema.__name__ and ".<locals>." in qual:
        return qual.split(".<locals>.")[0], inspect.getclosurevars(fn).nonlocals
    return getattr(fn, "__name__", repr(fn)), {}


def _date_input(with_time: bool) -> dict:
    if with_time:
        return {"widget": "datetime", "format": DATETIME_FORMAT, "date_format": DATE_FORMAT,
                "time_format": "HH:mm", "picker_utc": False}
    return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT, "time_format": False,
            "picker_utc": False}


def _upload(widget: str, ctx: _Context) -> dict:
    """An image or file input whose uploads go where the records expect them: photos of a dated
    record under photos/YYYY/, attachments under files/; paths written relative to content/."""
    if widget == "file":
        return {"widget": "file", "media_folder": "/" + FILES_FOLDER, "public_folder": "files"}
    year = ("/" + _YEAR % ctx.day) if ctx.day else ""
    return {"widget": "image", "media_folder": f"/{MEDIA_FOLDER}{year}", "public_folder": f"photos{year}"}


def _column_select(ctx: _Context) -> dict:
    if not ctx.columns:  # community.yml unreadable: still a valid form, checked on save
        return {"widget": "string", "pattern": [SLUG_PATTERN, "只用小写英文字母、数字和 -，例如 leifeng。"]}
    return {"widget": "select", "options": [{"label": title, "value": slug} for slug, title in ctx.columns]}


def _object(fields: Iterable[Any], ctx: _Context, widgets: Mapping[str, str] = {}) -> dict:
    return {"widget": "object", "collapsed": False, "fields": [_field(f, ctx, widgets.get(f.key, "")) for f in fields]}


def _items(fields: list[dict]) -> list[dict]:
    """A list's item fields without defaults: Decap starts a new record's list with one item
    made of them (an empty attachment or photo, which blocks saving)."""
    return [{k: v for k, v in f.items() if k != "default"} for f in fields]


def _list(item: Callable, min_items: int, ctx: _Context, what: str) -> dict:
    inner = _input(item, "", ctx, what, what)
    out: dict[str, Any] = {"widget": "list"}
    if inner["widget"] == "object":
        out["fields"] = _items(inner["fields"])
        first = inner["fields"][0]["name"]
        out["summary"] = "{{fields.%s}}" % first
    else:
        out["field"] = {"name": "item", "label": what, **inner}
    if min_items:
        out["min"] = min_items
    return out


def _numbers(table: Mapping[str, tuple[str, str]], ctx: _Context) -> dict:
    """stats, figures: one number input per known key, none required (the table's order)."""
    return {"widget": "object", "collapsed": False, "fields": [
        {"name": key, "label": f"{label}（{unit}）", "widget": "number", "value_type": "float", "min": 0,
         "required": False} for key, (label, unit) in table.items()]}


def _input(normalise: Callable | None, widget: str, ctx: _Context, what: str, label: str) -> dict:
    """The Decap input (widget and its options) for a normaliser, or the Field's widget hint;
    `what` names the field in messages, `label` is its Chinese name."""
    if widget == "column":
        return _column_select(ctx)
    if widget in ("image", "file"):
        return _upload(widget, ctx)
    if widget == "markdown":
        return {"widget": "markdown"}
    if widget == "datetime":
        return _date_input(with_time=True)
    if widget:
        raise Unmapped(f"{what}: 不认识的 widget「{widget}」。")
    plain = {
        schema.text: {"widget": "string"},
        schema.day: _date_input(with_time=False),
        schema.flag: {"widget": "boolean"},
        schema.number: {"widget": "number", "value_type": "float", "min": 0},
        schema.slug: {"widget": "string", "pattern": [SLUG_PATTERN, "只用小写英文字母、数字和 -，例如 leifeng-visit。"]},
        schema.text_list: {"widget": "list", "field": {"name": "item", "label": label, "widget": "string"}},
        schema.content_file: _upload("file", ctx),
    }
    if normalise in plain:
        return dict(plain[normalise])
    if normalise is photo_entry:  # {file, caption, consent}: the file declares widget="image"
        return _object(PHOTO_FIELDS, ctx)
    if normalise is attachment_entry:
        return _object(ATTACHMENT_FIELDS, ctx)
    if normalise is schema.sides:
        return _object([Field(s, str, s, "", schema.text) for s in schema.BOUNDARY_SIDES], ctx)
    if normalise is footer:
        return _object(FOOTER_FIELDS, ctx)
    factory, args = _closure(normalise) if normalise is not None else ("", {})
    if factory == "choice":  # choice(dict) keeps the dict's Chinese names: 家庭 for family
        labels = getattr(normalise, "labels", {})
        return {"widget": "select", "options": [{"label": labels[o], "value": o} if o in labels else o
                                                for o in args["options"]]}
    if factory == "integer_between":
        return {"widget": "number", "value_type": "int", "min": args["low"], "max": args["high"]}
    if factory == "list_of":
        return _list(args["item"], args["min_items"], ctx, args["what"])
    if factory == "one_or_list":  # staff may write one item alone; the editor always writes a list
        inner = inspect.getclosurevars(args["many"]).nonlocals
        return _list(inner["item"], inner["min_items"], ctx, inner["what"])
    if factory == "mapping_of":
        return _object(args["fields"], ctx)
    if factory == "known_numbers":
        return _numbers(args["table"], ctx)
    raise Unmapped(f"{what}: 编辑器不认识它的检查函数 {factory or normalise!r}；"
                   "在这个 Field 上写 widget=（image、file、markdown、datetime、column 之一）。")


def _default(value: Any) -> Any:
    """A declared default Decap can write (a constant that is not "nothing"), else None."""
    if value is NO_DEFAULT or value is None or value in ((), "") or not isinstance(value, (str, int, float, bool)):
        return None
    return value


def _field(f: Any, ctx: _Context, widget: str = "") -> dict:
    """One Decap field from a kinds.base.Field or a nested schema.Field (no help, no widget)."""
    out: dict[str, Any] = {"name": f.key, "label": f.label}
    out.update(_input(f.normalise, widget or getattr(f, "widget", ""), ctx, f"{ctx.kind}.{f.key}", f.label))
    help_ = getattr(f, "help", "")
    if help_:
        out["hint"] = help_
    out["required"] = bool(f.required)  # Decap's default is required: every optional field says so
    default = _default(getattr(f, "default", NO_DEFAULT))
    if default is not None and out["widget"] not in ("list", "object"):
        out["default"] = default
    return out


def _body(f: Field) -> dict:
    out = {"name": "body", "label": f.label, "widget": "markdown", "required": False}
    if f.help:
        out["hint"] = f.help
    return out


def _form(fields: Iterable[Field], ctx: _Context, markdown: bool) -> list[dict]:
    """The written fields in declaration order, then the Markdown body (Decap writes `body`
    after the front matter); not-written fields (id, source, line numbers) are left out."""
    body = [_body(f) for f in fields if markdown and f.key == "body" and not f.written]
    return [_field(f, ctx) for f in fields if f.written] + body


# --- collections ------------------------------------------------------------------------------

def _day_field(kind: Kind) -> Field:
    """The field the file name's date is made from: the first required date or date-time."""
    for f in kind.table:
        if f.required and (f.normalise is schema.day or f.widget == "datetime"):
            return f
    raise Unmapped(f"{kind.name}: 文件名里的日期取自哪个字段？需要一个必填的日期字段。")


def placeholder_slug(kind: Kind) -> str:
    """The ASCII slug new records of the kind get in the browser: the pinyin of its label."""
    from .slugs import slugify
    return slugify(kind.label)


class _FileName:
    """A stand-in record whose every attribute is Decap's `{{filename}}` (a record's id is its
    file's stem): `Kind.url` of it is the record's page as a Decap preview_path template."""

    def __getattr__(self, name: str) -> str:
        return "{{filename}}"


def _preview_path(kind: Kind) -> dict:
    """{"preview_path": ...} for the editor's link to the record's page, from the kind's own url();
    {} where url() needs more than the id (the link is then left out)."""
    try:
        url = kind.url(_FileName())
    except Exception:  # an url() that computes with a field (a date's year...): no link
        return {}
    # the page that shows the file (an honour's anchor is one of a year's file's records)
    return {"preview_path": url.lstrip("/").split("#", 1)[0]} if isinstance(url, str) and url.startswith("/") else {}


def _dated_collection(kind: Kind, ctx: _Context) -> dict:
    """Markdown records named YYYY-MM-DD-slug.md, directly in their folder or in a YYYY folder."""
    top, rest = kind.layout.pattern.split("/", 1)
    day = _day_field(kind)
    out: dict[str, Any] = {
        "name": kind.name, "label": kind.label, "label_singular": kind.label,
        "folder": f"content/{top}", "create": True, "delete": True,
        "extension": "md", "format": "yaml-frontmatter",
        "slug": "{{fields.%s | date('%s')}}-%s" % (day.key, DATE_FORMAT, placeholder_slug(kind)),
        "identifier_field": "title" if any(f.key == "title" for f in kind.table) else kind.table[0].key,
        "summary": "{{%s}} {{%s}}" % (day.key, "title" if any(f.key == "title" for f in kind.table)
                                     else kind.table[0].key),
        "sortable_fields": [day.key] + (["title"] if any(f.key == "title" for f in kind.table) else []),
    }
    out.update(_preview_path(kind))
    if rest.startswith("YYYY/"):  # activities/YYYY/...: see the module's docstring
        out["path"] = _YEAR % day.key + "/{{slug}}"
    elif "/" in rest:
        raise Unmapped(f"{kind.name}: 不认识的文件位置 {kind.layout.pattern}。")
    out["fields"] = _form(kind.fields, ctx, markdown=True)
    return out


def _section_list(kind: Kind, ctx: _Context) -> dict:
    return {"name": kind.layout.section, "label": kind.label, "label_singular": kind.label, "widget": "list",
            "required": False, "summary": "{{fields.%s}}" % kind.table[0].key,
            "fields": _items(_form(kind.fields, ctx, markdown=False))}


def _file_fields(kinds: list[Kind], ctx: _Context) -> list[dict]:
    """A YAML file's fields: the kind's own, or one list per kind where the file holds sections."""
    if all(k.layout.section for k in kinds):
        return [_section_list(k, ctx) for k in kinds]
    if len(kinds) == 1 and not kinds[0].layout.section:
        return _form(kinds[0].fields, ctx, markdown=False)
    raise Unmapped(f"{'、'.join(k.name for k in kinds)}: 同一个文件里的几种记录都要写 section。")


def _single_file_collection(kinds: list[Kind], ctx: _Context) -> dict:
    first = kinds[0]
    label = "、".join(dict.fromkeys(k.label for k in kinds))
    return {"name": first.name, "label": label, "delete": False, "editor": {"preview": False},
            "files": [{"name": first.name, "label": label, "file": f"content/{first.layout.top}",
                       **_preview_path(first), "fields": _file_fields(kinds, ctx)}]}


def _period_collection(kinds: list[Kind], ctx: _Context) -> dict:
    """One YAML file per period (honors/YYYY.yml, boards/YYYY-qN.yml) in a folder."""
    first = kinds[0]
    top, stem = first.layout.pattern.split("/", 1)
    stem = stem.rsplit(".", 1)[0]
    period = PERIOD_FIELDS.get(stem)
    fields = ([_field(period, ctx) | {"hint": "与文件名里的年份相同，例如 2026。"}] if period else []) + _file_fields(kinds, ctx)
    out: dict[str, Any] = {
        "name": first.name, "label": "、".join(dict.fromkeys(k.label for k in kinds)),
        "folder": f"content/{top}", "extension": "yml", "format": "yml", "delete": False,
        "identifier_field": fields[0]["name"], "summary": "{{filename}}", **_preview_path(first),
    }
    if period:
        out.update(create=True, slug="{{fields.%s}}" % period.key)
    else:
        # Nothing in the file names its quarter, so Decap could not name a new one: a new
        # quarter's file is added as the contract says (boards/YYYY-qN.yml), then edited here.
        out.update(create=False, description=f"每个季度一个文件 {first.layout.pattern}；新季度的文件先按这个名字建好，再在这里编辑。")
    out["fields"] = fields
    return out


def _layout_kind(layout: Layout) -> str:
    name = layout.pattern.rsplit("/", 1)[-1]
    if name.endswith(".md") and "YYYY-MM-DD-slug" in name:
        return "dated"
    if layout.pattern == layout.top:
        return "file"
    if name.endswith(".yml"):
        return "period"
    return ""


def collections(kinds: Iterable[Kind], columns: tuple[tuple[str, str], ...]) -> list[dict]:
    """One collection per kind, in KINDS' order; kinds sharing one file share its collection."""
    groups: dict[str, list[Kind]] = {}
    for kind in kinds:
        groups.setdefault(kind.layout.top, []).append(kind)
    out = []
    for group in groups.values():
        first = group[0]
        shape = _layout_kind(first.layout)
        if shape == "dated" and len(group) == 1:
            out.append(_dated_collection(first, _Context(first.name, columns, _day_field(first).key)))
            continue
        ctx = _Context(first.name, columns)
        if shape == "dated":
            raise Unmapped(f"{first.name}: 一个 Markdown 文件只能是一条记录。")
        if shape == "file":
            out.append(_single_file_collection(group, ctx))
        elif shape == "period":
            out.append(_period_collection(group, ctx))
        else:
            raise Unmapped(f"{first.name}: 编辑器不认识文件布局 {first.layout.pattern}。")
    return out


def editor_kinds() -> tuple[Kind, ...]:
    """Every kind the editor shows: KINDS."""
    return KINDS


# --- the configuration ------------------------------------------------------------------------

def read_columns(content_dir: Path) -> tuple[tuple[str, str], ...]:
    """(slug, title) of community.yml's columns through the loader; () when it cannot be read
    (the column input is then a checked text field, and the preview lists the problem)."""
    from .content import read_catalog
    from .errors import ContentError
    try:
        catalog, _ = read_catalog(Path(content_dir))
    except (ContentError, OSError):  # no content folder: the form still opens
        return ()
    community = catalog.community
    return tuple((c.slug, c.title) for c in community.columns) if community else ()


def _backend(backend: str, repo: str, base_url: str, branch: str, app_id: str) -> dict:
    if backend == "local":
        # Decap's proxy protocol (what decap-server speaks), answered by our own server at the
        # editor's address: `local_backend` would only probe localhost:8081, and only from a
        # page on localhost or 127.0.0.1, so it breaks on BOARD_ADDR=0.0.0.0:8000.
        return {"name": "proxy", "proxy_url": base_url.rstrip("/") + LOCAL_API, "branch": branch}
    if backend == "gitea":
        missing = [k for k, v in (("repo", repo), ("base_url", base_url), ("app_id", app_id)) if not v]
        if missing:
            raise ValueError(f"gitea 编辑器缺少设置：{'、'.join(missing)}（见 deploy/forgejo/README.md）。")
        root = base_url.rstrip("/")
        return {"name": "gitea", "repo": repo, "branch": branch, "base_url": root, "api_root": f"{root}/api/v1",
                "app_id": app_id}
    raise ValueError(f"不认识的编辑器后端「{backend}」：只能是 {'、'.join(BACKENDS)}。")


def config(backend: str = "local", *, site_url: str = "", repo: str = "", base_url: str = "",
           branch: str = "main", columns: Iterable[tuple[str, str]] | None = None,
           app_id: str = "", content_dir: Path | str = "content",
           kinds: Iterable[Kind] | None = None) -> dict:
    """Decap CMS's configuration (as a dict, key order kept for the YAML).

    backend "local": the office PC's editor server at `base_url` ("" = the page's own host);
    "gitea": a Forgejo or Gitea at `base_url` holding `repo` (owner/name), signing in with the
    OAuth2 application `app_id`. `columns` (slug, title) default to community.yml's, read from
    `content_dir`; `kinds` default to every kind the editor shows."""
    cols = tuple(columns) if columns is not None else read_columns(Path(content_dir))
    out: dict[str, Any] = {"backend": _backend(backend, repo, base_url, branch, app_id),
                           "publish_mode": "simple", "locale": "zh_Hans"}
    if site_url:
        out.update(site_url=site_url, display_url=site_url)
    out.update({
        "media_folder": MEDIA_FOLDER, "public_folder": "photos",
        # Decap names uploads with this too: "ascii" turned 照片.jpg into ".jpg", which it then
        # hid; the ids need no help, made of a date and an ASCII slug only
        "slug": {"encoding": "unicode", "clean_accents": False, "sanitize_replacement": "-"},
        "show_preview_links": bool(site_url),  # each record's page: on site_url, from Kind.url
        "editor": {"preview": False},  # Decap's preview is not our site's look: the site is at /
        "collections": collections(editor_kinds() if kinds is None else kinds, cols),
    })
    return out


def config_yaml(backend: str = "local", **options: Any) -> str:
    """`config(...)` as the YAML Decap reads from /admin/config.yml (Chinese kept readable)."""
    text = yaml.dump(config(backend, **options), Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False,
                     width=1000)
    return "# 由 hooks/community_board/editor_config.py 按记录种类的声明生成，请不要手改。\n" + text


def admin_html(script_src: str = "/admin/decap-cms.js", title: str = EDITOR_TITLE) -> str:
    """The /admin/ page: Decap finds config.yml next to it (the link), loads from our own host
    only, and needs no inline script (the CSP's script-src 'self' holds)."""
    return (
        "<!doctype html>\n"
        '<html lang="zh-Hans">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        f"<title>{html.escape(title)}</title>\n"
        '<link href="config.yml" type="text/yaml" rel="cms-config-url">\n'
        "</head>\n<body>\n"
        "<noscript>编辑器需要浏览器启用 JavaScript。</noscript>\n"
        f'<script src="{html.escape(script_src, quote=True)}"></script>\n'
        "</body>\n</html>\n"
    )


# --- /admin/ on the public site (the office with a server, issue 17.5) -----------------------

ADMIN = "admin"  # the editor's folder on the public site: /admin/
SWITCH = "BOARD_EDITOR"  # "gitea" publishes /admin/; unset (the default) leaves the site unchanged
# What the browser loads of the CMS's folder: the bundle, the chunks it loads from beside itself,
# its WebAssembly and the licence text; never a stamp or a source map.
_CMS_SUFFIXES = (".js", ".wasm", ".txt")


def admin_csp(git_url: str = "") -> str:
    """The Content-Security-Policy /admin/ needs (measured in Chromium with Decap 3.16): the
    site's own, but Decap compiles its config schema with `new Function` (AJV) and injects its
    styles (emotion), and the gitea backend talks to the office's Forgejo from the browser
    (its API, its avatars): nothing from any other host."""
    origin = " " + "/".join(git_url.split("/")[:3]) if "://" in git_url else ""
    # blob: and data: are the photos being uploaded, shown and read back in the page itself
    return ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: blob:{origin}; media-src 'self' blob:; font-src 'self' data:; "
            f"connect-src 'self' blob: data:{origin}; worker-src 'self' blob:; frame-src 'self' blob:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'")


def cms_folder(env: Mapping[str, str], root: Path) -> Path:
    """The folder of the CMS's browser bundle: BOARD_EDITOR_JS, else the one editor/vendor/
    folder holding decap-cms.js (put there, integrity checked, by the editor's fetch script)."""
    if env.get("BOARD_EDITOR_JS"):
        folder = Path(env["BOARD_EDITOR_JS"])
        folder = folder if folder.is_absolute() else root / folder
        if not (folder / "decap-cms.js").is_file():
            raise ValueError(f"BOARD_EDITOR_JS 指向的 {folder} 里没有 decap-cms.js。")
        return folder
    found = sorted(p.parent for p in (root / "editor" / "vendor").glob("decap-cms-*/decap-cms.js"))
    if len(found) != 1:
        raise ValueError("找不到编辑器的程序文件 editor/vendor/decap-cms-版本/decap-cms.js"
                         + ("（有好几个版本）" if found else "") + "：先运行 .venv/bin/python scripts/fetch_cms.py，"
                         "或用 BOARD_EDITOR_JS 指明它所在的文件夹。")
    return found[0]


def site_files(env: Mapping[str, str], root: Path, site_url: str = "",
               columns: Iterable[tuple[str, str]] | None = None) -> dict[str, bytes]:
    """The files that publish the editor at /admin/ of the public site, or {} when it is not
    enabled (BOARD_EDITOR unset or empty): the site is then what it would be without this
    module. Enabled, a setting that is missing raises ValueError with the Chinese reason."""
    switch = env.get(SWITCH, "").strip()
    if not switch:
        return {}
    if switch != "gitea":
        raise ValueError(f"{SWITCH}=「{switch}」不认识：公开网站上的编辑器只能是 {SWITCH}=gitea（见 deploy/forgejo/README.md）。")
    missing = [k for k in ("BOARD_EDITOR_REPO", "BOARD_EDITOR_GIT_URL", "BOARD_EDITOR_APP_ID") if not env.get(k)]
    if missing:
        raise ValueError(f"{SWITCH}=gitea 还缺少设置：{'、'.join(missing)}（见 deploy/forgejo/README.md）。")
    text = config_yaml("gitea", site_url=site_url, repo=env["BOARD_EDITOR_REPO"], base_url=env["BOARD_EDITOR_GIT_URL"],
                       app_id=env["BOARD_EDITOR_APP_ID"], branch=env.get("BOARD_EDITOR_BRANCH") or "main",
                       columns=columns, content_dir=root / "content")
    folder = cms_folder(env, root)
    # relative: the chunks load from beside the bundle wherever the site is rooted
    out = {f"{ADMIN}/index.html": admin_html("decap-cms.js").encode("utf-8"),
           f"{ADMIN}/config.yml": text.encode("utf-8")}
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.name.startswith(".") and path.suffix in _CMS_SUFFIXES:
            out[f"{ADMIN}/{path.name}"] = path.read_bytes()
    return out


def cms_copies(site_dir: Path, env: Mapping[str, str], root: Path) -> set[str]:
    """The site's files under admin/ that are byte for byte the CMS folder's (third-party code
    whose npm integrity the editor's fetch script checked): the post-build privacy scan skips
    them, since no record goes into them (its number literals read as phone numbers). Anything
    else there, config.yml and index.html included, is scanned as usual."""
    if not env.get(SWITCH, "").strip():
        return set()
    folder = cms_folder(env, root)
    out = set()
    for path in folder.iterdir():
        published = site_dir / ADMIN / path.name
        if path.suffix in _CMS_SUFFIXES and published.is_file() and published.read_bytes() == path.read_bytes():
            out.add(f"{ADMIN}/{path.name}")
    return out
