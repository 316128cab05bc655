#!/usr/bin/env python3
"""Makes the small test images in this folder (run once; the images are committed).

Needs Pillow (`pip install Pillow`; pillow-heif too for the HEIC files). Each image is named by what it exercises. After changing
this script, run `python3 TestImages/generate.py` and then `python3 TestImages/update-expected.py`.
"""
import io
import os
import struct
import zlib

from PIL import Image, ImageCms, ImageDraw
from PIL.TiffImagePlugin import IFDRational

HERE = os.path.dirname(os.path.abspath(__file__))


def scene(w=64, h=48, mode="RGB"):
    """A deterministic picture with gradients and shapes, so the pHash has structure."""
    im = Image.new("RGB", (w, h))
    px = im.load()
    for y in range(h):
        for x in range(w):
            px[x, y] = (x * 255 // (w - 1), y * 255 // (h - 1), ((x + y) * 4) % 256)
    d = ImageDraw.Draw(im)
    d.ellipse((w // 6, h // 5, w // 2, h * 4 // 5), fill=(240, 240, 40))
    d.rectangle((w * 3 // 5, h // 4, w * 9 // 10, h * 3 // 5), fill=(20, 30, 200))
    return im.convert(mode) if mode != "RGB" else im


def exif_block(entries, exif_entries=(), gps_entries=()):
    """A Pillow Exif object: IFD0 tags, then Exif-IFD and GPS-IFD tags."""
    ex = Image.Exif()
    for tag, value in entries:
        ex[tag] = value
    if exif_entries:
        sub = ex.get_ifd(0x8769)
        for tag, value in exif_entries:
            sub[tag] = value
    if gps_entries:
        gps = ex.get_ifd(0x8825)
        for tag, value in gps_entries:
            gps[tag] = value
    return ex


def patch_jfif_units(data, units, x, y):
    """Rewrites the JFIF APP0 density fields (Pillow only writes units 1)."""
    i = data.index(b"JFIF\x00")
    return data[:i + 7] + bytes([units]) + struct.pack(">HH", x, y) + data[i + 12:]


def png_with_chunk(data, chunk_type, payload, before=b"IDAT"):
    """Inserts (or replaces) a chunk in PNG bytes, with a correct CRC."""
    out, o = bytearray(data[:8]), 8
    new = struct.pack(">I", len(payload)) + chunk_type + payload
    new += struct.pack(">I", zlib.crc32(chunk_type + payload) & 0xFFFFFFFF)
    inserted = False
    while o < len(data):
        n, = struct.unpack(">I", data[o:o + 4])
        t = data[o + 4:o + 8]
        chunk = data[o:o + 12 + n]
        if t == chunk_type:
            o += 12 + n
            continue
        if t == before and not inserted:
            out += new
            inserted = True
        out += chunk
        o += 12 + n
    return bytes(out)


def save(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def jpeg(im, **kw):
    b = io.BytesIO()
    im.save(b, "JPEG", quality=90, **kw)
    return b.getvalue()


def png(im, **kw):
    b = io.BytesIO()
    im.save(b, "PNG", **kw)
    return b.getvalue()


# Adam7 passes: (first row, row step, first column, column step), from the PNG specification.
ADAM7 = ((0, 8, 0, 8), (0, 8, 4, 8), (4, 8, 0, 4), (0, 4, 2, 4), (2, 4, 0, 2), (0, 2, 1, 2), (1, 2, 0, 1))


def png_interlaced(im):
    """An Adam7-interlaced 8-bit RGBA PNG (Pillow writes no interlaced PNGs); filter type 0 throughout."""
    rgba = im.convert("RGBA")
    w, h = rgba.size
    px = rgba.tobytes()
    raw = bytearray()
    for y0, dy, x0, dx in ADAM7:
        if x0 >= w or y0 >= h:
            continue
        for y in range(y0, h, dy):
            raw.append(0)
            for x in range(x0, w, dx):
                raw += px[(y * w + x) * 4:(y * w + x) * 4 + 4]

    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 1)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")


def webp(im, **kw):
    b = io.BytesIO()
    im.save(b, "WEBP", **kw)
    return b.getvalue()


def webp_prefix_exif(data):
    """Puts `Exif\0\0` in front of a WebP's EXIF chunk, fixing the chunk and RIFF sizes."""
    out, pos = bytearray(data[:12]), 12
    while pos + 8 <= len(data):
        kind, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        body = data[pos + 8:pos + 8 + size]
        if kind == b"EXIF" and not body.startswith(b"Exif\x00\x00"):
            body = b"Exif\x00\x00" + body
        out += kind + struct.pack("<I", len(body)) + body + (b"\x00" if len(body) & 1 else b"")
        pos += 8 + size + (size & 1)
    out[4:8] = struct.pack("<I", len(out) - 8)
    return bytes(out)


def tiff(im, **kw):
    b = io.BytesIO()
    im.save(b, "TIFF", **kw)
    return b.getvalue()


def tiff_by_hand(w, h, sixteen=False, tile=None, orientation=1):
    """An uncompressed little-endian RGB TIFF written by hand: 16-bit samples or 16x16 tiles, which
    Pillow cannot write."""
    def pixel(x, y):
        if sixteen:
            return struct.pack("<HHH", x * 65535 // (w - 1), y * 65535 // (h - 1), ((x * y) * 97) % 65536)
        return bytes((x * 255 // (w - 1), y * 255 // (h - 1), ((x + y) * 4) % 256 if (x // 8 + y // 8) % 2 else 30))
    blocks = []
    if tile:
        for ty in range(0, h, tile):
            for tx in range(0, w, tile):
                blocks.append(b"".join(pixel(x, y) if x < w and y < h else bytes(3)
                                       for y in range(ty, ty + tile) for x in range(tx, tx + tile)))
    else:
        blocks.append(b"".join(pixel(x, y) for y in range(h) for x in range(w)))
    bits = 16 if sixteen else 8
    entries = [(256, 3, 1, w), (257, 3, 1, h), (258, 3, 3, "bits"), (259, 3, 1, 1), (262, 3, 1, 2)]
    entries += [(273, 4, len(blocks), "offsets")] if not tile else []
    entries += [(274, 3, 1, orientation), (277, 3, 1, 3)]
    entries += [(278, 3, 1, h), (279, 4, 1, len(blocks[0]))] if not tile else []
    if tile:
        entries += [(322, 3, 1, tile), (323, 3, 1, tile), (324, 4, len(blocks), "offsets"),
                    (325, 4, len(blocks), "counts")]
    ifd_size = 2 + 12 * len(entries) + 4
    bits_at = 8 + ifd_size
    arrays_at = bits_at + 6
    data_at = arrays_at + 8 * len(blocks)
    offsets = [data_at + sum(len(b) for b in blocks[:i]) for i in range(len(blocks))]
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        if value == "bits":
            value = bits_at
        elif value == "offsets":
            value = offsets[0] if count == 1 else arrays_at
        elif value == "counts":
            value = arrays_at + 4 * len(blocks)
        one_short = kind == 3 and count == 1
        ifd += struct.pack("<HHI", tag, kind, count) + (struct.pack("<HH", value, 0) if one_short else struct.pack("<I", value))
    arrays = b"".join(struct.pack("<I", o) for o in offsets) + b"".join(struct.pack("<I", len(b)) for b in blocks)
    head = b"II*\x00" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0) + struct.pack("<HHH", bits, bits, bits)
    return head + arrays + b"".join(blocks)


def webp_and_tiff():
    """WebP and TIFF: still lossy/lossless/alpha, animation, shrink-on-load, EXIF orientation; TIFF
    8/16-bit, alpha, CMYK, palette, multi-page, LZW/Deflate/JPEG, resolution and orientation."""
    rgb = scene()
    rgba = rgb.copy()
    rgba.putalpha(Image.linear_gradient("L").resize(rgb.size))
    save("lossy.webp", webp(rgb, quality=80))
    save("lossless.webp", webp(rgb, lossless=True))
    save("alpha.webp", webp(rgba, quality=80))
    second = scene(40, 30).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    save("animated.webp", webp(rgb, save_all=True, append_images=[second.resize(rgb.size)], duration=100, loop=0))
    save("shrink-on-load.webp", webp(scene(256, 256), quality=70))
    # Pillow writes the EXIF chunk as raw TIFF data, which libexif 0.6.22 cannot read (no orientation);
    # with an `Exif\0\0` header libvips 8.10 applies it (libvips-pipeline.md §16).
    raw_exif = webp(rgb, quality=80, exif=exif_block([(0x0112, 6)]).tobytes())
    save("exif-raw-tiff-orientation-6.webp", raw_exif)
    save("exif-orientation-6.webp", webp_prefix_exif(raw_exif))
    save("rgb-lzw.tif", tiff(rgb, compression="tiff_lzw", dpi=(300, 300)))
    save("rgba-deflate.tif", tiff(rgba, compression="tiff_adobe_deflate"))
    grey16 = Image.linear_gradient("L").resize((64, 48)).convert("I")
    save("grey16.tif", tiff(grey16.point(lambda v: v * 257).convert("I;16")))
    save("cmyk.tif", tiff(scene(mode="CMYK")))
    save("palette.tif", tiff(rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)))
    save("jpeg.tif", tiff(rgb, compression="jpeg", quality=90))
    save("multipage.tif", tiff(rgb, save_all=True, append_images=[scene(40, 30, mode="L")]))
    save("rgb16-orientation-6.tif", tiff_by_hand(48, 40, sixteen=True, orientation=6))
    save("tiled.tif", tiff_by_hand(70, 50, tile=16))


def gif(frames, **kw):
    """A GIF of one or more palette frames (Pillow interlaces frames of 16 rows or more by default)."""
    b = io.BytesIO()
    frames[0].save(b, "GIF", save_all=len(frames) > 1, append_images=frames[1:], **kw)
    return b.getvalue()


def gif_records(data):
    """Splits GIF bytes into (header with screen and global map, [(kind, bytes)]), kind ',' or '!'."""
    flags = data[10]
    o = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    head, records = data[:o], []
    while data[o] != 0x3B:
        start = o
        if data[o] == 0x2C:
            o += 10 + (3 << ((data[o + 9] & 7) + 1) if data[o + 9] & 0x80 else 0) + 1  # descriptor, map, code size
        else:
            o += 2
        while data[o]:
            o += 1 + data[o]
        o += 1
        records.append((chr(data[start]), data[start:o]))
    return head, records


def gif_with_second_frame(first, second, left, top):
    """`first` (a one-frame GIF) followed by the frame of `second`, moved to (left, top), with the
    global colour map of `second` as its local map and `second`'s extensions before it."""
    head, records = gif_records(first)
    head2, records2 = gif_records(second)
    out = bytearray(head[:6].replace(b"87a", b"89a") + head[6:]) + b"".join(r for _, r in records)
    for kind, r in records2:
        if kind == ",":
            global_map = head2[13:]
            bits = (head2[10] & 7) if head2[10] & 0x80 else 0
            r = (b"," + struct.pack("<HH", left, top) + r[5:9] + bytes([(r[9] & 0x40) | 0x80 | bits])
                 + global_map + r[10:])
        out += r
    return bytes(out) + b";"
def heif(im, fmt, **kw):
    """HEIC through pillow-heif, AVIF through Pillow's own plugin."""
    if fmt == "HEIF":
        import pillow_heif
        pillow_heif.register_heif_opener()
    b = io.BytesIO()
    im.save(b, fmt, quality=90, **kw)
    return b.getvalue()


def heif_10bit(im):
    """A 10-bit HEIC (pillow-heif scales 16-bit samples down to 10 bits)."""
    import array
    import pillow_heif
    samples = array.array("H", (v * 257 for v in im.convert("RGB").tobytes()))
    b = io.BytesIO()
    pillow_heif.from_bytes(mode="RGB;16", size=im.size, data=samples.tobytes()).save(b, quality=90)
    return b.getvalue()


def bmp_file(width, height, bits, pixels, header_size=40, compression=0, colors=b"", masks=b"", ppm=2835,
             extra=b""):
    """A BMP with a hand-made header (Pillow writes neither OS/2, 32-bit BI_RGB nor RLE files).
    `height` < 0 makes a top-down file."""
    if header_size == 12:
        info = struct.pack("<IhhHH", 12, width, height, 1, bits)
    else:
        info = struct.pack("<IiiHHIIiiII", header_size, width, height, 1, bits, compression, len(pixels), ppm, ppm,
                           len(colors) // 4, 0)
        info += masks + extra
        info += bytes(header_size - len(info))
    offset = 14 + len(info) + len(colors)
    return b"BM" + struct.pack("<IHHI", offset + len(pixels), 0, 0, offset) + info + colors + pixels


def bmp_rows(im, bits):
    """Bottom-up BGR(A) rows padded to 4 bytes."""
    w, h = im.size
    raw = im.tobytes("raw", "BGRA" if bits == 32 else "BGR")
    stride = w * bits // 8
    pad = bytes(-stride % 4)
    return b"".join(raw[y * stride:(y + 1) * stride] + pad for y in reversed(range(h)))


def rle8(indices, w, h):
    """BI_RLE8 data: one encoded run per pixel pair at most, bottom-up, with end-of-line codes."""
    out = bytearray()
    for y in reversed(range(h)):
        row = indices[y * w:(y + 1) * w]
        x = 0
        while x < w:
            n = 1
            while x + n < w and n < 255 and row[x + n] == row[x]:
                n += 1
            out += bytes([n, row[x]])
            x += n
        out += b"\x00\x00"
    return bytes(out + b"\x00\x01")


def ico(entries):
    """An ICO file from (width byte, height byte, image bytes) entries, in that order."""
    out = struct.pack("<HHH", 0, 1, len(entries))
    offset = 6 + 16 * len(entries)
    for w, h, data in entries:
        out += struct.pack("<BBBBHHII", w, h, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return out + b"".join(d for _, _, d in entries)


def ico_bmp(im):
    """A 32-bit BMP icon: BITMAPINFOHEADER with doubled height, BGRA rows, then the AND mask."""
    w, h = im.size
    xor = bmp_rows(im.convert("RGBA"), 32)
    mask = bytes(((w + 31) // 32) * 4 * h)
    return struct.pack("<IiiHHIIiiII", 40, w, 2 * h, 1, 32, 0, len(xor) + len(mask), 0, 0, 0, 0) + xor + mask


def heif_bmp_ico_images(rgb, rgba, srgb_icc):
    save("heic-rgb.heic", heif(rgb, "HEIF"))
    save("heic-alpha.heic", heif(rgba, "HEIF"))
    save("heic-icc.heic", heif(rgb, "HEIF", icc_profile=srgb_icc))
    save("heic-exif.heic", heif(rgb, "HEIF", exif=exif_block([(0x010F, "ikmeta"), (0x0112, 6)]).tobytes()))
    save("heic-10bit.heic", heif_10bit(rgb))
    save("avif-rgb.avif", heif(rgb, "AVIF"))
    save("avif-alpha.avif", heif(rgba, "AVIF"))
    b = io.BytesIO()
    rgb.save(b, "BMP", dpi=(96, 96))
    save("bmp-24.bmp", b.getvalue())
    b = io.BytesIO()
    rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=16).save(b, "BMP")
    save("bmp-8-palette.bmp", b.getvalue())
    w, h = rgb.size
    save("bmp-os2.bmp", bmp_file(w, h, 24, bmp_rows(rgb, 24), header_size=12))
    save("bmp-topdown.bmp", bmp_file(w, -h, 24, b"".join(reversed_rows(bmp_rows(rgb, 24), w * 3, h))))
    save("bmp-32-alpha-bytes.bmp", bmp_file(w, h, 32, bmp_rows(rgba, 32), ppm=3780))
    opaque_as_zero = bytes(b if i % 4 != 3 else 0 for i, b in enumerate(bmp_rows(rgb.convert("RGBA"), 32)))
    save("bmp-32-zero-alpha.bmp", bmp_file(w, h, 32, opaque_as_zero, ppm=0))
    masks = struct.pack("<IIII", 0x00FF0000, 0x0000FF00, 0x000000FF, 0xFF000000)
    save("bmp-v4-bitfields-alpha.bmp", bmp_file(w, h, 32, bmp_rows(rgba, 32), header_size=108, compression=3,
                                                masks=masks))
    pal = rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    colors = b"".join(bytes([b, g, r, 0]) for r, g, b in zip(*[iter(pal.getpalette()[:48])] * 3))
    save("bmp-rle8.bmp", bmp_file(w, h, 8, rle8(pal.tobytes(), w, h), compression=1, colors=colors))
    small = rgba.resize((32, 32))
    save("ico-bmp.ico", ico([(32, 32, ico_bmp(small))]))
    save("ico-png.ico", ico([(48, 48, png(rgba.resize((48, 48))))]))
    save("ico-two-sizes.ico", ico([(16, 16, ico_bmp(rgba.resize((16, 16)))), (32, 32, png(small))]))


def reversed_rows(data, stride, h):
    """Rows of padded BMP data in the opposite order."""
    stride += -stride % 4
    return [data[y * stride:(y + 1) * stride] for y in reversed(range(h))]



def main():
    rgb = scene()
    srgb_icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()

    # JPEG: density from JFIF (dpi, dpcm), EXIF overriding JFIF, none at all.
    save("jfif-72dpi.jpg", jpeg(rgb, dpi=(72, 72)))
    save("jfif-300dpi.jpg", jpeg(rgb, dpi=(300, 300)))
    save("jfif-dpcm-118.jpg", patch_jfif_units(jpeg(rgb, dpi=(72, 72)), 2, 118, 118))
    save("jfif-aspect-only.jpg", patch_jfif_units(jpeg(rgb, dpi=(72, 72)), 0, 3, 2))
    save("exif-240dpi-over-jfif-96.jpg",
         jpeg(rgb, dpi=(96, 96), exif=exif_block([(0x011A, 240.0), (0x011B, 240.0), (0x0128, 2)])))
    save("exif-camera.jpg", jpeg(rgb, exif=exif_block(
        [(0x010F, "ikmeta"), (0x0110, "Test Camera"), (0x0112, 6), (0x011A, 72.0), (0x011B, 72.0),
         (0x0128, 2), (0x0132, "2026:11:29 10:00:00")],
        # RATIONAL exposure and aperture; Gamma as a DOUBLE, which ImageKit's object drops (SPEC §3).
        exif_entries=[(0x829A, IFDRational(1, 250)), (0x829D, IFDRational(28, 10)), (0x8827, 200),
                      (0x9000, b"0232"), (0x9003, "2026:11:29 10:00:00"), (0x9101, b"\x01\x02\x03\x00"),
                      (0xA001, 1), (0xA500, 2.2)],
        gps_entries=[(0x0001, "N"), (0x0002, (48.0, 51.0, 29.5)), (0x0003, "E"), (0x0004, (2.0, 17.0, 40.2))])))
    # JPEG colour variants.
    save("icc-srgb.jpg", jpeg(rgb, icc_profile=srgb_icc))
    save("grey.jpg", jpeg(scene(mode="L")))
    save("cmyk.jpg", jpeg(scene(mode="CMYK")))
    # Whole-image decodes: libjpeg keeps a progressive file's coefficients, and the interlaced PNG's
    # passes are held before rows can be put together (odd sides leave some passes short or empty).
    save("progressive.jpg", jpeg(rgb, progressive=True))

    # PNG: alpha, palette with tRNS, 16-bit grey, ICC, density variants.
    save("rgb.png", png(rgb))
    rgba = rgb.copy()
    rgba.putalpha(Image.linear_gradient("L").resize(rgb.size))
    save("rgba.png", png(rgba))
    pal = rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    save("palette-trns.png", png(pal, transparency=0))
    grey16 = Image.linear_gradient("L").resize((64, 48)).convert("I")
    save("grey16.png", png(grey16.point(lambda v: v * 257).convert("I;16")))
    save("icc-srgb.png", png(rgb, icc_profile=srgb_icc))
    save("phys-300dpi.png", png(rgb, dpi=(300, 300)))
    save("interlaced.png", png_interlaced(scene(61, 45)))
    save("phys-unit0.png", png_with_chunk(png(rgb), b"pHYs", struct.pack(">IIB", 72, 72, 0)))
    heif_bmp_ico_images(rgb, rgba, srgb_icc)
    webp_and_tiff()

    # GIF: bands come from every frame's colour map and transparency; the pixels from frame 1 only.
    colours = rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
    save("gif-still.gif", gif([colours], interlace=False))
    save("gif-interlaced.gif", gif([scene(61, 45).convert("P", palette=Image.Palette.ADAPTIVE, colors=32)]))
    save("gif-grey.gif", gif([scene(mode="L").convert("P")], interlace=False))
    save("gif-transparent.gif", gif([colours], transparency=0, interlace=False))
    # Frame 1 grey and opaque; frame 2, smaller and offset, brings colour and a transparent index:
    # libvips 8.10 loads frame 1 as grey + alpha... of 4 bands, since the bands count every frame.
    grey = gif([scene(mode="L").convert("P")], interlace=False)
    second = gif([scene(32, 24).convert("P", palette=Image.Palette.ADAPTIVE, colors=16)], transparency=1,
                 duration=100, interlace=False)
    save("gif-animated.gif", gif_with_second_frame(grey, second, 16, 12))


if __name__ == "__main__":
    main()
