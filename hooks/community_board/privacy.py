"""The privacy detectors, by concern, re-exported for callers that want them in one place:

- numbers.py: resident ID, mobile and bank-card numbers in every shape staff paste (IDs by
  python-stdnum), with the context words that make a number a serial or a personal one;
- names.py: a possible resident's name in the same sentence as a sensitive word (hardship,
  disability, illness, correction, debt ...), flat numbers; its word lists in
  data/privacy_words.yml;
- sitescan.py: the post-build scan, which reads the text each output was made of (pages,
  the search index's source documents, the feed's entries), never an encoding of it, and
  names the record of every hit.
"""
from __future__ import annotations

from .names import (
    FLAT_NUMBER, KnownNames, flat_numbers, names_ahead, names_person, scan_hardship, sentences_to_tag, tag_names,
)
from .numbers import Finding, id_check_char, luhn_ok, scan_filename, scan_numbers
from .sitescan import PARALLEL_FROM, PageScan, scan_site

__all__ = [
    "FLAT_NUMBER", "Finding", "KnownNames", "PARALLEL_FROM", "PageScan", "flat_numbers", "id_check_char",
    "luhn_ok", "names_ahead", "names_person", "scan_filename", "scan_hardship", "scan_numbers", "scan_site",
    "sentences_to_tag", "tag_names",
]
