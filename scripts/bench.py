"""Build synthetic communities with our site, Hugo and a plain Material blog, side by side.

    python scripts/bench.py                          # sizes 500 2000 10000
    python scripts/bench.py --sizes 500 2000 --targets floor hugo ours day add
    python scripts/bench.py --quick                  # 200 activities only

For each size the deterministic generator (scripts/synthetic.py) writes a community with
honours, slogans and notices in proportion, and these are built from it, each in its own
subprocess so that peak RSS is that build's alone (os.wait4 gives per-child rusage):

  floor  Python-Markdown alone, same extensions, over every published activity body, each
         written to an HTML file: the cost no Markdown site generator can go below;
  hugo   Hugo (Debian's package) building from scratch a minimal site of the same activities:
         one page per activity, a list per column and per quarter, a home page of the latest;
  blog   a plain Material blog-plugin site of the same posts (docs/blog/posts/*.md with
         date, categories and slug), same theme, Markdown extensions and search plugin
         settings as our mkdocs.yml (defaults when it has none yet);
  ours   `mkdocs build -f mkdocs.yml -d OUT` with BOARD_CONTENT=<dir>/content and
         BOARD_AS_OF=2026-11-25, cold (an empty build cache): every core, as a user runs it;
  ours1  the same with BOARD_JOBS=1: everything in the build's own process;
  mkdocs MkDocs and Material writing the files of that `ours` build with nothing of ours: each
         page as a generated page of no Markdown through a one-line template, every other
         file as it is. The floor of any design in which MkDocs builds every page (needs `ours`);
  day    the daily rebuild: the as-of date moves one day (2026-11-26), nothing else changes,
         with the build cache that a cold build left (the same run of `ours`, or one made first);
  add    the daily rebuild: one activity added (dated 2026-11-26, as of 2026-11-26), with the
         cache the `day` build left.

Every target runs --repeat times (default 3) and reports its best run, the machine being
shared (all runs are listed); the blog runs once (--repeat-blog). "x floor" is the wall time
over the floor's at the same size, "x hugo" over Hugo's from-scratch build.

Figures per build: wall time, ms per activity, peak RSS, output size, search bytes (every
file in a folder named search/). Prints a table and writes it, with the machine, the versions and
the exact command, as Markdown to benchmarks/results.md (or --out).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from datetime import date
from importlib import metadata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import synthetic  # noqa: E402  (after the path set-up above)

AS_OF = date(2026, 11, 25)
DEFAULT_EXTENSIONS = ["tables", "attr_list", "md_in_html", "toc", "admonition"]
TARGETS = ("floor", "hugo", "blog", "ours", "ours1", "mkdocs", "day", "add")
NEXT_DAY = date(2026, 11, 26)
KEEP_MARKER = "<!-- bench.py rewrites what is above this line and keeps what is below -->"  # the daily rebuild's as-of date
HUGO_MISSING = ("未找到 hugo 命令，跳过 hugo 这一项。安装方法（Debian/Ubuntu）：sudo apt-get install -y hugo；"
                "其他系统见 https://gohugo.io/installation/ 。")


@dataclass(frozen=True)
class Result:
    size: int
    target: str
    ok: bool
    wall_s: float = 0.0
    peak_rss_mb: float = 0.0
    output_bytes: int = 0
    output_files: int = 0
    search_bytes: int = 0
    pages: int = 0  # activities built (posts for the blog, bodies for the floor)
    note: str = ""
    cpu_s: float = 0.0  # user + system time of the build's process and every process it waited for
    runs: tuple[float, ...] = ()  # every run's wall time; this result is the best run's

    @property
    def ms_per_activity(self) -> float:
        return self.wall_s * 1000 / self.size


# --- the project's settings, copied to the blog so that only the generator differs ----------

class _Tagged:
    """A YAML node with a tag we do not interpret (!!python/name:..., !ENV), kept for re-dumping."""

    def __init__(self, tag: str, value):
        self.tag, self.value = tag, value


class _KeepTagsLoader(yaml.SafeLoader):
    pass


def _construct_tagged(loader, suffix, node):
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        return _Tagged(tag, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return _Tagged(tag, loader.construct_sequence(node, deep=True))
    return _Tagged(tag, loader.construct_mapping(node, deep=True))


_KeepTagsLoader.add_multi_constructor("", _construct_tagged)


class _KeepTagsDumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper, data: _Tagged):
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_KeepTagsDumper.add_representer(_Tagged, _represent_tagged)


def project_settings(config_file: Path) -> dict:
    """Theme, markdown_extensions and the search plugin entry of our mkdocs.yml, or defaults."""
    settings = {"theme": {"name": "material", "language": "zh"},
                "markdown_extensions": list(DEFAULT_EXTENSIONS), "search": "search", "source": "defaults"}
    if not config_file.is_file():
        return settings
    cfg = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_KeepTagsLoader) or {}
    theme = cfg.get("theme")
    if isinstance(theme, dict):
        # our templates (custom_dir) need our hooks: the blog keeps only Material's own options
        settings["theme"] = {k: v for k, v in theme.items() if k != "custom_dir"} | {"language": "zh"}
    if cfg.get("markdown_extensions"):
        settings["markdown_extensions"] = cfg["markdown_extensions"]
    for plugin in cfg.get("plugins") or []:
        if plugin == "search" or (isinstance(plugin, dict) and "search" in plugin):
            settings["search"] = plugin
    settings["source"] = str(config_file)
    return settings


def extension_names_and_configs(extensions: list) -> tuple[list[str], dict]:
    names, configs = [], {}
    for ext in extensions:
        if isinstance(ext, dict):
            (name, conf), = ext.items()
            names.append(name)
            if isinstance(conf, dict) and not any(isinstance(v, _Tagged) for v in conf.values()):
                configs[name] = conf
        else:
            names.append(str(ext))
    return names, configs


# --- the synthetic posts --------------------------------------------------------------------

@dataclass(frozen=True)
class Post:
    id: str
    meta: dict
    body: str


def published_posts(content: Path) -> list[Post]:
    """Activities our site would show as of AS_OF: not drafts, not published later."""
    posts = []
    for path in sorted((content / "activities").glob("*/*.md")):
        _, fm, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.load(fm, Loader=yaml.CSafeLoader)
        if meta.get("draft") or meta["date"] > AS_OF or (meta.get("publish") and meta["publish"] > AS_OF):
            continue
        posts.append(Post(path.stem, meta, body))
    return posts


def write_blog(content: Path, site_dir: Path, settings: dict) -> int:
    """A plain Material blog of the same posts; returns the number of posts."""
    community = yaml.safe_load((content / "community.yml").read_text(encoding="utf-8"))
    column_titles = {c["slug"]: c["title"] for c in community["columns"]}
    posts_dir = site_dir / "docs" / "blog" / "posts"
    posts_dir.mkdir(parents=True)
    (site_dir / "docs" / "index.md").write_text(f"# {community['name']}\n\n社区宣传窗。\n", encoding="utf-8")
    (site_dir / "docs" / "blog" / "index.md").write_text("# 社区活动\n", encoding="utf-8")
    posts = published_posts(content)
    for post in posts:
        head = {"date": post.meta["date"], "categories": [column_titles[post.meta["column"]]],
                "slug": post.id, "title": post.meta["title"]}
        # A blog post shows its first paragraph in listings: the separator goes after it,
        # as a blog author would put it.
        first, _, rest = post.body.partition("\n\n")
        text = "---\n" + yaml.safe_dump(head, allow_unicode=True, sort_keys=False) + "---\n\n"
        text += f"# {post.meta['title']}\n\n{first}\n\n<!-- more -->\n\n{rest}"
        (posts_dir / f"{post.id}.md").write_text(text, encoding="utf-8")
    cfg = {"site_name": community["name"], "theme": settings["theme"],
           "plugins": ["blog", settings["search"]], "markdown_extensions": settings["markdown_extensions"]}
    (site_dir / "mkdocs.yml").write_text(
        yaml.dump(cfg, Dumper=_KeepTagsDumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return len(posts)


def floor_run(manifest: Path, out: Path) -> int:
    """Python-Markdown over every listed body, one HTML file each (runs in a child).

    The manifest lists the files and the extensions, so that the child does no YAML: read,
    cut the front matter at its fence, convert, write.
    """
    import markdown

    job = json.loads(manifest.read_text(encoding="utf-8"))
    md = markdown.Markdown(extensions=job["extensions"], extension_configs=job["configs"])
    out.mkdir(parents=True, exist_ok=True)
    for name in job["files"]:
        path = Path(name)
        body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
        (out / f"{path.stem}.html").write_text(md.reset().convert(body), encoding="utf-8")
    return len(job["files"])


def write_hugo(content: Path, site_dir: Path) -> int:
    """A minimal Hugo site of the same activities, as ours lays them out: a page each, a list
    per column and per quarter (taxonomies), the latest on the home page. Returns the count."""
    community = yaml.safe_load((content / "community.yml").read_text(encoding="utf-8"))
    column_titles = {c["slug"]: c["title"] for c in community["columns"]}
    posts = published_posts(content)
    pages = site_dir / "content" / "activities"
    pages.mkdir(parents=True)
    (site_dir / "content" / "_index.md").write_text(f"---\ntitle: {community['name']}\n---\n", encoding="utf-8")
    for post in posts:
        day = post.meta["date"]
        head = {"title": post.meta["title"], "date": day.isoformat(), "slug": post.id,
                "summary": post.meta.get("summary", ""), "columns": [column_titles[post.meta["column"]]],
                "quarters": [f"{day.year}-q{(day.month - 1) // 3 + 1}"]}
        (pages / f"{post.id}.md").write_text("---\n" + yaml.safe_dump(head, allow_unicode=True, sort_keys=False)
                                             + "---\n\n" + post.body, encoding="utf-8")
    (site_dir / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\nlanguageCode = "zh-cn"\ndefaultContentLanguageInSubdir = false\n'
        f'title = "{community["name"]}宣传窗"\nhasCJKLanguage = true\nenableRobotsTXT = false\n'
        '[taxonomies]\n  column = "columns"\n  quarter = "quarters"\n'
        '[outputs]\n  home = ["HTML", "RSS"]\n  section = ["HTML"]\n  taxonomy = ["HTML"]\n  term = ["HTML"]\n',
        encoding="utf-8")
    layouts = site_dir / "layouts"
    templates = {
        "_default/baseof.html": (
            '<!doctype html>\n<html lang="zh"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title></head>\n<body>'
            '<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a><nav>'
            '{{ range site.Taxonomies.columns }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}'
            '</nav></header>\n<main>{{ block "main" . }}{{ end }}</main>\n<footer>{{ site.Title }}</footer>'
            '</body></html>\n'),
        "_default/single.html": (
            '{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }} · '
            '{{ range .GetTerms "columns" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>'
            '{{ .Content }}</article>{{ end }}\n'),
        "_default/list.html": (
            '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">'
            '{{ .Title }}</a> {{ .Date.Format "2006-01-02" }} {{ .Summary | plainify | truncate 60 }}</li>'
            '{{ end }}</ul>{{ end }}\n'),
        "index.html": (
            '{{ define "main" }}<h1>{{ site.Title }}</h1><ul>'
            '{{ range first 10 (where site.RegularPages "Section" "activities") }}'
            '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}'
            '</ul>{{ end }}\n'),
    }
    for name, text in templates.items():
        (layouts / name).parent.mkdir(parents=True, exist_ok=True)
        (layouts / name).write_text(text, encoding="utf-8")
    return len(posts)


# The MkDocs floor's project: a hook that adds the files listed in files.json, pages as
# generated pages of no Markdown, others with their bytes; main.html prints the title only.
_MKDOCS_FLOOR_HOOK = """\
import json
from pathlib import Path
from mkdocs.structure.files import File

