"""``soknadspakke new-change PREVIOUS.soknad DIR``: a change application from the earlier one."""

from __future__ import annotations

import argparse
from pathlib import Path

from soknadspakke.cli.common import EXIT_OK, add_common_options, language, pack_from_args
from soknadspakke.core.i18n import _
from soknadspakke.rules.engine import evaluate
from soknadspakke.validation import answer_text
from soknadspakke.workspace.change import new_change_application


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "new-change", help=_("start a change application from the earlier application"),
        description=_("Create a change application in DIR from the project's earlier "
                      "application: the project's facts and SSB's reference are copied, the "
                      "legal-basis date and the approvals' validity carry over as starting "
                      "answers, and the documents are left for you to choose."))
    parser.add_argument("previous", type=Path, metavar=_("PREVIOUS"),
                        help=_("the earlier application's project file (.soknad)"))
    parser.add_argument("directory", type=Path, metavar=_("DIR"),
                        help=_("folder for the change application (created if needed)"))
    parser.add_argument("--name", help=_("file name of the project (default: the folder's)"))
    parser.add_argument("--force", action="store_true",
                        help=_("overwrite an existing project file"))
    add_common_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    lang = language(args)
    pack = pack_from_args(args)
    made = new_change_application(args.previous, args.directory, pack, name=args.name,
                                  overwrite=args.force)
    project = made.project
    print(_("Created {path}").format(path=project.path))
    if not project.info.ssb_reference:
        print(_("  SSB's reference is empty: fill it in (from SSB's reply to the earlier "
                "application)."))
    for key, value in made.carried_answers.items():
        label = pack.question(key).label.render(lang)
        print(_("  carried over: {question} = {value}").format(
            question=label, value=answer_text(pack, key, value, lang)))
    for type_id, until in made.carried_approvals.items():
        print(_("  {type} was valid until {date}; offered again when you attach it").format(
            type=pack.type_name(type_id).render(lang), date=until))
    pending = [q for q in evaluate(project, pack).applicable_questions
               if q not in project.answers and pack.question(q).default is None]
    if pending:
        print(_("Still unanswered: {questions}").format(questions=", ".join(pending)))
    print(_("Next: attach the documents the change needs with soknadspakke add."))
    return EXIT_OK
