#!/usr/bin/env python3
"""Runs every NIST PKITS case of pkits.json (pyhanko-certvalidator's case table) through
`eidtrust chain verify --format json` and compares the verdict (exit 0 valid, 1 not valid) with
the expected one. Usage: run_pkits.py FIXTURES_DIR EIDTRUST_BINARY EXCEPTIONS_JSON.

Each case: the leaf, its `other_certs` as --intermediates, the PKITS trust anchor, the trust
anchor's CRL and the case's CRLs, revocation `require` (or `off` where the table says the case
does not check revocation), the initial policy settings as --policy, --require-explicit-policy,
--inhibit-policy-mapping and --inhibit-any-policy, at 2022-05-01 (the time the table's own test
uses; every PKITS certificate is valid then)."""
import json
import subprocess
import sys


def main():
    fixtures, eidtrust, exceptions_file = sys.argv[1:4]
    cases = json.load(open(f'{fixtures}/pkits.json'))
    exceptions = json.load(open(exceptions_file))
    expected, deviations, unexpected = 0, [], []
    for c in cases:
        cmd = [eidtrust, 'chain', 'verify', '--format', 'json', '--at', '2022-05-01T00:00:00Z',
               '--leaf', f"{fixtures}/certs/{c['cert']}",
               '--anchors', f'{fixtures}/certs/TrustAnchorRootCertificate.crt',
               '--revocation', 'require' if c.get('revocation', True) else 'off']
        for other in c.get('other_certs', []):
            cmd += ['--intermediates', f'{fixtures}/certs/{other}']
        for crl in ['TrustAnchorRootCRL.crl'] + c.get('crls', []):
            cmd += ['--crl', f'{fixtures}/crls/{crl}']
        params = c.get('params', {})
        for policy in params.get('user_initial_policy_set', []):
            cmd += ['--policy', policy]
        for key, flag in [('initial_explicit_policy', '--require-explicit-policy'),
                          ('initial_policy_mapping_inhibit', '--inhibit-policy-mapping'),
                          ('initial_any_policy_inhibit', '--inhibit-any-policy')]:
            if params.get(key):
                cmd.append(flag)
        r = subprocess.run(cmd, capture_output=True, text=True)
        case = f"{c['id']} {c['name']}"
        if r.returncode not in (0, 1):
            unexpected.append(f'{case}: exit {r.returncode}: {r.stderr.strip()[:300]}')
            continue
        want_valid, got_valid = 'error' not in c, r.returncode == 0
        why = ''
        try:
            report = json.loads(r.stdout)
            why = '; '.join(f"{f['id']}: {f['message']}" for f in report['findings']
                            if f['severity'] in ('error', 'fatal'))
        except (ValueError, KeyError) as e:
            unexpected.append(f'{case}: the JSON report does not read ({e})')
            continue
        if report.get('valid') != got_valid:
            unexpected.append(f"{case}: exit {r.returncode} but \"valid\": {report.get('valid')}")
            continue
        reason = exceptions.get(c['id'])
        if got_valid == want_valid:
            if reason is not None:
                unexpected.append(f'{case}: listed as an exception ({reason}) but now as expected')
            else:
                expected += 1
        elif reason is not None:
            deviations.append(f'{case}: {reason}')
        else:
            kind = 'FALSE ACCEPT' if got_valid else 'false reject'
            unexpected.append(f'{case}: {kind} ({why[:300]})')
    for id_ in exceptions:
        if id_ not in {c['id'] for c in cases}:
            unexpected.append(f'exception {id_} names no case')
    print(f'PKITS: {len(cases)} cases: {expected} as expected, {len(deviations)} reasoned exceptions, '
          f'{len(unexpected)} unexpected')
    for d in deviations:
        print(f'  exception: {d}')
    for u in unexpected:
        print(f'  UNEXPECTED: {u}')
    sys.exit(1 if unexpected else 0)


if __name__ == '__main__':
    main()
