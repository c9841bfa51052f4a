"""The sub-command modules, in the order ``--help`` lists them.

Each module has ``register(subparsers)``, which adds its parser and sets ``func`` to a function
``(args) -> int`` returning the exit code.
"""

from __future__ import annotations

from types import ModuleType

from soknadspakke.cli import (
    add_cmd,
    build_cmd,
    example_cmd,
    init_cmd,
    inspect_cmd,
    validate_cmd,
    worker_cmd,
)

MODULES: list[ModuleType] = [validate_cmd, build_cmd, init_cmd, add_cmd, inspect_cmd,
                             example_cmd, worker_cmd]
