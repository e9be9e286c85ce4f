from django.db import models


class Count(models.Model):
    """How many of a thing were seen."""

    name = models.CharField(max_length=100, unique=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"
