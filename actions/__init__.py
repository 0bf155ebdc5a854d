"""Custom actions for the Rasa assistant. They call the domain core (``bot``) in-process."""
