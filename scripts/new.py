#!/usr/bin/env python3
"""新建一条记录：.venv/bin/python scripts/new.py activity|notice|honor|event [选项]

Asks in Chinese for whatever the flags did not give (or, with --yes, asks nothing and fails on
what is missing: for scripts), writes the record under the right name with an ASCII slug made
from the Chinese title, copies photos into content/photos/YYYY/MMDD-N.ext after asking about
consent for each, then runs the checker and prints its report. Nothing is written until every
answer is in: Ctrl+C or the end of input leaves content/ untouched. Exit 0 when the checker
passes, 1 otherwise.

The questions and flags come from the kinds' declarations (hooks/community_board/kinds/): a
field's label, help and normaliser make its question, its flag and the check of an answer.
A kind written one record per Markdown file (events) needs no code here beyond its line in
MAKERS; activities (photos, consent), notices (their end after their date) and honours (one
more item in a year's file) keep makers of their own.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from dataclasses import dataclass
from functools import partial
from datetime import date
from pathlib import Path
from typing import Callable, Sequence, TypeVar

import _paths  # noqa: F401  (puts hooks/ on sys.path)
from _paths import ROOT
from _cli import ArgumentParser
from community_board.asof import resolve_as_of
from community_board.errors import ContentError
from community_board.kinds import ACTIVITIES, EVENTS, HONORS, NOTICES, Kind
from community_board.kinds.base import Field
try:
    from community_board.photos import PHOTO_SUFFIXES
except ImportError:  # older photos module: the same list, which the build re-checks anyway
    PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif", ".avif", ".tif", ".tiff", ".bmp")
from community_board import schema
from community_board.errors import Problems
from community_board.schema import FLAT_NUMBER, HONOR_KINDS, HONOR_LEVELS, NOTICE_KINDS
from community_board.slugs import title_slug

T = TypeVar("T")

YES = {"是", "y", "yes", "同意", "已同意", "有", "对", "1", "true"}
NO = {"否", "n", "no", "不", "不同意", "没有", "未", "0", "false"}


class Abort(Exception):
    """Stop without writing anything; the message is for staff."""


class Invalid(ValueError):
    """An answer that cannot be used; the message says how to answer instead."""


# --------------------------------------------------------------------------- parsing answers

_DATE_FORMS = (
    re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"),
    re.compile(r"()(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"),  # month and day: this year
)


def parse_date(text: str, today: date) -> date:
    text = text.strip()
    if text in ("今天", "今日"):
        return today
    for form in _DATE_FORMS:
        m = form.fullmatch(text)
        if m:
            try:
                return date(int(m[1] or today.year), int(m[2]), int(m[3]))
            except ValueError:
                raise Invalid(f"日历上没有「{text}」这一天。") from None
    raise Invalid(f"「{text}」不是日期，请写成 2026-03-05 或 3月5日。")


def parse_yes_no(text: str) -> bool:
    word = text.strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise Invalid("请回答「是」或「否」。")


def parse_choice(text: str, options: Sequence[tuple[str, str]]) -> str:
    """An option by its number, its key or its Chinese label; returns the key."""
    word = text.strip()
    if word.isdigit() and 1 <= int(word) <= len(options):
        return options[int(word) - 1][0]
    for key, label in options:
        if word.lower() == key.lower() or word == label:
            return key
    listed = "、".join(f"{i}. {label}" for i, (_, label) in enumerate(options, 1))
    raise Invalid(f"没有「{word}」这一项，请填编号：{listed}。")


def clean_path(text: str) -> Path:
    """A path typed or dragged into a terminal: quotes, file:// and ~ removed."""
    text = text.strip().strip("'\"").strip()
    if text.startswith("file://"):
        text = text[len("file://"):]
    return Path(os.path.expanduser(text))


