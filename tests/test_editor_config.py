"""The web editor's configuration agrees with the record kinds' declarations (issue 17.2, 17.5).

Every written field of every kind is in its collection with its label, required flag and an input
that matches its normaliser; a field added to a kind appears; a normaliser the generator cannot
map fails here, not silently in the browser. The configuration is checked against the parts of
Decap CMS's own config schema (decap-cms-core src/constants/configSchema.js and the widgets'
schema.js) that it uses."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from community_board import editor_config as ec
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
    elif normalise is schema.photo_entry:
        items = _by_name(decap["fields"])
        assert w == "list" or set(items) == {"file", "caption", "consent"}
    elif normalise in (schema.sides, schema.footer):
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
    assert photo["file"]["media_folder"] == "/content/photos/{{year}}"
    assert photo["file"]["public_folder"] == "photos/{{year}}"


def test_notice_kinds_are_a_select_and_attachments_have_a_title(local):
    notices = _by_name(next(c for c in local["collections"] if c["name"] == "notices")["fields"])
    assert notices["kind"]["options"] == list(schema.NOTICE_KINDS)
    assert notices["kind"]["default"] == schema.NOTICE_KINDS[0]
    attachment = _by_name(notices["attachments"]["fields"])
    assert attachment["file"]["widget"] == "file" and "title" in attachment and "reviewed" in attachment


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
