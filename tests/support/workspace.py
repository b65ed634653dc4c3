"""The Slack workspace the tests play in: its team and people, the app's credentials, and
the channel digests post to."""

from bot.people import Person

TEAM = "T0001"
NEW_YORK = "America/New_York"
BOT_TOKEN = "xoxb-test-token"
SIGNING_SECRET = "test-signing-secret"
DIGEST_CHANNEL = "C0DIGEST"

# Alex (U0001, New York) owns the accounts; Camille (U0002, Paris) is a colleague; the
# client (U0003, London) is who grades them.
ALEX = Person(TEAM, "U0001", NEW_YORK, "en-US", False)
CLIENT = "U0003"
PEOPLE = {
    "U0001": dict(tz=NEW_YORK, locale="en-US", name="alex"),
    "U0002": dict(tz="Europe/Paris", locale="fr-FR", name="camille"),
    CLIENT: dict(tz="Europe/London", name="client"),
}


def add_people(fake) -> None:
    """Make the workspace's people known to the fake Slack's users.info."""
    for user_id, profile in PEOPLE.items():
        fake.add_user(user_id, **profile)
