"""What an import's preview and result show: counts, and the rows that can't be imported."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    filename: str
    file_id: str
    new_accounts: int
    updated_accounts: int
    unchanged_accounts: int
    new_contacts: int
    updated_contacts: int
    unchanged_contacts: int
    new_calls: int
    known_calls: int  # imported before
    bad: tuple[tuple[str, str], ...]  # (where, why)
    ignored: tuple[str, ...]  # headers of no known column

    @property
    def storing(self) -> bool:
        return bool(
            self.new_accounts
            + self.updated_accounts
            + self.new_contacts
            + self.updated_contacts
            + self.new_calls
        )
