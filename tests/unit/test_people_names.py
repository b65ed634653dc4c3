"""People's names (bot/people.py name) are cached with their profiles: users.info is
asked once per PROFILE_TTL, and a user_change event renames them at once."""

import pytest

from bot import people
from bot.people import PROFILE_TTL
from support.workspace import TEAM

CAMILLE = "U0002"


def named(rapport, client, user_id: str = CAMILLE) -> str:
    return people.name(rapport, client, team_id=TEAM, user_id=user_id)


def asked(fake) -> list[str]:
    return [call.args["user"] for call in fake.calls_to("users.info")]


def test_a_name_is_asked_of_slack_once_then_read_from_the_cache(rapport, client, fake):
    assert named(rapport, client) == "camille"
    assert named(rapport, client) == "camille"
    assert asked(fake) == [CAMILLE]


def test_another_replica_reads_the_name_from_the_database(rapport, replicas, client, fake):
    named(rapport, client)
    assert named(replicas[0], client) == "camille"
    assert asked(fake) == [CAMILLE]


def test_a_stale_profile_asks_slack_again(rapport, clock, client, fake):
    named(rapport, client)
    fake.add_user(CAMILLE, tz="Europe/Paris", name="camille.roy")
    clock.advance(seconds=PROFILE_TTL.total_seconds() - 1)
    assert named(rapport, client) == "camille"
    clock.advance(minutes=10)  # past the few minutes a profile read stays in memory too
    assert named(rapport, client) == "camille.roy"
    assert asked(fake) == [CAMILLE, CAMILLE]


@pytest.mark.parametrize(
    ("profile", "handle", "shown"),
    [
        ({"display_name": "Cam ", "real_name": "Camille Roy"}, "camille", "Cam"),
        ({"display_name": " ", "real_name": "Camille Roy"}, "camille", "Camille Roy"),
        ({"display_name": "", "real_name": ""}, "camille", "camille"),
        ({}, "", ""),
    ],
)
def test_a_user_change_event_renames_them_without_asking_slack(
    rapport, client, fake, profile, handle, shown
):
    """What user_change carries (no locale) goes through remember: the name Slack shows
    is the display name, else the real name, else the handle; blank when none is."""
    named(rapport, client)
    user = {"id": CAMILLE, "tz": "Europe/Paris", "name": handle, "profile": profile}
    people.remember(rapport, team_id=TEAM, user=user)
    assert named(rapport, client) == shown
    assert asked(fake) == [CAMILLE]


def test_a_profile_cached_without_a_name_asks_slack_for_it(rapport, client, fake):
    """A profile cached before names were (migration 0014), or from an object carrying
    none, has no name yet: Slack is asked, once."""
    people.remember(rapport, team_id=TEAM, user={"id": CAMILLE, "tz": "Europe/Paris"})
    assert named(rapport, client) == "camille"
    assert named(rapport, client) == "camille"
    assert asked(fake) == [CAMILLE]


def test_an_object_without_names_keeps_the_cached_name(rapport, client, fake):
    named(rapport, client)
    people.remember(rapport, team_id=TEAM, user={"id": CAMILLE, "tz": "Asia/Tokyo"})
    assert named(rapport, client) == "camille"
    assert people.cached(rapport, team_id=TEAM, user_id=CAMILLE).tz == "Asia/Tokyo"
    assert asked(fake) == [CAMILLE]


def test_someone_slack_does_not_know_is_blank_and_asked_again(rapport, client, fake):
    assert named(rapport, client, "UNOBODY") == ""
    assert named(rapport, client, "UNOBODY") == ""
    assert asked(fake) == ["UNOBODY", "UNOBODY"]
