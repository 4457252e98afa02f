"""The web editor's configuration agrees with the record kinds' declarations (issue 17.2, 17.5).

Every written field of every kind is in its collection with its label, required flag and an input
that matches its normaliser; a field added to a kind appears; a normaliser the generator cannot
map fails here, not silently in the browser. The configuration is checked against the parts of
Decap CMS's own config schema (decap-cms-core src/constants/configSchema.js and the widgets'
schema.js) that it uses."""
from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from community_board import editor_config as ec
from community_board.kinds.activities import photo_entry
from community_board.kinds.community import footer
from community_board import schema
from community_board.kinds.base import Field

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "content"
COLUMNS = (("leifeng", "学雷锋志愿服务"), ("environment", "环境整治"))

# Decap CMS 3.x's configSchema.js, the parts this configuration uses (read, not copied: the
# original is JavaScript built with AJV's custom keywords). Unknown keys are allowed there too.
_FIELD = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"}, "label": {"type": "string"}, "widget": {"type": "string"},
        "required": {"type": "boolean"}, "hint": {"type": "string"},
        "pattern": {"type": "array", "minItems": 2, "items": [{"type": "string"}, {"type": "string"}]},
        "field": {"$ref": "#/definitions/field"}, "fields": {"$ref": "#/definitions/fields"},
        # widget options (decap-cms-widget-*/src/schema.js)
        "options": {"type": "array", "items": {"oneOf": [
            {"type": "string"}, {"type": "number"},
            {"type": "object", "required": ["label", "value"],
             "properties": {"label": {"type": "string"}, "value": {"type": ["string", "number"]}}}]}},
        "multiple": {"type": "boolean"}, "min": {"type": "number"}, "max": {"type": "number"},
        "step": {"type": "number"}, "value_type": {"type": "string"},
        "format": {"type": "string"}, "date_format": {"type": ["string", "boolean"]},
        "time_format": {"type": ["string", "boolean"]}, "picker_utc": {"type": "boolean"},
        "collapsed": {"type": "boolean"}, "summary": {"type": "string"}, "label_singular": {"type": "string"},
        "media_folder": {"type": "string"}, "public_folder": {"type": "string"},
    },
    "allOf": [{"if": {"properties": {"widget": {"const": "select"}}, "required": ["widget"]},
               "then": {"required": ["options"]}}],
}
DECAP_SCHEMA = {  # draft-07, as AJV reads it
    "definitions": {"field": _FIELD, "fields": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/field"}}},
    "type": "object",
    "required": ["backend", "collections"],
    "anyOf": [{"required": ["media_folder"]}, {"required": ["media_library"]}],
    "properties": {
        "backend": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
        "locale": {"type": "string"}, "site_url": {"type": "string"}, "display_url": {"type": "string"},
        "media_folder": {"type": "string"}, "public_folder": {"type": "string"},
        "show_preview_links": {"type": "boolean"},
        "publish_mode": {"enum": ["simple", "editorial_workflow", ""]},
        "slug": {"type": "object", "properties": {"encoding": {"enum": ["unicode", "ascii"]},
                                                  "clean_accents": {"type": "boolean"}}},
        "editor": {"type": "object", "properties": {"preview": {"type": "boolean"}}},
        "collections": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["name", "label"],
            "oneOf": [{"required": ["files"]}, {"required": ["folder", "fields"]}],
            "properties": {
                "name": {"type": "string"}, "label": {"type": "string"}, "label_singular": {"type": "string"},
                "description": {"type": "string"}, "folder": {"type": "string"},
                "files": {"type": "array", "items": {
                    "type": "object", "required": ["name", "label", "file", "fields"],
                    "properties": {"name": {"type": "string"}, "label": {"type": "string"},
                                   "file": {"type": "string"}, "fields": {"$ref": "#/definitions/fields"}}}},
                "identifier_field": {"type": "string"}, "summary": {"type": "string"},
                "slug": {"type": "string"}, "path": {"type": "string"},
                "create": {"type": "boolean"}, "delete": {"type": "boolean"},
                "format": {"type": "string"}, "extension": {"type": "string"},
                "fields": {"$ref": "#/definitions/fields"},
                "sortable_fields": {"type": "array", "items": {"type": "string"}},
                "editor": {"type": "object", "properties": {"preview": {"type": "boolean"}}},
            },
            # Decap infers the format of .md and .yml from the extension (formats.ts)
            "if": {"required": ["extension"]},
            "then": {"properties": {"extension": {"enum": ["yml", "yaml", "toml", "json", "md", "markdown", "html"]}}},
        }},
    },
}
# The names of fields must be unique in each list of fields (uniqueItemProperties: ['name']).