def check_photo(path: Path) -> Path:
    if not path.is_file():
        raise Invalid(f"找不到照片文件 {path}，请检查路径（可以把照片直接拖进这个窗口）。")
    if path.suffix.lower() not in PHOTO_SUFFIXES:
        raise Invalid(f"{path.name} 不是照片（支持 {' '.join(PHOTO_SUFFIXES)}）。")
    try:
        from PIL import Image
        try:
            import pillow_heif
            pillow_heif.register_heif_opener()
        except ImportError:
            pass
        with Image.open(path):
            pass
    except Exception:  # noqa: BLE001 - any unreadable file is a staff-facing answer, not a crash
        if path.suffix.lower() not in (".heic", ".heif"):  # without a HEIC decoder the build explains
            raise Invalid(f"{path.name} 打不开，可能已损坏或不是照片。") from None
    return path


# --------------------------------------------------------------------------- asking

@dataclass
class Asker:
    """Asks on stdin for what flags did not give; with `batch`, never asks."""

    batch: bool
    read: Callable[[str], str] = input
    say: Callable[[str], None] = print

    def __call__(self, label: str, given: T | None, parse: Callable[[str], T], *, default: T | None = None,
                 required: bool = True, hint: str = "", option: str = "") -> T | None:
        if given is not None:
            return given
        if self.batch:
            if default is not None or not required:
                return default
            name = re.sub(r"（.*?）", "", label)
            raise Abort(f"缺少「{name}」，请用 {option or '对应的选项'} 给出（见 --help）。")
        shown = f"（直接回车 = {default}）" if default is not None else ("（可留空）" if not required else "")
        if "直接回车" in label:  # the label already says what an empty answer means
            shown = ""
        while True:
            try:
                answer = self.read(f"{label}{shown}{hint}：").strip()
            except EOFError:
                raise Abort("输入已结束，没有写入任何文件。") from None
            if not answer:
                if default is not None or not required:
                    return default
                self.say("  这一项必须填写。")
                continue
            try:
                return parse(answer)
            except Invalid as exc:
                self.say(f"  {exc}")

    def lines(self, label: str, given: str | None) -> str:
        """Several lines, ended by an empty line (for the body of a record)."""
        if given is not None or self.batch:
            return given or ""
        self.say(f"{label}（每行一段，可以写多行；输入一个空行结束。也可以直接回车，以后再用记事本补充）：")
        out: list[str] = []
        while True:
            try:
                line = self.read("")
            except EOFError:
                break
            if not line.strip():
                break
            out.append(line.strip())
        return "\n\n".join(out)  # one line typed = one paragraph: an empty line ends the answer


