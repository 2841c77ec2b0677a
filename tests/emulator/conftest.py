"""Fixtures: the LINE emulator on a real port, the real SDK pointed at it, and a bot stand-in
that receives its signed webhooks.

One emulator serves the whole session; each test starts from `/_sim/reset`.
"""

import pytest
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, MessagingApiBlob

from emulator.server import EmulatorServer
from tests.emulator.conformance import TALLY
from tests.emulator.harness import ACCESS_TOKEN, CHANNEL_SECRET, BotStandIn, Control


def pytest_terminal_summary(terminalreporter):
    """How much of the emulator was checked against LINE's OpenAPI files."""
    if TALLY["checks"]:
        terminalreporter.write_line(
            f"LINE spec conformance: {len(TALLY['operations'])} operations, "
            f"{TALLY['checks']} checks (answers and webhooks against emulator/spec/)")


@pytest.fixture(scope="session")
def line_emulator():
    with EmulatorServer(channel_secret=CHANNEL_SECRET, access_token=ACCESS_TOKEN) as server:
        yield server


@pytest.fixture
def emu(line_emulator):
    """The session's emulator, reset, with no webhook URL."""
    line_emulator.reset()
    line_emulator.webhook_url = None
    yield line_emulator
    line_emulator.reset()


@pytest.fixture
def control(emu):
    return Control(emu.url)


@pytest.fixture(scope="session")
def _bot_stand_in():
    bot = BotStandIn(CHANNEL_SECRET)
    yield bot
    bot.stop()


@pytest.fixture
def bot(emu, _bot_stand_in):
    """A bot stand-in receiving the emulator's webhooks for this test."""
    _bot_stand_in.clear()
    emu.webhook_url = _bot_stand_in.url
    yield _bot_stand_in
    problems = list(_bot_stand_in.spec_problems)
    _bot_stand_in.clear()
    assert not problems, f"webhooks that break LINE's webhook.yml: {problems}"


@pytest.fixture
def api_client(emu):
    with ApiClient(Configuration(host=emu.url, access_token=ACCESS_TOKEN)) as client:
        yield client


@pytest.fixture
def messaging(api_client):
    return MessagingApi(api_client)


@pytest.fixture
def blob(api_client):
    return MessagingApiBlob(api_client)
