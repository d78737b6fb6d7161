#!/usr/bin/env python3
"""Dev-time oracle for the trustlist crate: parse and verify trusted lists with lxml + signxml.

Independent of the Rust code: it prints, per list, the territory, sequence number, counts of
providers / services / history instances / pointers, whether signxml verifies the enveloped
signature (against the KeyInfo certificate), and the time taken. Used for the count expectations in
crates/trustlist/tests/real_lists.rs and the speed comparison in docs/trustlists.md.

    pip install -r scripts/tl-oracle/requirements.txt
    python3 scripts/tl-oracle/oracle.py ../shared/vectors/trusted-lists/*.xml [--rounds N]
"""
import argparse
import datetime
import sys
import time

from lxml import etree
from signxml import XMLVerifier, SignatureConfiguration

TSL = "{http://uri.etsi.org/02231/v2#}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"


def parse(data: bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root = etree.fromstring(data, parser)
    si = root.find(TSL + "SchemeInformation")
    return {
        "territory": si.findtext(TSL + "SchemeTerritory"),
        "sequence_number": int(si.findtext(TSL + "TSLSequenceNumber")),
        "providers": len(root.findall(f"{TSL}TrustServiceProviderList/{TSL}TrustServiceProvider")),
        "services": len(root.findall(f".//{TSL}TSPService")),
        "history": len(root.findall(f".//{TSL}ServiceHistoryInstance")),
        "pointers": len(root.findall(f"{TSL}SchemeInformation/{TSL}PointersToOtherTSL/{TSL}OtherTSLPointer")),
    }, root


def verify(data: bytes) -> bool:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    cert = root.find(f"{DS}Signature/{DS}KeyInfo/{DS}X509Data/{DS}X509Certificate").text
    # The signer is judged at the list's issue time (its later expiry is not a failed signature).
    issued = root.findtext(f"{TSL}SchemeInformation/{TSL}ListIssueDateTime").strip()
    at = datetime.datetime.fromisoformat(issued.replace("Z", "+00:00"))
    # XAdES lists carry two references: the whole document and the signed properties.
    config = SignatureConfiguration(expect_references=2, require_x509=True, verification_time=at)
    try:
        XMLVerifier().verify(data, x509_cert=cert.strip(), expect_config=config)
        return True
    except Exception as e:  # noqa: BLE001 - any failure is "not verified"
        print(f"  signxml: {type(e).__name__}: {e}", file=sys.stderr)
        return False


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    total = 0.0
    total_median = 0.0
    total_cpu = 0.0
    for path in args.files:
        data = open(path, "rb").read()
        walls, cpus = [], []
        for _ in range(args.rounds):
            t0, c0 = time.perf_counter(), time.process_time()
            info, _ = parse(data)
            ok = verify(data)
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        best = min(walls)
        total += best
        total_median += sorted(walls)[len(walls) // 2]
        total_cpu += sorted(cpus)[len(cpus) // 2]
        print(f"{path}: {info} verified={ok} parse+verify={best * 1000:.1f} ms")
    print(f"all: {total * 1000:.1f} ms (best of {args.rounds} per list)")
    # The same work as a median (comparable with criterion's median) and as CPU time (process
    # time, comparable with `perf stat` task-clock of the Rust driver; less sensitive to load).
    print(f"all: {total_median * 1000:.1f} ms median wall, {total_cpu * 1000:.1f} ms median CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
