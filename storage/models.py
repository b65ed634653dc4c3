"""Typed SQLAlchemy models. Every row belongs to one Slack workspace (`team_id`).

The schema itself is made by the Alembic migrations in storage/migrations; these
models must match them (tests/unit/test_migrations.py compares the two).
"""

from datetime import date, datetime, timezone
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC in and out, on SQLite (which keeps no offset) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass a timezone-aware one")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class StrEnumType(TypeDecorator):
    """A StrEnum stored as its string in a plain String column: no database enum type,
    so a new value needs no migration; an unknown value is refused when written."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int):
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: str | None, dialect) -> StrEnum | None:
        return None if value is None else self.enum(value)


class CallSource(StrEnum):
    """How a call was logged."""

    COMMAND = "command"
    MODAL = "modal"
    DM = "dm"
    IMPORT = "import"


class RequestStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    EXPIRED = "expired"


class LinkSent(StrEnum):
    """How the personal link of a grade request for someone outside Slack went out."""

    COPIED = "copied"  # shown to the asker, to send in their own email
    EMAILED = "emailed"  # emailed by Rapport (SMTP_URL)


class CadencePeriod(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


class PlanStatus(StrEnum):
    PROPOSED = "proposed"  # the at-risk alert is waiting for its owner
    PLANNED = "planned"  # the owner set the follow-up call
    DISMISSED = "dismissed"
    MET = "met"  # a later grade reached the target
    OVERDUE = "overdue"  # the follow-up day passed with no call


# Plans still to act on: they show on the Home tab and in digests.
OPEN_PLAN_STATUSES = (PlanStatus.PROPOSED, PlanStatus.PLANNED, PlanStatus.OVERDUE)


class ChangeKind(StrEnum):
    """What an entry of an account's change history records."""

    SET = "set"  # a field of `/account set`: owner, renewal, arr...
    # `/account set <name> arr <value> from <day>` before the current value's day: the
    # current ARR stays; old_value: the value effective that day before, new_value: the
    # value, a line break, the day (ISO).
    ARR_BACKDATED = "arr_backdated"
    ARCHIVED = "archived"
    UNARCHIVED = "unarchived"
    RENAMED = "renamed"
    CALL_DELETED = "call_deleted"
    CALL_EDITED = "call_edited"  # field: the call's field; old and new values
    CONTACT_ADDED = "contact_added"  # new_value: the contact's name
    CONTACT_CHANGED = "contact_changed"  # field: the contact's field
    CONTACT_REMOVED = "contact_removed"  # old_value: the contact's name


class DigestDays(StrEnum):
    WEEKDAYS = "weekdays"
    DAILY = "daily"


class DigestScope(StrEnum):
    """Which accounts a digest covers."""

    ALL = "all"
    MINE = "mine"  # the subscriber's (scope_owner_id)
    OWNER = "owner"  # someone else's (scope_owner_id)
    ACCOUNTS = "accounts"  # the named ones (digest_subscription_accounts)


class SubscriptionStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"  # Slack refused to post in a way a retry cannot fix


class PostStatus(StrEnum):
    """A day's digest claim: claimed -> posting -> posted (or quiet, or failed); see
    bot/digests/delivery.py."""

    CLAIMED = "claimed"
    POSTING = "posting"  # chat.postMessage sent, or about to be
    POSTED = "posted"
    QUIET = "quiet"  # nothing to post
    FAILED = "failed"  # Slack refused, or it is unknown whether it posted


