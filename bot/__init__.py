"""Citizen-service assistant for the municipalities of Baden-Württemberg.

The domain core (municipality register, service catalogue, service search and
Zuständigkeit rules) is plain Python and does not import Rasa.
"""

__version__ = "0.1.0"
