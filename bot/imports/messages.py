"""The import's messages: the preview with its Import button, the result, and how to
import."""

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, ContextBlock, MarkdownTextObject

from bot.blocks import pack, section, text_message
from bot.i18n import _, isolate, ngettext, number
from bot.imports import ids
from bot.imports.reading import MAX_ROWS
from bot.imports.values import Summary
from bot.mrkdwn import escape

BAD_SHOWN = 40  # rows that can't be imported, listed; the rest are counted


def preview(summary: Summary) -> dict:
    """What importing the file would do, each row that can't be imported with its line,
    and the Import button (none when there is nothing to import)."""
    name = escape(summary.filename)
    if summary.storing:
        headline = _("*Import `{name}`?* Nothing is stored until you press Import.")
    elif summary.bad:
        headline = _("*Nothing to import from `{name}`.*")
    else:
        headline = _("*Nothing to import from `{name}`*: everything in it is already in Rapport.")
    blocks = _body(headline.format(name=name), summary, _("will be skipped"))
    if summary.storing:
        button = ButtonElement(
            text=_("Import"), action_id=ids.IMPORT_FILE, value=summary.file_id, style="primary"
        )
        blocks.append(ActionsBlock(elements=[button]).to_dict())
        note = _(
            "Empty cells leave what is stored as it is. Importing the file again changes nothing."
        )
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]).to_dict())
    return {"text": headline.format(name=name).replace("*", ""), "blocks": blocks}


def imported(summary: Summary) -> dict:
    """What the import stored, and the rows it skipped."""
    headline = _("*Imported `{name}`.*").format(name=escape(summary.filename))
    return {
        "text": headline.replace("*", ""),
        "blocks": _body(headline, summary, _("were skipped")),
    }


def how_to() -> dict:
    """`/account import`: how to import a book of accounts."""
    return text_message(
        _(
            "*Import accounts, contacts and past calls*\n"
            "1. Get the template: `/account import template`.\n"
            "2. Fill it in Excel or any spreadsheet: one row per account, contact or call; the "
            "`kind` column says which (`account` if empty). A workbook may instead have sheets "
            "named `accounts`, `contacts` and `calls`.\n"
            "3. Send me the .csv or .xlsx file in a direct message. I reply with what would "
            "change and which rows have mistakes; nothing is stored until you press Import.\n"
            "Owners are Slack user ids, emails or @handles; dates are like 2027-03-31 (or "
            "words such as “last Tuesday”, in your timezone). Empty cells leave stored values "
            "as they are; importing the same file twice changes nothing the second time. "
            "Up to 10 MB and {rows} rows a file."
        ).format(rows=isolate(number(MAX_ROWS)))
    )


def _body(headline: str, summary: Summary, skipped: str) -> list[dict]:
    lines = [
        headline,
        "• "
        + _("Accounts: {new} new, {updated} updated, {same} unchanged.").format(
            new=_n(summary.new_accounts),
            updated=_n(summary.updated_accounts),
            same=_n(summary.unchanged_accounts),
        ),
        "• "
        + _("Contacts: {new} new, {updated} updated, {same} unchanged.").format(
            new=_n(summary.new_contacts),
            updated=_n(summary.updated_contacts),
            same=_n(summary.unchanged_contacts),
        ),
        "• "
        + _("Past calls: {new} new, {known} imported before.").format(
            new=_n(summary.new_calls), known=_n(summary.known_calls)
        ),
    ]
    if summary.ignored:
        columns = ", ".join(f"`{escape(column)}`" for column in summary.ignored)
        lines.append(_("Columns I don't know, not read: {columns}.").format(columns=columns))
    if summary.bad:
        # Translators: {skipped} is "will be skipped" or "were skipped".
        lines.append(
            ngettext(
                "*{n} row can't be imported* and {skipped}:",
                "*{n} rows can't be imported* and {skipped}:",
                len(summary.bad),
            ).format(n=_n(len(summary.bad)), skipped=skipped)
        )
        lines += [f"• {where}: {why}" for where, why in summary.bad[:BAD_SHOWN]]
        if len(summary.bad) > BAD_SHOWN:
            more = len(summary.bad) - BAD_SHOWN
            lines.append(
                ngettext("…and {n} more row.", "…and {n} more rows.", more).format(n=_n(more))
            )
    return [section(chunk) for chunk in pack(lines)]


def _n(count: int) -> str:
    return isolate(number(count))


def template_sent(filename: str) -> dict:
    return text_message(
        _(
            "Sent `{filename}` to our direct messages. Fill it in, then send it back to me there."
        ).format(filename=escape(filename))
    )
