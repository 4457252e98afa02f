# Set-up steps shared by the one-command scripts (serve.sh; later edit.sh): sourced, not run.
# Every long step prints a Chinese line first, so staff know what the silent minutes are;
# what is missing is installed with apt when we are root, else we stop with the one command
# to run. 由 serve.sh 等脚本引用：每个耗时步骤先用中文说明在做什么；缺什么就装什么，装不了就说清该运行哪条命令。

step() { printf '\n>>> %s\n' "$*"; }

stop() { printf '\n%s\n' "$*" >&2; exit 1; }

# apt_install PKG...: installs Debian packages when we are root and have apt-get; 1 otherwise.
apt_install() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
  step "安装 Debian 软件包：$*（需要联网，可能要几分钟）"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# need_apt CMD_DESCRIPTION PKG...: apt_install or stop saying the one command to run.
need_apt() {
  local what=$1; shift
  local sudo="sudo "
  [ "$(id -u)" = 0 ] && sudo=""
  apt_install "$@" || stop "这台电脑缺少${what}，没能自动装上。请先运行（需要管理员权限和网络）：
    ${sudo}apt-get install -y $*
然后再运行一次本命令。"
}

# A Python 3.11+ whose venv module can make a venv with pip (Debian splits it into python3-venv).
ensure_python() {
  command -v python3 >/dev/null 2>&1 || need_apt "Python 3" python3 python3-venv
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
    || stop "这台电脑的 Python 版本太旧（需要 3.11 或更新，Debian 12 自带的就可以）：$(python3 --version 2>&1)"
  python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need_apt "建立 Python 虚拟环境的组件 python3-venv" python3-venv
}

# .venv with the locked packages (hash-checked). An existing working .venv is kept as it is.
ensure_venv() {  # $1: lock file
  if ! { [ -x .venv/bin/python ] && .venv/bin/python -m pip --version >/dev/null 2>&1; }; then
    step "建立 Python 虚拟环境 .venv"
    rm -rf .venv  # a half-made one (venv without pip) would fail below; a symlink loses only itself
    python3 -m venv .venv || stop "建立 .venv 失败：请把上面的信息发给技术人员。"
  fi
  step "安装或核对 Python 软件包（按 $1 校验哈希；第一次需要联网，约几分钟，期间没有输出）"
  .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r "$1" \
    || stop "软件包没有装好：请检查网络（在国内可设置 PIP_INDEX_URL 用镜像，例如 https://mirrors.aliyun.com/pypi/simple/）后重新运行。"
}

# The project's Python: a 3.11+ with venv, and .venv holding the locked packages.
ensure_project_python() {
  step "检查 Python 和 python3-venv"
  ensure_python
  ensure_venv requirements.lock
}

# Chinese fonts for the share images (share.py finds them); the preview works without them.
ensure_cjk_fonts() {
  .venv/bin/python -c 'import sys; sys.path.insert(0, "hooks")
from community_board.share import find_cjk_font
sys.exit(find_cjk_font() is None)' 2>/dev/null && return 0
  apt_install fonts-noto-cjk && return 0
  printf '\n%s\n' "提示：没有中文字体，网站的分享图片不会生成（预览不受影响）。要生成，请运行：sudo apt-get install -y fonts-noto-cjk" >&2
}

# The preview goes in memory when the machine has /dev/shm: mkdocs serve deletes and rewrites
# every page on each save, and on disk that churn was most of a rebuild (scripts/bench_serve.py).
# 预览网站放在内存里（/dev/shm），每次保存后重建更快。
preview_in_memory() {
  if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
    export TMPDIR=/dev/shm
  fi
}
