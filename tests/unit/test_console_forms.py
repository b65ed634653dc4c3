"""The console's forms (bot/runtime/console_forms.py): every kind of input Slack has, read
from `submit key=value; ...` into the state.values Slack would send, or refused as Slack
would refuse it."""

from datetime import date

import pytest
from slack_sdk.models.blocks import (
    ChannelSelectElement,
    CheckboxesElement,
    DatePickerElement,
    ExternalDataMultiSelectElement,
    ExternalDataSelectElement,
    InputBlock,
    Option,
    OptionGroup,
    PlainTextInputElement,
    RadioButtonsElement,
    StaticMultiSelectElement,
    StaticSelectElement,
    TimePickerElement,
    UserMultiSelectElement,
    UserSelectElement,
)

from bot.runtime.console_forms import Refused, assignments, described, fill

COLOURS = [Option(value=v, text=v.title()) for v in ("red", "green", "blue")]
SERVED = {
    "acct": [
        {"text": {"type": "plain_text", "text": n}, "value": str(i)}
        for i, n in enumerate(["Acme", "Acme Labs", "Globex"])
    ],
}


def view(*elements, optional=("note",)) -> dict:
    blocks = [
        InputBlock(block_id=key, label=key.title(), element=element, optional=key in optional)
        for key, element in elements
    ]
    return {"blocks": [b.to_dict() for b in blocks], "callback_id": "x"}


def served(field, typed, values):
    """The app's options: those of the field's list containing `typed`; what the form
    held so far is kept to be checked."""
    asked.append((field.key, typed, values))
    return [o for o in SERVED["acct"] if typed.casefold() in o["text"]["text"].casefold()]


asked: list = []


def filled(form: dict, text: str) -> dict:
    return fill(
        form,
        text,
        suggest=served,
        person=lambda name: f"U0{name.upper()}",
        channel=lambda typed: f"C0{typed.lstrip('#').upper()}",
        today=date(2026, 11, 23),
    )


def test_every_kind_of_input_is_filled_by_its_key():
    asked.clear()
    form = view(
        ("note", PlainTextInputElement(action_id="note", initial_value="as it was")),
        ("day", DatePickerElement(action_id="day")),
        ("at", TimePickerElement(action_id="at")),
        ("boxes", CheckboxesElement(action_id="boxes", options=COLOURS)),
        (
            "one",
            StaticSelectElement(
                action_id="one", option_groups=[OptionGroup(label="All", options=COLOURS)]
            ),
        ),
        ("many", StaticMultiSelectElement(action_id="many", options=COLOURS)),
        ("radio", RadioButtonsElement(action_id="radio", options=COLOURS)),
        ("account", ExternalDataSelectElement(action_id="acct", min_query_length=0)),
        ("accounts", ExternalDataMultiSelectElement(action_id="accts", min_query_length=0)),
        ("who", UserSelectElement(action_id="who")),
        ("people", UserMultiSelectElement(action_id="people")),
        ("where", ChannelSelectElement(action_id="where")),
        optional=(),
    )
    values = filled(
        form,
        "day=tomorrow; at=9:30; boxes=red, Blue; one=gr; many=green,blue; radio=RED; "
        "account=acme; accounts=globex, acme labs; who=@sam; people=@sam, dana; where=#acme",
    )
    assert values["note"]["note"] == {"type": "plain_text_input", "value": "as it was"}
    assert values["day"]["day"]["selected_date"] == "2026-11-24"
    assert values["at"]["at"]["selected_time"] == "09:30"
    assert [o["value"] for o in values["boxes"]["boxes"]["selected_options"]] == ["red", "blue"]
    assert values["one"]["one"]["selected_option"]["value"] == "green"
    assert [o["value"] for o in values["many"]["many"]["selected_options"]] == ["green", "blue"]
    assert values["radio"]["radio"]["selected_option"]["value"] == "red"
    assert values["account"]["acct"]["selected_option"]["text"]["text"] == "Acme"  # exact wins
    assert [o["value"] for o in values["accounts"]["accts"]["selected_options"]] == ["2", "1"]
    assert values["who"]["who"] == {"type": "users_select", "selected_user": "U0SAM"}
    assert values["people"]["people"]["selected_users"] == ["U0SAM", "U0DANA"]
    assert values["where"]["where"]["selected_channel"] == "C0ACME"
    # The app was asked as Slack asks, with what the form held so far.
    key, typed, so_far = asked[0]
    assert (key, typed) == ("account", "acme") and "radio" in so_far and "accounts" not in so_far


def test_a_single_checkbox_takes_yes_or_no_and_labels_name_fields_too():
    form = view(
        (
            "private",
            CheckboxesElement(
                action_id="private", options=[Option(value="p", text="Private note")]
            ),
        ),
        ("follow_up", DatePickerElement(action_id="follow_up")),
        optional=("private", "follow_up"),
    )
    assert filled(form, "private=yes")["private"]["private"]["selected_options"][0]["value"] == "p"
    assert filled(form, "private=no")["private"]["private"]["selected_options"] == []
    # An optional field left blank sends None.
    assert filled(form, "")["follow_up"]["follow_up"]["selected_date"] is None
    assert "yes or no: Private note" in "\n".join(described(form))


def test_a_field_is_named_by_its_key_or_its_label():
    with_label = InputBlock(
        block_id="contacts",
        label="Follow up on",
        element=DatePickerElement(action_id="contacts"),
        optional=True,
    )
    form = {"blocks": [with_label.to_dict()], "callback_id": "x"}
    for text in ("contacts=2026-12-04", "follow_up_on=2026-12-04", "Follow_Up_On = 2026-12-04"):
        assert filled(form, text)["contacts"]["contacts"]["selected_date"] == "2026-12-04"


def test_plain_text_fills_the_first_text_field_and_semicolons_stay_in_values():
    form = view(
        ("note", PlainTextInputElement(action_id="note")),
        ("other", PlainTextInputElement(action_id="other")),
        optional=("note", "other"),
    )
    assert filled(form, "too slow; and late")["note"]["note"]["value"] == "too slow; and late"
    assert assignments("note=a; b; other=c", ["note", "other"]) == {"note": "a; b", "other": "c"}


@pytest.mark.parametrize(
    "text, key, error",
    [
        ("one=purple", "one", "“purple” is not one of Red, Green, Blue"),
        ("account=acme l; one=red", "account", None),
        ("account=zzz; one=red", "account", "nothing to choose matches “zzz”"),
        ("account=ac; one=red", "account", "“ac” could be Acme, Acme Labs: type more of it"),
        ("one=red; day=31/12", "day", "“31/12” is not a day"),
        ("one=red; at=noon", "at", "“noon” is not a time"),
        ("one=red; note=" + "x" * 11, "note", "Must be 10 characters or fewer (this is 11)."),
        ("account=acme", "one", "required: fill it in"),
        ("shape=round", "shape", "this form has no field “shape”"),
    ],
)
def test_what_slack_would_refuse_is_said_under_the_field(text, key, error):
    form = view(
        ("one", StaticSelectElement(action_id="one", options=COLOURS)),
        ("account", ExternalDataSelectElement(action_id="acct")),
        ("day", DatePickerElement(action_id="day")),
        ("at", TimePickerElement(action_id="at")),
        ("note", PlainTextInputElement(action_id="note", max_length=10)),
        optional=("account", "day", "at", "note"),
    )
    if error is None:
        assert (
            filled(form, text)["account"]["acct"]["selected_option"]["text"]["text"] == "Acme Labs"
        )
        return
    with pytest.raises(Refused) as refused:
        filled(form, text)
    assert error in refused.value.errors[key]