def _unique_names(fields: list[dict], where: str) -> None:
    names = [f["name"] for f in fields]
    assert len(names) == len(set(names)), f"{where}: duplicate field names {names}"
    for f in fields:
        for inner in (f.get("fields") or []), ([f["field"]] if "field" in f else []):
            if inner:
                _unique_names(inner, f"{where}.{f['name']}")


def _valid(conf: dict) -> None:
    jsonschema.Draft7Validator(DECAP_SCHEMA).validate(conf)  # AJV 8 defaults to draft-07, as Decap uses it
    names = [c["name"] for c in conf["collections"]]
    assert len(names) == len(set(names))
    for c in conf["collections"]:
        for fields in [c.get("fields") or []] + [f["fields"] for f in c.get("files", [])]:
            _unique_names(fields, c["name"])


@pytest.fixture(scope="module")
def local() -> dict:
    return ec.config("local", columns=COLUMNS)


def _kind_fields(conf: dict, kind) -> list[dict]:
    """The Decap fields that hold the kind's fields: the collection's, a file's, or the items
    of the list named by the kind's section."""
    for c in conf["collections"]:
        for fields in [c.get("fields")] + [f["fields"] for f in c.get("files", [])]:
            if fields is None:
                continue
            folder_or_file = c.get("folder") or c["files"][0]["file"]
            if not folder_or_file.startswith(f"content/{kind.layout.top}"):
                continue
            if kind.layout.section:
                return next(f["fields"] for f in fields if f["name"] == kind.layout.section)
            return fields
    raise AssertionError(f"no collection for {kind.name}")


def _by_name(fields: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in fields}


def _factory(fn) -> str:
    return fn.__qualname__.split(".<locals>.")[0] if ".<locals>." in getattr(fn, "__qualname__", "") else ""


def _expect_input(field, decap: dict) -> None:
    """The input matches what the normaliser accepts (or the declared widget hint)."""
    widget, normalise = getattr(field, "widget", ""), field.normalise
    w = decap["widget"]
    if widget == "column":
        assert w == "select" and [o["value"] for o in decap["options"]] == [s for s, _ in COLUMNS]
    elif widget in ("image", "file"):
        assert w == widget and decap["public_folder"].split("/")[0] in ("photos", "files")
    elif widget == "datetime":
        assert w == "datetime" and decap["format"] == "YYYY-MM-DD HH:mm" and decap["time_format"] == "HH:mm"
    elif widget == "markdown":
        assert w == "markdown"
    elif normalise is schema.text:
        assert w in ("string", "text")
    elif normalise is schema.day:
        assert w == "datetime" and decap["format"] == "YYYY-MM-DD" and decap["time_format"] is False
    elif normalise is schema.flag:
        assert w == "boolean"
    elif normalise is schema.slug:
        assert w == "string" and re.fullmatch(decap["pattern"][0].strip("^$"), "leifeng-visit")
    elif normalise is schema.number:
        assert w == "number" and decap["min"] == 0
    elif normalise is schema.text_list:
        assert w == "list" and decap["field"]["widget"] == "string"
    elif normalise is schema.content_file:
        assert w in ("file", "image")
    elif normalise is photo_entry:
        items = _by_name(decap["fields"])
        assert w == "list" or set(items) == {"file", "caption", "consent"}
    elif normalise in (schema.sides, footer):
        assert w == "object"
    elif _factory(normalise) == "choice":
        values = [o["value"] if isinstance(o, dict) else o for o in decap["options"]]
        assert w == "select" and values and all(normalise(v, None) == v for v in values)
    elif _factory(normalise) == "integer_between":
        assert w == "number" and decap["value_type"] == "int"
        assert normalise(decap["min"], None) == decap["min"] and normalise(decap["max"], None) == decap["max"]
    elif _factory(normalise) == "known_numbers":
        assert w == "object" and all(f["widget"] == "number" and f["required"] is False for f in decap["fields"])
    elif _factory(normalise) in ("list_of", "one_or_list"):
        assert w == "list"
    elif _factory(normalise) == "mapping_of":
        assert w == "object"
    else:
        raise AssertionError(f"{field.key}: no expectation for {normalise!r}: add one here and in editor_config")


