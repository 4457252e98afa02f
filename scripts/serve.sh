#!/usr/bin/env bash
# 一条命令在新机器上预览示例网站：装好缺的系统软件、建虚拟环境、按锁定文件安装依赖、检查内容、启动 mkdocs serve。
# One command on a fresh machine: system packages (apt, as root) or a Chinese stop, venv,
# hashed install from requirements.lock, check, serve. Each long step says so in Chinese.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_setup.sh

step "检查 Python 和 python3-venv"
ensure_python
ensure_venv requirements.lock
step "检查中文字体"
ensure_cjk_fonts
step "检查内容（content/）"
.venv/bin/python scripts/check.py || stop "内容检查没有通过：请按上面的中文提示修改，然后重新运行 bash scripts/serve.sh"
export NO_MKDOCS_2_WARNING=1  # Material's English end-of-life banner (mkdocs.yml sets it too)
# 预览网站放在内存里（/dev/shm）：mkdocs serve 每次保存都会删掉并重写全部页面，放在磁盘上这占了重建的大半时间。
# The preview goes in memory when the machine has /dev/shm: mkdocs serve deletes and rewrites
# every page on each save, and on disk that churn was most of a rebuild (scripts/bench_serve.py).
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  export TMPDIR=/dev/shm
fi
step "启动预览（第一次生成网站要一会儿）"
echo "网站预览：http://${BOARD_ADDR:-127.0.0.1:8000}/  （改动 content/ 后自动刷新；Ctrl+C 结束）"
exec .venv/bin/mkdocs serve -a "${BOARD_ADDR:-127.0.0.1:8000}"
