"""An in-memory emulator of the LINE Messaging API.

The real line-bot-sdk talks to it over HTTP, so tests, benchmarks and the demo can run
without a LINE channel. `emulator.server.EmulatorServer` runs it in a background thread;
`python -m emulator` runs it as a process. Nothing happens at import time.
"""
