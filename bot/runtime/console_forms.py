"""The local console's modals: a form shown as its fields and their keys, and
`submit key=value; key=value` read into the state.values Slack would send, field by field
in the form's order, as a person fills them in Slack: text, days, times, checkboxes,
selects, and the external selects whose options the app serves (the account picker), one
or several. What Slack itself would refuse under a field (a required field left blank,
text too long, an option that isn't there) is refused here the same way, unsent."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time

# Under a required field left blank: Slack sends nothing, and says so there.
REQUIRED = "required: fill it in"
YES = ("yes", "y", "true", "on", "x", "checked")
NO = ("no", "n", "false", "off", "")
SHOWN_OPTIONS = 10  # options listed in a refusal


@dataclass(frozen=True)
class Field:
    key: str  # the input block's id: what `key=` names
    label: str
    element: dict
    optional: bool

    @property
    def alias(self) -> str:
        """Its label as a key, "follow_up_on" for "Follow up on", which `key=` names too."""
        return re.sub(r"\W+", "_", self.label.strip().casefold()).strip("_")

    @property
    def kind(self) -> str:
        return self.element["type"]


# (field, what was typed, the form's state.values so far): the options the app serves.
Suggest = Callable[[Field, str, dict], list[dict]]


class Refused(Exception):
    """What Slack would show under each field it will not send, by key."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def fields(view: dict) -> list[Field]:
    """The form's inputs, in order."""
    return [
        Field(
            block["block_id"],
            block.get("label", {}).get("text", block["block_id"]),
            block["element"],
            bool(block.get("optional")),
        )
        for block in view.get("blocks", [])
        if block.get("type") == "input" and "element" in block
    ]


def described(view: dict) -> list[str]:
    """One line per field: its key, label, what it takes and what it holds now."""
    found = fields(view)
    width = max((len(f.key) for f in found), default=0)
    lines = []
    for f in found:
        held = _held(f)
        line = f"  {f.key:<{width}}  {f.label} ({_takes(f)}{'' if f.optional else ', required'})"
        lines.append(line + (f" = {held}" if held else ""))
    return lines


def _takes(f: Field) -> str:
    element = f.element
    if f.kind == "datepicker":
        return "a day, YYYY-MM-DD"
    if f.kind == "timepicker":
        return "a time, HH:MM"
    if f.kind in ("checkboxes", "radio_buttons", "static_select", "multi_static_select"):
        names = ", ".join(_text(o) for o in _static_options(element))
        if f.kind == "checkboxes" and len(_static_options(element)) == 1:
            return f"yes or no: {names}"
        several = f.kind in ("checkboxes", "multi_static_select")
        return ("some of, comma-separated: " if several else "one of: ") + names
    if f.kind == "external_select":
        return "type a name to pick one"
    if f.kind == "multi_external_select":
        return "names, comma-separated"
    if f.kind in ("users_select", "multi_users_select"):
        return "@person" if f.kind == "users_select" else "@people, comma-separated"
    if f.kind in ("conversations_select", "channels_select"):
        return "#channel"
    return "text"


def _held(f: Field) -> str:
    """The field's initial value, as the console shows it."""
    element = f.element
    if "initial_value" in element:
        return str(element["initial_value"] or "")
    if "initial_date" in element:
        return element["initial_date"] or ""
    if "initial_time" in element:
        return element["initial_time"] or ""
    if element.get("initial_option"):
        return _text(element["initial_option"])
    if element.get("initial_options"):
        return ", ".join(_text(o) for o in element["initial_options"])
    if element.get("initial_user"):
        return element["initial_user"]
    if element.get("initial_users"):
        return ", ".join(element["initial_users"])
    return ""


