#!/usr/bin/env python3
"""Sums every test report of the build and prints one line: "N passed, N failed".

Reports: Surefire's target/surefire-reports/TEST-*.xml and bnd-testing's target/test-reports/*/TEST-*.xml.
A suite that should have run but reported no tests counts as a failure (a tester that silently finds no
tests must not look green), and so does a build that failed without a failing test (a compile error).
Usage: count_tests.py BUILD_EXIT_STATUS
"""
import glob
import sys
import xml.etree.ElementTree as ET

# Modules whose tests must run, and where their reports are.
EXPECTED = {
    "hb.protocol": "hb.protocol/target/surefire-reports/TEST-*.xml",
    "hb.api": "hb.api/target/surefire-reports/TEST-*.xml",
    "hb.config": "hb.config/target/surefire-reports/TEST-*.xml",
    "hb.server": "hb.server/target/surefire-reports/TEST-*.xml",
    "hb.client": "hb.client/target/surefire-reports/TEST-*.xml",
    "hb.cli": "hb.cli/target/surefire-reports/TEST-*.xml",
    "hb.plugin.cpu": "hb.plugin.cpu/target/surefire-reports/TEST-*.xml",
    "hb.plugin.memory": "hb.plugin.memory/target/surefire-reports/TEST-*.xml",
    "hb.plugin.disk": "hb.plugin.disk/target/surefire-reports/TEST-*.xml",
    "hb.plugin.network": "hb.plugin.network/target/surefire-reports/TEST-*.xml",
    "hb.plugin.nagios": "hb.plugin.nagios/target/surefire-reports/TEST-*.xml",
    "hb.plugin.support": "hb.plugin.support/target/surefire-reports/TEST-*.xml",
    "hb.itest.server (OSGi)": "hb.itest.server/target/test-reports/*/TEST-*.xml",
    "hb.itest.client (OSGi)": "hb.itest.client/target/test-reports/*/TEST-*.xml",
    "hb.e2e (end to end)": "hb.e2e/target/surefire-reports/TEST-*.xml",
}


def totals(pattern):
    tests = failed = skipped = 0
    for path in glob.glob(pattern):
        root = ET.parse(path).getroot()
        suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
        for s in suites:
            tests += int(s.get("tests", 0))
            failed += int(s.get("failures", 0)) + int(s.get("errors", 0))
            skipped += int(s.get("skipped", 0))
    return tests, failed, skipped


def main():
    build_status = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    passed = failed = 0
    counted = set()
    for name, pattern in EXPECTED.items():
        tests, bad, skipped = totals(pattern)
        counted.update(glob.glob(pattern))
        if tests == 0:
            print("[ci] %s: no tests ran; counted as a failure" % name, file=sys.stderr)
            failed += 1
            continue
        print("[ci] %s: %d tests, %d failed, %d skipped" % (name, tests, bad, skipped), file=sys.stderr)
        passed += tests - bad - skipped
        failed += bad
    # reports of modules added later but not yet listed above still count
    for path in set(glob.glob("*/target/surefire-reports/TEST-*.xml") + glob.glob("*/target/test-reports/*/TEST-*.xml")) - counted:
        tests, bad, skipped = totals(path)
        passed += tests - bad - skipped
        failed += bad
    if build_status != 0 and failed == 0:
        print("[ci] the build failed (status %d) without a failing test; see target/ci-build.log" % build_status,
              file=sys.stderr)
        failed = 1
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and build_status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
