from django.contrib import admin
from django.http import HttpRequest

from .models import Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Payments are a ledger: readable in the admin, changed only through ``api.charge``."""

    list_display = ["id", "reference", "amount", "payment_method", "status", "created_at"]
    list_filter = ["status", "payment_method"]
    search_fields = ["reference", "idempotency_key", "gateway_transaction_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        return False
