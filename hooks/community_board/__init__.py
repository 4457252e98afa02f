"""Community Board's content model: plain Python, no MkDocs import.

content/ -> load + validate (all errors at once) -> frozen records -> derived quarters, boards,
pages. The MkDocs hook file (hooks/board_hooks.py) and scripts/ both stand on this package.
"""