def on_files(files, config):
    for file in [f for f in files if f.src_uri.startswith(("assets/javascripts/", "assets/stylesheets/palette."))
                 or f.src_uri.endswith(".map")]:
        files.remove(file)  # as our hooks do: no page loads them
    listing = json.loads((Path(config.config_file_path).parent / "files.json").read_text("utf-8"))
    for uri in listing["pages"]:
        files.append(File.generated(config, uri, content=""))
    for uri, path in listing["others"].items():
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, abs_src_path=path))
    return files
"""


def write_mkdocs_floor(built: Path, site_dir: Path) -> int:
    """The MkDocs floor's project for the files of a site we built (see TARGETS): each
    `x/index.html` as the page `x.md`, what MkDocs and Material write themselves left out."""
    pages, others = [], {}
    for path in sorted(p for p in built.rglob("*") if p.is_file()):
        rel = path.relative_to(built).as_posix()
        if rel in ("404.html", "sitemap.xml", "sitemap.xml.gz"):
            continue  # MkDocs and Material make these themselves
        if rel == "index.html":
            pages.append("index.md")
        elif rel.endswith("/index.html"):
            pages.append(rel[: -len("/index.html")] + ".md")
        else:
            others[rel] = str(path)
    (site_dir / "docs").mkdir(parents=True)
    (site_dir / "overrides").mkdir()
    (site_dir / "overrides" / "main.html").write_text("<title>{{ page.title }}</title>\n", encoding="utf-8")
    (site_dir / "floor_hooks.py").write_text(_MKDOCS_FLOOR_HOOK, encoding="utf-8")
    (site_dir / "files.json").write_text(json.dumps({"pages": pages, "others": others}), encoding="utf-8")
    (site_dir / "mkdocs.yml").write_text(
        "site_name: floor\nsite_url: https://example.org/\ntheme:\n  name: material\n  custom_dir: overrides\n"
        "hooks: [floor_hooks.py]\n", encoding="utf-8")
    return len(pages)


def add_activity(content: Path, day: date) -> Path:
    """One more activity, the day's: the newest one's text under a new name, title and date."""
    newest = sorted((content / "activities").glob("*/*.md"))[-1]
    text = newest.read_text(encoding="utf-8")
    _, fm, body = text.split("---\n", 2)
    meta = yaml.load(fm, Loader=yaml.CSafeLoader)
    lines = [f"date: {day.isoformat()}" if l.startswith("date:") else
             f"title: {meta['title']}（又一次）" if l.startswith("title:") else l
             for l in fm.splitlines() if not l.startswith("publish:")]
    path = content / "activities" / str(day.year) / f"{day.isoformat()}-bench-added.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + "\n".join(lines) + "\n---\n" + body, encoding="utf-8")
    return path


# --- measuring a child process ------------------------------------------------------------------

def run_measured(cmd: list[str], log: Path, env: dict | None = None, cwd: Path | None = None,
                 timeout: float | None = None) -> tuple[int, float, float, float]:
    """(exit status, wall seconds, peak RSS in MB, CPU seconds) of one child, its rusage alone
    (with the processes it waited for)."""
    with open(log, "wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        timer = threading.Timer(timeout, proc.kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        if timer:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from waiting again
    return proc.returncode, wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def tree_size(folder: Path) -> tuple[int, int, int]:
    """(bytes, files, bytes in any folder named search/) of a built site.

    Material writes search/search_index.json; our sharded index may sit deeper
    (e.g. assets/board/search/): any folder of that name counts.
    """
    total = files = search = 0
    for p in folder.rglob("*"):
        if p.is_file():
            size = p.stat().st_size
            total += size
            files += 1
            if "search" in p.relative_to(folder).parts[:-1]:
                search += size
    return total, files, search


def _tail(log: Path, lines: int = 12) -> str:
    text = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(text[-lines:])


def measure_floor(size: int, content: Path, work: Path, out: Path, settings: dict, timeout) -> Result:
    names, configs = extension_names_and_configs(settings["markdown_extensions"])
    files = [str(content / "activities" / p.id[:4] / f"{p.id}.md") for p in published_posts(content)]
    manifest = work / "floor.json"
    manifest.write_text(json.dumps({"extensions": names, "configs": configs, "files": files}), encoding="utf-8")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--floor-run", str(manifest), str(out)]
    status, wall, rss, cpu = run_measured(cmd, work / "floor.log", timeout=timeout)
    if status != 0:
        return Result(size, "floor", False, note="failed: " + _tail(work / "floor.log", 3))
    total, files, _ = tree_size(out)
    return Result(size, "floor", True, wall, rss, total, files, 0, files, cpu_s=cpu)


def measure_blog(size: int, content: Path, work: Path, out: Path, settings: dict, timeout) -> Result:
    site = work / "blog"
    posts = write_blog(content, site, settings)
    return build_mkdocs_project(size, "blog", site, out, work / "blog.log", timeout, posts)


def build_mkdocs_project(size: int, target: str, site: Path, out: Path, log: Path, timeout, pages: int) -> Result:
    """`mkdocs build` of a project bench.py wrote (the blog, the MkDocs floor), measured."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(site / "mkdocs.yml"), "-d", str(out)]
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1"}
    status, wall, rss, cpu = run_measured(cmd, log, env=env, cwd=site, timeout=timeout)
    if status != 0:
        note = "timeout" if timeout and wall >= timeout else "failed: " + _tail(log, 3)
        return Result(size, target, False, wall, rss, note=note)
    total, files, search = tree_size(out)
    return Result(size, target, True, wall, rss, total, files, search, pages, cpu_s=cpu)


