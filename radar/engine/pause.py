"""Pausing Python's cyclic garbage collector around a burst of allocations."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block (or, as a decorator, the function) with the cyclic collector paused.

    An analysis allocates millions of small objects (stories, phrases, each headline's
    cached parts) that reference counting frees, none of them in cycles; the collections
    their allocations trigger walk every live object again and again, a tenth of the
    analysis. Cycles made meanwhile wait for the first collection after the block. A
    thread entering while another holds the pause leaves the collector as it found it.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
