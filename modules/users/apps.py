from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "modules.users"
    label = "users"
