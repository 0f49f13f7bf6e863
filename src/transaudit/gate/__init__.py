"""The CI gate: configuration, baseline, changed files, in-document suppressions, step summary.

Each module holds plain functions over plain data; only ``cli.py`` prints and decides exit codes.
Every problem a user can cause (a bad config, an unknown git ref, a broken baseline) is raised as
:class:`GateError`, whose text is the one line the CLI prints before exiting with 2.
"""


class GateError(ValueError):
    """A usage problem of the gate; ``str()`` is a one-line message naming file and cause."""
