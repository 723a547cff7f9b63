"""Vacation indemnities, worked by hand from DOMAIN §4 (arrêté du 13 avril 2012, art. 2)."""

from decimal import Decimal

from server_stub.rules.model import (
    Entry,
    EvaluationMode,
    HalfDay,
    LineKind,
    MissionType,
    PaperKind,
    Part,
    PayDay,
)
from tests.server_stub.rules.rules_factories import (
    JUNE_12,
    compute,
    day,
    euros,
    mission,
    problems,
    tariffs_with,
)

AM, PM = HalfDay.MORNING, HalfDay.AFTERNOON


def test_bac_copies_are_paid_five_euros_each() -> None:
    # 42 copies × 5,00 € = 210,00 €
    result = compute(mission(pay_group="5"), entry=Entry(days=(PayDay(JUNE_12, copies=42),)))
    (line,) = result.lines
    assert line.kind is LineKind.COPIES and line.part is Part.PAY
    assert line.amount == Decimal("210.00")
    assert line.explanation == "42 copies × 5,00\u00a0€"
    assert line.label == "Copies corrigées le 12/06/2026"
    assert line.rule == "Correction de copies, taux 5"
    assert line.legal_text == "Arrêté du 13 avril 2012 (JORF 2 mai 2012), art. 2"
    assert line.tariff_version == "vacations-2012-05-03"
    assert result.pay_total == result.total == Decimal("210.00")


def test_cap_copies_are_paid_at_taux_1() -> None:
    # 37 copies × 0,75 € = 27,75 €
    result = compute(mission(pay_group="1"), entry=Entry(days=(PayDay(JUNE_12, copies=37),)))
    assert result.total == Decimal("27.75")


def test_each_correction_day_is_its_own_line() -> None:
    # taux 3: 30 × 1,73 = 51,90 € ; 25 × 1,73 = 43,25 € ; total 95,15 €
    result = compute(
        mission(pay_group="3", end=day("2026-06-13")),
        entry=Entry(days=(PayDay(JUNE_12, copies=30), PayDay(day("2026-06-13"), copies=25))),
    )
    assert [line.amount for line in result.lines] == [Decimal("51.90"), Decimal("43.25")]
    assert result.pay_total == Decimal("95.15")


def test_oral_is_paid_for_the_time_spent_with_candidates() -> None:
    # 12 candidats × 20 min = 240 min = 4 h × 9,60 € = 38,40 €
    result = compute(
        mission(MissionType.INTERROGATION),
        entry=Entry(days=(PayDay(JUNE_12, candidates={AM: 12}),)),
    )
    (line,) = result.lines
    assert line.kind is LineKind.ORAL
    assert line.amount == Decimal("38.40")
    assert line.quantity == Decimal("4.00")
    assert line.explanation == "12 candidats × 20 min = 4 h × 9,60\u00a0€"
    assert line.label == "Interrogations du 12/06/2026 (matin)"


def test_each_half_day_of_orals_is_its_own_line() -> None:
    # matin : 7 × 20 min = 140 min ; 140 × 9,60 / 60 = 22,40 €
    # après-midi : 5 × 30 min = 150 min = 2,5 h × 9,60 = 24,00 €
    result = compute(
        mission(MissionType.INTERROGATION, minutes_per_candidate=20),
        entry=Entry(days=(PayDay(JUNE_12, candidates={AM: 7, PM: 0}),)),
    )
    assert [line.amount for line in result.lines] == [Decimal("22.40")]
    assert result.lines[0].explanation == "7 candidats × 20 min = 2 h 20 min × 9,60\u00a0€"
    result = compute(
        mission(MissionType.INTERROGATION, minutes_per_candidate=30),
        entry=Entry(days=(PayDay(JUNE_12, candidates={AM: 5, PM: 5}),)),
    )
    assert [line.amount for line in result.lines] == [Decimal("24.00"), Decimal("24.00")]
    assert result.total == Decimal("48.00")


