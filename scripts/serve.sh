#!/usr/bin/env bash
# 一条命令在新机器上预览示例网站：建虚拟环境、按锁定文件安装依赖、检查内容、启动 mkdocs serve。
# One command on a fresh machine: venv, hashed install from requirements.lock, check, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
.venv/bin/python scripts/check.py
export NO_MKDOCS_2_WARNING=1
# 预览网站放在内存里（/dev/shm）：mkdocs serve 每次保存都会删掉并重写全部页面，放在磁盘上这占了重建的大半时间。
# The preview goes in memory when the machine has /dev/shm: mkdocs serve deletes and rewrites
# every page on each save, and on disk that churn was most of a rebuild (scripts/bench_serve.py).
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  export TMPDIR=/dev/shm
fi
echo "网站预览：http://${BOARD_ADDR:-127.0.0.1:8000}/  （Ctrl+C 结束）"
exec .venv/bin/mkdocs serve -a "${BOARD_ADDR:-127.0.0.1:8000}"
