"""HTTP endpoints of the users module, mounted at /api/users/ by ``shop/api.py``."""

from django.http import HttpRequest
from modular_monolith.http import ErrorOut, caller_id
from ninja import Router, Schema, Status

from . import api

router = Router(tags=["users"])


class CredentialsIn(Schema):
    email: str
    password: str


class UserOut(Schema):
    id: int
    email: str


class TokenOut(Schema):
    token: str


@router.post("/register", auth=None, response={201: UserOut, 400: ErrorOut, 409: ErrorOut})
def register(request: HttpRequest, payload: CredentialsIn) -> Status[api.UserDTO]:
    return Status(201, api.register_user(email=payload.email, password=payload.password))


@router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut})
def token(request: HttpRequest, payload: CredentialsIn) -> dict[str, str]:
    return {"token": api.issue_token(email=payload.email, password=payload.password)}


@router.get("/me", response={200: UserOut, 401: ErrorOut})
def me(request: HttpRequest) -> api.UserDTO:
    return api.get_user(caller_id(request))