KINDS = ec.editor_kinds()


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_every_written_field_is_in_the_form_with_its_label_required_flag_and_input(local, kind):
    fields = _by_name(_kind_fields(local, kind))
    for f in kind.fields:
        if not f.written:
            if f.key == "body" and kind.layout.pattern.endswith(".md"):
                assert fields["body"]["widget"] == "markdown"
            else:
                assert f.key not in fields, f"{kind.name}.{f.key} is not written by staff"
            continue
        decap = fields[f.key]
        assert decap["label"] == f.label
        assert decap["required"] is bool(f.required), f"{kind.name}.{f.key}"
        if getattr(f, "help", ""):
            assert decap["hint"] == f.help
        _expect_input(f, decap)


def test_photos_are_images_with_caption_and_a_consent_checkbox(local):
    activities = _by_name(next(c for c in local["collections"] if c["name"] == "activities")["fields"])
    photo = _by_name(activities["photos"]["fields"])
    assert activities["photos"]["widget"] == "list"
    assert photo["file"]["widget"] == "image" and photo["file"]["required"] is True
    assert photo["consent"]["widget"] == "boolean" and photo["caption"]["widget"] == "string"
    # records name photos relative to content/, in photos/YYYY/ of the record's year
    assert photo["file"]["media_folder"] == "/content/photos/{{date | truncate(4)}}"
    assert photo["file"]["public_folder"] == "photos/{{date | truncate(4)}}"


def test_notice_kinds_are_a_select_and_attachments_have_a_title(local):
    notices = _by_name(next(c for c in local["collections"] if c["name"] == "notices")["fields"])
    assert notices["kind"]["options"] == list(schema.NOTICE_KINDS)
    assert notices["kind"]["default"] == schema.NOTICE_KINDS[0]
    attachment = _by_name(notices["attachments"]["fields"])
    assert attachment["file"]["widget"] == "file" and "title" in attachment and "reviewed" in attachment


def test_a_new_record_starts_with_empty_lists(local):
    """Decap fills a new record's list with one item made of its items' defaults: an empty
    attachment or photo that staff cannot save. No list item may carry a default."""
    def lists(fields):
        for f in fields:
            if f["widget"] == "list" and "fields" in f:
                yield f
            yield from lists(f.get("fields", []))
    found = [f for c in local["collections"] for form in [c.get("fields", [])] + [x["fields"] for x in c.get("files", [])]
             for f in lists(form)]
    assert {"photos", "attachments"} <= {f["name"] for f in found}
    assert [f["name"] for f in found if any("default" in g for g in f["fields"])] == []


def test_publish_and_draft_are_available_where_declared(local):
    for kind in KINDS:
        keys = {f.key for f in kind.table}
        fields = _by_name(_kind_fields(local, kind))
        for key in {"publish", "draft"} & keys:
            assert key in fields


def test_dated_records_are_named_by_their_date_and_an_ascii_slug(local):
    for c in local["collections"]:
        if c.get("extension") != "md":
            continue
        fields = _by_name(c["fields"])
        m = re.fullmatch(r"\{\{fields\.(\w+) \| date\('YYYY-MM-DD'\)\}\}-([a-z0-9-]+)", c["slug"])
        assert m, c["slug"]
        assert fields[m[1]]["required"] is True and fields[m[1]]["widget"] == "datetime"
        assert schema.SLUG.fullmatch(m[2])
    activities = next(c for c in local["collections"] if c["name"] == "activities")
    assert activities["path"] == "{{date | truncate(4)}}/{{slug}}"  # activities/YYYY/


def test_title_slug_is_the_pinyin_of_the_title_and_unique():
    assert ec.title_slug("学雷锋走访困难家庭", "2026-03-05", set()) == "xueleifeng-zoufang-kunnan-jiating"
    taken = {"2026-03-05-xueleifeng-zoufang-kunnan-jiating"}
    assert ec.title_slug("学雷锋走访困难家庭", "2026-03-05", taken) == "xueleifeng-zoufang-kunnan-jiating-2"


