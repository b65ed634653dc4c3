"""Block Kit for `/rapport admins`."""

from bot.blocks import lines_message, text_message
from bot.mrkdwn import date_token
from storage.models import RapportAdmin

SLACK_ADMINS = "The workspace's Slack admins and owners are Rapport admins too."


def named(user_id: str, added: bool) -> dict:
    if not added:
        return text_message(f"<@{user_id}> is already a Rapport admin.")
    return text_message(
        f"<@{user_id}> is now a Rapport admin: they can change any account and name admins."
    )


def unnamed(user_id: str, removed: bool) -> dict:
    if not removed:
        return text_message(
            f"<@{user_id}> wasn't named a Rapport admin. (A Slack admin or owner stays one.)"
        )
    return text_message(f"<@{user_id}> is no longer a Rapport admin.")


def admins(named: list[RapportAdmin], tz: str) -> dict:
    if not named:
        return text_message(
            f"Nobody is named a Rapport admin. {SLACK_ADMINS} "
            "An admin names others with `/rapport admins add @person`."
        )
    lines = ["*Rapport admins*"]
    lines += [
        f"• <@{a.user_id}>, named by <@{a.added_by}> {date_token(a.added_at, tz)}" for a in named
    ]
    return lines_message([*lines, SLACK_ADMINS])
