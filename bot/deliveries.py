"""Events API deliveries: Slack retries a delivery it thinks failed; each is handled once."""

from bot.runtime.context import Rapport
from storage.queries import deliveries as delivery_queries


def keys(body: dict) -> list[str]:
    """A delivery's idempotency keys: its event_id, and the message's client_msg_id if any."""
    found = [f"event:{body['event_id']}"] if body.get("event_id") else []
    if client_msg_id := body.get("event", {}).get("client_msg_id"):
        found.append(f"message:{client_msg_id}")
    return found


def first_time(rapport: Rapport, *, team_id: str, delivery: list[str]) -> bool:
    """Record the delivery; False if it was handled before."""
    with rapport.sessions.begin() as s:
        return delivery_queries.claim(s, team_id=team_id, keys=delivery, now=rapport.clock.now())
