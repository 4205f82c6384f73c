"""sqlite-utils, loaded without pandas or numpy: the store's modules take `sqlite_utils` from here.

sqlite-utils imports pandas and numpy whenever they are installed (the app and the engine
install them), only to give pandas timestamps and numpy numbers a column type when it
creates a table or adds a column from the rows it is given; the store creates its tables
from the schema's Python types and never asks it to guess one. Importing pandas costs
every `radar` command about a third of a second, numpy another tenth, so each is hidden
while sqlite-utils loads, unless something has already loaded it.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

HIDDEN = ("pandas", "numpy")


def load_sqlite_utils() -> ModuleType:
    """sqlite-utils, with pandas and numpy kept from loading if nothing has loaded them."""
    if "sqlite_utils" in sys.modules:
        return importlib.import_module("sqlite_utils")
    hidden = [name for name in HIDDEN if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # `import pandas` fails at once
    try:
        return importlib.import_module("sqlite_utils")
    finally:
        for name in hidden:
            del sys.modules[name]


sqlite_utils = load_sqlite_utils()
