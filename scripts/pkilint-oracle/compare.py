#!/usr/bin/env python3
"""Compare `eidtrust cert lint` with pkilint's ETSI linter on the oracle certificates.

Usage (from the workspace root):

    python3 -m venv /tmp/pkilint-venv && /tmp/pkilint-venv/bin/pip install pkilint
    cargo run -q -p eidtrust-profile --example oracle_certs -- /tmp/oracle
    cargo build -q -p eidtrust-cli
    /tmp/pkilint-venv/bin/python scripts/pkilint-oracle/compare.py /tmp/oracle target/debug/eidtrust

For each certificate of manifest.json it runs pkilint (in process, with the pkilint type given
explicitly) and eidtrust (with --type and --profile given explicitly), and reports:

* the verdict of each tool on the whole certificate (pass = no ERROR/FATAL finding);
* for a broken certificate, whether each tool reports something *new* compared with the correct
  certificate of the same group (the one-break delta), which is the fair comparison: pkilint also
  applies rules eidtrust does not claim (CA/B Forum, full RFC 5280 profile), and the other way
  round (national rules).

It prints a Markdown table; RESULTS.md in this directory records a run with the disagreements
explained.
"""
import json
import subprocess
import sys
from pathlib import Path

from pkilint import etsi, loader, finding_filter
from pkilint.etsi import etsi_constants
from pkilint.pkix import certificate
from pkilint.validation import ValidationFindingSeverity as Sev

FAIL = {Sev.ERROR, Sev.FATAL}


def pkilint_findings(path: Path, type_name: str):
    ctype = etsi_constants.CertificateType.from_option_str(type_name)
    doc = loader.RFC5280CertificateDocumentLoader().load_pem_document(path.read_text(), str(path))
    validator = certificate.create_pkix_certificate_validator_container(
        etsi.create_decoding_validators(ctype), etsi.create_validators(ctype)
    )
    results = validator.validate(doc.root)
    results, _ = finding_filter.filter_results(etsi.create_etsi_finding_filters(ctype), results)
    out = set()
    for r in results:
        for fd in r.finding_descriptions:
            if fd.finding.severity in FAIL:
                out.add(fd.finding.code)
    return out


def eidtrust_findings(binary: str, path: Path, profile: str, ctype: str):
    p = subprocess.run(
        [binary, "cert", "lint", str(path), "--profile", profile, "--type", ctype, "--format", "json"],
        capture_output=True, text=True,
    )
    if p.returncode not in (0, 1):
        raise SystemExit(f"eidtrust failed on {path}: {p.stderr}")
    rep = json.loads(p.stdout.splitlines()[0])
    ids = {f["id"] for f in rep["findings"] if f["severity"] in ("error", "fatal")}
    return ids, rep["conformant"]


def main():
    d = Path(sys.argv[1])
    binary = sys.argv[2]
    manifest = json.loads((d / "manifest.json").read_text())
    baseline = {}
    rows = []
    agree = disagree = 0
    for case in manifest:
        f = d / case["file"]
        pk = pkilint_findings(f, case["pkilint_type"])
        ours, conformant = eidtrust_findings(binary, f, case["profile"], case["type"])
        group = (case["profile"], case["type"])
        if case["broken"] == "none":
            baseline[group] = (pk, ours)
            rows.append((case["file"], "correct", "pass" if not pk else "FAIL", "pass" if conformant else "FAIL",
                         ", ".join(sorted(pk)) or "-", ", ".join(sorted(ours)) or "-", ""))
            continue
        bpk, bours = baseline.get(group, (set(), set()))
        dpk, dours = pk - bpk, ours - bours
        expected_hit = case["expect"] in ours
        same = bool(dpk) == bool(dours)
        agree += same
        disagree += not same
        rows.append((case["file"], case["broken"], "flags" if dpk else "silent", "flags" if dours else "silent",
                     ", ".join(sorted(dpk)) or "-", ", ".join(sorted(dours)) or "-",
                     ("agree" if same else "DISAGREE") + ("" if expected_hit else " (expected id missing!)")))
    print("| certificate | break | pkilint | eidtrust | pkilint new errors | eidtrust new errors | |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print(f"\nbroken certificates: {agree} agree, {disagree} disagree")


if __name__ == "__main__":
    main()
