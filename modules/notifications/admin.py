from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "recipient_id", "kind", "subject", "created_at"]
    list_filter = ["kind"]
    search_fields = ["=recipient_id", "subject"]
    readonly_fields = ["recipient_id", "kind", "about_id", "subject", "body", "created_at"]
