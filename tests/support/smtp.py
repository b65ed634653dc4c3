"""A local SMTP server on loopback (aiosmtpd, on a free port) that keeps every message it
is sent, to read back as the standard library's EmailMessage."""

import contextlib
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Mailbox:
    """aiosmtpd's handler: what it was sent, by whom to whom."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"

    def wait_for(self, n: int, timeout: float = 10) -> list[EmailMessage]:
        """The messages once there are `n` (AssertionError if not in time)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= n:
                    return list(self.messages)
            time.sleep(0.02)
        raise AssertionError(f"{n} emails expected, {len(self.messages)} arrived")


class _LoopbackController(Controller):
    """aiosmtpd's Controller on port 0: it learns the port the system chose before its
    readiness check connects to it."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@contextlib.contextmanager
def smtp_server(**smtp_parameters):
    """(url, mailbox): an SMTP server on 127.0.0.1 for the block, smtp://127.0.0.1:<port>;
    `smtp_parameters` go to aiosmtpd's SMTP (an authenticator, say)."""
    mailbox = Mailbox()
    controller = _LoopbackController(mailbox, hostname="127.0.0.1", port=0, **smtp_parameters)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{controller.port}", mailbox
    finally:
        controller.stop()


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain text and HTML bodies of a multipart/alternative email."""
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return plain, html
