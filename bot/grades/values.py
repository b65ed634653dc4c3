"""What `/grade history` shows of an account."""

from dataclasses import dataclass

from bot.grades import scale
from storage.models import Account, Contact, Grade, GradeRequest


@dataclass(frozen=True)
class History:
    """An account's grades, newest first."""

    account: Account
    grades: list[Grade]

    @property
    def average(self) -> float | None:
        """The mean of the grades in points (scale.POINTS); None when there are none."""
        if not self.grades:
            return None
        return sum(scale.POINTS[grade.grade] for grade in self.grades) / len(self.grades)

    @property
    def trend(self) -> str | None:
        """ "up", "down" or "flat" since the previous grade; None until there are two."""
        if len(self.grades) < 2:
            return None
        return scale.trend(self.grades[0].grade, self.grades[1].grade)


@dataclass(frozen=True)
class Asked:
    """A request by link (bot/grades/links.py): `link` for the asker to send, unless
    Rapport emailed it to `emailed_to`."""

    request: GradeRequest
    contact: Contact
    link: str
    emailed_to: str | None
    mail_failed: bool  # Rapport tried to email it and could not
