#!/usr/bin/env python3
"""Writes the hostile inputs of issue 25 into a folder, for measuring the import by hand:

    scripts/hostile-workbooks.py OUT_DIR
    /usr/bin/time -v .build/release/jointplan import OUT_DIR/bomb-1g.xlsx -o /dev/null

bomb-1g.xlsx   ~1 MB zipped, its sheet inflates to 1 GiB of whitespace
bomb-4g.xlsx   ~4 MB zipped, its sheet inflates to 4 GiB of whitespace
bomb-1g-lying.xlsx  bomb-1g.xlsx whose zip headers say the sheet unpacks to 100 bytes
xfd-36k.xlsx   one cell at column XFD per row (36 KB)
xfd-125k.xlsx  the same, more rows (125 KB)
sparse-csv/    a folder whose 执法人员.csv is a 3 GiB sparse file
link-csv/      a folder whose 执法人员.csv is a symlink to /etc/passwd
"""
import os, struct, sys, zipfile, zlib

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

WB = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
      '<sheets><sheet name="企业" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>')
HEAD = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
TAIL = '</sheetData></worksheet>'


def base(z):
    z.writestr("xl/workbook.xml", WB)
    z.writestr("xl/_rels/workbook.xml.rels", RELS)


def bomb(name, gib):
    with zipfile.ZipFile(os.path.join(out, name), "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        base(z)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(HEAD.encode())
            chunk = b" " * (1 << 24)
            for _ in range(gib * 64):
                f.write(chunk)
            f.write(TAIL.encode())


def xfd(name, rows):
    with zipfile.ZipFile(os.path.join(out, name), "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        base(z)
        z.writestr("xl/worksheets/sheet1.xml", HEAD + "".join(
            f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>' for r in range(1, rows + 1)) + TAIL)


def lie(src, dst, part=b"xl/worksheets/sheet1.xml", size=100):
    """The same archive with `part`'s uncompressed size set to `size` in its local header and
    central directory entry (and their zip64 extra fields)."""
    d = bytearray(open(os.path.join(out, src), "rb").read())
    for sig, name_len_at, extra_len_at, header, size_at in ((b"PK\x03\x04", 26, 28, 30, 22), (b"PK\x01\x02", 28, 30, 46, 24)):
        i = 0
        while (i := d.find(sig, i)) >= 0:
            ln, ex = struct.unpack_from("<H", d, i + name_len_at)[0], struct.unpack_from("<H", d, i + extra_len_at)[0]
            if d[i + header:i + header + ln] == part:
                struct.pack_into("<I", d, i + size_at, size)
                j = i + header + ln
                while j < i + header + ln + ex:
                    hid, hl = struct.unpack_from("<HH", d, j)
                    if hid == 1:
                        struct.pack_into("<Q", d, j + 4, size)
                    j += 4 + hl
            i += 4
    open(os.path.join(out, dst), "wb").write(d)


bomb("bomb-1g.xlsx", 1)
lie("bomb-1g.xlsx", "bomb-1g-lying.xlsx")
bomb("bomb-4g.xlsx", 4)
xfd("xfd-36k.xlsx", 7000)
xfd("xfd-125k.xlsx", 25000)
os.makedirs(os.path.join(out, "sparse-csv"), exist_ok=True)
with open(os.path.join(out, "sparse-csv", "执法人员.csv"), "wb") as f:
    f.truncate(3 << 30)
os.makedirs(os.path.join(out, "link-csv"), exist_ok=True)
link = os.path.join(out, "link-csv", "执法人员.csv")
if not os.path.lexists(link):
    os.symlink("/etc/passwd", link)
for n in sorted(os.listdir(out)):
    p = os.path.join(out, n)
    print(n, os.path.getsize(p) if os.path.isfile(p) else "(folder)")