def assignments(
    text: str, keys: list[str], aliases: dict[str, str] | None = None
) -> dict[str, str] | None:
    """`key=value; key=value` as {key: value}, a key also named by its alias; None when
    `text` is not written that way (then it is the first text field's). A `;` belongs to
    the value before it unless a key and `=` follow it. Refused when it starts with a key
    this form does not have."""
    if not keys:
        return None
    names = {key.casefold(): key for key in keys}
    names |= {alias: key for alias, key in (aliases or {}).items() if alias and alias not in names}
    named = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    starts = list(re.finditer(rf"(?:^|;)\s*({named})\s*=", text, re.IGNORECASE))
    if not starts or starts[0].start() != 0:
        if wrong := re.match(r"\s*([A-Za-z_][\w-]*)\s*=", text):
            raise Refused(
                {wrong[1]: f"this form has no field “{wrong[1]}”; its keys: {', '.join(keys)}"}
            )
        return None
    found = {}
    for start, after in zip(starts, [*starts[1:], None], strict=True):
        value = text[start.end() : after.start() if after else len(text)]
        found[names[start[1].casefold()]] = value.strip()
    return found


def fill(
    view: dict,
    text: str,
    *,
    suggest: Suggest,
    person: Callable[[str], str],
    channel: Callable[[str], str],
    today: date,
) -> dict:
    """The state.values Slack would send for `view` after `text` (`key=value; ...`, or
    plain text for its first text field); Refused with what Slack would say under each
    field it would not send. A field not named keeps what it holds."""
    inputs = fields(view)
    typed = assignments(text, [f.key for f in inputs], {f.alias: f.key for f in inputs})
    if typed is None:
        first = next((f for f in inputs if f.kind == "plain_text_input"), None)
        typed = {first.key: text.strip()} if first is not None and text.strip() else {}
    values: dict = {}
    errors: dict[str, str] = {}
    reader = _Reader(suggest, person, channel, today)
    for f in inputs:
        try:
            state = reader.state(f, typed.get(f.key), values)
        except ValueError as refused:
            errors[f.key] = str(refused)
            continue
        values[f.key] = {f.element.get("action_id", f.key): state}
    if errors:
        raise Refused(errors)
    return values


