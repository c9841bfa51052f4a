"""The sub-command modules, in the order ``--help`` lists them.

Each module has ``register(subparsers)``, which adds its parser and sets ``func`` to a function
``(args) -> int`` returning the exit code.
"""

from __future__ import annotations

from types import ModuleType

MODULES: list[ModuleType] = []