def test_the_demo_columns_are_the_column_select():
    conf = ec.config("local", content_dir=DEMO)
    activities = _by_name(next(c for c in conf["collections"] if c["name"] == "activities")["fields"])
    options = activities["column"]["options"]
    text = (DEMO / "community.yml").read_text(encoding="utf-8")
    demo = yaml.safe_load(text)["columns"]
    assert options == [{"label": c["title"], "value": c["slug"]} for c in demo]
    assert any(o["label"] == "学雷锋志愿服务" for o in options)


def test_adding_a_field_to_a_kind_changes_the_form(monkeypatch):
    notices = next(k for k in ec.KINDS if k.name == "notices")
    extra = Field("contact", str, "联系人", "负责这条公告的科室。", schema.text)
    grown = dataclasses.replace(notices, fields=notices.fields + (extra,))
    monkeypatch.setattr(ec, "KINDS", tuple(grown if k is notices else k for k in ec.KINDS))
    fields = _by_name(next(c for c in ec.config("local", columns=COLUMNS)["collections"]
                           if c["name"] == "notices")["fields"])
    assert fields["contact"] == {"name": "contact", "label": "联系人", "widget": "string",
                                 "hint": "负责这条公告的科室。", "required": False}


def test_a_normaliser_the_editor_cannot_map_fails_loudly(monkeypatch):
    notices = next(k for k in ec.KINDS if k.name == "notices")
    odd = Field("odd", str, "怪字段", "", lambda value, where: value)
    monkeypatch.setattr(ec, "KINDS", tuple(dataclasses.replace(k, fields=k.fields + (odd,)) if k is notices else k
                                           for k in ec.KINDS))
    with pytest.raises(ec.Unmapped, match="notices.odd"):
        ec.config("local", columns=COLUMNS)


@pytest.mark.parametrize("backend, options", [
    ("local", {}),
    ("local", {"base_url": "http://127.0.0.1:8000", "site_url": "http://127.0.0.1:8000/"}),
    ("gitea", {"repo": "shequ/board", "base_url": "https://git.shequ.example.cn", "app_id": "4f1c", "branch": "main",
               "site_url": "https://shequ.example.cn/"}),
])
def test_the_configuration_validates_against_decaps_schema(backend, options):
    conf = ec.config(backend, columns=COLUMNS, **options)
    _valid(conf)
    assert conf["locale"] == "zh_Hans" and conf["publish_mode"] == "simple"
    assert yaml.safe_load(ec.config_yaml(backend, columns=COLUMNS, **options)) == conf


def test_the_schema_check_can_fail():
    conf = ec.config("local", columns=COLUMNS)
    broken = dict(conf, collections=[dict(conf["collections"][0], fields=[{"label": "无名"}])])
    with pytest.raises(jsonschema.ValidationError):
        _valid(broken)
    select = dict(conf, collections=[dict(conf["collections"][0], fields=[{"name": "x", "widget": "select"}])])
    with pytest.raises(jsonschema.ValidationError):
        _valid(select)


def test_local_backend_is_our_own_server_and_gitea_names_its_host():
    assert ec.config("local", columns=COLUMNS)["backend"] == {"name": "proxy", "proxy_url": "/admin/api/v1",
                                                              "branch": "main"}
    gitea = ec.config("gitea", repo="shequ/board", base_url="https://git.shequ.example.cn/", app_id="4f1c",
                      columns=COLUMNS)["backend"]
    assert gitea == {"name": "gitea", "repo": "shequ/board", "branch": "main",
                     "base_url": "https://git.shequ.example.cn", "api_root": "https://git.shequ.example.cn/api/v1",
                     "app_id": "4f1c"}


@pytest.mark.parametrize("options, words", [
    ({"repo": "", "base_url": "https://git.example.cn", "app_id": "x"}, "repo"),
    ({"repo": "a/b", "base_url": "", "app_id": "x"}, "base_url"),
    ({"repo": "a/b", "base_url": "https://git.example.cn", "app_id": ""}, "app_id"),
])
def test_gitea_without_its_settings_says_which_in_chinese(options, words):
    with pytest.raises(ValueError, match=f"缺少设置：.*{words}"):
        ec.config("gitea", columns=COLUMNS, **options)
    with pytest.raises(ValueError, match="不认识的编辑器后端"):
        ec.config("github", columns=COLUMNS)


