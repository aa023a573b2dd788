"""SARIF 2.1.0 for GitHub code scanning: one rule per check, one result per finding.

A finding locates a database object (a logical location); when its details carry ``file`` (and
``line``), e.g. a migration lint, the result also gets a physical location so the alert shows
on the line in review.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from harness import __version__
from harness.events import Status
from harness.registry import Check, Finding
from harness.reporting.base import RunReport

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "dbharnessCheckObject/v1"
# GitHub ranks security alerts by this CVSS-like number (properties."security-severity").
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}
# Families whose findings are security alerts (access control, RLS behaviour, privileges, the API
# surface), and single checks of other families that report a security weakening: the
# pooled-session leak (a role or JWT claims surviving into another request) and the gate's rules
# for RLS, policies, grants and SECURITY DEFINER.
SECURITY_FAMILIES = frozenset({"security", "rls", "privileges", "api"})
SECURITY_CHECKS = frozenset(
    {"LOD101", "MIG201", "MIG202", "MIG203", "MIG410", "MIG411", "MIG412", "MIG417", "MIG419"}
)


def is_security(c: Check) -> bool:
    """Tell whether code scanning should rank ``c``'s findings as security alerts."""
    return c.family in SECURITY_FAMILIES or c.id in SECURITY_CHECKS


def _rule_name(title: str) -> str:
    """SARIF wants an identifier-like name: "RLS enabled" -> "RlsEnabled"."""
    return "".join(w[:1].upper() + w[1:].lower() for w in re.split(r"[^A-Za-z0-9]+", title) if w)


def _rule(c: Check) -> dict[str, Any]:
    props: dict[str, Any] = {
        "family": c.family,
        "severity": c.severity.value,
        "suite": c.suite,
        "tags": sorted({c.family, c.suite}),
    }
    if is_security(c):
        props["security-severity"] = SECURITY_SEVERITY[c.severity.value]
        props["tags"] = sorted({*props["tags"], "security"})
    return {
        "id": c.id,
        "name": _rule_name(c.title),
        "shortDescription": {"text": c.title},
        "fullDescription": {"text": c.rationale},
        "help": {"text": c.remedy, "markdown": c.remedy},
        "defaultConfiguration": {"level": c.severity.sarif_level},
        "properties": props,
    }


def fingerprint(f: Finding) -> str:
    """Stable across runs for the same check and object, so code scanning tracks one alert."""
    return hashlib.sha256(f"{f.check_id}\0{f.object}".encode()).hexdigest()[:32]


def _uri(file: object) -> str:
    p = Path(str(file))
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_uri()
    return p.as_posix()


def _location(f: Finding, schema_dir: str) -> dict[str, Any]:
    """Logical location (the database object) and physical one (file and line).

    GitHub rejects a result without ``physicalLocation.artifactLocation.uri``; the runner gives
    findings the file that created their object, and the schema folder stands in otherwise.
    """
    loc: dict[str, Any] = {
        "logicalLocations": [
            {
                "name": f.object.rsplit(".", 1)[-1],
                "fullyQualifiedName": f.object,
                "kind": str(f.details.get("kind", "object")),
            }
        ]
    }
    phys: dict[str, Any] = {"artifactLocation": {"uri": _uri(f.details.get("file") or schema_dir)}}
    line = f.details.get("line")
    if isinstance(line, int) and line > 0:
        phys["region"] = {"startLine": line}
    loc["physicalLocation"] = phys
    return loc


def _result(report: RunReport, f: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    sev = report.severity_of(f)
    text = f"{f.object}: {f.message}"
    if f.repro_sql:
        text += f"\nReproduce with:\n{f.repro_sql}"
    schema_dir = str(report.started.config.get("schema", "."))
    res: dict[str, Any] = {
        "ruleId": f.check_id,
        "level": sev.sarif_level if sev else "warning",
        "message": {"text": text},
        "locations": [_location(f, schema_dir)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(f)},
        "properties": {
            "severity": sev.value if sev else None,
            "object": f.object,
            "seed": report.seed_of(f),
            "rerun": report.rerun_command(f),
            **({"repro_sql": f.repro_sql} if f.repro_sql else {}),
        },
    }
    if f.check_id in rule_index:
        res["ruleIndex"] = rule_index[f.check_id]
    if f.suppressed:
        res["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": f.suppressed_reason}
        ]
    return res


def to_dict(report: RunReport) -> dict[str, Any]:
    """Return the SARIF log as JSON-ready data."""
    rules = [_rule(c) for c in report.checks]
    rule_index = {r["id"]: i for i, r in enumerate(rules)}
    res = report.result
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{r.check.id} raised: {r.error}"},
            "descriptor": {"id": r.check.id},
        }
        for r in res.results
        if r.status is Status.ERROR
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dbharness",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": f"dbharness/{res.run_id}"},
                "invocations": [
                    {
                        "executionSuccessful": not notifications,
                        "toolExecutionNotifications": notifications,
                        "properties": {"seed": res.seed},
                    }
                ],
                "results": [_result(report, f, rule_index) for f in res.findings],
            }
        ],
    }


def render(report: RunReport) -> str:
    """Render the SARIF log as indented JSON."""
    return json.dumps(to_dict(report), indent=2, default=str) + "\n"
