"""What the App Home reads besides storage/digest_queries.py: keyword-only queries that
take the session and never commit, one statement however many accounts are in scope."""

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from storage.models import Account, Grade


def previous_grades(s: Session, *, team_id: str, accounts: ColumnElement[bool]) -> dict[int, str]:
    """The grade before the latest of each account in scope that has two or more, by
    account id (digest_queries.account_facts has the latest); one correlated subquery
    per account, answered by the (account_id, graded_at) index."""
    previous = (
        select(Grade.grade)
        .where(Grade.team_id == team_id, Grade.account_id == Account.id)
        .order_by(Grade.graded_at.desc(), Grade.id.desc())
        .offset(1)
        .limit(1)
        .scalar_subquery()
    )
    rows = s.execute(
        select(Account.id, previous.label("previous")).where(Account.team_id == team_id, accounts)
    )
    return {account_id: grade for account_id, grade in rows if grade is not None}
