from typing import ClassVar

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from .events.maintenance import resubmit_failed
from .models import Delivery, ScheduledJob, StoredEvent


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields: ClassVar[tuple[str, ...]] = (
        "listener",
        "status",
        "attempts",
        "next_attempt_at",
        "completed_at",
    )
    readonly_fields = fields


@admin.register(StoredEvent)
class StoredEventAdmin(admin.ModelAdmin):
    """The outbox, read-only: events are written by ``publish()`` and the broker consumer."""

    list_display = ["occurred_at", "type", "id", "relay_pending", "relayed_at"]
    list_filter = ["type", "relay_pending"]
    search_fields = ["=id", "type"]
    readonly_fields = [
        "id",
        "type",
        "version",
        "occurred_at",
        "payload",
        "relay_pending",
        "relayed_at",
    ]
    inlines = [DeliveryInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "listener", "event", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "listener"]
    readonly_fields = [
        "event",
        "listener",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "completed_at",
    ]
    actions = ["resubmit"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Resubmit the selected failed deliveries")
    def resubmit(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = resubmit_failed(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"Resubmitted {count} failed deliveries.", messages.SUCCESS)


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    """The periodic jobs' shared schedule: set a job's next run to now to have it run at once."""

    list_display = ["name", "next_run_at", "last_run_at"]
    readonly_fields = ["name", "last_run_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a worker adds the jobs it runs
