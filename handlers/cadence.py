"""/grade every and /grade cadence: grade requests on a monthly or quarterly cadence."""

from slack_sdk import WebClient

from bot import blocks, grade_schedule
from bot.errors import UserError
from bot.mrkdwn import date_token, escape
from bot.people import Person
from bot.services import Rapport


def every(rapport: Rapport, client: WebClient, person: Person, rest: str) -> dict:
    cadence = grade_schedule.start(rapport, client, user=person, text=rest)
    return blocks.text_message(
        f"Asked <@{cadence.grader_id}> for a grade now, and every {cadence.every} from here; "
        f"the next request goes out {date_token(cadence.next_due_at, person.tz)}. "
        "See them with `/grade cadence`."
    )


def cadence(rapport: Rapport, client: WebClient, person: Person, rest: str) -> dict:
    verb, _, name = rest.strip().partition(" ")
    if verb.lower() == "stop":
        if not name.strip():
            raise UserError("Name the account: `/grade cadence stop Acme`.")
        account, count = grade_schedule.stop(rapport, team_id=person.team_id, account_name=name)
        if not count:
            return blocks.text_message(f"*{escape(account)}* had no grade cadence running.")
        return blocks.text_message(f"Stopped {count} grade cadence(s) for *{escape(account)}*.")
    if verb:
        raise UserError("Use `/grade cadence` to list them, or `/grade cadence stop Acme`.")
    running = grade_schedule.active(rapport, team_id=person.team_id)
    if not running:
        return blocks.text_message(
            "No grade cadences yet. Start one with `/grade every month Acme @client`."
        )
    lines = ["*Grade cadences*"] + [
        f"• *{escape(c.account.name)}*: <@{c.grader_id}> every {c.every}, "
        f"next {date_token(c.next_due_at, person.tz)} (set by <@{c.asked_by}>)"
        for c in running
    ]
    return blocks.lines_message(lines)


VERBS = {"every": every, "cadence": cadence}