def text_answer(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise Invalid("不能为空。")
    return text


# --------------------------------------------------------------------------- photos

@dataclass(frozen=True)
class PhotoPlan:
    source: Path
    caption: str


def ask_photos(ask: Asker, paths: Sequence[str], captions: Sequence[str], consents: Sequence[bool],
               single: bool = False) -> list[PhotoPlan]:
    """Each photo with consent asked for it; a photo without consent is left out, with a word why."""
    plans: list[PhotoPlan] = []
    given = [clean_path(p) for p in paths]
    if len(consents) == 1 and len(given) > 1:
        consents = list(consents) * len(given)
    queue = list(range(len(given)))
    interactive = not given and not ask.batch
    while queue or interactive:
        if queue:
            i = queue.pop(0)
            try:
                source = check_photo(given[i])
            except Invalid as exc:
                raise Abort(str(exc)) from None
            consent = consents[i] if i < len(consents) else None
            caption = captions[i] if i < len(captions) else None
        else:
            prompt = "照片文件路径（可以把照片拖进这个窗口；直接回车 = 不加照片）" if single else \
                "照片文件路径（一次一张，可以把照片拖进这个窗口；直接回车 = 不再添加）"
            source = ask(prompt, None, lambda t: check_photo(clean_path(t)), required=False)
            if source is None:
                break
            consent = caption = None
        agreed = ask(f"照片 {source.name} 里能认出的人都已同意公开吗？（是/否）", consent, parse_yes_no)
        if not agreed:
            ask.say(f"  未征得同意的照片不能发布：{source.name} 没有加入。")
        else:
            if not single:  # an honour's photo has no caption field
                caption = ask("照片说明", caption, text_answer, required=False)
            plans.append(PhotoPlan(source, caption or ""))
        if single and (plans or not interactive):
            break
    return plans


def photo_names(content_dir: Path, day: date, plans: Sequence[PhotoPlan]) -> list[str]:
    """content/-relative names photos/YYYY/MMDD-N.ext, N after those already taken that day."""
    folder = content_dir / "photos" / str(day.year)
    stem = f"{day:%m%d}-"
    taken = {int(m[1]) for p in (folder.glob(stem + "*") if folder.is_dir() else ())
             if (m := re.fullmatch(re.escape(stem) + r"(\d+)", p.stem))}
    names, n = [], 1
    for plan in plans:
        while n in taken:
            n += 1
        taken.add(n)
        names.append(f"photos/{day.year}/{stem}{n}{plan.source.suffix.lower()}")
    return names


def copy_photos(content_dir: Path, plans: Sequence[PhotoPlan], names: Sequence[str]) -> None:
    for plan, name in zip(plans, names):
        target = content_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(plan.source, target)  # bytes only: the build strips EXIF and GPS


# --------------------------------------------------------------------------- writing records

def _yaml(data: dict) -> str:
    """Block style at the top, flow style for list items ({file: ..., consent: true}), as in the
    content format's examples; values are quoted by PyYAML wherever YAML needs it."""
    import yaml
    out = []
    for key, value in data.items():
        dumped = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=1000,
                                default_flow_style=None if isinstance(value, list) else False)
        out.append(re.sub(r"^- ", "  - ", dumped, flags=re.M))
    return "".join(out)


def markdown_record(meta: dict, body: str) -> str:
    body = body.strip()
    return f"---\n{_yaml(meta)}---\n{body}\n" if body else f"---\n{_yaml(meta)}---\n"


def existing_ids(folder: Path) -> set[str]:
    return {p.stem for p in folder.rglob("*.md")} if folder.is_dir() else set()


def record_path(content_dir: Path, kind: Kind, day: date, rid: str) -> Path:
    """Where the kind's layout puts a record of that day: activities/YYYY/<id>.md, notices/<id>.md."""
    *folders, name = kind.layout.pattern.split("/")
    return content_dir.joinpath(*(str(day.year) if f == "YYYY" else f for f in folders), rid + Path(name).suffix)


def record_id(title: str, day: date, taken: set[str]) -> str:
    return f"{day.isoformat()}-{title_slug(title, day.isoformat(), taken)}"


def honor_block(item: dict, indent: str) -> str:
    import yaml
    dumped = yaml.safe_dump([item], allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    return "".join(indent + line + "\n" for line in dumped.splitlines())


def append_honor(path: Path, year: int, item: dict) -> None:
    """Add one honour at the end of honors/YYYY.yml, keeping the file's comments and layout."""
    import yaml
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"year: {year}\nhonors:\n" + honor_block(item, "  "), encoding="utf-8")
        return
    before = path.read_text(encoding="utf-8")
    m = re.search(r"^honors:\s*\n(?:\s*#.*\n|\s*\n)*(\s*)- ", before, re.M)
    indent = m[1] if m else "  "
    updated = before + ("" if before.endswith("\n") else "\n") + honor_block(item, indent)
    try:
        old = (yaml.safe_load(before) or {}).get("honors") or []
        new = (yaml.safe_load(updated) or {}).get("honors") or []
        ok = len(new) == len(old) + 1 and new[-1] == item
    except (yaml.YAMLError, AttributeError):
        ok = False
    if not ok:  # an unusual layout (honors: [] or not last in the file): never guess
        raise Abort(f"{path.name} 的写法特殊，无法自动追加。请用记事本打开它，在 honors: 下面加上：\n"
                    + honor_block(item, "  "))
    path.write_text(updated, encoding="utf-8")


# --------------------------------------------------------------------------- the three kinds
# Each question names its field by the label its kind declares (kinds/activities.py, ...).

