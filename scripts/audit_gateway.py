"""Vulnerability audit of the public unit's lock (requirements/gateway.lock); part of ``make test``.

1. ``pip-audit -r requirements/gateway.lock --require-hashes --strict`` (PyPI's advisory data per
   pinned version). Known advisories -> exit 1.
2. Where PyPI's per-version JSON API is not reachable (pip-audit then cannot collect anything
   and ``--strict`` fails), the project JSON is used instead: for a package pinned at its latest
   release the ``vulnerabilities`` list there is exactly the advisories of the pinned version.
   A package pinned BELOW its latest release cannot be checked that way and fails the audit,
   unless ``requirements/audit-exceptions.txt`` names it with a reason (pinned on purpose).

Exit codes: 0 clean, 1 advisories or unauditable pins, 2 the audit itself could not run.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "gateway.lock"
EXCEPTIONS = ROOT / "requirements" / "audit-exceptions.txt"
PIN_RE = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", re.M)


def pins(lock: Path) -> dict[str, str]:
    return {name.lower(): version for name, version in PIN_RE.findall(lock.read_text(encoding="utf-8"))}


def exceptions(path: Path) -> dict[str, str]:
    """``name==version  # reason`` lines: pins allowed below their latest release."""
    out: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            match = PIN_RE.match(line.strip())
            if match and "#" in line:
                out[f"{match.group(1).lower()}=={match.group(2)}"] = line.split("#", 1)[1].strip()
    return out


def pip_audit(tool: str, lock: Path) -> tuple[int, list[str], bool]:
    """(exit code, advisories, collection worked) of pip-audit on ``lock``."""
    proc = subprocess.run([tool, "-r", str(lock), "--require-hashes", "--disable-pip", "--strict",
                           "--progress-spinner", "off", "-f", "json"], capture_output=True, text=True)
    try:
        data = json.loads(proc.stdout or "{}")
    except ValueError:
        data = {}
    deps = data.get("dependencies") or []
    found = [f"{d['name']} {d['version']}: {v['id']} (behoben in {', '.join(v.get('fix_versions') or ['?'])})"
             for d in deps for v in d.get("vulns") or []]
    collected = bool(deps) and not any("skip_reason" in d for d in deps)
    return proc.returncode, found, collected


def project_json(name: str) -> dict:
    req = urllib.request.Request(f"https://pypi.org/pypi/{name}/json", headers={"Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - fixed https URL
        return json.loads(resp.read())


def fallback(locked: dict[str, str], allowed: dict[str, str]) -> tuple[list[str], list[str]]:
    """(advisories, unauditable pins) from PyPI's project JSON."""
    found, unauditable = [], []
    for name, version in sorted(locked.items()):
        data = project_json(name)
        latest = data["info"]["version"]
        if version == latest:
            found += [f"{name} {version}: {v.get('id')} {' '.join(v.get('aliases') or [])}".strip()
                      for v in data.get("vulnerabilities") or []]
        elif f"{name}=={version}" in allowed:
            print(f"  {name} {version} (neueste {latest}): Ausnahme – {allowed[f'{name}=={version}']}")
        else:
            unauditable.append(f"{name} {version} (neueste Version {latest})")
    return found, unauditable


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lock", type=Path, default=LOCK)
    parser.add_argument("--pip-audit", default=str(ROOT / ".venv-tools" / "bin" / "pip-audit"))
    args = parser.parse_args(argv)
    tool = args.pip_audit if Path(args.pip_audit).exists() else shutil.which("pip-audit")
    if not tool:
        print("audit: pip-audit fehlt (make tools-venv)", file=sys.stderr)
        return 2
    locked = pins(args.lock)
    rc, found, collected = pip_audit(tool, args.lock)
    method = "pip-audit (PyPI, je Version)"
    unauditable: list[str] = []
    if not collected:
        method = "PyPI-Projektdaten (Versions-API nicht erreichbar)"
        try:
            found, unauditable = fallback(locked, exceptions(EXCEPTIONS))
        except (urllib.error.URLError, OSError, ValueError, KeyError) as exc:
            print(f"audit: PyPI nicht erreichbar ({exc})", file=sys.stderr)
            return 2
    print(f"audit {args.lock.name}: {len(locked)} Pakete mit Hashes, geprüft über {method}")
    for line in found:
        print(f"  BEKANNTE SCHWACHSTELLE: {line}")
    for line in unauditable:
        print(f"  NICHT PRÜFBAR (nicht die neueste Version, keine Ausnahme): {line}")
    if found or unauditable:
        return 1
    print("  keine bekannten Schwachstellen")
    return 0


if __name__ == "__main__":
    sys.exit(main())
