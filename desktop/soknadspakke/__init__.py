"""Søknadspakke: complete, checked application packages for SSB microdata loans."""

from soknadspakke import _lean_imports

__version__ = "0.1.0"

_lean_imports.install()  # pypdf without its crypto provider and Pillow until they are needed