def question(kind: Kind, key: str, how: str | None = None) -> str:
    """The question for a field, named as its kind declares it (the checker's errors and the
    docs use the same label): 「荣誉名称（例如 星级文明家庭）」. `how` says what to answer where
    the declared help's example does not; "" asks with the label alone."""
    field = next(f for f in kind.table if f.key == key)
    if how is None:
        example = re.search(r"例如 ([^。；]+)", field.help)
        how = f"例如 {example[1]}" if example else ""
    return f"{field.label}（{how}）" if how else field.label


def _columns(content_dir: Path) -> list[tuple[str, str]]:
    import yaml
    try:
        data = yaml.safe_load((content_dir / "community.yml").read_text(encoding="utf-8")) or {}
        return [(str(c["slug"]), str(c.get("title", c["slug"]))) for c in data.get("columns") or []]
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError):
        raise Abort("读不出 content/community.yml 里的栏目（columns），请先运行 .venv/bin/python scripts/check.py 修好它。") from None


def _show_options(ask: Asker, title: str, options: Sequence[tuple[str, str]], given) -> None:
    if given is None and not ask.batch:
        ask.say(title)
        for i, (key, label) in enumerate(options, 1):
            ask.say(f"  {i}. {label}" + (f"（{key}）" if key != label else ""))


def new_activity(args, ask: Asker, content_dir: Path, today: date) -> list[Path]:
    title = ask(question(ACTIVITIES, "title"), args.title, text_answer, option="--title")
    day = ask(question(ACTIVITIES, "date", ""), args.date, lambda t: parse_date(t, today), default=today)
    columns = _columns(content_dir)
    _show_options(ask, "可选栏目：", columns, args.column)
    column = ask(question(ACTIVITIES, "column", "填编号"), args.column and parse_choice(args.column, columns),
                 lambda t: parse_choice(t, columns), option="--column")
    location = ask(question(ACTIVITIES, "location"), args.location, text_answer, required=False)
    summary = ask(question(ACTIVITIES, "summary", "一句话介绍，显示在列表里"), args.summary, text_answer, required=False)
    body = ask.lines("正文", args.body)
    plans = ask_photos(ask, args.photo or [], args.caption or [], args.consent or [])

    rid = record_id(title, day, existing_ids(content_dir / ACTIVITIES.layout.top))
    names = photo_names(content_dir, day, plans)
    meta: dict = {"title": title, "date": day, "column": column}
    if summary:
        meta["summary"] = summary
    if location:
        meta["location"] = location
    if names:
        meta["photos"] = [{"file": n, **({"caption": p.caption} if p.caption else {}), "consent": True}
                          for n, p in zip(names, plans)]
    if args.publish:
        meta["publish"] = args.publish
    if args.featured:
        meta["featured"] = True
    record = record_path(content_dir, ACTIVITIES, day, rid)
    copy_photos(content_dir, plans, names)
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(markdown_record(meta, body or summary or ""), encoding="utf-8")
    return [record] + [content_dir / n for n in names]


def new_notice(args, ask: Asker, content_dir: Path, today: date) -> list[Path]:
    title = ask(question(NOTICES, "title"), args.title, text_answer, option="--title")
    day = ask(question(NOTICES, "date", ""), args.date, lambda t: parse_date(t, today), default=today)
    kinds = [(k, k) for k in NOTICE_KINDS]
    _show_options(ask, "公告类别：", kinds, args.kind)
    kind = ask(question(NOTICES, "kind", "填编号"), args.kind and parse_choice(args.kind, kinds),
               lambda t: parse_choice(t, kinds), default=NOTICE_KINDS[0])

    def after_day(text: str) -> date:
        value = parse_date(text, today)
        if value < day:
            raise Invalid(f"截止日期不能早于公告日期 {day}。")
        return value

    expires = ask(question(NOTICES, "expires", "过了这天公告移入往期；长期有效就直接回车"), args.expires, after_day, required=False)
    if expires is not None and expires < day:
        raise Abort(f"截止日期 {expires} 早于公告日期 {day}。")
    body = ask.lines("正文", args.body)
    if not body.strip():
        body = ask("正文（一段话）", None, text_answer, option="--body")
    rid = record_id(title, day, existing_ids(content_dir / NOTICES.layout.top))
    meta: dict = {"title": title, "date": day, "kind": kind}
    if expires:
        meta["expires"] = expires
    if args.publish:
        meta["publish"] = args.publish
    record = record_path(content_dir, NOTICES, day, rid)
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(markdown_record(meta, body), encoding="utf-8")
    return [record]


