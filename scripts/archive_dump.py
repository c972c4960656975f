#!/usr/bin/env python3
"""An independent reader of Runlog archives, written from docs/format/archive.md alone.

    scripts/archive_dump.py FILE        prints the content as JSON lines, verifying every checksum

It exists to prove the format page is enough to read an archive without Runlog's code
(ArchiveGoldenTest's file is its test: see docs/format/archive.md, "Independent reader").
Standard library only. Exit status 1 with a message on any violation of the format.
"""
import hashlib
import json
import struct
import sys
import zlib


def _crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_TABLE = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


class Bad(Exception):
    pass


class Src:
    def __init__(self, data):
        self.d, self.p = data, 0

    def left(self):
        return len(self.d) - self.p

    def take(self, n):
        if n < 0 or n > self.left():
            raise Bad("needs %d bytes, %d left" % (n, self.left()))
        b = self.d[self.p:self.p + n]
        self.p += n
        return b

    def u8(self):
        return self.take(1)[0]

    def u32(self):
        return struct.unpack("<I", self.take(4))[0]

    def u64(self):
        return struct.unpack("<Q", self.take(8))[0]

    def varint(self):
        v, shift = 0, 0
        for i in range(10):
            x = self.u8()
            if i == 9 and x > 1:
                raise Bad("varint overflows 64 bits")
            v |= (x & 0x7F) << shift
            if not x & 0x80:
                return v
            shift += 7
        raise Bad("varint longer than 10 bytes")

    def zigzag(self):
        z = self.varint()
        return (z >> 1) ^ -(z & 1)

    def string(self):
        return self.take(self.varint()).decode("utf-8")

    def metadata(self):
        return {self.string(): self.string() for _ in range(self.varint())}


M64 = (1 << 64) - 1


def signed(v):
    v &= M64
    return v - (1 << 64) if v >> 63 else v


