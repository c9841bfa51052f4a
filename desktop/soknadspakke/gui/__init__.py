"""The desktop window (PySide6): the only package that imports Qt.

A thin layer over the core: :mod:`.session` follows the core's project and runs its rules,
:mod:`.documents` adapts the project's documents as a Qt model, :mod:`.commands` makes every
change undoable, :mod:`.tasks` and :mod:`.build` keep long work off the GUI thread.
"""
