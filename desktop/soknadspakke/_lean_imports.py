"""pypdf without what most runs never use: its crypto provider.

``import pypdf`` loads the ``cryptography`` package for encrypted PDFs, a large part of pypdf's
import time, although most builds meet no encrypted document. :func:`install` (called when the
``soknadspakke`` package is imported) makes the first ``import pypdf`` of the process run with
it hidden, so pypdf takes its built-in fallback; the moment pypdf meets an encrypted PDF (or
encrypts one), its real crypto provider is loaded and put in place (:func:`full_crypto`),
before any key is computed.

Nothing changes when pypdf was imported before ``soknadspakke``.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Any

#: Hidden while pypdf is first imported: cryptography, pycryptodome. (Pillow is not hidden:
#: reportlab imports it unconditionally, and the cover is drawn with reportlab.)
HIDDEN = ("cryptography", "Crypto")
#: What pypdf's encryption module takes from its crypto provider.
_PROVIDED = ("CryptAES", "CryptRC4", "aes_cbc_decrypt", "aes_cbc_encrypt", "aes_ecb_decrypt",
             "aes_ecb_encrypt", "rc4_decrypt", "rc4_encrypt")
_lock = threading.RLock()
_lean = False


def full_crypto() -> None:
    """Give pypdf its real crypto provider (a no-op unless it was imported lean)."""
    global _lean  # noqa: PLW0603 - once per process
    with _lock:
        if not _lean:
            return
        _lean = False
        providers = importlib.reload(importlib.import_module("pypdf._crypt_providers"))
        encryption = importlib.import_module("pypdf._encryption")
        for name in _PROVIDED:
            setattr(encryption, name, getattr(providers, name))
        pypdf = importlib.import_module("pypdf")
        pypdf.crypt_provider = providers.crypt_provider  # type: ignore[attr-defined]
        cls: Any = encryption.Encryption
        cls.__init__ = cls._soknadspakke_init


def _on_encryption(encryption: ModuleType) -> None:
    cls: Any = encryption.Encryption
    original = cls.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        full_crypto()
        original(self, *args, **kwargs)

    cls._soknadspakke_init = original
    cls.__init__ = init


class _LeanPypdf:  # a meta path finder (importlib.abc is not imported: it costs start-up)
    """Finds pypdf as usual, and runs its first import with :data:`HIDDEN` hidden."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != "pypdf":
            return None
        with _lock:
            if self in sys.meta_path:
                sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        loader: Any = spec.loader
        real_exec = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            global _lean  # noqa: PLW0603 - once per process
            hidden = [name for name in HIDDEN if name not in sys.modules]
            for name in hidden:
                sys.modules[name] = None  # type: ignore[assignment]  # "cannot be imported"
            try:
                real_exec(module)
            finally:
                for name in hidden:
                    if sys.modules.get(name, False) is None:
                        del sys.modules[name]
            providers = sys.modules.get("pypdf._crypt_providers")
            encryption = sys.modules.get("pypdf._encryption")
            if (providers is not None and encryption is not None
                    and providers.crypt_provider[0] == "local_crypt_fallback"
                    and not any(name in sys.modules for name in ("cryptography", "Crypto"))):
                _lean = True
                _on_encryption(encryption)

        loader.exec_module = exec_module
        return spec


def install() -> None:
    """Make the process's first ``import pypdf`` lean (when it has not happened yet)."""
    with _lock:
        if "pypdf" in sys.modules or any(isinstance(f, _LeanPypdf) for f in sys.meta_path):
            return
        sys.meta_path.insert(0, _LeanPypdf())
