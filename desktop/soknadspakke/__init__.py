"""Søknadspakke: complete, checked application packages for SSB microdata loans."""

__version__ = "0.1.0"