def _place(text: str) -> str:
    text = text_answer(text)
    if FLAT_NUMBER.search(text):
        raise Invalid("只写到楼栋或单元（例如 3栋2单元），不要写门牌号。")
    return text


def _stars(text: str) -> int:
    if text.strip() in {"1", "2", "3", "4", "5"}:
        return int(text)
    raise Invalid("星级填 1 到 5 的数字。")


def new_honor(args, ask: Asker, content_dir: Path, today: date) -> list[Path]:
    title = ask(question(HONORS, "title"), args.title, text_answer, option="--title")
    kinds = list(HONOR_KINDS.items())
    _show_options(ask, "获得者类别：", kinds, args.kind)
    kind = ask(question(HONORS, "kind", "填编号"), args.kind and parse_choice(args.kind, kinds), lambda t: parse_choice(t, kinds),
               option="--kind")
    name = ask(question(HONORS, "name"), args.name, text_answer, option="--name")
    stars = ask(question(HONORS, "stars", "1 到 5；没有星级就直接回车"), args.stars, _stars, required=False)
    place = ask(question(HONORS, "place", "不写门牌号"), args.place and _place(args.place), _place, required=False)
    day = ask(question(HONORS, "date", ""), args.date, lambda t: parse_date(t, today), default=today)
    by = ask(question(HONORS, "by", ""), args.by, text_answer, default="社区居委会")
    levels = [(lv, lv) for lv in HONOR_LEVELS]
    level = ask(question(HONORS, "level", "/".join(HONOR_LEVELS)), args.level and parse_choice(args.level, levels),
                lambda t: parse_choice(t, levels), default="社区")
    story = ask(question(HONORS, "story", "一段话"), args.story, text_answer, required=False)
    plans = ask_photos(ask, [args.photo] if args.photo else [], [], [args.consent] if args.consent is not None else [],
                       single=True)
    consent = bool(plans)
    if story and not consent:
        consent = ask("事迹会公开当事人的情况，当事人已同意公开吗？（是/否）", args.consent, parse_yes_no)
        if not consent:
            ask.say("  未征得同意：事迹不会写入，只公布荣誉和获得者名称。")
            story = None
    names = photo_names(content_dir, day, plans[:1])
    item: dict = {"title": title, "kind": kind, "name": name}
    for key, value in (("stars", stars), ("place", place), ("date", day), ("by", by), ("level", level),
                       ("story", story), ("photo", names[0] if names else None)):
        if value is not None:
            item[key] = value
    if consent:
        item["consent"] = True
    path = content_dir / "honors" / f"{day.year}.yml"
    copy_photos(content_dir, plans[:1], names)
    append_honor(path, day.year, item)
    return [path] + [content_dir / n for n in names]


# --------------------------------------------------------------------------- any kind, from its declaration

def declared(kind: Kind, key: str) -> Field:
    return next(f for f in kind.table if f.key == key)


def _types(field: Field) -> set:
    return set(getattr(field.type, "__args__", ()) or (field.type,))


