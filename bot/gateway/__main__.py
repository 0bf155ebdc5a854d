"""``python -m bot.gateway --host 127.0.0.1 --port 8080 --rasa-url http://127.0.0.1:5005 --tenants config/tenants.yml``

Several ``--rasa-url``/``--actions-health-url`` pairs = Rasa replicas (production profile); the
relay routes each conversation to one of them. ``RASA_JWT_SECRET`` (environment, never argv)
signs the tokens for Rasa's HTTP API.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Sequence
from pathlib import Path

from aiohttp import web

from bot.gateway.app import create_app
from bot.gateway.logs import PrivacyAccessLogger, configure_logging
from bot.gateway.settings import Settings


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    defaults = Settings()
    parser = argparse.ArgumentParser(prog="python -m bot.gateway",
                                     description="Public gateway of the BW citizen-service chatbot")
    parser.add_argument("--host", default=defaults.host, help="interface to listen on")
    parser.add_argument("--port", type=int, default=defaults.port)
    parser.add_argument("--rasa-url", action="append", default=None,
                        help="Rasa server on loopback (REST channel); repeat for several replicas")
    parser.add_argument("--tenants", type=Path, default=defaults.tenants_path,
                        help="tenant list (YAML)")
    parser.add_argument("--web-dir", type=Path, default=defaults.web_dir)
    parser.add_argument("--rasa-timeout", type=float, default=defaults.rasa_timeout)
    parser.add_argument("--require-register", action="store_true",
                        help="fail if bot.core's Gemeinde register cannot be loaded")
    parser.add_argument("--api-keys", type=Path, default=defaults.api_keys_path,
                        help="API keys per portal (YAML with SHA-256 hashes, see config/api_keys.example.yml)")
    parser.add_argument("--demo-api-key", action="store_true",
                        help="if the API key file is missing: generate a local demo key and print it once")
    parser.add_argument("--actions-health-url", action="append", default=None,
                        help="action server health URL (for /api/v1/health); one per --rasa-url")
    parser.add_argument("--redis-url", default=os.environ.get("RATE_LIMIT_REDIS_URL") or None,
                        help="Redis shared by several gateway processes (rate limits, offered buttons)")
    parser.add_argument("--reuse-port", action="store_true",
                        help="SO_REUSEPORT: several gateway processes share one port")
    parser.add_argument("--log-level", default="INFO")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    configure_logging(getattr(logging, str(args.log_level).upper(), logging.INFO))
    defaults = Settings()
    rasa_urls = tuple(args.rasa_url or [defaults.rasa_url])
    health_urls = tuple(args.actions_health_url or [defaults.actions_health_url])
    if len(health_urls) != len(rasa_urls):
        raise SystemExit("--actions-health-url: one per --rasa-url")
    settings = Settings(rasa_url=rasa_urls[0], rasa_urls=rasa_urls, actions_health_url=health_urls[0],
                        actions_health_urls=health_urls, tenants_path=args.tenants, web_dir=args.web_dir,
                        host=args.host, port=args.port, rasa_timeout=args.rasa_timeout,
                        require_register=args.require_register, api_keys_path=args.api_keys,
                        demo_api_key=args.demo_api_key, redis_url=args.redis_url,
                        rasa_jwt_secret=os.environ.pop("RASA_JWT_SECRET", "") or None,
                        client_salt=os.environ.pop("GATEWAY_CLIENT_SALT", "") or None)
    shown_host = "localhost" if args.host in ("0.0.0.0", "::") else args.host
    print(f"Gateway: demo page at http://{shown_host}:{args.port}/demo/", flush=True)
    web.run_app(create_app(settings), host=args.host, port=args.port,
                access_log_class=PrivacyAccessLogger, print=None, reuse_port=args.reuse_port or None)


if __name__ == "__main__":
    main()
