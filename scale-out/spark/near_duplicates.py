"""Metadata and near-duplicates of an image library with Spark and ikmeta.

    spark-submit [--master URL] [--files /path/to/ikmeta] near_duplicates.py \
        --paths paths.txt --output OUT [--max-distance 4] [--ikmeta ./ikmeta] [--partitions N]

paths.txt lists one image path per line, readable from every executor (a shared file system).
Each partition of the list is piped through `ikmeta --jsonl --files-from -` (RDD.pipe), which
prints one JSON line per file. The job writes:

  OUT/metadata  Parquet, one row per file: path, every field of ImageKit's metadata object
                (exif as its JSON text), the error message of a file ikmeta could not read,
                pHash as 16 hex digits and phash64, the same 64 bits as a signed 64-bit integer
                (two's complement: hashes from 8000000000000000 up are negative);
  OUT/pairs     Parquet, every pair of files whose pHashes differ in at most --max-distance
                bits, path_a < path_b, with the distance.

The pairs come from the band trick in Spark SQL: the 64 bits are cut into K + 1 bands, so two
hashes within K bits agree exactly on at least one band (pigeonhole); rows are exploded into
(band number, band value), equi-joined on both, filtered on bit_count(a XOR b) <= K, and the
pairs found through several bands de-duplicated.
"""
import argparse
import json

from pyspark.sql import Row, SparkSession
from pyspark.sql import types as T

SCHEMA = T.StructType([
    T.StructField("path", T.StringType(), False),
    T.StructField("error", T.StringType(), True),
    T.StructField("height", T.LongType(), True),
    T.StructField("width", T.LongType(), True),
    T.StructField("size", T.LongType(), True),
    T.StructField("format", T.StringType(), True),
    T.StructField("hasColorProfile", T.BooleanType(), True),
    T.StructField("quality", T.LongType(), True),
    T.StructField("density", T.LongType(), True),
    T.StructField("hasTransparency", T.BooleanType(), True),
    T.StructField("exif", T.StringType(), True),
    T.StructField("pHash", T.StringType(), True),
    T.StructField("phash64", T.LongType(), True),
])


def signed64(hex_digits):
    """The 64 bits of a hex pHash as Spark's signed LongType (two's complement)."""
    value = int(hex_digits, 16)
    return value - (1 << 64) if value >= 1 << 63 else value


def row(line):
    record = json.loads(line)
    fields = {f.name: None for f in SCHEMA.fields}
    fields["path"] = record["file"]
    if "error" in record:
        fields["error"] = record["error"].get("message")
        return Row(**fields)
    metadata = record["metadata"]
    for key in ("height", "width", "size", "format", "hasColorProfile", "quality", "density", "hasTransparency"):
        fields[key] = metadata.get(key)
    fields["exif"] = json.dumps(metadata.get("exif"), separators=(",", ":"), ensure_ascii=False)
    if metadata.get("pHash"):
        fields["pHash"] = metadata["pHash"]
        fields["phash64"] = signed64(metadata["pHash"])
    return Row(**fields)


def band_expressions(max_distance):
    """K + 1 bands of near-equal width over the unsigned 64 bits, the wider ones first (as in
    ikmeta's own index)."""
    count = max_distance + 1
    expressions, top = [], 64
    for band in range(count):
        width = 64 // count + (1 if band < 64 % count else 0)
        top -= width
        mask = "-1" if width == 64 else str((1 << width) - 1)
        expressions.append(f"shiftrightunsigned(phash64, {top}) & {mask}L")
    return expressions


def near_duplicate_pairs(spark, table, max_distance):
    bands = ", ".join(band_expressions(max_distance))
    return spark.sql(f"""
        WITH banded AS (
            SELECT path, phash64, posexplode(array({bands})) AS (band, value)
            FROM {table} WHERE phash64 IS NOT NULL
        )
        SELECT DISTINCT a.path AS path_a, b.path AS path_b, bit_count(a.phash64 ^ b.phash64) AS distance
        FROM banded a JOIN banded b
          ON a.band = b.band AND a.value = b.value AND a.path < b.path
        WHERE bit_count(a.phash64 ^ b.phash64) <= {max_distance}
    """)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paths", required=True, help="a text file of image paths, one per line")
    parser.add_argument("--output", required=True, help="the folder to write metadata/ and pairs/ into")
    parser.add_argument("--max-distance", type=int, default=4, help="largest pHash distance of a pair (0-63)")
    parser.add_argument("--ikmeta", default="ikmeta",
                        help="the ikmeta command on the executors: './ikmeta' when shipped with --files, "
                             "or the installed binary's path (default: ikmeta on PATH)")
    parser.add_argument("--partitions", type=int, default=None, help="partitions of the path list")
    args = parser.parse_args()
    if not 0 <= args.max_distance <= 63:
        parser.error("--max-distance must be 0 to 63")

    spark = SparkSession.builder.appName("ikmeta-near-duplicates").getOrCreate()
    sc = spark.sparkContext
    paths = sc.textFile(args.paths, minPartitions=args.partitions or sc.defaultParallelism)
    paths = paths.filter(lambda p: p.strip() != "")
    # A file shipped with --files may arrive without its execute bit.
    command = ("sh -c 'case \"$0\" in */*) [ -x \"$0\" ] || chmod u+x \"$0\";; esac; "
               "exec \"$0\" --jsonl --jobs 1 --quiet --files-from -' " + args.ikmeta)
    lines = paths.pipe(command, checkCode=False)
    metadata = spark.createDataFrame(lines.map(row), SCHEMA)
    metadata.write.mode("overwrite").parquet(args.output + "/metadata")

    images = spark.read.parquet(args.output + "/metadata")
    # ikmeta prints a line for every path, an error line included; fewer rows mean it stopped early.
    expected, written = paths.count(), images.count()
    if written != expected:
        raise SystemExit(f"ikmeta returned {written} records for {expected} paths; see the executor logs")
    images.createOrReplaceTempView("images")
    pairs = near_duplicate_pairs(spark, "images", args.max_distance)
    pairs.write.mode("overwrite").parquet(args.output + "/pairs")
    spark.stop()


if __name__ == "__main__":
    main()
