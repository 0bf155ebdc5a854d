"""Staff workflow commands (``bot validate``, ``bot eval``, ``bot review``, ``bot publish``).

Each command lives in its own module with ``add_parser(subparsers)``; ``bot.cli`` discovers them.
The guide for municipal staff is ``docs/staff/README.md``.
"""
