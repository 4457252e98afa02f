"""The hook file stays thin and the package keeps no state between builds (issue 16, point 2).

`mkdocs serve` rebuilds in one process: anything a module keeps from one build can show up in
the next. These tests read the source, so a new module-level cache or registry fails here
before it can make a preview differ from a fresh build.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import mkdocs
import mkdocs.plugins
import pytest

import board_hooks
import community_board
from community_board.session import BuildSession

HOOKS = Path(board_hooks.__file__)
PACKAGE = Path(community_board.__file__).parent
MODULES = sorted(PACKAGE.glob("*.py"))

_MUTATORS = {"append", "extend", "insert", "add", "update", "setdefault", "pop", "popitem", "clear",
             "remove", "discard", "move_to_end", "appendleft", "__setitem__"}
_CACHES = {"lru_cache", "cache"}


def _containers(tree: ast.Module) -> set[str]:
    """Module-level names bound to a list, dict, set or a call that makes one."""
    found = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        value = getattr(node, "value", None)
        mutable = isinstance(value, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)) or (
            isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and value.func.id in {"dict", "list", "set", "OrderedDict", "defaultdict", "deque", "Counter"})
        if mutable:
            found |= {t.id for t in targets if isinstance(t, ast.Name)}
    return found


def mutated_module_state(source: str) -> list[str]:
    """Names of module-level containers that the module's code changes, and names a function
    rebinds with `global`: state that outlives one build."""
    tree = ast.parse(source)
    names = _containers(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            found += node.names
        target = None
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            for t in getattr(node, "targets", None) or [node.target]:
                if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name):
                    target = t.value.id
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in _MUTATORS and isinstance(node.func.value, ast.Name)):
            target = node.func.value.id
        if target in names:
            found.append(target)
    return sorted(set(found))


def undocumented_caches(source: str) -> list[str]:
    """Module-level functions under functools' caches with no docstring and no comment on the
    decorator's line or the line above: a cache must say why what it keeps is safe to keep."""
    lines = source.splitlines()
    found = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for deco in node.decorator_list:
            fn = deco.func if isinstance(deco, ast.Call) else deco
            name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
            if name in _CACHES:
                around = lines[deco.lineno - 2:deco.lineno]
                if ast.get_docstring(node) is None and not any("#" in line for line in around):
                    found.append(node.name)
    return found


def test_the_scanners_see_what_they_look_for():
    leaky = ("_SEEN = {}\nCONST = {'a': 1}\n_RUN = []\n"
             "def f(k):\n    _SEEN[k] = 1\n    _RUN.append(k)\n    return CONST[k]\n"
             "def g():\n    global _X\n    _X = 1\n"
             "import functools\n@functools.lru_cache\ndef h():\n    return 1\n")
    assert mutated_module_state(leaky) == ["_RUN", "_SEEN", "_X"]
    assert undocumented_caches(leaky) == ["h"]
    assert mutated_module_state("TABLE = {'a': 1}\ndef f(k):\n    return TABLE.get(k)\n") == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_module_of_the_package_keeps_state_between_builds(path):
    source = path.read_text(encoding="utf-8")
    assert mutated_module_state(source) == []
    assert undocumented_caches(source) == []