def int_column(s, n):
    order = s.u8()
    if order > 2 or (order > 0 and order > n - 1):
        raise Bad("integer column order %d for %d values" % (order, n))
    v = []
    if order >= 1:
        v.append(s.zigzag())
    if order == 2:
        v.append(signed(v[0] + s.zigzag()))
    while len(v) < n:
        count = min(128, n - len(v))
        lo = s.zigzag()
        width = s.u8()
        if width > 64:
            raise Bad("frame width %d" % width)
        packed = int.from_bytes(s.take((count * width + 7) // 8), "little")
        for k in range(count):
            r = lo + ((packed >> (k * width)) & ((1 << width) - 1))
            i = len(v)
            if order == 0:
                v.append(signed(r))
            elif order == 1:
                v.append(signed(r + v[i - 1]))
            else:
                v.append(signed(r + 2 * v[i - 1] - v[i - 2]))
    return v


def bits_of(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def value_column(s, n):
    mode = s.u8()
    if mode == 0:
        return [s.u64() for _ in range(n)]
    if mode == 4:
        return [d & M64 for d in int_column(s, n)]
    if mode not in (1, 2, 3):
        raise Bad("value mode %d" % mode)
    e = s.u8() if mode != 3 else 0
    x = s.varint()
    exceptions, last = {}, -1
    for _ in range(x):
        last = last + 1 + s.varint()
        if last >= n:
            raise Bad("exception position %d >= %d" % (last, n))
        exceptions[last] = s.u64()
    digits = int_column(s, n)
    out = []
    for i, d in enumerate(digits):
        if i in exceptions:
            out.append(exceptions[i])
        elif mode == 1:
            out.append(bits_of(float(d) / 10.0 ** e))  # Python floats are IEEE doubles
        elif mode == 2:
            out.append(bits_of(struct.unpack("<f", struct.pack("<f", float(d) / 10.0 ** e))[0]))
        else:
            out.append(bits_of(struct.unpack("<f", struct.pack("<i", d))[0]))
    return out


def read(path):
    data = open(path, "rb").read()
    if len(data) < 16 or data[:8] != b"RUNLOGAR":
        raise Bad("not an archive, or truncated in the file header")
    if crc32c(data[:12]) != struct.unpack("<I", data[12:16])[0]:
        raise Bad("file header CRC")
    major, minor = struct.unpack("<HH", data[8:12])
    if major != 1:
        raise Bad("version %d.%d" % (major, minor))
    yield {"version": "%d.%d" % (major, minor)}
    pos, index, prev = 16, [], None
    while True:
        if len(data) - pos < 8:
            raise Bad("truncated at %d: no footer" % pos)
        length, typ, flags, reserved = struct.unpack("<IBBH", data[pos:pos + 8])
        if pos + 8 + length + 4 > len(data):
            raise Bad("block at %d: truncated or damaged length" % pos)
        body = data[pos + 8:pos + 8 + length]
        crc = struct.unpack("<I", data[pos + 8 + length:pos + 12 + length])[0]
        if crc32c(data[pos:pos + 8 + length]) != crc:
            raise Bad("block at %d: CRC32C" % pos)
        if reserved or flags & ~1:
            raise Bad("block at %d: flags/reserved" % pos)
        if flags & 1:
            s = Src(body)
            n = s.varint()
            body = zlib.decompress(body[s.p:], -15)
            if len(body) != n:
                raise Bad("inflated length")
        s = Src(body)
        if typ == 127:
            n = s.varint()
            listed = [(s.varint(), s.u8(), s.varint(), s.u32()) for _ in range(n)]
            if listed != index:
                raise Bad("footer index differs from the blocks")
            names = ["metrics", "points", "parameter_values", "output_lines", "items", "prompts",
                     "throttle_entries", "payload_bytes"]
            yield {"footer": dict(zip(names, [s.varint() for _ in names]))}
            end = pos + 12 + length
            trailer = data[end:]
            if len(trailer) != 16 or trailer[12:] != b"RLAE" or struct.unpack("<Q", trailer[:8])[0] != pos \
                    or crc32c(trailer[:8]) != struct.unpack("<I", trailer[8:12])[0]:
                raise Bad("trailer")
            return
        index.append((pos, typ, length, crc))
        if typ == 1:
            yield {"experiment": {"project": s.string(), "kind": ["EXPERIMENT_MANAGEMENT", "LLM"][s.u8()],
                                  "key": s.string(), "created": s.zigzag(), "offline": s.u8() == 1,
                                  "source": s.take(16).hex(), "exported": s.zigzag()}}
        elif typ == 2:
            yield {"metrics": [(s.string(), s.varint()) for _ in range(s.varint())]}
        elif typ == 3:
            metric, first, n = s.varint(), s.varint(), s.varint()
            cols = []
            for c in range(2):
                coding = s.u8()
                if coding == 1:
                    if prev is None or len(prev[c]) != n:
                        raise Bad("same-as-previous column without a matching previous block")
                    cols.append(prev[c])
                else:
                    cols.append(int_column(s, n))
            prev = cols
            values = value_column(s, n)
            yield {"points": {"metric": metric, "first": first, "steps": cols[0], "timestamps": cols[1],
                              "value_bits": ["%016x" % v for v in values]}}
        elif typ == 4:
            yield {"parameters": [(s.string(), s.u8(), s.string(), "%016x" % s.u64(), s.zigzag())
                                  for _ in range(s.varint())]}
        elif typ == 5:
            yield {"output": [(s.u8(), s.zigzag(), s.string()) for _ in range(s.varint())]}
        elif typ == 6:
            item = {"ordinal": s.varint(), "type": s.u8(), "name": s.string(), "metadata": s.metadata(),
                    "length": s.varint(), "sha256": s.take(32).hex(), "timestamp": s.zigzag()}
            payload = b""
            while len(payload) < item["length"]:
                pos += 12 + length
                length, typ, flags, reserved = struct.unpack("<IBBH", data[pos:pos + 8])
                chunk = data[pos + 8:pos + 8 + length]
                if typ != 7 or crc32c(data[pos:pos + 8 + length]) != struct.unpack(
                        "<I", data[pos + 8 + length:pos + 12 + length])[0]:
                    raise Bad("payload chunk at %d" % pos)
                index.append((pos, typ, length, struct.unpack("<I", data[pos + 8 + length:pos + 12 + length])[0]))
                c = Src(chunk)
                if c.varint() != item["ordinal"] or c.varint() != len(payload):
                    raise Bad("payload chunk order")
                payload += chunk[c.p:]
            if hashlib.sha256(payload).hexdigest() != item["sha256"]:
                raise Bad("payload SHA-256")
            item["payload"] = payload.decode("utf-8", "replace")
            yield {"item": item}
            pos += 12 + length
            continue
        elif typ == 8:
            yield {"prompts": [(s.string(), s.string(), s.metadata(), s.zigzag()) for _ in range(s.varint())]}
        elif typ == 10:
            if minor < 2:
                raise Bad("INCREMENT block in a %d.%d file" % (major, minor))
            metrics = [s.varint() for _ in range(s.varint())]
            parameters = [(s.string(), s.varint()) for _ in range(s.varint())]
            yield {"increment": {"metric_bases": metrics, "parameter_bases": parameters, "output_base": s.varint(),
                                 "item_base": s.varint(), "prompt_base": s.varint()}}
        elif typ == 9:
            yield {"throttle": [(s.string(), s.zigzag(), s.zigzag(), s.varint(), s.varint(), s.varint())
                                for _ in range(s.varint())]}
        else:
            raise Bad("unknown block type %d" % typ)
        if s.left():
            raise Bad("%d bytes left over in block at %d" % (s.left(), pos))
        pos += 12 + length


if __name__ == "__main__":
    try:
        for record in read(sys.argv[1]):
            print(json.dumps(record, ensure_ascii=False))
    except (Bad, struct.error, zlib.error, UnicodeDecodeError) as e:
        print("archive_dump: %s: %s" % (sys.argv[1], e), file=sys.stderr)
        sys.exit(1)
