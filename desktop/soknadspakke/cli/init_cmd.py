"""``soknadspakke init DIR``: create a project file, answers from flags or prompts."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from soknadspakke.cli.answers import describe_choices, parse_answer
from soknadspakke.cli.common import (
    EXIT_OK,
    CliError,
    add_common_options,
    language,
    pack_from_args,
)
from soknadspakke.core.i18n import N_, _, current_language
from soknadspakke.core.project import PROJECT_SUFFIX, Project, ProjectInfo
from soknadspakke.core.project_file import save_project
from soknadspakke.rules.answers import answer_problem
from soknadspakke.rules.schema import QuestionKind, RulePack
from soknadspakke.usecases import unanswered_questions
from soknadspakke.workspace.library import copy_template_documents, start_from_template

_INFO_FLAGS = (
    ("title", "--title", N_("project title")),
    ("project_leader", "--leader", N_("project leader")),
    ("institution", "--institution", N_("institution (the controller)")),
    ("org_number", "--org-number", N_("organisation number")),
    ("contact_email", "--email", N_("contact e-mail address")),
    ("ssb_reference", "--ssb-reference", N_("SSB's reference (change applications)")),
    ("period_start", "--start", N_("project start (YYYY-MM-DD)")),
    ("period_end", "--end", N_("project end (YYYY-MM-DD)")),
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "init", help=_("create a new application project"),
        description=_("Create a project file in DIR. Answers come from --answer, or are asked "
                      "for when the terminal is interactive."))
    parser.add_argument("directory", type=Path, metavar=_("DIR"),
                        help=_("folder for the project (created if needed)"))
    parser.add_argument("--name", help=_("file name of the project (default: the folder's)"))
    for key, flag, label in _INFO_FLAGS:
        parser.add_argument(flag, dest=key, metavar=_("VALUE"), help=_(label))
    parser.add_argument("--answer", action="append", default=[], metavar="KEY=VALUE",
                        help=_("answer a question, e.g. application_type=new or "
                               "other_data_owners=nav,helsedataservice"))
    parser.add_argument("--template", type=Path, metavar=_("TEMPLATE.soknad"),
                        help=_("start from a template application (institution, organisation "
                               "number, standard answers and library documents)"))
    parser.add_argument("--no-input", action="store_true",
                        help=_("never ask; leave unanswered questions for later"))
    parser.add_argument("--force", action="store_true",
                        help=_("overwrite an existing project file"))
    add_common_options(parser, rules=True)
    parser.set_defaults(func=run)


def _info_from_args(args: argparse.Namespace) -> ProjectInfo:
    info = ProjectInfo()
    for key, flag, _label in _INFO_FLAGS:
        value = getattr(args, key)
        if value is None:
            continue
        if key.startswith("period_"):
            try:
                setattr(info, key, date.fromisoformat(value))
            except ValueError:
                raise CliError(_("{flag}: write the date as YYYY-MM-DD").format(flag=flag)
                               ) from None
        else:
            setattr(info, key, value)
    return info


def _apply_answers(project: Project, pack: RulePack, items: list[str]) -> None:
    known = {q.id: q for q in pack.questions}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or key not in known:
            raise CliError(_("--answer {item}: unknown question; questions: {known}").format(
                item=item, known=", ".join(known)))
        try:
            project.set_answer(key, parse_answer(known[key], value))
        except ValueError as exc:
            raise CliError(f"--answer {item}: {exc}") from None
        problem = _answer_problem(project, pack, key, complete=False)
        if problem is not None:
            raise CliError(f"--answer {item}: {problem}")


def _answer_problem(project: Project, pack: RulePack, key: str, *, complete: bool = True
                    ) -> str | None:
    """Why the answer to ``key`` cannot be used (wrong; with ``complete``, too few choices).

    ``--answer`` is checked like a file (a well-formed but incomplete answer is saved and
    reported by ``validate``); at the prompt an incomplete answer is asked again.
    """
    raw = project.answers.get(key)
    if raw is None:
        return None
    problem = answer_problem(pack.question(key), raw, complete=complete)
    return problem.render(current_language()) if problem is not None else None


def _prompt(text: str) -> str:
    sys.stdout.write(text)
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        raise CliError(_("no more input; nothing was written"))
    return line.rstrip("\n")


def _ask_missing(project: Project, pack: RulePack, lang: str) -> None:
    _ask_info(project)
    _ask_questions(project, pack, lang)


def _ask_info(project: Project) -> None:
    """Ask for the facts about the application not given yet (not the SSB reference)."""
    for key, _flag, label in _INFO_FLAGS:
        if key in ("ssb_reference",) or getattr(project.info, key):
            continue
        while True:
            value = _prompt(f"{_(label)}: ").strip()
            if not key.startswith("period_"):
                setattr(project.info, key, value)
                break
            if not value:
                break
            try:
                setattr(project.info, key, date.fromisoformat(value))
                break
            except ValueError:
                print(_("write the date as YYYY-MM-DD"))


def _ask_questions(project: Project, pack: RulePack, lang: str) -> None:
    """Ask each unanswered question once, the ones the answers bring up included."""
    asked: set[str] = set()
    while True:
        pending = [qid for qid in unanswered_questions(project, pack) if qid not in asked]
        if not pending:
            return
        question = pack.question(pending[0])
        asked.add(question.id)
        print()
        print(question.label.render(lang))
        if question.help:
            print(f"  ({question.help.render(lang)})")
        if question.kind in (QuestionKind.CHOICE, QuestionKind.MULTI):
            print("\n".join(describe_choices(question, lang)))
        hint = {QuestionKind.BOOL: _("ja/nei"), QuestionKind.DATE: _("YYYY-MM-DD"),
                QuestionKind.MULTI: _("numbers or ids separated by commas; empty for none")
                }.get(question.kind, "")
        while True:
            try:
                project.set_answer(question.id, parse_answer(
                    question, _prompt(f"> {hint} " if hint else "> ")))
            except ValueError as exc:
                print(exc)
                continue
            problem = _answer_problem(project, pack, question.id)
            if problem is None:
                break
            print(problem)
            project.set_answer(question.id, None)


def run(args: argparse.Namespace) -> int:
    lang = language(args)
    pack = pack_from_args(args)
    directory: Path = args.directory
    name = args.name or directory.resolve().name or "soknad"
    if not name.endswith(PROJECT_SUFFIX):
        name += PROJECT_SUFFIX
    target = directory / name
    if target.exists() and not args.force:
        raise CliError(_("{path} exists already; use --force to overwrite it").format(
            path=target))
    given = _info_from_args(args)
    if args.template is not None:
        # Facts and standard answers from the administrator's template; flags win.
        project = start_from_template(args.template, target)
        for key, _flag, _label in _INFO_FLAGS:
            if getattr(given, key):
                setattr(project.info, key, getattr(given, key))
    else:
        project = Project(given, path=target)
    _apply_answers(project, pack, args.answer)
    if not args.no_input and sys.stdin.isatty():
        _ask_missing(project, pack, lang)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(_("cannot create the folder {path}: {reason}").format(
            path=directory, reason=exc.strerror)) from None
    if args.template is not None:
        for rel in copy_template_documents(project, args.template):
            print(_("Copied the template's {file}").format(file=rel))
    save_project(project, target)
    print(_("Created {path}").format(path=target))
    pending = unanswered_questions(project, pack)
    if pending:
        print(_("Still unanswered: {questions}").format(questions=", ".join(pending)))
    return EXIT_OK
