#!/usr/bin/env python3
"""Cross-check the lint cases of test-vectors/ against pkilint's ETSI linter (a dev-time oracle).

usage: pkilint_oracle.py [TEST_VECTORS_DIR] [--lint-etsi-cert PATH]

For every `lint` case whose type pkilint knows, runs `lint_etsi_cert lint -t TYPE -s ERROR` and
compares "pkilint reported an error or fatal finding" with the manifest's expected outcome.
Prints one line per disagreement and a summary; exits 1 if any case disagrees unexpectedly.
pkilint knows no qualified e-seal type (QCP-l-qscd), so those cases are counted as skipped, and it
knows nothing of national rules (JMBG, identifier country) — those disagreements are listed as
KNOWN_GAPS with the reason. Install: `pip install pkilint` (in a venv).
"""
import json
import pathlib
import subprocess
import sys

EU = {"hr", "si", "bg", "ro", "el", "eu"}

# Disagreements expected because pkilint does not implement the rule (reason given).
KNOWN_GAPS = {
    "jmbg-check-digit": "national JMBG/EMBG rule (issue 3 §3), not in pkilint",
    "jmbg-date-invalid": "national JMBG/EMBG rule (issue 3 §3), not in pkilint",
    "semantics-id-country-mismatch": "profile-country rule of issue 3 §3, not in pkilint",
}

# Disagreements expected on NON-EIDAS qualified certificates only: pkilint's non-eIDAS QC types
# do not require the EU qualified-certificate statements, while eidtrust applies ETSI EN 319 412-5
# §4.2.1/§4.2.2 to a third country's qualified certificates as its law adopts them (QcCompliance
# then means "qualified under the legislation named in QcCClegislation", which issue 3 requires).
NON_EU_GAPS = {
    "qcs-compliance-missing": "EN 319 412-5 QcCompliance required for a non-EU qualified certificate; pkilint's NON-EIDAS type does not require it",
    "qcs-qctype-missing": "EN 319 412-5 §4.2.3 QcType required for a non-EU qualified certificate; pkilint's NON-EIDAS type does not require it",
    "qcs-sscd-missing": "QcSSCD under QCP-n-qscd required for a non-EU qualified certificate; pkilint's NON-EIDAS type does not require it",
    "qcs-cclegislation-missing": "QcCClegislation required for a non-EU scheme (EN 319 412-5 §4.2.4, issue 3); pkilint requires it only for non-EU QWACs",
}


def pkilint_type(t, state):
    eidas = "EIDAS" if state in EU else "NON-EIDAS"
    return {
        "qualified-esig": f"QCP-N-QSCD-{eidas}-FINAL-CERTIFICATE",
        "qwac": f"QEVCP-W-{eidas}-FINAL-CERTIFICATE",
        "esig": "NCP-NATURAL-PERSON-CERTIFICATE",
        "auth": "NCP-NATURAL-PERSON-CERTIFICATE",
        "eseal": "NCP-LEGAL-PERSON-CERTIFICATE",
    }.get(t)


def main():
    args = sys.argv[1:]
    tool = "lint_etsi_cert"
    if "--lint-etsi-cert" in args:
        i = args.index("--lint-etsi-cert")
        tool = args[i + 1]
        del args[i : i + 2]
    root = pathlib.Path(args[0] if args else "test-vectors")
    agree = disagree = skipped = known = 0
    for manifest in sorted(root.glob("*/manifest.json")):
        m = json.loads(manifest.read_text())
        state = m["state"]
        for case in m["cases"]:
            if case["kind"] != "lint":
                continue
            ptype = pkilint_type(case["type"], state)
            if ptype is None:
                skipped += 1
                continue
            leaf = manifest.parent / case["files"]["leaf"]
            r = subprocess.run([tool, "lint", "-t", ptype, "-s", "ERROR", str(leaf)], capture_output=True, text=True)
            pk_invalid = bool(r.stdout.strip())
            expected_invalid = case["expected"]["outcome"] == "invalid"
            if pk_invalid == expected_invalid:
                agree += 1
            elif case["defect"] in KNOWN_GAPS:
                known += 1
                print(f"known gap  {case['id']}: {KNOWN_GAPS[case['defect']]}")
            elif state not in EU and case["defect"] in NON_EU_GAPS:
                known += 1
                print(f"known gap  {case['id']}: {NON_EU_GAPS[case['defect']]}")
            else:
                disagree += 1
                print(f"DISAGREE   {case['id']}: expected {case['expected']['outcome']}, pkilint "
                      f"{'reports errors' if pk_invalid else 'is silent'}\n{r.stdout}")
    print(f"agree {agree}, known gaps {known}, disagree {disagree}, skipped (type unknown to pkilint) {skipped}")
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
