"""/grade every and /grade cadence: grade requests on a monthly or quarterly cadence."""

VERBS: dict = {}
