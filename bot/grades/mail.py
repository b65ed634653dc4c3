"""Grade emails to people outside Slack: built with the standard library's email package
(plain text, and an HTML alternative rendered by Jinja2 with autoescaping), in the
reader's language, and sent through SMTP_URL (bot/runtime/settings.py).

An email says only what its reader needs: the account's name, the question and their
personal link."""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot import i18n
from bot.i18n import _, isolate, ngettext, number
from bot.runtime.settings import Settings, smtp_server

SMTP_TIMEOUT = 20  # seconds for connecting and for each SMTP command
TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    keep_trailing_newline=True,
)


class MailError(Exception):
    """The email could not be handed to the SMTP server."""


def grade_email(
    settings: Settings,
    *,
    to_name: str,
    to_address: str,
    account_name: str,
    question: str,
    link: str,
    language: str,
    reminder: bool = False,
) -> EmailMessage:
    """The email asking `to_name` for a grade through `link`, in `language`."""
    with i18n.speaking(language):
        # Translators: an email's subject; {account} is the client account's name.
        subject = _("Your grade for {account}, please").format(account=account_name)
        if reminder:
            subject = _("Reminder: your grade for {account}, please").format(account=account_name)
        # Translators: an email's greeting; {name} is the reader's name.
        greeting = _("Hello {name},").format(name=isolate(to_name))
        if reminder:
            intro = _(
                "A reminder: we would still value your grade for {account}, from A+ to F, "
                "and a word on why. It takes a minute."
            )
        else:
            intro = _(
                "We would value your grade for {account}: from A+ to F, and a word "
                "on why. It takes a minute."
            )
        intro = intro.format(account=isolate(account_name))
        button = _("Give your grade")
        personal = ngettext(
            "This link is yours alone: please don't forward it. It works for {n} day "
            "from when we first asked.",
            "This link is yours alone: please don't forward it. It works for {n} days "
            "from when we first asked.",
            settings.expiry_days,
        ).format(n=number(settings.expiry_days))
    values = {
        "language": language,
        "direction": "rtl" if language in i18n.RIGHT_TO_LEFT else "ltr",
        "subject": subject,
        "greeting": greeting,
        "intro": intro,
        "question": question,
        "button": button,
        "personal": personal,
        "link": link,
    }
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.mail_from
    message["To"] = formataddr((to_name, to_address))
    message["Message-ID"] = make_msgid(domain=_domain(settings.mail_from))
    message.set_content(f"{greeting}\n\n{intro}\n\n{question}\n\n{button}: {link}\n\n{personal}\n")
    message.add_alternative(TEMPLATES.get_template("grade_email.html").render(values), "html")
    message["Content-Language"] = language  # after the bodies: set_content drops Content-*
    return message


def send(settings: Settings, message: EmailMessage) -> None:
    """Hand `message` to SMTP_URL's server: TLS from the start (smtps://), else STARTTLS
    when the server offers it; the URL's credentials when it has them. MailError when the
    server cannot be reached or refuses it."""
    server = smtp_server(settings.smtp_url)
    context = ssl.create_default_context()
    try:
        if server.implicit_tls:
            smtp = smtplib.SMTP_SSL(server.host, server.port, timeout=SMTP_TIMEOUT, context=context)
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT)
        with smtp:
            smtp.ehlo()
            if not server.implicit_tls and smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()
            if server.user is not None:
                smtp.login(server.user, server.password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:  # OSError: refused, timed out, TLS
        raise MailError(f"{type(error).__name__}: {error}") from error


def _domain(mail_from: str | None) -> str | None:
    """The domain of MAIL_FROM's address (it may be `Name <address>`), for Message-IDs."""
    return parseaddr(mail_from or "")[1].rpartition("@")[2] or None
