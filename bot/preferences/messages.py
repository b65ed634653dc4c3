"""Block Kit for a person's settings."""

from datetime import date

from bot import i18n
from bot.blocks import text_message
from bot.i18n import _
from bot.mrkdwn import day


def language_chosen() -> dict:
    """Said in the language just chosen."""
    return text_message(
        _("From now on I write to you in {language}.").format(
            language=i18n.LANGUAGES[i18n.language()]
        )
    )


def calendar_chosen(today: date) -> dict:
    """Said with `today` in the calendar just chosen: the reader sees what it looks like."""
    return text_message(_("From now on I write dates like this: {today}.").format(today=day(today)))


def languages(current: str) -> dict:
    return text_message(
        _(
            "I write to you in {language}. Choose another with `/rapport language <code>`: {choices}."
        ).format(language=i18n.LANGUAGES[current], choices=language_choices())
    )


def date_order_chosen(order: str) -> dict:
    """Shows how `5/11` is read from now on."""
    if order == "DMY":
        return text_message(_("From now on I read `5/11` as day 5 of month 11."))
    return text_message(_("From now on I read `5/11` as day 11 of month 5."))


def language_choices() -> str:
    """Each language Rapport speaks, its code and its name in itself."""
    return ", ".join(f"`{code}` ({name})" for code, name in i18n.LANGUAGES.items())


def reminders(on: bool) -> dict:
    """Whether follow-ups due come by DM, and how to change it."""
    if on:
        return text_message(
            _(
                "On weekday mornings (9:00 your time) I DM you the follow-ups due that day. "
                "Turn this off with `/rapport reminders off`."
            )
        )
    return text_message(
        _(
            "I don't DM you follow-ups that come due. Turn this back on with "
            "`/rapport reminders on`."
        )
    )
