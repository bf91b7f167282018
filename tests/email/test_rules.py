"""Mail rules without HTTP: quiet hours in a person's zone, address normalisation."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from practika.config import Settings
from practika.email.addresses import normalize_address, one_line
from practika.services.mail_notifications import quiet_end, quiet_now, zone


def _settings(tmp_path: Path, start: int = 22, end: int = 7) -> Settings:
    return Settings(data_dir=tmp_path, quiet_hours_start=start, quiet_hours_end=end)


def test_quiet_hours_span_midnight_in_the_persons_zone(tmp_path: Path) -> None:
    settings, paris = _settings(tmp_path), zone("Europe/Paris")
    late = datetime(2026, 6, 1, 21, 30, tzinfo=UTC)  # 23:30 in Paris (summer time)
    assert quiet_now(settings, paris, late)
    assert not quiet_now(settings, zone("UTC"), late)
    assert quiet_end(settings, paris, late) == datetime(2026, 6, 2, 5, 0, tzinfo=UTC)  # 07:00
    morning = datetime(2026, 6, 2, 6, 0, tzinfo=UTC)  # 08:00 in Paris
    assert not quiet_now(settings, paris, morning)
    assert quiet_end(settings, paris, morning) == datetime(2026, 6, 3, 5, 0, tzinfo=UTC)


def test_equal_start_and_end_turn_quiet_hours_off(tmp_path: Path) -> None:
    settings = _settings(tmp_path, 0, 0)
    assert not any(
        quiet_now(settings, zone("UTC"), datetime(2026, 6, 1, h, tzinfo=UTC)) for h in range(24)
    )


def test_an_unknown_zone_is_utc() -> None:
    assert zone("Not/AZone").key == "UTC"


def test_addresses_are_normalised_once_for_case_space_and_unicode() -> None:
    composed, decomposed = "jos\u00e9@example.com", "jose\u0301@example.com"
    assert normalize_address(f"  {decomposed.upper()} ") == normalize_address(composed)


def test_one_line_flattens_control_characters() -> None:
    assert one_line("a\r\nBcc: x\t\x00y") == "a Bcc: x y"
