"""What `/grade history` shows of an account."""

from dataclasses import dataclass

from bot.grades import scale
from storage.models import Account, Grade


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
