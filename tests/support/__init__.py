"""What the tests (and the benchmarks in bench/) share; tests/conftest.py builds its
fixtures from it.

    workspace        the team, people, tokens and digest channel the tests play in
    clock            START and FakeClock, moved by hand
    fake_slack       Slack's Web API, faked on a loopback port; records every call
    slack_requests   requests as Slack sends them, signed as Slack signs them
    app              the app's settings, Web API client and context, and the scheduler's tick
    serving          the real `serve` HTTP server in a thread, and a Slack that talks to it
    serve_processes  `python -m bot serve` as processes of their own
    hostile_clients  clients Slack never is: huge or nested bodies, slow connections
    processes        the environment of such processes, and waiting for them
    databases        throwaway databases: a SQLite file, or a PostgreSQL schema
    migrations       taking a database down the migrations
    rows             rows to start from: accounts, calls, grades, plans, subscriptions
    report_sample    the report tests' known sample, and what a report of it shows
    seeded_team      a team of 50 accounts (owners, contacts, ARR history, calls, grades, plans)
                     whose report the tests compute by hand
    books            books of accounts to import: accounts, contacts and past calls as CSV or .xlsx
    forms            what people enter in the app's modals
    grading          grades asked and answered, through use cases or through Slack
    stored           what the database holds: counts and rows
    shown            what people are shown: messages, posts to a channel, buttons
    grade_pages      grade page links, pages fetched and forms posted over HTTP, their HTML
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository
