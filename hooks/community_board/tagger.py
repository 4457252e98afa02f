"""jieba's part-of-speech tagger for the privacy checks: the whole dictionary, or only the part
that some known sentences need.

A build tags few sentences (those that put a hardship word next to a possible name: 35 at 500
activities, 122 at 2,000), but `jieba.initialize()` loads the whole prefix dictionary, 500,000
entries, in about half a second in every process that tags. `for_sentences` reads jieba's
dictionary file once and keeps only the words that occur inside the given sentences, with
their prefixes (about 0.1 s). It tags those sentences exactly as the whole dictionary does:

- jieba cuts a sentence by looking up its substrings only (`get_DAG`, `calc`, posseg's check of
  a run of single characters), and our name rules look up tokens of the sentence, or two
  adjacent tokens: substrings too;
- a substring that is a word is kept with its count; every prefix of a kept word is kept, with
  count 0 unless it is a word itself, so the walk in `get_DAG` reaches every word it reaches
  with the whole dictionary. A prefix of a word that does not occur in the sentence can stop
  that walk earlier, but only where no longer word of the sentence starts;
- the total of all counts (the denominator of every word's probability) is the whole file's.

tests/test_privacy.py checks the equivalence on the labelled set, the seeds and a synthetic
community. jieba is pinned (requirements.lock); a dictionary file this parse does not
recognise falls back to the whole load.
"""
from __future__ import annotations

import functools
import logging
from typing import Any, Iterable, Mapping, NamedTuple


class Tagger(NamedTuple):
    cutter: Any  # a jieba.posseg.POSTokenizer
    counts: Mapping[str, int]  # the dictionary's word counts it cuts with (our name rules read them)


@functools.lru_cache(maxsize=1)
def whole() -> Tagger:
    """The whole dictionary, loaded once per process (about a second with the imports)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return Tagger(jieba.posseg.dt, jieba.dt.FREQ)


def for_sentences(sentences: Iterable[str]) -> Tagger:
    """A tagger that tags these sentences (and their substrings) as `whole()` does."""
    import jieba
    import jieba.posseg

    dictionary = _dictionary()
    if dictionary is None:
        return whole()
    words, counts, total = dictionary
    longest = max(map(len, words))
    pieces = {s[i:j] for s in set(sentences) for i in range(len(s)) for j in range(i + 1, min(len(s), i + longest) + 1)}
    # The same word twice: the later count wins (and both are in the total), as in gen_pfdict.
    kept = {w: int(c) for w, c in zip(words, counts) if w in pieces}
    for word in list(kept):
        for end in range(1, len(word)):
            kept.setdefault(word[:end], 0)
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = kept, total, True
    return Tagger(_part_tagger_class()(tokenizer, jieba.posseg.dt.word_tag_tab), kept)


def _dictionary() -> tuple[list[str], list[str], int] | None:
    """jieba's dictionary file as its words, their counts (as text) and the sum of the counts;
    None if the file is not the "word count tag" lines this expects."""
    import jieba

    with jieba.dt.get_dict_file() as f:
        text = f.read().decode("utf-8")
    fields = text.split()
    if not fields or len(fields) != 3 * (text.strip().count("\n") + 1):
        return None
    words, counts = fields[0::3], fields[1::3]
    try:
        total = sum(map(int, counts))
    except ValueError:
        return None
    return words, counts, total


@functools.lru_cache(maxsize=1)  # a class, made once: it holds no data
def _part_tagger_class():
    import jieba.posseg

    class PartTagger(jieba.posseg.POSTokenizer):
        """posseg's tagger over a tokenizer of our making, sharing the module's word tags
        (POSTokenizer's own constructor would parse the dictionary file once more)."""

        def __init__(self, tokenizer, word_tag_tab):
            self.tokenizer = tokenizer
            self.word_tag_tab = word_tag_tab

    return PartTagger
