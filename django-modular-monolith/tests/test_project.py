"""The library installed in a project: its checks pass, its migrations and admin work."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import checks
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from modular_monolith.checks import check_settings
from modular_monolith.models import ScheduledJob
from modular_monolith.testing import DeliverEvents
from modules.notes import api as notes


@pytest.mark.django_db(databases="__all__")  # newer Django versions check every database
def test_a_project_whose_modules_keep_their_boundaries_passes_every_check() -> None:
    call_command("check", fail_level="WARNING", stdout=StringIO())


def test_an_unknown_delivery_mode_fails_the_settings_check(settings: Settings) -> None:
    settings.MONOLITH_EVENTS_DELIVERY = "sometimes"

    assert [message.id for message in check_settings()] == ["modular_monolith.E001"]
    assert all(message.level == checks.ERROR for message in check_settings())


@pytest.mark.parametrize("value", [None, True, False, "warn"])
def test_the_guard_modes_pass_the_settings_check(settings: Settings, value: object) -> None:
    settings.MONOLITH_GUARDS = value

    assert check_settings() == []


def test_an_unknown_guard_mode_fails_the_settings_check(settings: Settings) -> None:
    settings.MONOLITH_GUARDS = "loud"

    assert [message.id for message in check_settings()] == ["modular_monolith.E002"]


@pytest.mark.django_db
def test_the_outbox_models_match_their_migrations() -> None:
    call_command("makemigrations", "modular_monolith", "--check", "--dry-run", stdout=StringIO())


@pytest.mark.django_db
def test_the_admin_shows_the_outbox(admin_client: Client, deliver_events: DeliverEvents) -> None:
    with deliver_events():
        notes.write_note(text="in the outbox")

    events_page = admin_client.get("/admin/modular_monolith/storedevent/")
    deliveries_page = admin_client.get("/admin/modular_monolith/delivery/")

    assert events_page.status_code == deliveries_page.status_code == 200
    assert "notes.NoteWritten" in events_page.content.decode()
    assert "modules.tally.listeners.on_note_written" in deliveries_page.content.decode()


@pytest.mark.django_db
def test_the_admin_shows_the_job_schedule_and_can_move_a_run_forward(admin_client: Client) -> None:
    later = timezone.now() + timedelta(hours=1)
    ScheduledJob.objects.create(name="modules.notes.jobs.tidy", next_run_at=later)
    page = admin_client.get("/admin/modular_monolith/scheduledjob/")
    assert page.status_code == 200
    assert "modules.notes.jobs.tidy" in page.content.decode()

    now = timezone.now().replace(microsecond=0)
    url = "/admin/modular_monolith/scheduledjob/modules.notes.jobs.tidy/change/"
    local = timezone.localtime(now)
    form = {"next_run_at_0": local.date().isoformat(), "next_run_at_1": local.time().isoformat()}
    assert admin_client.post(url, form).status_code == 302

    assert ScheduledJob.objects.get().next_run_at == now
