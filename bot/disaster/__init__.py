"""Disaster mode: the account's look and answers during a disaster (see `mode.py`)."""