def measure_hugo(size: int, content: Path, work: Path, out: Path, run: int, timeout) -> Result:
    hugo = shutil.which("hugo")
    if hugo is None:
        print(HUGO_MISSING)
        return Result(size, "hugo", False, note="hugo not installed")
    site = work / "hugo"
    if not site.is_dir():
        write_hugo(content, site)
    # its own empty cache folder each run: from scratch, as a first build on a new machine
    cmd = [hugo, "--quiet", "--source", str(site), "--destination", str(out),
           "--cacheDir", str(work / f"hugo-cache-{run}")]
    status, wall, rss, cpu = run_measured(cmd, work / "hugo.log", timeout=timeout)
    if status != 0:
        return Result(size, "hugo", False, wall, rss, note="failed: " + _tail(work / "hugo.log", 3))
    total, files, search = tree_size(out)
    built = sum(1 for p in (out / "activities").glob("*/index.html"))
    return Result(size, "hugo", True, wall, rss, total, files, search, built, cpu_s=cpu)


def measure_mkdocs_floor(size: int, work: Path, out: Path, run: int, timeout) -> Result:
    built = work / f"ours-{run}"
    if not built.is_dir():
        return Result(size, "mkdocs", False, note="needs an `ours` run of the same size first")
    site = work / "mkdocs-floor"
    if not site.is_dir():
        write_mkdocs_floor(built, site)
    # the activities our build published: the floor writes exactly their pages
    activities = sum(1 for p in (built / "activities").glob("*/index.html") if p.parent.name[:4].isdigit())
    return build_mkdocs_project(size, "mkdocs", site, out, work / "mkdocs-floor.log", timeout, activities)


