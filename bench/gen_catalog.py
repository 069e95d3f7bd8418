#!/usr/bin/env python3
"""A copy of the bundled catalogs with exactly N threats, for comparing
catalogs of the same size.

    python3 bench/gen_catalog.py [--threats N] -o DIR [--from models/catalogs] [--without-field NAME]

Every *.xml of the source directory is copied to DIR. In the threat
catalogs (root element <catalog>), the threats are then replicated in
turn, each copy with its own id ("ID-v2", "ID-v3", ...) and title, in the
file and namespace of its original, so that the copy's conditions, declared
attributes and mitigations are the original's; with fewer than N bundled
threats the copies make up the difference, with more the last ones are left
out. Mitigations and control catalogs are copied as they are.

--without-field NAME first leaves out every threat and mitigation whose
condition tests the field NAME (and the references to such mitigations),
to see what the rest of a catalog costs.

Prints one JSON object: threats, copies, mitigations, and the condition
leaves (field, is-a, service, reachable) of the threats' applies-when.
"""

import argparse
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

NS = "urn:libiotnet:catalog"
Q = "{%s}" % NS
LEAVES = {Q + "field", Q + "is-a", Q + "reachable"}


def leaves(element):
    """Comparisons in a condition: fields, kind tests, reachability; a service
    predicate counts once for itself besides what it holds."""
    n = 0
    for e in element.iter():
        if e.tag in LEAVES or e.tag == Q + "service":
            n += 1
    return n


def tests_field(element, fields):
    return any(e.tag == Q + "field" and e.get("name") in fields for e in element.iter())


def drop_field_users(root, fields):
    """Remove the threats and mitigations of one catalog whose conditions test
    one of `fields`, and the threats' references to the removed mitigations."""
    gone = set()
    removed = 0
    for el in list(root):
        if el.tag in (Q + "threat", Q + "mitigation") and tests_field(el, fields):
            if el.tag == Q + "mitigation":
                gone.add(el.get("id"))
            root.remove(el)
            removed += 1
    for threat in root.findall(Q + "threat"):
        m = threat.find(Q + "mitigations")
        if m is not None and m.text:
            m.text = " ".join(w for w in m.text.split() if w.split(":")[-1] not in gone)
    return removed


def main(argv=None):
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threats", type=int, help="threats the copy holds (default: as many as are left)")
    parser.add_argument("-o", "--output", required=True, help="directory to write (created)")
    parser.add_argument("--without-field", action="append", default=[], metavar="NAME",
                        help="leave out threats and mitigations whose conditions test this field")
    parser.add_argument("--from", dest="source", default=str(here.parent / "models" / "catalogs"),
                        help="the catalogs to copy (default: the bundled ones)")
    args = parser.parse_args(argv)

    ET.register_namespace("", NS)
    source, out = Path(args.source), Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    files = sorted(source.glob("*.xml"))
    trees, originals = {}, []          # originals: (file, catalog element, threat element)
    left_out = 0
    for path in files:
        tree = ET.parse(path)
        trees[path.name] = tree
        root = tree.getroot()
        if root.tag == Q + "catalog" and args.without_field:
            left_out += drop_field_users(root, set(args.without_field))
        if root.tag == Q + "catalog":
            originals += [(path.name, root, t) for t in root.findall(Q + "threat")]
    if not originals:
        sys.exit("gen_catalog.py: no threats in %s" % source)

    if args.threats is None:
        args.threats = len(originals)
    # leave out the last bundled threats when there are more than asked for
    for name, root, threat in originals[args.threats:]:
        root.remove(threat)
    kept = originals[:args.threats]

    copies = 0
    total = len(kept)
    round_no = 2
    while total < args.threats:
        for name, root, threat in originals:
            if total >= args.threats:
                break
            copy = ET.fromstring(ET.tostring(threat))
            copy.set("id", "%s-v%d" % (threat.get("id"), round_no))
            title = copy.find(Q + "title")
            if title is not None:
                title.text = "%s (copy %d)" % (title.text or "", round_no)
            # after the last threat of its catalog, so mitigations keep their place
            children = list(root)
            last = max(i for i, c in enumerate(children) if c.tag == Q + "threat")
            root.insert(last + 1, copy)
            copies += 1
            total += 1
        round_no += 1

    threats = mitigations = condition_leaves = 0
    for name, tree in trees.items():
        root = tree.getroot()
        for t in root.findall(Q + "threat"):
            threats += 1
            cond = t.find(Q + "applies-when")
            condition_leaves += leaves(cond) if cond is not None else 0
        mitigations += len(root.findall(Q + "mitigation"))
        tree.write(out / name, encoding="UTF-8", xml_declaration=True)
    print(json.dumps({"program": "gen_catalog", "directory": str(out), "files": len(trees), "threats": threats,
                      "bundled_threats": len(originals), "copies": copies, "left_out": left_out, "mitigations": mitigations,
                      "condition_leaves": condition_leaves}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
