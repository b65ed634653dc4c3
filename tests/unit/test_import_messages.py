"""The import preview within Slack's limits, however many rows can't be imported."""

from bot.imports import messages
from bot.imports.values import Summary
from support.shown import buttons, section_texts


def summary(bad: int, **counts) -> Summary:
    zero = dict.fromkeys(
        ["new_accounts", "updated_accounts", "unchanged_accounts", "new_contacts"]
        + ["updated_contacts", "unchanged_contacts", "new_calls", "known_calls"],
        0,
    )
    return Summary(
        filename="book.csv",
        file_id="F123",
        bad=tuple((f"line {i}", "x" * 300) for i in range(2, bad + 2)),
        ignored=(),
        **(zero | counts),
    )


def test_many_bad_rows_are_listed_within_slacks_limits_and_counted():
    message = messages.preview(summary(500, new_accounts=3))
    assert len(message["blocks"]) <= 50
    assert all(len(text) <= 3000 for text in section_texts(message))
    shown = "\n".join(section_texts(message))
    assert "*500 rows can't be imported* and will be skipped:" in shown
    assert "• line 41: " in shown and "line 42:" not in shown and "…and 460 more rows." in shown
    (button,) = buttons(message)
    assert (button["text"]["text"], button["value"]) == ("Import", "F123")


def test_nothing_to_import_has_no_button():
    assert buttons(messages.preview(summary(0, unchanged_accounts=5))) == []
    only_bad = messages.preview(summary(2))
    assert buttons(only_bad) == [] and "Nothing to import from `book.csv`." in only_bad["text"]