def hugo_version() -> str:
    hugo = shutil.which("hugo")
    if hugo is None:
        return "-"
    try:
        return subprocess.run([hugo, "version"], capture_output=True, text=True, timeout=30).stdout.split()[1]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "?"


def measure_ours(size: int, content: Path, work: Path, out: Path, config: Path, timeout, target: str = "ours",
                 cache: Path | None = None, as_of: date = AS_OF) -> Result:
    if not config.is_file():
        print("ours: not available yet (no mkdocs.yml)")
        return Result(size, target, False, note="not available yet (no mkdocs.yml)")
    env = os.environ | {"BOARD_CONTENT": str(content), "BOARD_AS_OF": as_of.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SOURCE_DATE_EPOCH", None)
    env.pop("BOARD_JOBS", None)
    # a cold build starts from an empty build cache of its own; a daily one from a warm copy
    env["BOARD_BUILD_CACHE"] = str(cache or work / f"cache-{out.name}")
    if target == "ours1":
        env["BOARD_JOBS"] = "1"
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)]
    status, wall, rss, cpu = run_measured(cmd, work / "ours.log", env=env, cwd=config.parent, timeout=timeout)
    if status != 0 or not out.is_dir():
        print("ours: not available yet\n" + _tail(work / "ours.log"))
        return Result(size, target, False, wall, rss, note="not available yet: " + _tail(work / "ours.log", 1))
    total, files, search = tree_size(out)
    built = sum(1 for p in (out / "activities").glob("*/index.html") if p.parent.name[:4].isdigit())
    return Result(size, target, True, wall, rss, total, files, search, built, cpu_s=cpu)


