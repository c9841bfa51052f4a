"""Keeping the garbage collector's full passes out of the event loop.

Intake runs on a worker thread of this process and keeps what it learns (a result per file),
so the heap grows while files are taken in. Each time the long-lived objects have grown by a
quarter, CPython walks all of them in a full collection, with the GIL held: everything the
window holds (Qt wrappers, the rule pack, the project, the results) — about 50 ms on a
2-core machine, 16 times while 200 files are taken in, and the window stalls each time
(measured with ``benchmarks/gui_bench.py``; see the README).

Objects that live as long as the open application are moved out of the collector's sight
(:func:`gc.freeze`) once it is shown, so the passes walk only what is new. They are given
back (:func:`gc.unfreeze`) when the next application is shown, so reference cycles among
them are still freed; reference counting frees everything else as usual.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect what is garbage now, then freeze what is left (the window calls this when it
    has shown an application)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
