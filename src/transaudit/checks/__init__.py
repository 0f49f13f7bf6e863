"""Every check lives in its own module here; importing the package registers them all.

Codes are grouped by family and never reused (see ``codes.py`` for the central table):
TA1xx structure, TA2xx language, TA3xx content, TA4xx scoring, TA5xx style, TA9xx meta.
"""

import importlib
import pkgutil

for _mod in pkgutil.iter_modules(__path__):
    if _mod.name != "base" and not _mod.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_mod.name}")