def field_answer(kind: Kind, field: Field, today: date) -> Callable[[str], object]:
    """Parse an answer (or a flag's value) the way the checker will read the field: a day as
    staff write it (3月5日), yes/no, a whole number, else the text; then the field's own
    normaliser, whose message and hint are the checker's."""
    types = _types(field)

    def parse(text: str):
        text = text.strip()
        if bool in types:
            return parse_yes_no(text)
        value: object = text
        if types <= {date, type(None)}:
            value = parse_date(text, today)
        elif date in types:  # a day, or a day and a time (an event's start): a day as staff write it too
            try:
                value = parse_date(text, today)
            except Invalid:
                pass
        elif int in types and re.fullmatch(r"[+-]?\d+", text):
            value = int(text)
        if field.normalise is not None:
            where = schema.Where(kind.layout.pattern, None, field.key, Problems(), Path("."))
            try:
                field.normalise(value.isoformat() if isinstance(value, date) else value, where)
            except schema.Invalid as exc:
                raise Invalid(f"{exc.message}{exc.hint}") from None
        return value  # as written: the checker normalises the file again
    return parse


def asked(field: Field) -> bool:
    """Asked about when making a record: what residents read, and what the record needs; the
    rest (draft, an event's report) is a flag only."""
    return field.written and field.key != "date" and (field.public or field.required or field.widget == "column")


def new_record(kind: Kind, args, ask: Asker, content_dir: Path, today: date) -> list[Path]:
    """A record of a kind written one per Markdown file, every question from its declaration:
    the first required day field names the file (YYYY-MM-DD-slug.md) and defaults to today."""
    meta: dict = {}
    day: date | None = None
    for field in kind.table:
        given = getattr(args, field.name, None)
        parse = field_answer(kind, field, today)
        given = parse(given) if isinstance(given, str) else given
        if field.widget == "column":
            columns = _columns(content_dir)
            _show_options(ask, "可选栏目：", columns, given)
            value = ask(question(kind, field.key, "填编号"), given and parse_choice(given, columns),
                        lambda t: parse_choice(t, columns), required=field.required, option=f"--{field.key}")
        elif given is not None or asked(field):
            first_day = day is None and field.required and date in _types(field)
            value = ask(question(kind, field.key, "" if first_day else None), given, parse,
                        required=field.required and not first_day, default=today if first_day else None,
                        option=f"--{field.key}")
        else:
            value = None
        if value is None or value == "" or value is False:
            continue
        if day is None and field.required and date in _types(field):
            day = value if type(value) is date else parse_date(str(value)[:10], today)
        meta[field.key] = value
    body = ask.lines(next((f.label for f in kind.fields if f.key == "body"), "正文"), args.body)
    assert day is not None, f"{kind.name}: no required day field to name its file"
    rid = record_id(str(meta["title"]), day, existing_ids(content_dir / kind.layout.top))
    record = record_path(content_dir, kind, day, rid)
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(markdown_record(meta, body), encoding="utf-8")
    return [record]


# --------------------------------------------------------------------------- command line

def _date_flag(text: str) -> date:
    try:
        return parse_date(text, resolve_as_of({}))
    except Invalid as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _yes_no_flag(text: str) -> bool:
    try:
        return parse_yes_no(text)
    except Invalid as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def field_flag(sub: argparse.ArgumentParser, kind: Kind, key: str, help: str | None = None, **kw) -> None:
    """--<key>, named and explained as the kind declares the field (its label, its help)."""
    field = declared(kind, key)
    if kw.get("action") != "store_true":
        kw.setdefault("metavar", field.label)
    sub.add_argument(f"--{key}", dest=kw.pop("dest", field.name), help=help or f"{field.label}：{field.help}", **kw)