def test_optional_oral_is_paid_75_percent_of_the_hourly_rate() -> None:
    # 12 × 20 min = 4 h × (9,60 € × 75 % = 7,20 €) = 28,80 €
    result = compute(
        mission(MissionType.INTERROGATION, optional_oral=True),
        entry=Entry(days=(PayDay(JUNE_12, candidates={PM: 12}),)),
    )
    (line,) = result.lines
    assert line.amount == Decimal("28.80")
    assert line.unit_rate == Decimal("7.2000")
    assert "75\u00a0% de 9,60\u00a0€" in line.explanation


def test_optional_oral_is_rounded_once_at_the_end() -> None:
    # taux 2: 7 × 25 min = 175 min ; 175 × 5,49 × 0,75 / 60 = 12,009375 → 12,01 €
    result = compute(
        mission(
            MissionType.INTERROGATION, pay_group="2", minutes_per_candidate=25, optional_oral=True
        ),
        entry=Entry(days=(PayDay(JUNE_12, candidates={AM: 7}),)),
    )
    assert result.total == Decimal("12.01")


def test_half_a_cent_is_rounded_up() -> None:
    # taux 2: 1 × 30 min = 0,5 h × 5,49 € = 2,745 → 2,75 € (half-up, not half-even 2,74)
    result = compute(
        mission(MissionType.INTERROGATION, pay_group="2", minutes_per_candidate=30),
        entry=Entry(days=(PayDay(JUNE_12, candidates={AM: 1}),)),
    )
    assert result.total == Decimal("2.75")


def test_practical_test_is_paid_like_an_oral() -> None:
    # taux 4: 6 × 40 min = 240 min = 4 h × 13,72 € = 54,88 €
    result = compute(
        mission(
            MissionType.INTERROGATION,
            pay_group="4",
            paper_kind=PaperKind.PRACTICAL,
            minutes_per_candidate=40,
        ),
        entry=Entry(days=(PayDay(JUNE_12, candidates={AM: 6}),)),
    )
    assert result.total == Decimal("54.88")
    assert result.lines[0].rule == "Épreuve pratique, taux 4"


def test_taux_5_oral_is_refused_for_want_of_an_hourly_rate() -> None:
    result = compute(
        mission(MissionType.INTERROGATION, pay_group="5"),
        entry=Entry(days=(PayDay(JUNE_12, candidates={PM: 8}),)),
    )
    assert result.lines == ()
    assert "n'a pas de taux horaire" in problems(result)["days.0.candidates.PM"]


def test_unpaid_paper_shows_a_zero_line_that_cannot_be_filled() -> None:
    result = compute(mission(pay_group="NR"))
    (line,) = result.lines
    assert line.kind is LineKind.UNPAID_PAPER
    assert line.amount == Decimal("0.00")
    assert "n'est pas rémunérée" in line.explanation
    assert result.problems == ()

    filled = compute(mission(pay_group="NR"), entry=Entry(days=(PayDay(JUNE_12, copies=20),)))
    assert [line.amount for line in filled.lines] == [Decimal("0.00")]
    assert "n'est pas rémunérée" in problems(filled)["days.0.copies"]


def test_paper_evaluated_during_the_year_has_no_pay_line() -> None:
    in_year = mission(evaluation_mode=EvaluationMode.IN_YEAR)
    result = compute(in_year)
    assert result.lines == ()
    assert any("en cours d'année" in note for note in result.notes)
    filled = compute(in_year, entry=Entry(days=(PayDay(JUNE_12, copies=20),)))
    assert filled.lines == ()
    assert "days.0.copies" in problems(filled)


def test_meetings_are_unpaid_by_default() -> None:
    result = compute(
        mission(MissionType.REUNION, pay_group=None),
        entry=Entry(days=(PayDay(JUNE_12, hours=Decimal(3)),)),
    )
    assert result.lines == ()
    assert "Les réunions ne sont pas rémunérées." in result.notes


