#!/usr/bin/env bash
# 一条命令在新机器上预览示例网站：装好缺的系统软件、建虚拟环境、按锁定文件安装依赖、检查内容、启动 mkdocs serve。
# One command on a fresh machine: system packages (apt, as root) or a Chinese stop, venv,
# hashed install from requirements.lock, check, serve. Each long step says so in Chinese.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_setup.sh

ensure_project_python
step "检查中文字体"
ensure_cjk_fonts
step "检查内容（content/）"
.venv/bin/python scripts/check.py || stop "内容检查没有通过：请按上面的中文提示修改，然后重新运行 bash scripts/serve.sh"
export NO_MKDOCS_2_WARNING=1  # Material's English end-of-life banner (mkdocs.yml sets it too)
preview_in_memory
step "启动预览（第一次生成网站要一会儿）"
echo "网站预览：http://${BOARD_ADDR:-127.0.0.1:8000}/  （改动 content/ 后自动刷新；Ctrl+C 结束）"
exec .venv/bin/mkdocs serve -a "${BOARD_ADDR:-127.0.0.1:8000}"