def parser() -> ArgumentParser:
    top = ArgumentParser(description="新建一条活动、公告、光荣榜或活动预告记录（缺什么就用中文提问）")
    kinds = top.add_subparsers(dest="what", required=True, metavar="|".join(MAKERS))
    common = ArgumentParser(add_help=False)
    common.add_argument("--content", type=Path, default=Path(os.environ.get("BOARD_CONTENT") or ROOT / "content"),
                        metavar="文件夹", help="内容文件夹（默认本项目的 content）")
    common.add_argument("--yes", "-y", action="store_true", help="不提问：缺少的必填项直接报错（供脚本使用）")
    common.add_argument("--no-check", action="store_true", help="写入后不运行检查")
    common.add_argument("--body", metavar="正文", help="正文")

    a = kinds.add_parser("activity", parents=[common], help="新建活动")
    for key in ("title", "column", "location", "summary"):
        field_flag(a, ACTIVITIES, key)
    field_flag(a, ACTIVITIES, "date", type=_date_flag, help="日期，例如 2026-03-05（默认今天）")
    a.add_argument("--photo", action="append", metavar="照片", help="照片文件（可重复）")
    a.add_argument("--caption", action="append", metavar="说明", help="照片说明（按顺序对应 --photo）")
    a.add_argument("--consent", action="append", type=_yes_no_flag, metavar="yes|no",
                   help="照片是否已征得同意：yes/no（按顺序对应 --photo；只写一个则用于全部）")
    field_flag(a, ACTIVITIES, "publish", type=_date_flag)
    field_flag(a, ACTIVITIES, "featured", action="store_true", help="在本季度看板上优先展示")

    n = kinds.add_parser("notice", parents=[common], help="新建公告")
    field_flag(n, NOTICES, "title")
    field_flag(n, NOTICES, "date", type=_date_flag, help="日期，例如 2026-03-05（默认今天）")
    field_flag(n, NOTICES, "kind")
    for key in ("expires", "publish"):
        field_flag(n, NOTICES, key, type=_date_flag)

    h = kinds.add_parser("honor", parents=[common], help="光荣榜上加一项")
    field_flag(h, HONORS, "title")
    field_flag(h, HONORS, "date", type=_date_flag, help="日期，例如 2026-03-05（默认今天）")
    field_flag(h, HONORS, "kind", help="获得者类别：" + "、".join(f"{k}（{v}）" for k, v in HONOR_KINDS.items()))
    field_flag(h, HONORS, "stars", type=int, choices=range(1, 6), metavar="1-5")
    for key in ("name", "place", "by", "level", "story"):
        field_flag(h, HONORS, key)
    h.add_argument("--photo", metavar="照片", help="照片文件")
    h.add_argument("--consent", type=_yes_no_flag, metavar="yes|no", help="当事人是否同意公开照片和事迹：yes/no")

    for name, kind in GENERIC.items():  # every flag from the declaration; checked as answers are
        g = kinds.add_parser(name, parents=[common], help=f"新建{kind.label}")
        for field in kind.table:
            field_flag(g, kind, field.key)
    return top


# A kind written one record per Markdown file: its maker is new_record, from the declaration.
GENERIC = {"event": EVENTS}

MAKERS = {"activity": new_activity, "notice": new_notice, "honor": new_honor,
          **{name: partial(new_record, kind) for name, kind in GENERIC.items()}}


def run_checker(content_dir: Path) -> int:
    import check  # scripts/check.py: the same report staff get from running it themselves
    return check.main(["--content", str(content_dir)])


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    content_dir = args.content.resolve()
    if not (content_dir / "community.yml").is_file():
        print(f"在 {content_dir} 找不到 community.yml：请在项目文件夹里运行，或用 --content 指明内容文件夹。",
              file=sys.stderr)
        return 1
    ask = Asker(batch=args.yes)
    try:
        today = resolve_as_of(os.environ)
        written = MAKERS[args.what](args, ask, content_dir, today)
    except (Abort, Invalid, ContentError) as exc:  # Invalid here: a bad value given as a flag
        print(exc.report() if isinstance(exc, ContentError) else str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n已取消，没有写入任何文件。", file=sys.stderr)
        return 1
    project = content_dir.parent
    print("已写入：")
    for path in written:
        print(f"  {path.relative_to(project).as_posix() if path.is_relative_to(project) else path}")
    if args.no_check:
        return 0
    print("正在检查全部内容……")
    code = run_checker(content_dir)
    if code != 0:
        print("记录已写入，但检查没有通过：请按上面的提示修改后，再运行 .venv/bin/python scripts/check.py。", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