def test_the_hook_file_is_event_handlers_and_one_session():
    source = HOOKS.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 150
    tree = ast.parse(source)
    assigned = [t.id for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
                for t in (node.targets if isinstance(node, ast.Assign) else [node.target])]
    assert assigned == ["_session"]
    assert not [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    functions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert functions and all(name.startswith("on_") and name[3:] in mkdocs.plugins.EVENTS for name in functions)
    assert mutated_module_state(source) == ["_session"]  # rebound by on_startup and on_config only
    # MkDocs registers every callable on_* attribute, imported ones too: only ours may be there.
    handlers = {n for n, v in vars(board_hooks).items() if n.startswith("on_") and callable(v)}
    assert handlers == set(functions)


def _mkdocs_subclasses():
    for info in pkgutil.iter_modules([str(PACKAGE)]):
        module = importlib.import_module(f"community_board.{info.name}")
        for cls in vars(module).values():
            if inspect.isclass(cls) and cls.__module__ == module.__name__:
                bases = [b for b in cls.__mro__[1:] if b.__module__.startswith("mkdocs.")]
                if bases:
                    yield cls, bases


def test_no_private_method_of_mkdocs_is_overridden():
    """A private method may change in any MkDocs release without notice. If one must be
    overridden, say why where it is, and pin the version here: mkdocs.__version__ == "x"."""
    overridden = [f"{cls.__name__}.{name}" for cls, bases in _mkdocs_subclasses()
                  for name, value in vars(cls).items() if name.startswith("_") and not name.startswith("__")
                  and callable(value) and any(name in vars(b) for b in bases)]
    assert overridden == [], f"MkDocs {mkdocs.__version__}: {overridden}"
    assert any(cls.__name__ == "BoardPage" for cls, _ in _mkdocs_subclasses())  # the check saw it


class _Job:
    def __init__(self):
        self.closed = False

    def close(self):
        self.closed = True


def test_a_new_build_drops_what_the_last_one_left_but_the_serve_memo(tmp_path):
    from community_board.buildcache import BuildCache

    session = BuildSession("serve")
    memo = session.memo = BuildCache(tmp_path / "cache", "v")
    memo.put("k", "html")
    first = Path(session.begin(str(tmp_path / "site")))
    (first / "leftover.html").write_text("x", encoding="utf-8")
    jobs = session.search, session.scan = _Job(), _Job()
    second = Path(session.begin(str(tmp_path / "site")))
    assert all(job.closed for job in jobs) and session.search is None and session.scan is None
    assert session.state is None and list(second.iterdir()) == []
    assert session.memo is memo and memo.get("k") == "html"


def test_a_failed_build_removes_its_staging_folder_and_leaves_the_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("good", encoding="utf-8")
    session = BuildSession()
    staging = Path(session.begin(str(site)))
    (staging / "index.html").write_text("half", encoding="utf-8")
    session.abandon()
    assert not staging.exists() and (site / "index.html").read_text(encoding="utf-8") == "good"


def test_a_refused_serve_build_shows_the_problems_at_every_address_of_the_site(tmp_path):
    import jinja2

    from community_board.errors import Problem
    from community_board.session import CONTENT_REFUSED, ERROR_STYLESHEET, ERROR_TEMPLATE

    site = tmp_path / "site"
    for rel in ("index.html", "activities/index.html", "activities/a/index.html", "feed.xml"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("good", encoding="utf-8")
    session = BuildSession("serve")
    staging = Path(session.begin(str(site)))
    (staging / "half.html").write_text("half", encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HOOKS.parent.parent / "overrides")), autoescape=True)
    session.use_error_page(env.get_template(ERROR_TEMPLATE), b"body{}")
    problem = Problem("content/a.md", 3, "title", "缺少<b>标题</b>", "加上一行 title: ……")
    session.refuse(CONTENT_REFUSED, [problem])
    assert Path(session.show_problems("http://127.0.0.1:8000/", "社区宣传窗")) == site.resolve()
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert pages == ["404.html", "activities/a/index.html", "activities/index.html", "half.html", "index.html"]
    page = (site / "activities/a/index.html").read_text(encoding="utf-8")
    assert "内容检查发现 1 处问题" in page and "content/a.md:3：字段「title」" in page and "怎么改：加上一行" in page
    assert "&lt;b&gt;" in page and "<b>" not in page
    assert 'href="/assets/board/board-error.css"' in page and (site / ERROR_STYLESHEET).read_bytes() == b"body{}"
    assert not (site / "feed.xml").exists() and not staging.exists()
    assert BuildSession("build").serving is False and BuildSession("serve").refusal is None
