from django.http import HttpRequest

from openmash.accounts.models import User
from openmash.core.errors import NotFound


def api_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise NotFound()
    return user
