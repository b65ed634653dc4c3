"""How every listener runs. Bolt runs listeners with process_before_response=True: a
request is answered when its listener returns. `@listener` runs the listener on the
app's after-ack pool instead and returns as soon as it calls ack(), so the response never
waits for what follows (Slack calls, Home updates, alerts), which goes on in the pool.
A listener that takes no `ack` (an event) is acknowledged before it runs.

Bolt's lazy listeners do the same, but copy every request for each lazy function; here
the request thread only waits for one event. An error before ack() is the error
handler's to answer in the acknowledgement; after it, it is told to the person."""

import contextvars
import functools
import inspect
import threading
from collections.abc import Callable
from concurrent.futures import Executor

from slack_bolt import BoltContext

from handlers.errors import describe, tell

POOL = "after_ack_pool"  # where listeners find the pool in their context


def provide(pool: Executor) -> Callable:
    """The middleware that hands `pool` to every listener."""

    def provide_pool(context: BoltContext, next: Callable):
        context[POOL] = pool
        return next()

    return provide_pool


def listener(function: Callable) -> Callable:
    """`function`, a Bolt listener that takes `context`, run on the after-ack pool."""
    takes_ack = "ack" in inspect.signature(function).parameters

    @functools.wraps(function)
    def run(**kwargs):
        context: BoltContext = kwargs["context"]
        answered = threading.Event()
        if takes_ack:
            kwargs["ack"] = _setting(answered, kwargs["ack"])
        else:
            context.ack()
            answered.set()
        work = context[POOL].submit(_finish, function, kwargs, answered)
        answered.wait()
        if context.ack.response is None:  # it ended, or failed, without acknowledging
            return work.result()
        return None

    return run


def _setting(answered: threading.Event, ack: Callable) -> Callable:
    """`ack` that sets `answered` once it has answered."""

    def acknowledge(*args, **kwargs):
        try:
            return ack(*args, **kwargs)
        finally:
            answered.set()

    return acknowledge


def _finish(function: Callable, kwargs: dict, answered: threading.Event):
    try:
        # A context of its own: what one request sets (its reader's language) ends with it.
        return contextvars.Context().run(_run, function, kwargs)
    finally:
        answered.set()


def _run(function: Callable, kwargs: dict):
    context: BoltContext = kwargs["context"]
    try:
        return function(**kwargs)
    except Exception as error:
        if context.ack.response is None:
            raise  # not acknowledged yet: the error handler answers in the acknowledgement
        tell(context, describe(error))
