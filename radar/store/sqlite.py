"""sqlite-utils, loaded without pandas: the store's modules take `sqlite_utils` from here.

sqlite-utils imports pandas whenever it is installed (the app installs it), only to give
pandas timestamps a column type; the store never writes one. Importing pandas costs
every `radar` command about a third of a second, so it is hidden while sqlite-utils
loads, unless something has already loaded it.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType


def load_without_pandas() -> ModuleType:
    if "sqlite_utils" in sys.modules or "pandas" in sys.modules:
        return importlib.import_module("sqlite_utils")
    sys.modules["pandas"] = None  # type: ignore[assignment]  # `import pandas` fails at once
    try:
        return importlib.import_module("sqlite_utils")
    finally:
        del sys.modules["pandas"]


sqlite_utils = load_without_pandas()
