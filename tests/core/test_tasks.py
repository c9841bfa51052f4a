"""Progress helpers: monotone totals, sub-ranges, lazy messages."""

from __future__ import annotations

from soknadspakke.core.i18n import Plain, T, Text
from soknadspakke.core.tasks import Monotone, sub_progress


def test_monotone_never_goes_back() -> None:
    seen: list[tuple[int, int]] = []
    report = Monotone(lambda d, t, m: seen.append((d, t)))
    for done, total in [(1, 10), (0, 10), (5, 8), (12, 12), (3, 20)]:
        report(done, total, Plain(""))
    assert seen == [(1, 10), (1, 10), (5, 10), (12, 12), (12, 20)]


def test_sub_progress_maps_a_part_onto_the_whole() -> None:
    seen: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, message: Text) -> None:
        seen.append((done, total, message.render("nb")))

    first = sub_progress(progress, 0, 10, 30)
    second = sub_progress(progress, 10, 20, 30)
    assert first is not None and second is not None
    first(0, 4, Plain("a.pdf"))
    first(4, 4, T("Done"))
    second(1, 2, T("Done"))
    second(3, 2, Plain("past the end"))
    second(0, 0, Plain("empty part"))
    assert seen == [(0, 30, "a.pdf"), (10, 30, "Ferdig"), (20, 30, "Ferdig"),
                    (30, 30, "past the end"), (30, 30, "empty part")]
    assert sub_progress(None, 0, 1, 1) is None