def measure_daily(size: int, content: Path, work: Path, config: Path, run: int, timeout) -> tuple[Result, Result]:
    """The two daily rebuilds of one run: `day` (as of the next day) then `add` (one activity
    more), each on the build cache the build before it left. The cold build that starts the
    cache is the `ours` run of the same number when there is one, else one made here."""
    cache = work / f"cache-daily-{run}"
    cold_cache = work / f"cache-ours-{run}"
    if cache.exists():
        shutil.rmtree(cache)
    if cold_cache.is_dir():
        shutil.copytree(cold_cache, cache)
    else:
        measure_ours(size, content, work, work / f"daily-cold-{run}", config, timeout, "ours", cache)
    day = measure_ours(size, content, work, work / f"day-{run}", config, timeout, "day", cache, NEXT_DAY)
    added = add_activity(content, NEXT_DAY)
    try:
        add = measure_ours(size, content, work, work / f"add-{run}", config, timeout, "add", cache, NEXT_DAY)
    finally:
        added.unlink()
    return day, add


# --- reporting ---------------------------------------------------------------------------------

def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        kb = next(int(l.split()[1]) for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        ram = "unknown"

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "-"

    return {"nproc": str(os.cpu_count()), "cpu": cpu, "ram": ram,
            "os": platform.platform(), "python": platform.python_version(),
            "mkdocs": version("mkdocs"), "mkdocs-material": version("mkdocs-material"),
            "markdown": version("markdown"), "pymdown-extensions": version("pymdown-extensions"),
            "jieba": version("jieba"), "pyyaml": version("pyyaml")}


HEADER = ("activities", "build", "wall s", "CPU s", "x floor", "x hugo", "ms/activity", "peak RSS MB", "output MB", "files",
          "search bytes", "pages", "runs (s)")


def rows(results: list[Result]) -> list[tuple[str, ...]]:
    floor = {r.size: r.wall_s for r in results if r.target == "floor" and r.ok}
    hugo = {r.size: r.wall_s for r in results if r.target == "hugo" and r.ok}
    out = []
    for r in results:
        if r.ok:
            ratio = f"{r.wall_s / floor[r.size]:.1f}" if r.size in floor and r.target != "floor" else "-"
            vs_hugo = f"{r.wall_s / hugo[r.size]:.2f}" if r.size in hugo and r.target != "hugo" else "-"
            out.append((f"{r.size:,}", r.target, f"{r.wall_s:.2f}", f"{r.cpu_s:.2f}", ratio, vs_hugo,
                        f"{r.ms_per_activity:.2f}",
                        f"{r.peak_rss_mb:.0f}", f"{r.output_bytes / 1e6:.1f}", f"{r.output_files:,}",
                        f"{r.search_bytes:,}" if r.target != "floor" else "-", f"{r.pages:,}",
                        " ".join(f"{w:.2f}" for w in r.runs) or f"{r.wall_s:.2f}"))
        else:
            out.append((f"{r.size:,}", r.target, "-", "-", "-", "-", "-", "-", "-", "-", "-", r.note[:60], "-"))
    return out


def best_run(runs: list[Result]) -> Result:
    """The run with the least wall time, carrying every run's time: on a shared machine the
    other runs measure the other work as well."""
    ok = sorted((r for r in runs if r.ok), key=lambda r: r.wall_s)
    if not ok:
        return runs[-1]
    return replace(ok[0], runs=tuple(r.wall_s for r in runs))


def text_table(results: list[Result]) -> str:
    table = [HEADER, *rows(results)]
    widths = [max(len(r[i]) for r in table) + 2 for i in range(len(HEADER))]
    return "\n".join("".join(c.rjust(w) if i != 1 else "  " + c.ljust(w) for i, (c, w) in enumerate(zip(r, widths)))
                     for r in table)


def markdown_report(results: list[Result], gen: dict[int, tuple[float, dict]], command: str, settings: dict,
                    load: str) -> str:
    m = machine()
    lines = ["# Benchmark: our site against Hugo and a plain Material blog", "",
             f"Command: `{command}`", "",
             f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram']} RAM, {m['os']}; {load}", "",
             f"Versions: Python {m['python']}, MkDocs {m['mkdocs']}, Material {m['mkdocs-material']}, "
             f"Markdown {m['markdown']}, pymdown-extensions {m['pymdown-extensions']}, jieba {m['jieba']}, "
             f"PyYAML {m['pyyaml']}, Hugo {hugo_version()}", "",
             f"As of {AS_OF.isoformat()}; blog and floor use the theme, Markdown extensions and search settings "
             f"from {settings['source']}: `{json.dumps(extension_names_and_configs(settings['markdown_extensions'])[0])}`.",
             "", "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(r) + " |" for r in rows(results)]
    lines += ["", "Synthetic communities (scripts/synthetic.py, seed in the command):", ""]
    for size, (secs, counts) in sorted(gen.items()):
        lines.append(f"- {size:,} activities: {counts['notices']:,} notices, {counts['honors']:,} honours, "
                     f"{counts['slogans']} slogans, {counts['boards']} board files, years {counts['years'][0]}-"
                     f"{counts['years'][1]}; {counts['bytes'] / 1e6:.1f} MB written in {secs:.2f} s")
    lines += ["", "Columns: wall time of the whole `mkdocs build` (or of the floor script) in its own process, "
              "that time over the floor's, peak RSS of that process and the processes it waited for (os.wait4), "
              "every file of the output, every file in a folder named `search/`, the activities built (posts "
              "for the blog; drafts and later `publish` dates are left out of all three), and every run's wall "
              "time: the row is the best run (the machine is shared), with its CPU time (user + system, of the "
              "build's process and every process it waited for: less disturbed by other work than the wall time). `ours` uses every core as a user's build "
              "does, with an empty build cache; `ours1` runs with BOARD_JOBS=1, all in one process; `mkdocs` is MkDocs and Material "
              "writing the files of that `ours` build with nothing of ours (each page of no Markdown through a "
              "one-line template): the floor of any build in which MkDocs makes every page; `day` and "
              "`add` are the daily rebuild (as of the next day; then one activity more) on the cache the build "
              "before left. `x hugo` is the wall time over Hugo's from-scratch build of the same activities.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--floor-run"]:
        floor_run(Path(argv[1]), Path(argv[2]))
        return 0
    p = argparse.ArgumentParser(description="Our site against a plain Material blog, side by side.")
    p.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10_000])
    p.add_argument("--quick", action="store_true", help="200 activities only")
    p.add_argument("--targets", nargs="+", choices=TARGETS, default=list(TARGETS))
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", help="our mkdocs.yml")
    p.add_argument("--timeout", type=float, default=None, help="seconds per build before it is stopped")
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.md")
    p.add_argument("--keep", type=Path, default=None, help="keep the work folders here")
    p.add_argument("--repeat", type=int, default=3, help="runs of every target but the blog (best reported)")
    p.add_argument("--repeat-blog", type=int, default=1, help="runs of the blog")
    args = p.parse_args(argv)
    sizes = [200] if args.quick else args.sizes
    settings = project_settings(args.config)
    command = " ".join(["python scripts/bench.py", *(shlex.quote(a) for a in argv)])
    load_before = os.getloadavg()

    results: list[Result] = []
    gen: dict[int, tuple[float, dict]] = {}
    base = Path(tempfile.mkdtemp(prefix="board-bench-")) if args.keep is None else args.keep
    try:
        for size in sizes:
            work = base / str(size)
            if work.exists():
                shutil.rmtree(work)
            work.mkdir(parents=True)
            t0 = time.perf_counter()
            counts = synthetic.generate(work, size, args.seed)
            gen[size] = (time.perf_counter() - t0, counts)
            content = work / "content"
            daily: dict[str, list[Result]] = {"day": [], "add": []}
            for target in args.targets:
                if target == "add" and "day" in args.targets:
                    continue  # measured with `day`, on the cache it left
                runs = []
                for run in range(args.repeat_blog if target == "blog" else args.repeat):
                    print(f"{size:>6} {target:<6}...", end=" ", flush=True)
                    # Each run writes a folder of its own, and nothing is deleted until the end:
                    # on this project's VM (ext4 with discard) deleting the previous run's tree
                    # slowed the next run, more with each repeat (3.48 s -> 3.90 s over five
                    # builds of 2,000 activities, against a flat 3.1-3.4 s without deleting).
                    out = work / f"{target}-{run + 1}"
                    if target == "floor":
                        r = measure_floor(size, content, work, out, settings, args.timeout)
                    elif target == "hugo":
                        r = measure_hugo(size, content, work, out, run + 1, args.timeout)
                    elif target == "blog":
                        r = measure_blog(size, content, work, out, settings, args.timeout)
                    elif target == "mkdocs":
                        r = measure_mkdocs_floor(size, work, out, run + 1, args.timeout)
                    elif target in daily:
                        day, add = measure_daily(size, content, work, args.config, run + 1, args.timeout)
                        daily["day"].append(day)
                        daily["add"].append(add)
                        print(f"day {day.wall_s:.2f} s, add {add.wall_s:.2f} s" if day.ok and add.ok
                              else day.note or add.note)
                        os.sync()
                        if not (day.ok and add.ok):
                            break
                        continue
                    else:
                        r = measure_ours(size, content, work, out, args.config, args.timeout, target)
                    print(f"{r.wall_s:.2f} s" if r.ok else r.note)
                    runs.append(r)
                    os.sync()  # this run's write-back must not fall into the next one
                    if not r.ok:
                        break
                if target in daily:
                    results += [best_run(daily[t]) for t in ("day", "add") if daily[t]]
                elif runs:
                    results.append(best_run(runs))
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)

    print()
    print(text_table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    load_after = os.getloadavg()
    load = f"load average {load_before[0]:.1f} at the start, {load_after[0]:.1f} at the end"
    if max(load_before[0], load_after[0]) > (os.cpu_count() or 1):
        load += " (above the CPU count: other work shared the machine, times are high)"
    report = markdown_report(results, gen, command, settings, load)
    if args.out.is_file():  # what is written below the marker (by hand, or by bench_machinery.py) stays
        kept = args.out.read_text(encoding="utf-8").partition(KEEP_MARKER)
        if kept[1]:
            report += "\n" + KEEP_MARKER + kept[2]
    args.out.write_text(report, encoding="utf-8")
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
