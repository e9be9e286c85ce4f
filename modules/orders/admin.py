from django.contrib import admin
from django.http import HttpRequest

from .models import Order, OrderLine


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    readonly_fields = ["product_id", "name", "unit_price", "quantity"]
    can_delete = False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Orders change through ``api`` (stock and events follow); the admin shows them."""

    list_display = ["id", "customer_id", "status", "total", "created_at"]
    list_filter = ["status"]
    search_fields = ["=id", "=customer_id"]
    readonly_fields = [
        "customer_id",
        "payment_id",
        "status",
        "payment_key",
        "payment_started_at",
        "total",
        "created_at",
        "updated_at",
    ]
    inlines = [OrderLineInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
