"""Retrain and publish from the console (Landesredaktion only): runs ``bot publish`` in the background.

The job is exactly the command line's path (train → evaluate against the floors → hot-reload in
Rasa → move into models/), started as a subprocess with the gateway's Rasa URL and token; its
output lines are the progress shown on the page. One job at a time, also across several gateway
processes (:mod:`bot.console.jobs`). A refused model never reaches Rasa: the old one keeps serving.
"""

from __future__ import annotations

import asyncio
import os
import re
import time

from aiohttp import web

from bot.console import audit
from bot.console.jobs import INTERRUPTED, Job, PublishJobs
from bot.console.render import csrf_field, e, notice, page, redirect
from bot.console.shared import SharedStateUnavailable
from bot.console.state import CONFIG_KEY
from bot.gateway.chat import SETTINGS_KEY
from bot.rasa_jwt import SECRET_ENV

PUBLISH_KEY: web.AppKey[PublishJobs] = web.AppKey("console_publish")
TASKS_KEY: web.AppKey[set] = web.AppKey("console_publish_tasks")
UNAVAILABLE = ("Der gemeinsame Speicher der Konsole ist gerade nicht erreichbar. Es wurde nichts gestartet. "
               "Bitte versuchen Sie es in einigen Minuten erneut oder wenden Sie sich an den Betrieb.")
OUTCOMES = {
    0: ("ok", "Das neue Modell ist veröffentlicht und beantwortet ab sofort die Fragen."),
    2: ("error", "Das neue Modell wurde abgelehnt: Es erreicht die Mindestgüte auf dem Testdatensatz nicht "
                 "(Werte oben). Es wurde nicht geladen – das bisherige Modell bleibt in Betrieb. Bitte prüfen Sie "
                 "die letzten Änderungen an den Trainingsdaten (bot eval zeigt Einzelheiten)."),
    4: ("error", "Die Veröffentlichung ist falsch eingerichtet (Grund im Fortschritt oben). Es wurde nichts "
                 "geladen – das bisherige Modell bleibt in Betrieb. Bitte wenden Sie sich an den Betrieb."),
    3: ("error", "Das neue Modell ließ sich nicht öffnen oder bewerten. Es wurde nicht geladen – das bisherige "
                 "Modell bleibt in Betrieb."),
    1: ("error", "Rasa hat das Modell nicht übernommen oder ist nicht erreichbar. Das bisherige Modell bleibt in "
                 "Betrieb. Bitte wenden Sie sich an den Betrieb."),
    INTERRUPTED: ("error", "Der Lauf wurde unterbrochen, weil die Konsole neu gestartet wurde. Steht oben keine "
                           "Zeile „Veröffentlicht“, bleibt das bisherige Modell in Betrieb. Sie können neu starten."),
}
_NOISE = re.compile(r"(?i)warning|deprecat|^\s*$|tensorflow|cuda|^\s*[|\-=]")


def _command(request: web.Request, skip_train: bool) -> list[str]:
    config = request.app[CONFIG_KEY]
    cmd = list(config.publish_cmd) if config.publish_cmd else [config.publish_python, "-m", "bot.cli", "publish"]
    settings = request.app[SETTINGS_KEY]
    for rasa_url, _health in settings.replicas:  # every replica gets the new model
        cmd += ["--rasa-url", rasa_url]
    return cmd + (["--skip-train"] if skip_train else [])


async def _run(jobs: PublishJobs, job: Job, cmd: list[str], env: dict[str, str], audit_path) -> None:
    try:
        proc = await asyncio.create_subprocess_exec(*cmd, stdout=asyncio.subprocess.PIPE,
                                                    stderr=asyncio.subprocess.STDOUT, env=env)
        assert proc.stdout is not None
        async for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip()
            if not _NOISE.search(line):
                await jobs.progress(job, line[:300])
        code = await proc.wait()
    except OSError as exc:
        await jobs.progress(job, f"Fehler: Veröffentlichung konnte nicht gestartet werden ({type(exc).__name__}).")
        code = 1
    await jobs.finish(job, code)
    audit.write(audit_path, job.user, "publish_finished", None, exit_code=code)


def _forbid_unless_publisher(request: web.Request) -> None:
    if not request["staff"].may_publish:
        raise web.HTTPForbidden()


async def get_publish(request: web.Request) -> web.StreamResponse:
    _forbid_unless_publisher(request)
    csrf = request["session"].csrf
    try:
        job = await request.app[PUBLISH_KEY].current()
    except SharedStateUnavailable:
        return page("Trainieren und veröffentlichen", notice(UNAVAILABLE, "error"), user=request["staff"],
                    csrf=csrf, current="/staff/publish", status=503)
    body = ("<p>Trainiert ein neues Modell aus den aktuellen Daten, prüft es gegen die Mindestwerte und lädt es "
            "ohne Unterbrechung in den laufenden Assistenten – derselbe Weg wie <code>bot publish</code>. "
            "Ein abgelehntes Modell wird nie geladen. Das Training dauert einige Minuten.</p>")
    running = job is not None and job.running
    if not running:
        body += (f'<form method="post" action="/staff/publish" class="card">{csrf_field(csrf)}'
                 '<p><input type="checkbox" id="skip" name="skip_train" value="1" class="check">'
                 '<label for="skip" class="inline">Nicht neu trainieren, das zuletzt trainierte Modell nehmen</label></p>'
                 '<p><button type="submit">Trainieren und veröffentlichen</button></p></form>')
    if job is not None:
        state = "läuft seit" if running else "gestartet"
        body += (f'<section aria-labelledby="h-job"><h2 id="h-job">Letzter Lauf</h2>'
                 f"<p>{state} {e(time.strftime('%H:%M:%S', time.localtime(job.started)))} von {e(job.user)}</p>"
                 f'<pre class="log" tabindex="0" aria-label="Fortschritt">{e(chr(10).join(job.lines) or "…")}</pre>')
        if running:
            body += ('<p role="status">Läuft … <a href="/staff/publish">Fortschritt aktualisieren</a></p>')
        else:
            kind, text = OUTCOMES.get(job.code or 0, OUTCOMES[1])
            body += notice(text, "error" if kind == "error" else "info")
        body += "</section>"
    return page("Trainieren und veröffentlichen", body, user=request["staff"], csrf=csrf, current="/staff/publish")


async def post_publish(request: web.Request) -> web.StreamResponse:
    _forbid_unless_publisher(request)
    form = await request.post()
    jobs = request.app[PUBLISH_KEY]
    try:
        job = await jobs.start(request["staff"].name)
    except SharedStateUnavailable:
        return page("Trainieren und veröffentlichen", notice(UNAVAILABLE, "error"), user=request["staff"],
                    csrf=request["session"].csrf, current="/staff/publish", status=503)
    if job is not None:  # else one is running already (maybe in another gateway process): show it
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # progress lines as they come, not at the end
        settings = request.app[SETTINGS_KEY]
        if settings.rasa_jwt_secret:  # Rasa's API key travels in the environment, never on the command line
            env[SECRET_ENV] = settings.rasa_jwt_secret
        config = request.app[CONFIG_KEY]
        skip = bool(form.get("skip_train"))
        audit.write(config.audit_path, job.user, "publish_started", None, skip_train=skip)
        task = asyncio.ensure_future(_run(jobs, job, _command(request, skip), env, config.audit_path))
        tasks = request.app[TASKS_KEY]
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    return redirect("/staff/publish")