FINISHED_POSTS = (PostStatus.POSTED, PostStatus.QUIET, PostStatus.FAILED)
# Taken over by any replica once the claim's lease has run out.
UNFINISHED_POSTS = (PostStatus.CLAIMED, PostStatus.POSTING)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("team_id", "name_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(80))
    name_key: Mapped[str] = mapped_column(String(80))  # bot.accounts.names.name_key(name)
    owner_id: Mapped[str] = mapped_column(String(32))
    renewal_on: Mapped[date | None] = mapped_column(Date)
    arr: Mapped[int | None] = mapped_column(BigInteger)
    growth_target_pct: Mapped[float | None] = mapped_column(Float)
    channel_id: Mapped[str | None] = mapped_column(String(32))
    competitors: Mapped[str | None] = mapped_column(Text)
    grade_question: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    calls: Mapped[list["Call"]] = relationship(back_populates="account")


class Call(Base):
    __tablename__ = "calls"
    __table_args__ = (
        Index("ix_calls_account_occurred", "account_id", "occurred_at"),
        Index("ix_calls_team_created", "team_id", "created_at"),  # a digest's "calls since"
        Index("ix_calls_team_follow_up", "team_id", "follow_up_on"),  # follow-ups due
        # An imported call's key: importing the same file again adds no call.
        UniqueConstraint("team_id", "import_key", name="uq_calls_team_import_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    logged_by: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    notes: Mapped[str] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[CallSource] = mapped_column(StrEnumType(CallSource, 16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last edited
    # The follow-up was done (its owner pressed Done): no more reminders of it.
    follow_up_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    import_key: Mapped[str | None] = mapped_column(String(64))

    account: Mapped[Account] = relationship(back_populates="calls")
    contacts: Mapped[list["Contact"]] = relationship(secondary="call_contacts", viewonly=True)


class Contact(Base):
    """Someone on the client's side of an account. Removing one keeps the row (the calls
    they attended still name them): `removed_at` is set, and adding the name again brings
    it back."""

    __tablename__ = "contacts"
    __table_args__ = (
        UniqueConstraint("account_id", "name_key"),
        Index("ix_contacts_team_slack_user", "team_id", "slack_user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    name_key: Mapped[str] = mapped_column(String(80))  # bot.accounts.names.name_key(name)
    role: Mapped[str | None] = mapped_column(String(80))  # "CFO"
    department: Mapped[str | None] = mapped_column(String(80))  # their team: "Finance"
    email: Mapped[str | None] = mapped_column(String(254))
    slack_user_id: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(8))  # en, fa, ar, vi
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    account: Mapped[Account] = relationship()


class CallContact(Base):
    """Who of the client's side was on a call."""

    __tablename__ = "call_contacts"
    __table_args__ = (Index("ix_call_contacts_contact_id", "contact_id"),)

    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[str] = mapped_column(String(32))


class UserProfile(Base):
    """What Rapport caches of a Slack user: enough to read and show times in their
    timezone, and to name them in reports."""

    __tablename__ = "user_profiles"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    tz: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(16))
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    # A workspace admin or owner in Slack: a Rapport admin (bot/access.py).
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # A guest (single- or multi-channel): sees no account data (bot/access.py).
    is_guest: Mapped[bool] = mapped_column(Boolean, default=False)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The name Slack shows (display name, else real name, else handle); blank when they
    # have none, None until a users.info answer or user_change event carrying it.
    display_name: Mapped[str | None] = mapped_column(String(255))
    # Rapport's own settings, which a refresh from Slack keeps: None until chosen.
    language: Mapped[str | None] = mapped_column(String(8))
    calendar: Mapped[str | None] = mapped_column(String(16))
    date_order: Mapped[str | None] = mapped_column(String(3))  # "DMY" or "MDY"
    # Follow-up reminders by DM (`/rapport reminders off`); None until chosen: on.
    reminders: Mapped[bool | None] = mapped_column(Boolean)


class HomeTab(Base):
    """When someone's Home tab was last published, and when what it shows last changed:
    an open shortly after a publish, with no change since, publishes nothing."""

    __tablename__ = "home_tabs"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EventDelivery(Base):
    """An Events API delivery already handled, by event_id or client_msg_id."""

    __tablename__ = "event_deliveries"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class GradeRequest(Base):
    """Someone asked for a letter grade on an account: a DM prompt to a Slack user, or a
    personal link to a contact outside Slack (grader_id None, contact_id and token_hash
    set), until answered or expired."""

    __tablename__ = "grade_requests"
    __table_args__ = (
        Index("ix_grade_requests_status_asked", "status", "asked_at"),
        Index("ix_grade_requests_account_id", "account_id"),
        UniqueConstraint("token_hash"),
        UniqueConstraint("reminder_token_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    asked_by: Mapped[str] = mapped_column(String(32))
    grader_id: Mapped[str | None] = mapped_column(String(32))  # None: asked by link
    question: Mapped[str] = mapped_column(Text)
    status: Mapped[RequestStatus] = mapped_column(StrEnumType(RequestStatus, 16))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cadence_id: Mapped[int | None] = mapped_column(
        ForeignKey("grade_cadences.id", ondelete="SET NULL")
    )
    # The account's contact asked, when the grader is one (named in the grade history).
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    # A link's token as sha256 hex (bot/grades/links.py); the token itself is never stored.
    token_hash: Mapped[str | None] = mapped_column(String(64))
    # The reminder email's own link, likewise: the first link keeps working too.
    reminder_token_hash: Mapped[str | None] = mapped_column(String(64))
    link_sent: Mapped[LinkSent | None] = mapped_column(StrEnumType(LinkSent, 8))
    # reminded_at: when the reminder went (a DM, or for an emailed link a second email).

    account: Mapped[Account] = relationship()
    contact: Mapped["Contact | None"] = relationship()


class Grade(Base):
    """A grade given in answer to a request; one per request."""

    __tablename__ = "grades"
    __table_args__ = (
        UniqueConstraint("request_id"),
        Index("ix_grades_account_graded", "account_id", "graded_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(ForeignKey("grade_requests.id", ondelete="CASCADE"))
    grader_id: Mapped[str | None] = mapped_column(String(32))  # None: a contact, by link
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    grade: Mapped[str] = mapped_column(String(2))
    points: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    graded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    account: Mapped[Account] = relationship()
    request: Mapped[GradeRequest] = relationship()
    contact: Mapped["Contact | None"] = relationship()


class GradeCadence(Base):
    """Ask `grader_id` for a grade on an account every month or quarter; one running
    cadence per account and person."""

    __tablename__ = "grade_cadences"
    __table_args__ = (
        Index(
            "uq_grade_cadences_running",
            "team_id",
            "account_id",
            "grader_id",
            unique=True,
            sqlite_where=text("stopped_at IS NULL"),
            postgresql_where=text("stopped_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    asked_by: Mapped[str] = mapped_column(String(32))
    grader_id: Mapped[str] = mapped_column(String(32))
    question: Mapped[str | None] = mapped_column(Text)
    every: Mapped[CadencePeriod] = mapped_column(StrEnumType(CadencePeriod, 8))
    next_due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    account: Mapped[Account] = relationship()


class RecoveryPlan(Base):
    """What an at-risk grade turned into: a realistic target and a dated follow-up call."""

    __tablename__ = "recovery_plans"
    __table_args__ = (
        UniqueConstraint("grade_id"),
        Index("ix_recovery_plans_account_id", "account_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    grade_id: Mapped[int] = mapped_column(ForeignKey("grades.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(String(2))
    follow_up_on: Mapped[date] = mapped_column(Date)
    what_it_takes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[PlanStatus] = mapped_column(StrEnumType(PlanStatus, 16), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The follow-up call was made (its owner pressed Done): no more reminders of it.
    follow_up_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    account: Mapped[Account] = relationship()
    grade: Mapped[Grade] = relationship()


class JobClaim(Base):
    """A scheduled job taken by one replica: unique per job key, retried after its lease."""

    __tablename__ = "job_claims"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DigestSubscription(Base):
    """A channel's daily digest: when (local time in `tz`), which days, which accounts."""

    __tablename__ = "digest_subscriptions"
    __table_args__ = (UniqueConstraint("team_id", "channel_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(32))
    at_time: Mapped[str] = mapped_column(String(5))  # HH:MM, local to tz
    tz: Mapped[str] = mapped_column(String(64))  # the subscriber's Slack timezone
    days: Mapped[DigestDays] = mapped_column(StrEnumType(DigestDays, 8))
    scope: Mapped[DigestScope] = mapped_column(StrEnumType(DigestScope, 8))
    scope_owner_id: Mapped[str | None] = mapped_column(String(32))  # for mine and owner
    skip_quiet: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[SubscriptionStatus] = mapped_column(
        StrEnumType(SubscriptionStatus, 8), index=True
    )
    paused_reason: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))  # None: the default language
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    accounts: Mapped[list[Account]] = relationship(
        secondary="digest_subscription_accounts", viewonly=True
    )


class DigestSubscriptionAccount(Base):
    """The named accounts of a subscription whose scope is "accounts"."""

    __tablename__ = "digest_subscription_accounts"
    __table_args__ = (Index("ix_digest_subscription_accounts_account_id", "account_id"),)

    # Named by hand: the convention's names pass PostgreSQL's 63-character limit.
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey(
            "digest_subscriptions.id",
            name="fk_digest_sub_accounts_subscription",
            ondelete="CASCADE",
        ),
        primary_key=True,
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", name="fk_digest_sub_accounts_account", ondelete="CASCADE"),
        primary_key=True,
    )
    team_id: Mapped[str] = mapped_column(String(32))


class DigestPost(Base):
    """One digest posted (or being posted) for a subscription on one local date."""

    __tablename__ = "digest_posts"
    __table_args__ = (UniqueConstraint("subscription_id", "local_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("digest_subscriptions.id", ondelete="CASCADE")
    )
    local_date: Mapped[date] = mapped_column(Date)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)  # first; a takeover moves the lease
    lease_until: Mapped[datetime] = mapped_column(UTCDateTime)  # also the claim's fencing token
    status: Mapped[PostStatus] = mapped_column(StrEnumType(PostStatus, 8))
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the digest covered: everything logged before this instant (the next one's "since").
    covered_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_ts: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(String(200))


class AccountChange(Base):
    """One change to an account, kept for its history: who changed what, from what to what."""

    __tablename__ = "account_changes"
    __table_args__ = (Index("ix_account_changes_account_changed", "account_id", "changed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    changed_by: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[ChangeKind] = mapped_column(StrEnumType(ChangeKind, 16))
    field: Mapped[str | None] = mapped_column(String(32))  # for SET
    # As stored (a user or channel id, an ISO date, a number, text); None for "not set".
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class ArrValue(Base):
    """An account's ARR from the day it took effect (None: "not set" from then on); the
    value effective on a day is the latest row on or before it (storage/queries/arr.py)."""

    __tablename__ = "arr_history"
    __table_args__ = (Index("ix_arr_history_account_effective", "account_id", "effective_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    arr: Mapped[int | None] = mapped_column(BigInteger)
    effective_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RapportAdmin(Base):
    """Someone a Rapport admin named one too (`/rapport admins add`); Slack's own admins
    and owners are admins without a row."""

    __tablename__ = "rapport_admins"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    added_by: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
