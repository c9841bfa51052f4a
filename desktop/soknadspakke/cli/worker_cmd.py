"""``soknadspakke build-worker``: the window's build, in a process of its own.

A build makes hundreds of thousands of Python objects; on a thread of the window's process it
would hold the interpreter long enough to freeze the window now and then (GUI.md §4: 89–124 ms
stalls on a worker thread, ~22 ms from a separate process). So the window starts this command
and talks to it in JSON lines; it is not meant to be typed.

Standard input, first line: the request::

    {"project": {…project file JSON…}, "project_path": "…/x.soknad", "out": "…/x.pdf",
     "lang": "nb", "draft": false, "passwords": {"vedlegg/a.pdf": "…"}, "options": {},
     "rules": null, "keep_form_fields": false}

(the project as the window holds it, saved or not; passwords travel only through this pipe).
A later line ``cancel`` stops the build; nothing is written then.

Standard output, one JSON object a line: ``{"event": "progress", "done", "total", "message"}``
(the message in ``lang``), then one of ``{"event": "done", "path", "pages", "documents",
"skipped"}``, ``{"event": "not_ready", "errors": […]}``, ``{"event": "error", "message"}``,
``{"event": "cancelled"}``. Exit codes as ``build``.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import threading
from pathlib import Path
from typing import Any

from soknadspakke.build import NotReadyError, build_package
from soknadspakke.cli.common import (
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_NOT_READY,
    EXIT_OK,
    remembered_fingerprints,
)
from soknadspakke.core.errors import Cancelled, SoknadError
from soknadspakke.core.i18n import Text, normalize_language
from soknadspakke.core.project_file import project_from_dict
from soknadspakke.intake import IntakeCache, default_cache_dir
from soknadspakke.pdf.fonts import keep_parsed_fonts
from soknadspakke.rules.loader import default_pack, load_pack


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    # No help text: the window's own command, not one to type (it is left out of --help).
    parser = sub.add_parser("build-worker")
    parser.set_defaults(func=run)


def _send(event: str, **data: Any) -> None:
    sys.stdout.write(json.dumps({"event": event, **data}, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _watch_for_cancel(stop: threading.Event) -> None:
    for line in sys.stdin:
        if line.strip() == "cancel":
            stop.set()
            return
    stop.set()  # the window went away: nobody wants the package any more


def run(args: argparse.Namespace) -> int:
    # The window writes and reads UTF-8, whatever the locale's encoding is (cp1252 on Windows,
    # where a folder named "Søknad" would otherwise not be found).
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(encoding="utf-8")
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")
    try:
        request = json.loads(sys.stdin.readline())
        lang = normalize_language(request.get("lang"))
        project_path = Path(request["project_path"])
        project = project_from_dict(request["project"], project_path)
        pack = load_pack(Path(request["rules"])) if request.get("rules") else default_pack()
        out = Path(request["out"])
    except SoknadError as exc:
        _send("error", message=str(exc))
        return EXIT_INPUT
    except (ValueError, KeyError, TypeError) as exc:
        _send("error", message=f"build-worker: bad request ({exc})")
        return EXIT_INPUT
    stop = threading.Event()
    threading.Thread(target=_watch_for_cancel, args=(stop,), daemon=True).start()

    def progress(done: int, total: int, message: Text) -> None:
        _send("progress", done=done, total=total, message=message.render(lang))

    cache = IntakeCache(default_cache_dir())
    keep_parsed_fonts(cache.root)
    try:
        with remembered_fingerprints(cache):
            result = build_package(
                project, pack, out, lang=lang, draft=bool(request.get("draft")),
                options=request.get("options") or {}, passwords=request.get("passwords") or {},
                keep_form_fields=bool(request.get("keep_form_fields")),
                cache=cache, progress=progress, cancel=stop.is_set, pause_gc=True)
    except NotReadyError as exc:
        _send("not_ready", errors=[f.message.render(lang) for f in exc.report.findings
                                   if f.is_error])
        return EXIT_NOT_READY
    except Cancelled:
        _send("cancelled")
        return EXIT_INTERRUPTED
    except SoknadError as exc:
        _send("error", message=str(exc))
        return EXIT_INPUT
    except Exception as exc:  # a bug: the window shows it instead of a silent failure
        _send("error", message=f"{type(exc).__name__}: {exc}")
        return EXIT_INPUT
    _send("done", path=str(result.path), pages=result.pages,
          documents=len(result.documents), skipped=list(result.skipped))
    return EXIT_OK
