"""Who an owner cell names: a Slack user id (`U0123ABC`, or `<@U0123ABC>`), an email
address (found with users.lookupByEmail, scope users:read.email) or an @handle (found in
users.list). Each distinct cell is asked of Slack once, before any transaction begins."""

import re
from collections.abc import Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import UserError
from bot.i18n import _, isolate
from bot.mrkdwn import escape

USER_ID = re.compile(r"<?@?([UW][A-Z0-9]{2,})(?:\|[^>]*)?>?")
EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")
HANDLE = re.compile(r"@([\w.\-]+)")


class Owners:
    """Owner cells read as Slack user ids; without a Web API client (the CLI with no
    SLACK_BOT_TOKEN) only ids can be read."""

    def __init__(self, client: WebClient | None):
        self.client = client
        self._found: dict[str, str | UserError] = {}
        self._handles: dict[str, str] | None = None

    def prepare(self, cells: Iterable[str]) -> None:
        """Ask Slack about every cell not asked about yet."""
        for cell in dict.fromkeys(cells):
            if cell not in self._found:
                try:
                    self._found[cell] = self._resolve(cell)
                except UserError as error:
                    self._found[cell] = error

    def __call__(self, cell: str) -> str:
        """The Slack user id `cell` names, or UserError saying why it names no one."""
        self.prepare([cell])
        found = self._found[cell]
        if isinstance(found, UserError):
            raise found
        return found

    def _resolve(self, cell: str) -> str:
        typed = isolate(escape(cell))
        if found := USER_ID.fullmatch(cell):
            return found.group(1)
        if EMAIL.fullmatch(cell):
            self._need_slack(typed)
            try:
                return self.client.users_lookupByEmail(email=cell)["user"]["id"]
            except SlackApiError as error:
                if error.response.get("error") != "users_not_found":
                    raise
            raise UserError(
                _("No one in this Slack workspace has the email {email}.").format(email=typed)
            )
        if found := HANDLE.fullmatch(cell):
            self._need_slack(typed)
            if user_id := self._by_handle().get(found.group(1).casefold()):
                return user_id
            raise UserError(_("No one in this Slack workspace is {handle}.").format(handle=typed))
        raise UserError(
            _("“{typed}” isn't an owner: give a Slack user id, an email or an @handle.").format(
                typed=typed
            )
        )

    def _need_slack(self, typed: str) -> None:
        if self.client is None:
            raise UserError(
                _(
                    "Owner {typed}: without SLACK_BOT_TOKEN, owners must be Slack user ids "
                    "(U0123ABC)."
                ).format(typed=typed)
            )

    def _by_handle(self) -> dict[str, str]:
        """The workspace's people by handle and display name (lower case), read once."""
        if self._handles is None:
            self._handles = {}
            for page in self.client.users_list(limit=200):
                for user in page["members"]:
                    if user.get("deleted"):
                        continue
                    profile = user.get("profile", {})
                    for name in (user.get("name"), profile.get("display_name")):
                        if name:
                            self._handles.setdefault(name.casefold(), user["id"])
        return self._handles
