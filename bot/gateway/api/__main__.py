"""``python -m bot.gateway.api new-key PORTAL_ID``: a fresh API key and its entry for config/api_keys.yml."""

import sys

from bot.gateway.api.keys import main

if __name__ == "__main__":
    sys.exit(main())
