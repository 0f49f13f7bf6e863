"""Where the project lives, for links in machine output (SARIF ``informationUri``/``helpUri``).

Kept equal to ``[project.urls]`` in pyproject.toml by a test; OWNER is the GitHub account the
repository is published under.
"""

HOMEPAGE = "https://github.com/OWNER/transaudit"
CHECKS_HELP = HOMEPAGE + "#checks"  # the README's table of checks
