"""Mechanical fixes carried by findings (ruff style) and how ``check --fix`` applies them.

- :mod:`transaudit.fixes.build`: the :class:`~transaudit.model.Fix` values checks attach to
  findings (edits in span coordinates; nothing here reads a file);
- :mod:`transaudit.fixes.apply`: which fixes of a file go together (never two that overlap),
  the edited text, and writing it back in the file's own encoding, atomically;
- :mod:`transaudit.fixes.preview`: unified diffs and the before/after lines the report shows.
"""
