"""Results of pure work kept between the builds of one process (`mkdocs serve`).

Every key is a hash of all the inputs of the work it names, so an entry cannot be stale: a
changed input is a different key, and nothing one build decided can show up in the next.
That is what makes it safe where other state between builds is not. Bounded: least recently
used entries go first.
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any, Callable


def digest(*parts: str | bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


class Memo:
    def __init__(self, max_entries: int = 100_000):
        self._items: OrderedDict[str, Any] = OrderedDict()
        self.max_entries = max_entries

    def get(self, key: str, default: Any = None) -> Any:
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        return default

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def put(self, key: str, value: Any) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.max_entries:
            self._items.popitem(last=False)

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        if key in self._items:
            return self.get(key)
        value = compute()
        self.put(key, value)
        return value

    def __len__(self) -> int:
        return len(self._items)

    def items(self) -> list[tuple[str, Any]]:
        return list(self._items.items())
