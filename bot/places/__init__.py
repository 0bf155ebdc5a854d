"""Municipality register of Baden-Württemberg and free-text place resolution."""

from bot.places.register import Gemeinde, Register
from bot.places.resolver import PlaceResolver, PlaceResult

__all__ = ["Gemeinde", "PlaceResolver", "PlaceResult", "Register"]
