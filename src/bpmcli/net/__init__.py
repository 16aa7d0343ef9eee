"""The doors to the network: HTTP (trackers, webhooks) and SMTP (digest email).

The store is the one door to git and .git/bpm; this package is the one door to other
machines. Features build requests from values and hand them here; nothing here knows
postmortems. Tests talk to real local servers, never mocks (tests/net/).
"""
