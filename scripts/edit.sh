#!/usr/bin/env bash
# 一条命令打开网页编辑器：装好缺的软件、下载并核对编辑器（Decap CMS）、启动预览（/）和编辑器（/admin/）。
# One command on the office PC: the set-up of serve.sh (scripts/_setup.sh), git, the CMS bundle
# pinned in editor/package-lock.json (fetched with Python and checked against its sha512: no
# Node.js needed), then scripts/edit_server.py on BOARD_ADDR (default 127.0.0.1:8000).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_setup.sh

ensure_project_python
step "检查 git（编辑器把每次保存记入 git，随时可以查看和撤销）"
command -v git >/dev/null 2>&1 || need_apt "git" git
step "检查中文字体"
ensure_cjk_fonts
step "检查网页编辑器（Decap CMS，第一次需要联网下载约 16 MB）"
.venv/bin/python scripts/fetch_cms.py || stop "网页编辑器没有准备好：请按上面的提示处理后重新运行 bash scripts/edit.sh"
step "检查内容（content/）"
# A problem does not stop the editor: it is where staff fix it, and the preview lists it.
.venv/bin/python scripts/check.py || echo "内容检查发现上面这些问题：预览网页上也会列出，可以直接在编辑器里改。"
export NO_MKDOCS_2_WARNING=1  # Material's English end-of-life banner (mkdocs.yml sets it too)
preview_in_memory
step "启动网站预览和网页编辑器（第一次生成网站要一会儿）"
exec .venv/bin/python scripts/edit_server.py --addr "${BOARD_ADDR:-127.0.0.1:8000}"