def test_meetings_are_paid_at_the_rate_the_academie_configures() -> None:
    # 2,5 h × 12,50 € = 31,25 €
    tariffs = tariffs_with("meetings", "hourly_rate = 0.00", "hourly_rate = 12.50")
    result = compute(
        mission(MissionType.HARMONISATION),
        entry=Entry(days=(PayDay(JUNE_12, hours=Decimal("2.5")),)),
        tariffs=tariffs,
    )
    (line,) = result.lines
    assert line.kind is LineKind.MEETING
    assert line.amount == Decimal("31.25")
    assert line.explanation == "2,5 h × 12,50\u00a0€"
    assert line.label == "Harmonisation du 12/06/2026"


def test_surveillance_is_paid_the_indemnity_the_dec_enters() -> None:
    # 45,675 € typed → 45,68 € (half-up)
    result = compute(
        mission(MissionType.SURVEILLANCE), entry=Entry(direct_indemnity=euros("45.675"))
    )
    (line,) = result.lines
    assert line.kind is LineKind.DIRECT_INDEMNITY
    assert line.amount == Decimal("45.68")
    assert result.pay_total == Decimal("45.68")


def test_surveillance_accepts_no_count_from_the_intervenant() -> None:
    result = compute(
        mission(MissionType.SURVEILLANCE), entry=Entry(days=(PayDay(JUNE_12, copies=3),))
    )
    assert result.lines == ()
    assert problems(result)["days.0.copies"] == (
        "La surveillance est indemnisée directement par la DEC : aucun décompte n'est à saisir."
    )


def test_direct_indemnity_is_refused_on_a_correction() -> None:
    result = compute(mission(), entry=Entry(direct_indemnity=euros("30")))
    assert result.lines == ()
    assert "direct_indemnity" in problems(result)


def test_counts_that_do_not_fit_the_mission_type_are_refused() -> None:
    correction = compute(mission(), entry=Entry(days=(PayDay(JUNE_12, candidates={AM: 4}),)))
    assert "n'est pas une interrogation" in problems(correction)["days.0.candidates.AM"]
    oral = compute(
        mission(MissionType.INTERROGATION), entry=Entry(days=(PayDay(JUNE_12, copies=4),))
    )
    assert "n'est pas une correction" in problems(oral)["days.0.copies"]
    assert correction.lines == oral.lines == ()


def test_negative_counts_are_refused() -> None:
    result = compute(
        mission(MissionType.INTERROGATION, end=day("2026-06-13")),
        entry=Entry(
            days=(
                PayDay(JUNE_12, candidates={AM: 5}),
                PayDay(day("2026-06-13"), candidates={AM: -2}),
            )
        ),
    )
    assert problems(result) == {
        "days.1.candidates.AM": "Le nombre de candidats ne peut pas être négatif."
    }
    # The valid day is still paid: 5 × 20 min = 100 min × 9,60 / 60 = 16,00 €
    assert result.total == Decimal("16.00")
    negative_copies = compute(mission(), entry=Entry(days=(PayDay(JUNE_12, copies=-1),)))
    assert "days.0.copies" in problems(negative_copies)


def test_a_day_outside_the_mission_is_refused() -> None:
    result = compute(mission(), entry=Entry(days=(PayDay(day("2026-06-14"), copies=10),)))
    assert result.lines == ()
    assert problems(result)["days.0.date"] == (
        "Le 14/06/2026 est en dehors des dates de la mission (le 12/06/2026)."
    )


def test_a_day_typed_twice_is_refused() -> None:
    result = compute(
        mission(), entry=Entry(days=(PayDay(JUNE_12, copies=10), PayDay(JUNE_12, copies=5)))
    )
    # 10 × 5,00 € = 50,00 € for the first; the second is refused
    assert result.total == Decimal("50.00")
    assert "days.1.date" in problems(result)