@dataclass
class _Reader:
    suggest: Suggest
    person: Callable[[str], str]
    channel: Callable[[str], str]
    today: date

    def state(self, f: Field, typed: str | None, values: dict) -> dict:
        """The field's state once `typed` is entered (None: as it stands); ValueError with
        what Slack would say under it."""
        element, kind = f.element, f.kind
        state: dict = {"type": kind}
        if kind in ("plain_text_input", "email_text_input", "url_text_input", "number_input"):
            value = element.get("initial_value") if typed is None else typed
            self._text_checked(f, value or "")
            state["value"] = value or None
        elif kind == "datepicker":
            state["selected_date"] = self._day(
                element.get("initial_date") if typed is None else typed
            )
            self._required(f, state["selected_date"])
        elif kind == "timepicker":
            state["selected_time"] = self._time(
                element.get("initial_time") if typed is None else typed
            )
            self._required(f, state["selected_time"])
        elif kind == "checkboxes":
            chosen = element.get("initial_options") or []
            if typed is not None:
                chosen = self._checked(element, typed)
            self._required(f, chosen)
            state["selected_options"] = chosen
        elif kind == "multi_static_select":
            chosen = element.get("initial_options") or []
            if typed is not None:
                chosen = [_one(_static_options(element), t) for t in _items(typed)]
            self._required(f, chosen)
            state["selected_options"] = chosen
        elif kind in ("static_select", "radio_buttons"):
            chosen = element.get("initial_option")
            if typed is not None:
                chosen = _one(_static_options(element), typed) if typed else None
            self._required(f, chosen)
            state["selected_option"] = chosen
        elif kind == "external_select":
            chosen = element.get("initial_option")
            if typed is not None:
                chosen = _one(self.suggest(f, typed, {**values}), typed) if typed else None
            self._required(f, chosen)
            state["selected_option"] = chosen
        elif kind == "multi_external_select":
            chosen = element.get("initial_options") or []
            if typed is not None:
                chosen = [_one(self.suggest(f, t, {**values}), t) for t in _items(typed)]
            self._required(f, chosen)
            state["selected_options"] = chosen
        elif kind == "users_select":
            user = element.get("initial_user") if typed is None else self._user(typed)
            self._required(f, user)
            state["selected_user"] = user
        elif kind == "multi_users_select":
            users = element.get("initial_users") or []
            if typed is not None:
                users = [self.person(t.lstrip("@").lower()) for t in _items(typed)]
            self._required(f, users)
            state["selected_users"] = users
        elif kind in ("conversations_select", "channels_select"):
            key = "selected_conversation" if kind == "conversations_select" else "selected_channel"
            initial = element.get("initial_conversation") or element.get("initial_channel")
            chosen = initial if typed is None else (self.channel(typed) if typed else None)
            self._required(f, chosen)
            state[key] = chosen
        else:
            raise ValueError(f"the console can't fill a {kind} yet")
        return state

    def _text_checked(self, f: Field, value: str) -> None:
        self._required(f, value)
        most, least = f.element.get("max_length"), f.element.get("min_length")
        if most is not None and len(value) > most:
            raise ValueError(f"Must be {most} characters or fewer (this is {len(value)}).")
        if value and least is not None and len(value) < least:
            raise ValueError(f"Must be at least {least} characters.")

    @staticmethod
    def _required(f: Field, value) -> None:
        if not f.optional and not value:
            raise ValueError(REQUIRED)

    def _day(self, typed: str | None) -> str | None:
        if not typed:
            return None
        words = {"today": self.today, "tomorrow": date.fromordinal(self.today.toordinal() + 1)}
        if typed.lower() in words:
            return words[typed.lower()].isoformat()
        try:
            return date.fromisoformat(typed).isoformat()
        except ValueError:
            raise ValueError(f"“{typed}” is not a day: pick one as YYYY-MM-DD") from None

    @staticmethod
    def _time(typed: str | None) -> str | None:
        if not typed:
            return None
        found = re.fullmatch(r"(\d{1,2}):(\d{2})", typed.strip())
        try:
            return time(int(found[1]), int(found[2])).strftime("%H:%M")
        except (TypeError, ValueError):  # no match, or 25:00
            raise ValueError(f"“{typed}” is not a time: pick one as HH:MM") from None

    @staticmethod
    def _checked(element: dict, typed: str) -> list[dict]:
        options = _static_options(element)
        if len(options) == 1 and typed.lower() in YES + NO:
            return options if typed.lower() in YES else []
        return [_one(options, t) for t in _items(typed)]

    def _user(self, typed: str) -> str | None:
        return self.person(typed.strip().lstrip("@").lower()) if typed.strip() else None


def _static_options(element: dict) -> list[dict]:
    groups = element.get("option_groups") or []
    return element.get("options") or [o for g in groups for o in g.get("options", [])]


def _items(typed: str) -> list[str]:
    return [item.strip() for item in typed.split(",") if item.strip()]


def _text(option: dict) -> str:
    return option.get("text", {}).get("text", option.get("value", ""))


def _one(options: list[dict], typed: str) -> dict:
    """The option `typed` names: its label or value in any case, else the only one whose
    label starts with (then contains) it; ValueError naming the choices."""
    wanted = typed.strip().casefold()
    for option in options:
        if wanted in (_text(option).casefold(), str(option.get("value", "")).casefold()):
            return _chosen(option)
    for test in (str.startswith, str.__contains__):
        found = [o for o in options if test(_text(o).casefold(), wanted)]
        if len(found) == 1:
            return _chosen(found[0])
        if found:
            names = ", ".join(_text(o) for o in found[:SHOWN_OPTIONS])
            raise ValueError(f"“{typed}” could be {names}: type more of it")
    if not options:
        raise ValueError(f"nothing to choose matches “{typed}”")
    names = ", ".join(_text(o) for o in options[:SHOWN_OPTIONS])
    raise ValueError(f"“{typed}” is not one of {names}")


def _chosen(option: dict) -> dict:
    """An option as Slack lists it among the selected ones."""
    return {key: option[key] for key in ("text", "value", "description") if key in option}
