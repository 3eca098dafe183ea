"""Writes a small seed corpus for one fuzz target from the repository's fixtures: Fuzz/seeds.py TARGET DIR MAXLEN."""
import glob, gzip, json, os, sys

target, out, maxlen = sys.argv[1], sys.argv[2], int(sys.argv[3])
n = 0


def seed(data: bytes):
    global n
    if len(data) <= maxlen:
        with open(os.path.join(out, f"seed-{n:04d}"), "wb") as f:
            f.write(data)
        n += 1


def small(pattern, limit):
    return [p for p in sorted(glob.glob(pattern, recursive=True)) if os.path.getsize(p) <= limit]


def head_lines(path, count):
    """The first `count` lines; of a damaged gzip file (the malformed corpus has some), what inflates."""
    opener = gzip.open if path.endswith(".gz") else open
    lines = []
    try:
        with opener(path, "rb") as f:
            for _ in range(count):
                lines.append(f.readline())
    except (EOFError, OSError, gzip.BadGzipFile):
        pass
    return b"".join(lines)


malformed = sorted(glob.glob("Fixtures/malformed/**/*", recursive=True))
if target == "ddi":
    for p in small("Fixtures/ddi/**/*.xml*", maxlen):
        if not p.endswith(".gz"):
            seed(open(p, "rb").read())
    for p in malformed:
        if p.endswith(".xml") and os.path.isfile(p):
            seed(open(p, "rb").read())
elif target == "fixedwidth":
    pairs = [("Fixtures/ddi/ipumspy/cps_00006.xml", "Fixtures/ddi/ipumspy/cps_00006.dat.gz"),
             ("Fixtures/ddi/ipumsr/cps_00157.xml", "Fixtures/ddi/ipumsr/cps_00157.dat.gz"),
             ("Fixtures/ddi/ipumspy/cps_00361.xml", "Fixtures/ddi/ipumspy/cps_00361.dat.gz")]
    for xml, dat in pairs:
        if os.path.exists(xml) and os.path.exists(dat):
            seed(open(xml, "rb").read() + b"\n#DATA#\n" + head_lines(dat, 12))
    for p in glob.glob("Fixtures/malformed/fixedwidth/*.xml"):
        dat = p[:-4] + ".dat"
        if os.path.exists(dat):
            seed(open(p, "rb").read() + b"\n#DATA#\n" + open(dat, "rb").read())
elif target in ("csv", "gzip"):
    for p in sorted(glob.glob("Fixtures/**/*.csv", recursive=True))[:40]:
        data = head_lines(p, 30)
        seed(gzip.compress(data) if target == "gzip" else data)
    for p in sorted(glob.glob("Fixtures/**/*.csv.gz", recursive=True)):
        data = head_lines(p, 30)
        seed(gzip.compress(data) if target == "gzip" else data)
    for p in malformed:
        if os.path.isfile(p) and (p.endswith(".gz") if target == "gzip" else p.endswith(".csv")):
            seed(open(p, "rb").read())
elif target == "crosswalk":
    src = "Codebooks/crosswalks"
    manifest = json.load(open(f"{src}/manifest.json"))
    byname = {e["name"]: e for e in manifest["entries"]}
    for cw in [e for e in manifest["entries"] if e["kind"] == "crosswalk"]:
        entries = [dict(cw)]
        frame = next((e for e in manifest["entries"] if e["kind"] == "codeframe" and e.get("scheme") == cw.get("to")), None)
        if frame:
            entries.insert(0, dict(frame))
        for e in entries:
            e.pop("sha256", None)
        body = json.dumps({"format": manifest.get("format", 1), "entries": entries}).encode()
        for e in entries:
            body += f"\n#FILE {e['file']}#\n".encode() + head_lines(f"{src}/{e['file']}", 25)
        seed(body)
    for kind in ("nations", "qualification-levels"):
        for e in [e for e in manifest["entries"] if e["kind"] == kind][:1]:
            e = dict(e); e.pop("sha256", None)
            seed(json.dumps({"entries": [e]}).encode() + f"\n#FILE {e['file']}#\n".encode()
                 + head_lines(f"{src}/{e['file']}", 25))
elif target == "rules":
    seed(open("Codebooks/disclosure/default-rules.json", "rb").read())
    seed(b'{"threshold": 10}')
    seed(b'{"threshold": 1e400, "nkK": -1}')
    for p in malformed:
        if p.endswith(".json") and os.path.isfile(p):
            seed(open(p, "rb").read())
elif target == "stat":
    for p in sorted(glob.glob("Fixtures/statfiles/*")):
        seed(open(p, "rb").read())
elif target == "order":
    seed(b"1,Higher\n2,Intermediate\n3,Lower\n")
    seed(b'"1","Higher, managerial"\r\n2\r\n')
# Every target's corpus also holds every file of the malformed corpus (issue 21), whatever its kind, except the
# kept .sav that trips the ReadStat fault of RELIABILITY.md §11 for any target that sniffs stat files.
for p in malformed:
    if os.path.isfile(p) and not p.endswith((".py", "MANIFEST.tsv")) \
            and (target == "stat" or "regressions/stat/" not in p):
        seed(open(p, "rb").read())
print(f"{n} seeds for {target}", file=sys.stderr)
