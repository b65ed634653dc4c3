"""A file someone shared with Rapport, read from Slack: files.info, then its
url_private_download with the bot token (scope files:read), as Slack documents. Files are
immutable: the file read when Import is pressed is the one that was previewed."""

import urllib.request
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import UserError
from bot.i18n import _, isolate, number
from bot.imports.reading import MAX_BYTES
from bot.mrkdwn import escape

IMPORTABLE = (".csv", ".xlsx")


@dataclass(frozen=True)
class SharedFile:
    file_id: str
    name: str
    content: bytes


def importable(files: list) -> dict | None:
    """The first of a message's files that is a .csv or .xlsx, or None."""
    for file in files or []:
        if isinstance(file, dict) and is_importable(file):
            return file
    return None


def is_importable(file: dict) -> bool:
    name = str(file.get("name") or file.get("title") or "").lower()
    return name.endswith(IMPORTABLE) or file.get("filetype") in ("csv", "xlsx")


def fetch(client: WebClient, file_id: str, *, max_bytes: int = MAX_BYTES) -> SharedFile:
    """The file's name and bytes, or UserError when it is not a CSV or .xlsx file, is
    too large, or Slack does not hand it over."""
    try:
        file = client.files_info(file=file_id)["file"]
    except SlackApiError as error:
        if error.response.get("error") not in ("file_not_found", "file_deleted"):
            raise
        raise UserError(_("That file is no longer in Slack. Send it to me again.")) from None
    name = str(file.get("name") or file.get("title") or file_id)
    if not is_importable(file):
        raise UserError(
            _("I can import .csv and .xlsx files; “{name}” is neither.").format(
                name=isolate(escape(name))
            )
        )
    if int(file.get("size") or 0) > max_bytes:
        raise UserError(_too_large(max_bytes))
    url = file.get("url_private_download") or file.get("url_private")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    handlers = [urllib.request.HTTPSHandler(context=client.ssl)] if client.ssl else []
    if client.proxy:
        handlers.append(urllib.request.ProxyHandler({"http": client.proxy, "https": client.proxy}))
    with urllib.request.build_opener(*handlers).open(request, timeout=client.timeout) as response:
        kind = response.headers.get("Content-Type", "")
        content = response.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise UserError(_too_large(max_bytes))
    if kind.startswith("text/html"):  # Slack's sign-in page: the token may not read files
        raise UserError(
            _("Slack didn't hand me the file. Ask an admin to give Rapport the `files:read` scope.")
        )
    return SharedFile(file_id, name, content)


def _too_large(max_bytes: int) -> str:
    return _("That file is over {mb} MB. Split it into smaller files.").format(
        mb=isolate(number(max_bytes // (1024 * 1024)))
    )
