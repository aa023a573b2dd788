"""JUnit XML: one testcase per check, one ``failure`` element per unsuppressed finding.

A failure per finding lets CI systems count and show each one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from harness.events import CheckFinished, Status
from harness.registry import Finding, Severity
from harness.reporting.base import RunReport

SUITE_NAME = "dbharness"


def _finding_text(report: RunReport, f: Finding) -> str:
    lines = [f"object: {f.object}", f"message: {f.message}"]
    if f.repro_sql:
        lines += ["reproduce with:", f.repro_sql]
    lines.append(f"rerun: {report.rerun_command(f)}")
    return "\n".join(lines)


def _testcase(report: RunReport, r: CheckFinished) -> ET.Element:
    tc = ET.Element(
        "testcase",
        classname=f"{SUITE_NAME}.{r.check.suite}",
        name=f"{r.check.id} {r.check.title}",
        time=f"{r.duration:.3f}",
    )
    fail_on = Severity(str(report.started.config.get("fail_on", Severity.LOW.value)))
    below = []
    for f in r.open_findings:
        sev = r.check.severity_of(f)
        if sev.rank < fail_on.rank:  # reported, but it does not fail the check
            below.append(f"{sev.value} (below fail_on {fail_on.value}): {f.object}: {f.message}")
            continue
        el = ET.SubElement(tc, "failure", message=f"{f.object}: {f.message}", type=sev.value)
        el.text = _finding_text(report, f)
    if r.status is Status.ERROR:
        el = ET.SubElement(tc, "error", message=r.error or "error", type="error")
        el.text = r.traceback or r.error or ""
    elif r.status is Status.SKIPPED:
        ET.SubElement(tc, "skipped", message=r.error or "skipped")
    notes = below + [
        f"suppressed ({f.suppressed_reason}): {f.object}: {f.message}"
        for f in r.suppressed_findings
    ]
    # What the check exercised (cases run, pgTAP tests passed per file, ...), as JSON shows it.
    notes += [f"exercised: {k}: {v}" for k, v in r.stats.items()]
    if notes:
        ET.SubElement(tc, "system-out").text = "\n".join(notes)
    return tc


def render(report: RunReport) -> str:
    """Render the report as a JUnit XML document."""
    res = report.result
    counts = {
        "tests": str(len(res.results)),
        "failures": str(res.count(Status.FAILED)),
        "errors": str(res.count(Status.ERROR)),
        "skipped": str(res.count(Status.SKIPPED)),
        "time": f"{res.duration:.3f}",
    }
    root = ET.Element("testsuites", {"name": SUITE_NAME, **counts})
    stamp = report.started.started_at.isoformat(timespec="seconds")
    suite = ET.SubElement(root, "testsuite", {"name": SUITE_NAME, "timestamp": stamp, **counts})
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="run_id", value=report.run_id)
    ET.SubElement(props, "property", name="seed", value=str(res.seed))
    if report.started.server is not None:
        ET.SubElement(props, "property", name="server_version", value=report.started.server.version)
    for r in res.results:
        suite.append(_testcase(report, r))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
