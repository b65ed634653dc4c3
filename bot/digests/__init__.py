"""Daily digests: a channel's subscription, when each is due, posting it exactly once a
day across replicas, and what it says."""
