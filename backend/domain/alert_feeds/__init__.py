"""Live alert feeds (`skywatch follow`): each feed's answer as the alert state it states, and
the alert events that turn Skywatch's state into it. Pure: the polling is backend/cli/follow.py."""
