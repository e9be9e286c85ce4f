"""The whole HTTP API of the single-app version: views that use the ORM directly."""

from collections import Counter
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError as PasswordRefused
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare, salted_hmac
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer

from .models import Notification, Order, OrderLine, Product

MAX_QUANTITY = 1000
_SALT = "single_app.tokens"


class Refused(Exception):
    """A request the API turns down, with its status and the error body's message."""

    def __init__(self, status: int, message: str, **details: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.details = status, message, details


class BearerToken(HttpBearer):
    """``request.auth`` becomes the user: a signed token, checked against the user's row."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        try:
            payload = signing.loads(token, salt=_SALT, max_age=settings.API_TOKEN_MAX_AGE)
            user = User.objects.get(pk=payload["uid"], is_active=True)
        except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError):
            return None
        return user if constant_time_compare(payload.get("pwd", ""), _fingerprint(user)) else None


def _fingerprint(user: User) -> str:
    return salted_hmac(_SALT, user.password, algorithm="sha256").hexdigest()[:16]


api = NinjaAPI(auth=BearerToken(), urls_namespace="api")


class ErrorOut(Schema):
    message: str
    details: dict[str, Any] = {}


class CredentialsIn(Schema):
    email: str
    password: str


class UserOut(Schema):
    id: int
    email: str


class TokenOut(Schema):
    token: str


class LineIn(Schema):
    product_id: int
    quantity: int


class OrderIn(Schema):
    lines: list[LineIn]


class LineOut(Schema):
    product_id: int
    name: str
    unit_price: Decimal
    quantity: int


class OrderOut(Schema):
    id: int
    status: str
    total: Decimal
    created_at: datetime
    lines: list[LineOut]


def _error(status: int, message: str, **details: Any) -> JsonResponse:
    return JsonResponse({"message": message, "details": details}, status=status)


@api.exception_handler(Refused)
def refused(request: HttpRequest, error: Refused) -> HttpResponse:
    return _error(error.status, error.message, **error.details)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    fields = [{"location": ".".join(map(str, e["loc"])), "problem": e["msg"]} for e in error.errors]
    return _error(422, "The request is not valid.", errors=fields)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    response = _error(401, "Send a valid token: Authorization: Bearer <token>.")
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.post("/users/register", auth=None, response={201: UserOut, 400: ErrorOut, 409: ErrorOut})
def register(request: HttpRequest, payload: CredentialsIn) -> Status[User]:
    email = payload.email.strip().lower()
    try:
        validate_password(payload.password)
    except PasswordRefused as error:
        raise Refused(400, " ".join(error.messages)) from None
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=email, email=email, password=payload.password)
    except IntegrityError:
        raise Refused(409, f"{email} is already registered.") from None
    return Status(201, user)


@api.post("/users/token", auth=None, response={200: TokenOut, 401: ErrorOut})
def token(request: HttpRequest, payload: CredentialsIn) -> dict[str, str]:
    user = authenticate(username=payload.email.strip().lower(), password=payload.password)
    if user is None:
        raise Refused(401, "Wrong email or password.")
    return {"token": signing.dumps({"uid": user.pk, "pwd": _fingerprint(user)}, salt=_SALT)}


@api.post("/orders", response={201: OrderOut, 400: ErrorOut, 409: ErrorOut})
def place_order(request: HttpRequest, payload: OrderIn) -> Status[dict[str, Any]]:
    customer: User = request.auth  # type: ignore[attr-defined]
    wanted: Counter[int] = Counter()
    for line in payload.lines:
        if line.quantity < 1:
            raise Refused(400, "Each line needs a quantity of at least 1.")
        wanted[line.product_id] += line.quantity
        if wanted[line.product_id] > MAX_QUANTITY:
            raise Refused(400, f"An order can hold at most {MAX_QUANTITY} units of a product.")
    if not wanted:
        raise Refused(400, "An order needs at least one line.")

    with transaction.atomic():
        products = list(
            Product.objects.select_for_update().filter(pk__in=list(wanted)).order_by("id")
        )
        missing = sorted(set(wanted) - {product.pk for product in products})
        if missing:
            raise Refused(400, "Unknown product id(s).", product_ids=missing)
        short = [product for product in products if product.stock < wanted[product.pk]]
        if short:
            names = ", ".join(product.name for product in short)
            raise Refused(
                409,
                f"Not enough stock for: {names}.",
                product_ids=[product.pk for product in short],
            )
        for product in products:
            product.stock -= wanted[product.pk]
        Product.objects.bulk_update(products, ["stock"])
        total = sum(product.price * wanted[product.pk] for product in products)
        order = Order.objects.create(customer=customer, total=total)
        lines = OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                product=product,
                name=product.name,
                unit_price=product.price,
                quantity=wanted[product.pk],
            )
            for product in products
        )
        subject = f"Order {order.pk} placed"
        body = f"We have reserved your items. Total to pay: {total}."
        Notification.objects.create(
            recipient=customer, kind="order_placed", about_id=order.pk, subject=subject, body=body
        )
        send_mail(subject, body, from_email=None, recipient_list=[customer.email])
    return Status(
        201,
        {
            "id": order.pk,
            "status": order.status,
            "total": order.total,
            "created_at": order.created_at,
            "lines": [
                {
                    "product_id": line.product_id,
                    "name": line.name,
                    "unit_price": line.unit_price,
                    "quantity": line.quantity,
                }
                for line in lines
            ],
        },
    )
