#!/usr/bin/env python3
"""Lint throughput: eidtrust vs pkilint on the same N certificates, side by side.

    cargo run -q --release -p eidtrust-profile --example oracle_certs -- /tmp/bulk --bulk 1000
    cargo build -q --release -p eidtrust-cli
    /tmp/pkilint-venv/bin/python scripts/pkilint-oracle/throughput.py /tmp/bulk target/release/eidtrust

pkilint runs in process (the validator is built once per type, so its interpreter start-up is not
counted against it); eidtrust runs as one CLI process over the directory (its start-up and file
reading are counted). Both lint every certificate as the same type. eidtrust is measured twice:
with all cores (rayon) and with RAYON_NUM_THREADS=1, so the single-thread ratio is also visible.
The target of issue 3 is a ratio of at least 100.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

from pkilint import etsi, loader, finding_filter
from pkilint.etsi import etsi_constants
from pkilint.pkix import certificate

PKILINT_TYPE = {
    "qualified-esig": "QCP-N-QSCD-EIDAS-FINAL-CERTIFICATE",
    # pkilint has no QCP-l type: qualified seals are linted as NCP legal-person certificates
    "qualified-eseal": "NCP-LEGAL-PERSON-CERTIFICATE",
    "esig": "NCP-NATURAL-PERSON-CERTIFICATE",
    "eseal": "NCP-LEGAL-PERSON-CERTIFICATE",
}


def run_pkilint(files):
    validators = {}
    ld = loader.RFC5280CertificateDocumentLoader()
    start = time.perf_counter()
    for f in files:
        ty = f.stem.split("-", 1)[1]
        ctype = etsi_constants.CertificateType.from_option_str(PKILINT_TYPE[ty])
        if ctype not in validators:
            validators[ctype] = (
                certificate.create_pkix_certificate_validator_container(
                    etsi.create_decoding_validators(ctype), etsi.create_validators(ctype)
                ),
                etsi.create_etsi_finding_filters(ctype),
            )
        v, filters = validators[ctype]
        doc = ld.load_pem_document(f.read_text(), str(f))
        results = v.validate(doc.root)
        finding_filter.filter_results(filters, results)
    return time.perf_counter() - start


def run_eidtrust(binary, d, threads=None):
    env = dict(os.environ)
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)
    start = time.perf_counter()
    p = subprocess.run([binary, "cert", "lint", str(d), "--profile", "eu-eidas", "--format", "json"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    if p.returncode not in (0, 1):
        raise SystemExit(p.stderr.decode())
    return elapsed


def main():
    d = Path(sys.argv[1])
    binary = sys.argv[2]
    files = sorted(d.glob("*.pem"))
    n = len(files)
    ours_mt = min(run_eidtrust(binary, d) for _ in range(3))
    ours_st = min(run_eidtrust(binary, d, threads=1) for _ in range(3))
    theirs = run_pkilint(files)
    print(f"certificates: {n}")
    print(f"pkilint (in process):          {theirs:8.3f} s  {n / theirs:10.0f} certs/s")
    print(f"eidtrust (CLI, all cores):     {ours_mt:8.3f} s  {n / ours_mt:10.0f} certs/s  ratio {theirs / ours_mt:6.1f}x")
    print(f"eidtrust (CLI, 1 thread):      {ours_st:8.3f} s  {n / ours_st:10.0f} certs/s  ratio {theirs / ours_st:6.1f}x")


if __name__ == "__main__":
    main()
