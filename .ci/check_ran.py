"""CI: fail unless a pytest JUnit report ran tests, and every required test passed (not skipped).

    check_ran.py REPORT.xml [NODE_ID ...]

Guards against a run that "passes" having run nothing (pytest's exit code 5 swallowed, a
marker renamed, a test deselected or skipped by its environment).
"""

import sys
import xml.etree.ElementTree as ET  # noqa: S405 (our own pytest's report)


def outcome(case: ET.Element) -> str:
    for tag in ("failure", "error", "skipped"):
        if case.find(tag) is not None:
            return tag
    return "passed"


def main(report: str, required: list[str]) -> int:
    cases = {}
    for case in ET.parse(report).getroot().iter("testcase"):  # noqa: S314
        cases[(case.get("classname"), case.get("name"))] = outcome(case)
    if not cases:
        print(f"{report}: pytest ran no tests.")
        return 1
    problems = []
    for node_id in required:
        path, _, name = node_id.partition("::")
        key = (path.removesuffix(".py").replace("/", "."), name)
        state = cases.get(key, "not run")
        if state != "passed":
            problems.append(f"{node_id}: {state}")
    for problem in problems:
        print(f"required test {problem}")
    passed = sum(state == "passed" for state in cases.values())
    print(f"{report}: {len(cases)} tests, {passed} passed, {len(required) - len(problems)}/{len(required)} required passed.")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
