"""Mail fixtures: each flow runs with the outbox and with a real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from practika.config import Settings
from tests.email.mailbox import Mailbox, SmtpCatcher, free_port
from tests.support import Api


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[SmtpCatcher, int]]:
    from aiosmtpd.controller import Controller

    catcher = SmtpCatcher()
    port = free_port()
    controller = Controller(catcher, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield catcher, port
    finally:
        controller.stop()


@pytest.fixture(params=["outbox", "smtp"])
def mailbox(request: pytest.FixtureRequest, api: Api, settings: Settings) -> Mailbox:
    """The app's queued mail, delivered by a worker through the outbox or real SMTP."""
    if request.param == "outbox":
        return Mailbox(api, _worker_settings(settings), None)
    catcher, port = request.getfixturevalue("smtp_server")
    smtp = {"email_backend": "smtp", "smtp_port": port, "smtp_security": "none"}
    return Mailbox(api, _worker_settings(settings, **smtp), catcher)


_VARIANTS: dict[tuple[object, ...], Settings] = {}


def _worker_settings(settings: Settings, **changes: object) -> Settings:
    """The worker's settings: the app's, with no quiet hours (so no test depends on the
    time of day; test_quiet_hours sets its own) and the given backend."""
    changes = {"quiet_hours_start": 0, "quiet_hours_end": 0, **changes}
    key = (id(settings), *sorted(changes.items()))
    if key not in _VARIANTS:
        _VARIANTS[key] = settings.model_copy(update=changes)
    return _VARIANTS[key]
