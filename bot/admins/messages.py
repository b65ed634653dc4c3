"""Block Kit for `/rapport admins`."""

from bot.blocks import lines_message, text_message
from bot.i18n import N_, _
from bot.mrkdwn import date_token
from storage.models import RapportAdmin

SLACK_ADMINS = N_("The workspace's Slack admins and owners are Rapport admins too.")


def named(user_id: str, added: bool) -> dict:
    if not added:
        return text_message(
            _("{person} is already a Rapport admin.").format(person=f"<@{user_id}>")
        )
    return text_message(
        _("{person} is now a Rapport admin: they can change any account and name admins.").format(
            person=f"<@{user_id}>"
        )
    )


def unnamed(user_id: str, removed: bool) -> dict:
    if not removed:
        return text_message(
            _("{person} wasn't named a Rapport admin. (A Slack admin or owner stays one.)").format(
                person=f"<@{user_id}>"
            )
        )
    return text_message(_("{person} is no longer a Rapport admin.").format(person=f"<@{user_id}>"))


def admins(named: list[RapportAdmin], tz: str) -> dict:
    if not named:
        return text_message(
            _(
                "Nobody is named a Rapport admin. {slack_admins} "
                "An admin names others with `/rapport admins add @person`."
            ).format(slack_admins=_(SLACK_ADMINS))
        )
    lines = [_("*Rapport admins*")]
    lines += [
        _("• {person}, named by {by} {date}").format(
            person=f"<@{a.user_id}>", by=f"<@{a.added_by}>", date=date_token(a.added_at, tz)
        )
        for a in named
    ]
    return lines_message([*lines, _(SLACK_ADMINS)])
