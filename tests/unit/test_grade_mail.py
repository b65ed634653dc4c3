"""Grade emails (bot/grades/mail.py): what they hold, escaped, and how they are sent."""

from dataclasses import replace

import pytest
from aiosmtpd.smtp import AuthResult

from bot import i18n
from bot.grades import mail
from bot.runtime.settings import Settings
from support.smtp import parts, smtp_server

SETTINGS = Settings(mail_from="Rapport <rapport@example.com>", expiry_days=14)
LINK = "https://rapport.example.com/g/abc"


def email(**overrides):
    values = {
        "to_name": "Dana Lee",
        "to_address": "dana@client.com",
        "account_name": "Acme <Corp> & Co",
        "question": 'Are we "fast" <script>alert(1)</script>?',
        "link": LINK,
        "language": "en",
    }
    return mail.grade_email(SETTINGS, **(values | overrides))


def test_an_email_is_plain_text_and_escaped_html_with_the_link_and_question():
    message = email()
    assert message["Subject"] == "Your grade for Acme <Corp> & Co, please"
    assert message["To"] == "Dana Lee <dana@client.com>"
    plain, html = parts(message)
    assert LINK in plain and 'Are we "fast" <script>alert(1)</script>?' in plain
    assert f'href="{LINK}"' in html and '<html lang="en" dir="ltr">' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "Acme &lt;Corp&gt; &amp; Co" in html
    assert "14 days" in plain and "don't forward it" in plain


def test_arabic_is_right_to_left_and_a_reminder_says_so():
    message = email(language="ar", reminder=True)
    _, html = parts(message)
    assert '<html lang="ar" dir="rtl">' in html and 'style="' in html
    assert message["Content-Language"] == "ar"
    with i18n.speaking("ar"):
        subject = i18n._("Reminder: your grade for {account}, please")
    assert message["Subject"] == subject.format(account="Acme <Corp> & Co")


class Accepting:
    def __init__(self):
        self.logins = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        self.logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=True)


def test_it_is_sent_with_the_urls_credentials():
    accepting = Accepting()
    with smtp_server(authenticator=accepting, auth_require_tls=False) as (url, mailbox):
        user_url = url.replace("smtp://", "smtp://rapport%40example.com:p%40ss@")
        mail.send(replace(SETTINGS, smtp_url=user_url), email())
        (sent,) = mailbox.wait_for(1)
    assert accepting.logins == [(b"rapport@example.com", b"p@ss")]
    assert sent["Subject"] == "Your grade for Acme <Corp> & Co, please"


def test_a_server_that_cannot_be_reached_is_a_mail_error():
    with pytest.raises(mail.MailError, match="ConnectionRefusedError"):
        mail.send(replace(SETTINGS, smtp_url="smtp://127.0.0.1:1"), email())
