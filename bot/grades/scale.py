"""The A-F grade scale, what it implies, and the question it answers (README.md, "Grades
and recovery plans")."""

from bot.i18n import N_

SCALE = ("A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F")
POINTS = dict(
    zip(SCALE, (4.3, 4.0, 3.7, 3.3, 3.0, 2.7, 2.3, 2.0, 1.7, 1.3, 1.0, 0.7, 0.0), strict=True)
)
# Anything below a B is really an F.
AT_RISK_BELOW = "B"
# Don't chase an A+ in a week: the lowest grade of the next band up, capped at B.
TARGETS = {
    "B-": "B",
    **dict.fromkeys(("C+", "C", "C-"), "B-"),
    **dict.fromkeys(("D+", "D", "D-"), "C-"),
    "F": "D-",
}
# Asked when the account has no question of its own, in the grader's language (asking.py).
# Translators: the question a client or colleague answers with a grade from A+ to F (the
# buttons under it); ask it the way a person would.
DEFAULT_QUESTION = N_(
    "What grade would you give our ability to bring you strategic proposals that help you grow?"
)
QUESTION_MAX = 300


def at_risk(grade: str) -> bool:
    return POINTS[grade] < POINTS[AT_RISK_BELOW]


def recovery_target(grade: str) -> str | None:
    """The next realistic grade to aim for, or None when the grade is not at risk."""
    return TARGETS.get(grade)


def nearest(points: float) -> str:
    """The letter of the scale nearest to `points`, an average (the better one on a tie)."""
    return min(SCALE, key=lambda letter: abs(POINTS[letter] - points))


def reaches(grade: str, target: str) -> bool:
    return POINTS[grade] >= POINTS[target]


def trend(latest: str, previous: str | None) -> str:
    """ "up", "down" or "flat" since the previous grade ("flat" when there is none)."""
    if previous is None or POINTS[latest] == POINTS[previous]:
        return "flat"
    return "up" if POINTS[latest] > POINTS[previous] else "down"
