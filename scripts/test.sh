#!/usr/bin/env bash
# One command on a fresh machine (Debian, Python 3.11, root): install what the tests need and
# run them. .ci/run calls this. Browser tests use Debian's Chromium; nothing downloads a browser.
# tests/test_nginx.py uses Debian's nginx (installed here when missing; never started as a
# service: the test runs its own on 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
export NO_MKDOCS_2_WARNING=1 PIP_DISABLE_PIP_VERSION_CHECK=1

python3 -m venv .venv
.venv/bin/python -m pip install -q --require-hashes -r requirements-dev.lock

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need_apt+=(fonts-noto-cjk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)  # the Nu HTML checker (vnu-jar)
command -v git >/dev/null 2>&1 || need_apt+=(git)  # the web editor's tests commit in temp repositories
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "正在安装测试需要的 Debian 软件包：${need_apt[*]}"
    # policy-rc.d: the nginx package must not start a server of its own on port 80 (one that
    # is already there is left as it is)
    own_policy=
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
    fi
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
    [ -n "$own_policy" ] && rm -f /usr/sbin/policy-rc.d
  else
    echo "不是 root，无法安装 ${need_apt[*]}：浏览器测试、分享图片或 nginx 测试将被跳过" >&2
  fi
fi
if [ -f tests/browser/package-lock.json ] && command -v npm >/dev/null 2>&1; then
  (cd tests/browser && npm ci --silent --no-audit --no-fund)
fi
# The web editor's CMS for tests/test_editor_browser.py: the tarball pinned in
# editor/package-lock.json, checked against its sha512 (Python: no Node needed); nothing is
# fetched while the tests run, and an unpacked, checked copy is kept.
echo "正在准备网页编辑器（Decap CMS）"
.venv/bin/python scripts/fetch_cms.py || echo "没能下载网页编辑器：编辑器的浏览器测试将被跳过" >&2

set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
# pytest exits 5 when it collected nothing: that is a failure of ours, not a pass.
[ $status -eq 5 ] && echo "no tests ran" >&2 && exit 1
exit $status
