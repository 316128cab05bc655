/// sharp 0.26's autorotation, applied to the resized image (SPEC §4 step 5; libvips-pipeline.md §1
/// step 9, §7): rotate clockwise, then flip top↔bottom, then flop left↔right.
enum Orientation {
    /// (clockwise rotation in degrees, flip, flop) for an EXIF orientation; identity for 1 and others.
    static func steps(_ orientation: Int) -> (rotation: Int, flip: Bool, flop: Bool) {
        switch orientation {
        case 2: return (0, false, true)
        case 3: return (180, false, false)
        case 4: return (180, false, true)
        case 5: return (270, true, false)
        case 6: return (90, false, false)
        case 7: return (90, true, false)
        case 8: return (270, false, false)
        default: return (0, false, false)
        }
    }

    static func apply<T>(_ plane: Plane<T>, orientation: Int) -> Plane<T> {
        let (rotation, flip, flop) = steps(orientation)
        var p = plane
        if rotation != 0 { p = rotate(p, clockwise: rotation) }
        if flip { p = mapped(p, width: p.width, height: p.height) { x, y in (x, p.height - 1 - y) } }
        if flop { p = mapped(p, width: p.width, height: p.height) { x, y in (p.width - 1 - x, y) } }
        return p
    }

    static func rotate<T>(_ p: Plane<T>, clockwise degrees: Int) -> Plane<T> {
        switch degrees {
        case 90: return mapped(p, width: p.height, height: p.width) { x, y in (y, p.height - 1 - x) }
        case 180: return mapped(p, width: p.width, height: p.height) { x, y in (p.width - 1 - x, p.height - 1 - y) }
        case 270: return mapped(p, width: p.height, height: p.width) { x, y in (p.width - 1 - y, x) }
        default: return p
        }
    }

    /// A plane whose pixel (x, y) is `p` at `source(x, y)`.
    private static func mapped<T>(_ p: Plane<T>, width: Int, height: Int, _ source: (Int, Int) -> (Int, Int)) -> Plane<T> {
        var samples: [T] = []
        samples.reserveCapacity(width * height)
        for y in 0..<height {
            for x in 0..<width {
                let (sx, sy) = source(x, y)
                samples.append(p[sx, sy])
            }
        }
        return Plane(width: width, height: height, samples: samples)
    }
}
