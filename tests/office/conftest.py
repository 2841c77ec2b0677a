"""The notices fixtures (friends in bulk, scheduler processes) for the office tests."""

from tests.notices.conftest import friends, gateway, schedulers  # noqa: F401
