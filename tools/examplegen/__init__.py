"""The generator of the bundled example applications (``resources/examples``).

The documents' words live in ``resources/examples/source`` (a TOML manifest per example and a
text or TOML file per document); this package only renders them: :mod:`.markup` reads the text
format, :mod:`.render_story` and :mod:`.render_form` draw PDFs in the house style of
:mod:`.pdf_base`, :mod:`.render_sheet` writes XLSX variable lists, :mod:`.render_scan` draws a
scanned JPEG, and :mod:`.build` puts an example together and writes its project file through
the core. ``tools/make_examples.py`` is the command.
"""