def test_admin_page_loads_only_our_script_and_no_inline_code():
    page = ec.admin_html("/admin/decap-cms.js")
    assert '<html lang="zh-Hans">' in page and "<title>社区宣传窗 · 内容编辑</title>" in page
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts == [(' src="/admin/decap-cms.js"', "")]
    assert "style" not in page and "://" not in page
    assert '<link href="config.yml" type="text/yaml" rel="cms-config-url">' in page
    assert 'src="&quot;&gt;&lt;script&gt;"' in ec.admin_html('"><script>')  # the path is escaped


# --- /admin/ on the public site (17.5) --------------------------------------------------------

GITEA_ENV = {"BOARD_EDITOR": "gitea", "BOARD_EDITOR_REPO": "shequ/board",
             "BOARD_EDITOR_GIT_URL": "https://git.shequ.example.cn", "BOARD_EDITOR_APP_ID": "4f1c"}


def stand_in_cms(folder: Path) -> Path:
    """A stand-in for the CMS's npm bundle: its file names, and a number literal of the kind the
    real bundle holds (the post-build scan would read it as a mobile number)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "decap-cms.js").write_text("var n=13912345678;/* stand-in */\n", encoding="utf-8")
    (folder / "103.decap-cms.js").write_text("var chunk=1;\n", encoding="utf-8")
    (folder / "dd5d52671a5763720504.wasm").write_bytes(b"\0asm\1\0\0\0")
    (folder / ".integrity").write_text("sha512-stand-in\n", encoding="ascii")
    (folder / "decap-cms.js.map").write_text("{}", encoding="utf-8")
    return folder


@pytest.mark.parametrize("env", [{}, {"BOARD_EDITOR": ""}, {"BOARD_EDITOR": "  "}])
def test_the_public_site_has_no_editor_unless_enabled(tmp_path, env):
    assert ec.site_files(env, tmp_path) == {}
    assert ec.cms_copies(tmp_path, env, tmp_path) == set()


def test_enabled_the_editor_is_published_at_admin(tmp_path):
    js = stand_in_cms(tmp_path / "cms")
    files = ec.site_files(dict(GITEA_ENV, BOARD_EDITOR_JS=str(js)), tmp_path, "https://shequ.example.cn/", COLUMNS)
    assert sorted(files) == ["admin/103.decap-cms.js", "admin/config.yml", "admin/dd5d52671a5763720504.wasm",
                             "admin/decap-cms.js", "admin/index.html"]
    conf = yaml.safe_load(files["admin/config.yml"].decode("utf-8"))
    _valid(conf)
    assert conf["backend"]["name"] == "gitea" and conf["backend"]["repo"] == "shequ/board"
    assert conf["site_url"] == "https://shequ.example.cn/"
    assert b'<script src="decap-cms.js"></script>' in files["admin/index.html"]
    # only byte-identical copies of the bundle escape the post-build scan
    site = tmp_path / "site"
    for uri, data in files.items():
        (site / uri).parent.mkdir(parents=True, exist_ok=True)
        (site / uri).write_bytes(data)
    (site / "admin" / "103.decap-cms.js").write_text("var chunk=2;\n", encoding="utf-8")
    assert ec.cms_copies(site, dict(GITEA_ENV, BOARD_EDITOR_JS=str(js)), tmp_path) == {
        "admin/decap-cms.js", "admin/dd5d52671a5763720504.wasm"}


@pytest.mark.parametrize("env, words", [
    ({"BOARD_EDITOR": "github"}, "只能是 BOARD_EDITOR=gitea"),
    ({"BOARD_EDITOR": "gitea"}, "BOARD_EDITOR_REPO、BOARD_EDITOR_GIT_URL、BOARD_EDITOR_APP_ID"),
    ({**GITEA_ENV, "BOARD_EDITOR_JS": "/nonexistent"}, "没有 decap-cms.js"),
    (GITEA_ENV, "scripts/fetch_cms.py"),  # no editor/vendor/ in tmp_path
])
def test_a_misconfigured_editor_says_what_is_missing(tmp_path, env, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        ec.site_files(env, tmp_path)


def test_admin_csp_allows_the_office_forgejo_only():
    csp = ec.admin_csp("https://git.shequ.example.cn/")
    assert "connect-src 'self' blob: data: https://git.shequ.example.cn;" in csp
    assert "script-src 'self' 'unsafe-eval';" in csp  # AJV compiles Decap's config schema
    hosts = {w for w in csp.replace(";", " ").split() if "://" in w}
    assert hosts == {"https://git.shequ.example.cn"}
    assert "://" not in ec.admin_csp()


@pytest.mark.build
def test_the_switch_adds_admin_and_changes_nothing_else(demo_site, tmp_path):
    from conftest import build_site
    out = tmp_path / "site"
    env = dict(GITEA_ENV, BOARD_EDITOR_JS=str(stand_in_cms(tmp_path / "cms")))
    result = build_site(out, extra_env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    off = {p.relative_to(demo_site).as_posix(): p for p in demo_site.rglob("*") if p.is_file()}
    on = {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file()}
    assert sorted(set(on) - set(off)) == ["admin/103.decap-cms.js", "admin/config.yml",
                                          "admin/dd5d52671a5763720504.wasm", "admin/decap-cms.js",
                                          "admin/index.html"]
    assert set(off) <= set(on)
    changed = [rel for rel in off if off[rel].read_bytes() != on[rel].read_bytes()]
    assert changed == []
    # the sitemap and the search index do not list the editor
    assert "admin" not in (out / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.build
def test_a_misconfigured_editor_stops_the_build_in_chinese(tmp_path):
    from conftest import build_site
    result = build_site(tmp_path / "site", extra_env={"BOARD_EDITOR": "gitea"})
    assert result.returncode != 0
    assert "网页编辑器没有发布" in result.stderr and "BOARD_EDITOR_REPO" in result.stderr
    assert "Traceback" not in result.stderr


# --- in Decap itself (Debian's Chromium, the bundle editor/vendor/ holds) ---------------------

def _cms_bundle() -> Path:
    try:
        return ec.cms_folder(os.environ, ROOT)
    except ValueError:
        pytest.skip("the CMS bundle is not in editor/vendor/ (.venv/bin/python scripts/fetch_cms.py)")


@pytest.fixture(scope="module")
def admin_site(tmp_path_factory):
    """/admin/ with the real bundle on 127.0.0.1, its config.yml swapped by each test."""
    import functools
    import http.server
    import mimetypes
    import shutil
    import threading
    root = tmp_path_factory.mktemp("admin-site")
    admin = root / "admin"
    shutil.copytree(_cms_bundle(), admin, ignore=shutil.ignore_patterns(".*", "*.map"))
    (admin / "index.html").write_text(ec.admin_html("/admin/decap-cms.js"), encoding="utf-8")
    mimetypes.add_type("text/yaml", ".yml")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def end_headers(self):  # the policy deploy/forgejo/README.md gives nginx
            self.send_header("Content-Security-Policy", ec.admin_csp(GITEA_ENV["BOARD_EDITOR_GIT_URL"]))
            super().end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield admin, f"http://127.0.0.1:{server.server_address[1]}/admin/"
    server.shutdown()


def _open(chromium, admin_site, conf: dict):
    admin, url = admin_site
    (admin / "config.yml").write_text(yaml.safe_dump(conf, allow_unicode=True, sort_keys=False), encoding="utf-8")
    page = chromium.new_page(timezone_id="Asia/Shanghai", locale="zh-CN")
    page.goto(url)
    return page


@pytest.mark.browser
@pytest.mark.parametrize("backend, options, button", [
    ("local", {"site_url": "http://127.0.0.1:8000/"}, "登录"),
    ("gitea", {"repo": "shequ/board", "base_url": GITEA_ENV["BOARD_EDITOR_GIT_URL"], "app_id": "4f1c"}, "使用 Gitea 登录"),
])
def test_decap_accepts_the_configuration(chromium, admin_site, backend, options, button):
    page = _open(chromium, admin_site, ec.config(backend, content_dir=DEMO, **options))
    try:
        page.get_by_role("button", name=button).wait_for(timeout=15000)  # in Chinese: the locale is there
        assert "Config Errors" not in page.inner_text("body")
    finally:
        page.close()


@pytest.mark.browser
def test_decap_refuses_a_broken_configuration(chromium, admin_site):
    conf = ec.config("local", columns=COLUMNS)
    next(c for c in conf["collections"] if "fields" in c)["fields"][0].pop("name")  # a folder collection
    page = _open(chromium, admin_site, conf)
    try:
        page.get_by_text("Config Errors").wait_for(timeout=15000)
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("collection, day, expected", [
    # New Year's Day in Beijing is 31 December in UTC: the year folder and the id are local
    ("activities", "2026-01-01", "content/activities/2026/2026-01-01-huodong.md"),
    ("notices", "2026-03-01", "content/notices/2026-03-01-gonggao.md"),
    ("events", "2026-11-28 09:00", "content/events/2026-11-28-huodong-yugao.md"),  # a time of day, in Beijing
])
def test_a_record_made_in_the_form_is_named_as_the_contract_says(chromium, admin_site, tmp_path, tree, collection,
                                                                 day, expected):
    from PIL import Image
    photo = tmp_path / "照片.jpg"  # Chinese, as staff name them: kept (an ASCII-only name would be lost)
    Image.new("RGB", (40, 30), (200, 50, 50)).save(photo)
    conf = ec.config("local", content_dir=DEMO)
    conf["backend"] = {"name": "test-repo"}  # Decap's in-memory repository: the form and its file names
    page = _open(chromium, admin_site, conf)
    try:
        page.get_by_role("button", name="登录").click()
        page.goto(admin_site[1] + f"#/collections/{collection}/new")
        page.locator("input[id^=title-field]").fill("学雷锋走访困难家庭")
        if collection == "events":
            page.locator("input[id^=start-field]").fill(day.replace(" ", "T"))
            page.locator("input[id^=place-field]").fill("社区服务中心二楼会议室")
        else:
            page.locator("input[id^=date-field]").fill(day)
        if collection == "activities":
            page.locator("input[id^=column-field]").click()
            page.get_by_text("学雷锋志愿服务", exact=True).click()
            # a photo, with its own consent switch (the photos list comes before the record's)
            page.get_by_role("button", name="新增照片").click()
            page.locator("[id^=photos-field]").get_by_role("button", name="选择图片").click()
            page.locator("input[type=file]").first.set_input_files(photo)
            page.get_by_role("button", name="选用已选中项目").click()
            page.locator("[id^=consent-field]").first.click()
        page.get_by_role("button", name="发布").click()
        page.get_by_text("立即发布").click()
        page.wait_for_url(re.compile(r"/entries/"), timeout=15000)
        files = page.evaluate("""() => { const out = {}; const walk = n => { for (const v of Object.values(n))
            { if (v && typeof v.path === 'string') out[v.path] = typeof v.content === 'string' ? v.content : '';
              else if (v && typeof v === 'object') walk(v); } };
            walk(window.repoFiles); return out; }""")
        records = [path for path in files if not path.startswith("content/photos/")]
        assert records == [expected]
        text = files[expected]
        assert f"\n{'start' if collection == 'events' else 'date'}: {day}\n" in text
        assert "title: 学雷锋走访困难家庭" in text
        if collection == "activities":  # in photos/ of the record's year, named relative to content/
            assert "photos:\n  - file: photos/2026/照片.jpg\n    consent: true\n" in text
            assert "content/photos/2026/照片.jpg" in files
            (tree.dir / "photos" / "2026").mkdir(parents=True)
            (tree.dir / "photos" / "2026" / "照片.jpg").write_bytes(photo.read_bytes())
    finally:
        page.close()
    # and the checker accepts what the form wrote
    from community_board.content import read_catalog
    tree.write(expected.removeprefix("content/"), text)
    _, problems = read_catalog(tree.dir)
    assert problems.items == []


# --- what the editor writes, the loader reads -------------------------------------------------

def test_inputs_cleared_in_the_form_read_as_left_out(tree):
    """Decap writes an input staff typed into and cleared as "" (seen in Decap 3.16): an
    optional field so written is as if left out, a required one is missing."""
    from community_board.content import read_catalog
    tree.write("activities/2026/2026-01-01-huodong.md",
               '---\ntitle: 学雷锋走访困难家庭\ndate: 2026-01-01\ncolumn: leifeng\nsummary: ""\n'
               'stats:\n  participants: ""\n  volunteers: 8\npublish: ""\n---\n走访了 20 户居民。\n')
    tree.write("notices/2026-03-02-gonggao.md", '---\ntitle: ""\ndate: 2026-03-02\nexpires: ""\n---\n停电。\n')
    catalog, problems = read_catalog(tree.dir)
    activity = next(a for a in catalog.activities if a.id == "2026-01-01-huodong")
    assert activity.summary == "走访了 20 户居民。" and activity.publish is None
    assert activity.stats == (("volunteers", 8),)
    assert [(p.file, p.field) for p in problems.items] == [("content/notices/2026-03-02-gonggao.md", "title")]
    assert "缺少必填字段「title」" in problems.items[0].message


# --- nginx: /admin/'s own policy (deploy/forgejo/README.md, step 6) ---------------------------

FORGEJO_CSP_CONF = ROOT / "deploy" / "forgejo" / "nginx-admin-csp.conf"


def test_the_admin_policy_file_says_what_the_code_says():
    from community_board.htmlsafety import CSP
    text = FORGEJO_CSP_CONF.read_text(encoding="utf-8")
    assert re.findall(r'^\s*default\s+"([^"]+)";', text, re.M) == [CSP]
    assert re.findall(r'^\s*~\^/admin/\s+"([^"]+)";', text, re.M) == [ec.admin_csp("https://git.shequ.example.cn")]


@pytest.mark.build
def test_nginx_sends_admin_its_policy_and_every_other_page_the_sites(tmp_path):
    import http.client
    import bench_nginx
    from community_board.htmlsafety import CSP
    if not Path(bench_nginx.NGINX).exists():
        pytest.skip("没有安装 nginx（apt-get install nginx）")
    root = tmp_path / "site"
    (root / "admin").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>首页</title>", encoding="utf-8")
    (root / "admin" / "index.html").write_text(ec.admin_html(), encoding="utf-8")
    # step 6 as an administrator does it: the map beside the site's conf, one line changed
    site_conf = bench_nginx.CONF.read_text(encoding="utf-8")
    line = re.compile(r'add_header Content-Security-Policy "default-src[^"]*" always;')
    assert len(line.findall(site_conf)) == 1
    conf = tmp_path / "combined.conf"
    conf.write_text(FORGEJO_CSP_CONF.read_text(encoding="utf-8")
                    + line.sub("add_header Content-Security-Policy $board_csp always;", site_conf), encoding="utf-8")
    server = bench_nginx.Nginx(root, tmp_path / "nginx")
    (tmp_path / "nginx" / "nginx.conf").write_text(
        bench_nginx.render_conf(root, server.port, tmp_path / "nginx", conf=conf), encoding="utf-8")

    def policies(path: str) -> list[str]:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        conn.close()
        assert response.status == 200, path
        return response.msg.get_all("Content-Security-Policy")

    with server:
        assert policies("/admin/") == [ec.admin_csp("https://git.shequ.example.cn"), "frame-ancestors 'none'"]
        assert policies("/") == [CSP, "frame-ancestors 'none'"]


def test_the_editors_link_to_a_record_is_its_page():
    """preview_path, from Kind.url: with the record's file name in it, the record's own URL."""
    from community_board.content import read_catalog
    catalog, _ = read_catalog(DEMO)
    conf = ec.config("local", columns=COLUMNS, site_url="http://127.0.0.1:8000/")
    assert conf["show_preview_links"] is True
    by_name = {c["name"]: c for c in conf["collections"]}
    checked = 0
    for kind in ec.editor_kinds():
        records = getattr(catalog, kind.name, None) or ()
        records = records if isinstance(records, tuple) else (records,)
        preview = by_name.get(kind.name, {}).get("preview_path")
        for record in list(records)[:3]:
            source = getattr(record, "source", "")
            if preview is None or not source:
                continue
            assert "/" + preview.replace("{{filename}}", Path(source).stem) == kind.url(record).split("#")[0], kind.name
            checked += 1
    assert checked >= 9  # activities, notices, boards, events
    assert ec.config("local", columns=COLUMNS)["show_preview_links"] is False  # no site to link to
