from .errors import UserNotFound
from .models import User


def user_get(*, user_id: int) -> User:
    try:
        return User.objects.get(pk=user_id)
    except User.DoesNotExist:
        raise UserNotFound(f"User {user_id} does not exist.") from None
