"""Stand-in for community_board.editor_config (the cmsconfig branch) until it is merged: the
/admin/ page and a configuration of the activities only, with the agreed signatures. Removed
when that module is on this branch; edit_server.py uses the real one whenever it imports."""
from __future__ import annotations

import html

import yaml


def admin_html(script_src: str = "/admin/decap-cms.js") -> str:
    return ('<!doctype html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="robots" content="noindex">\n<title>内容编辑 · 社区宣传窗</title>\n</head>\n<body>\n'
            f'<script src="{html.escape(script_src)}"></script>\n</body>\n</html>\n')


def config(backend: str = "local", *, site_url: str = "", repo: str = "", base_url: str = "",
           branch: str = "main", columns=None) -> dict:
    columns = columns or []
    return {
        "backend": {"name": "proxy", "proxy_url": "/api/v1", "branch": branch},
        "locale": "zh_Hans",
        "site_url": site_url,
        "media_folder": "content/photos",
        "public_folder": "photos",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": [{
            "name": "activities", "label": "活动", "label_singular": "活动",
            "folder": "content/activities", "path": "{{year}}/{{slug}}", "extension": "md",
            "format": "frontmatter", "create": True, "delete": True,
            "slug": "{{year}}-{{month}}-{{day}}-{{slug}}",
            "media_folder": "/content/photos/{{year}}", "public_folder": "photos/{{year}}",
            "fields": [
                {"name": "title", "label": "标题", "widget": "string"},
                {"name": "date", "label": "日期", "widget": "datetime", "format": "YYYY-MM-DD",
                 "date_format": "YYYY-MM-DD", "time_format": False},
                {"name": "column", "label": "栏目", "widget": "select",
                 "options": [{"label": c["title"], "value": c["slug"]} for c in columns] or ["leifeng"]},
                {"name": "photos", "label": "照片", "widget": "list", "required": False, "fields": [
                    {"name": "file", "label": "照片", "widget": "image"},
                    {"name": "caption", "label": "说明", "widget": "string", "required": False},
                    {"name": "consent", "label": "照片里的人已同意公开", "widget": "boolean", "default": False},
                ]},
                {"name": "body", "label": "正文", "widget": "markdown"},
            ],
        }],
    }


def config_yaml(backend: str = "local", **kwargs) -> str:
    return yaml.safe_dump(config(backend, **kwargs), allow_unicode=True, sort_keys=False)
