"""Every wait on PostgreSQL comes from settings (config.py → db.py)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from practika.config import Settings
from practika.db import bounded_connect_args


def test_the_timeouts_reach_asyncpg_and_the_server() -> None:
    settings = Settings(
        database_statement_timeout_seconds=1.5,
        database_command_timeout_seconds=2,
        database_connect_timeout_seconds=3,
        database_idle_in_transaction_timeout_seconds=0,
    )
    assert bounded_connect_args(settings) == {
        "timeout": 3,
        "command_timeout": 2,
        "server_settings": {
            "statement_timeout": "1500",
            "idle_in_transaction_session_timeout": "0",  # 0: PostgreSQL's "off"
        },
    }


def test_the_client_gives_up_no_sooner_than_the_server() -> None:
    with pytest.raises(ValidationError, match="COMMAND_TIMEOUT"):
        Settings(database_statement_timeout_seconds=10, database_command_timeout_seconds=5)
