"""What every listener does the same way: read a slash command's verb, show its help,
know who is asking (a member: guests use no command) and in which language to answer,
answer as fast as the person's cached profile allows, open a modal."""

import ast
import inspect
from collections.abc import Callable, Iterator

from babel.messages.extract import extract_python
from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import access, i18n, people
from bot.blocks import lines_message
from bot.i18n import _
from bot.mrkdwn import escape, unescape
from bot.people import Person

Reply = Callable[..., object]  # takes a message's fields: reply(text=..., blocks=...)


def command_words(command: dict) -> tuple[str, str]:
    """A slash command's first word, lower case, and the text after it (Slack's escaping
    of `&`, `<` and `>` undone)."""
    verb, _, rest = unescape(command.get("text", "")).strip().partition(" ")
    return verb.lower(), rest.strip()


def show_help(
    ack: Ack, command: dict, context: BoltContext, listener: Callable, verb: str = ""
) -> None:
    """Acknowledge with the command's help, which is its listener's docstring (translated),
    in the language of the person asking when their profile is cached, else the
    workspace's; first say that `verb` is not one of its verbs, when it is neither blank
    nor `help`."""
    speak_as_cached(context)
    help_text = help_of(listener)
    if verb and verb != "help":
        unknown = _("I don't know `{command} {verb}`.").format(
            command=command["command"], verb=escape(verb)
        )
        help_text = f"{unknown}\n\n{help_text}"
    ack(response_type="ephemeral", **lines_message(help_text.splitlines()))


def speak_as_cached(context: BoltContext) -> None:
    """Answer in the asker's language and calendar when their profile is cached, else in
    the workspace's language: for what is answered before Slack could be asked who they
    are (help, a modal opened at once, a form's mistakes)."""
    rapport = context["rapport"]
    known = people.cached(rapport, team_id=context.team_id, user_id=context.user_id)
    default = rapport.settings.default_language
    i18n.use(*(known.voice(default) if known else (default,)))


def help_of(listener: Callable) -> str:
    """A slash command's help: its listener's docstring, in the reader's language."""
    return i18n.gettext(inspect.getdoc(listener))


def extract_messages(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel's extractor for handlers/ (babel.cfg): the messages marked with `_()` and
    `ngettext()`, and the help texts, which are the docstrings of the listeners that
    `app.command(...)` registers."""
    source = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)
    tree = ast.parse(source)
    commands = {
        node.args[0].id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Call)
        and getattr(node.func.func, "attr", None) == "command"
        and node.args
        and isinstance(node.args[0], ast.Name)
    }
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in commands:
            yield node.body[0].lineno, None, ast.get_docstring(node), ["A command's help."]


def answer(
    ack: Ack,
    respond: Respond,
    client: WebClient,
    context: BoltContext,
    work: Callable[[Person, Reply], None],
) -> None:
    """Run `work(person, reply)`. reply(**message) answers in the acknowledgement when the
    person's timezone is cached (the usual case); otherwise the request is acknowledged
    first and reply() responds once users.info has answered. A guest is refused. A
    UserError raised by `work` reaches the app's error handler, which answers with it."""
    rapport = context["rapport"]
    person = people.cached(rapport, team_id=context.team_id, user_id=context.user_id)
    if person is not None:
        _replying_to(rapport, person)
        work(person, lambda **message: ack(response_type="ephemeral", **message))
        return
    ack()
    person = people.fetch(rapport, client, team_id=context.team_id, user_id=context.user_id)
    _replying_to(rapport, person)
    work(
        person,
        lambda **message: respond(response_type="ephemeral", replace_original=False, **message),
    )


def member(context: BoltContext, client: WebClient) -> Person:
    """The person making the request, whose language the replies are in; a guest is
    refused (bot/access.py)."""
    rapport = context["rapport"]
    person = people.person(rapport, client, team_id=context.team_id, user_id=context.user_id)
    _replying_to(rapport, person)
    return person


def _replying_to(rapport, person: Person) -> None:
    i18n.use(*person.voice(rapport.settings.default_language))
    access.require_member(person)


def open_modal(client: WebClient, context: BoltContext, trigger_id: str, view: dict) -> None:
    """Open `view`, then cache the person's profile, so that their submission is read in
    their timezone without waiting for Slack."""
    client.views_open(trigger_id=trigger_id, view=view)
    people.person(context["rapport"], client, team_id=context.team_id, user_id=context.user_id)
