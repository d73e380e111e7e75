"""Seconds per test file, from the JUnit XML that `tools/test.sh` has pytest write (summed over each file's tests)."""
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict

per_file = defaultdict(float)
for case in ET.parse(sys.argv[1] if len(sys.argv) > 1 else "_build/pytest.xml").iter("testcase"):
    per_file[case.get("classname", "").split(".")[-1] + ".py"] += float(case.get("time", 0))
for name, seconds in sorted(per_file.items(), key=lambda kv: -kv[1]):
    print(f"   {name:<28}{seconds:7.1f} s")
print(f"   {'total':<28}{sum(per_file.values()):7.1f} s (two files at a time)")
