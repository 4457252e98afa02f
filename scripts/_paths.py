"""Imported first by every staff script: checks that the locked packages import, then puts
hooks/ on sys.path so scripts import the same content model as the build.

Run with the system python (no .venv) the scripts would stop with an English traceback
(ModuleNotFoundError: yaml); staff get one Chinese sentence saying what to run instead.
"""
import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# import names of requirements.in's packages that the content model needs in every script
_NEEDED = ("yaml", "markdown", "mkdocs", "material", "PIL", "jieba", "nh3", "stdnum", "pypinyin")


def missing_packages() -> list:
    return [name for name in _NEEDED if importlib.util.find_spec(name) is None]


def _stop_unless_installed() -> None:
    missing = missing_packages()
    if missing:
        sys.stderr.write(
            f"这台电脑的这个 Python（{sys.executable}）里没有装本项目需要的软件包（缺 {'、'.join(missing)}）。\n"
            "请在项目文件夹里先运行一次  bash scripts/serve.sh  （它会建好 .venv 并安装），\n"
            "以后用  .venv/bin/python scripts/脚本名.py  运行脚本，例如  .venv/bin/python scripts/check.py\n")
        raise SystemExit(1)


_stop_unless_installed()
# Material's English end-of-life banner is for developers; scripts that start mkdocs pass this on.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
if str(ROOT / "hooks") not in sys.path:
    sys.path.insert(0, str(ROOT / "hooks"))
