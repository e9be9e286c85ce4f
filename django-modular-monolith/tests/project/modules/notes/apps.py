from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "modules.notes"
    label = "notes"
