"""HTTP endpoints of the notifications module, mounted at /api/notifications by ``shop/api.py``."""

from datetime import datetime

from django.http import HttpRequest
from modular_monolith.http import caller_id
from ninja import Router, Schema

from . import api

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    created_at: datetime


@router.get("", response=list[NotificationOut])
def list_notifications(request: HttpRequest) -> list[api.NotificationDTO]:
    return api.list_notifications(recipient_id=caller_id(request))
