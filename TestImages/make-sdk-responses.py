#!/usr/bin/env python3
"""Writes what users of ImageKit's official Python SDK (imagekitio 5.x) save, for `ikmeta compare`'s
end-to-end tests: the SDK's own client parses an API body served by an in-process httpx transport
(no network), and its models' dump methods write the files.

    python3 TestImages/make-sdk-responses.py OUTDIR

For each TestImages/expected/<image>.json body (ImageKit's metadata object) it writes
<image>.to_dict.json, <image>.to_json.json and <image>.model_dump.json; then an upload result with
`metadata` (model_dump), one without it, and a file-details result (which has no `metadata`).
Run it from a virtual environment with `imagekitio>=5,<6` installed (CI: .ci/steps/70-package.sh).
"""
import json
import pathlib
import sys

import httpx
import imagekitio

HERE = pathlib.Path(__file__).resolve().parent
IMAGES = ["exif-camera.jpg", "rgb.png", "jfif-300dpi.jpg"]


def client_answering(body: bytes) -> imagekitio.ImageKit:
    """An SDK client whose every request gets `body` back, without leaving the process."""
    transport = httpx.MockTransport(lambda request: httpx.Response(
        200, content=body, headers={"content-type": "application/json"}))
    return imagekitio.ImageKit(private_key="private_test", http_client=httpx.Client(transport=transport),
                               base_url="http://sdk.invalid", max_retries=0)


def write(path: pathlib.Path, text: str) -> None:
    path.write_text(text + "\n", encoding="utf-8")


def main() -> None:
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for image in IMAGES:
        body = (HERE / "expected" / f"{image}.json").read_bytes()
        metadata = client_answering(body).files.metadata.get("file_id")
        write(out / f"{image}.to_dict.json", json.dumps(metadata.to_dict()))
        write(out / f"{image}.to_json.json", metadata.to_json())
        write(out / f"{image}.model_dump.json", json.dumps(metadata.model_dump()))

    # Upload results, as `client.files.upload(...)` returns them.
    camera = json.loads((HERE / "expected" / "exif-camera.jpg.json").read_bytes())
    upload = {"fileId": "6673f4b2e1c9a0c7a1b2c3d4", "name": "exif-camera.jpg", "size": camera["size"],
              "versionInfo": {"id": "6673f4b2e1c9a0c7a1b2c3d4", "name": "Version 1"},
              "filePath": "/exif-camera.jpg", "url": "https://ik.imagekit.io/demo/exif-camera.jpg",
              "fileType": "image", "height": camera["height"], "width": camera["width"],
              "thumbnailUrl": "https://ik.imagekit.io/demo/tr:n-ik_ml_thumbnail/exif-camera.jpg",
              "AITags": None}
    with_metadata = dict(upload, metadata=camera)
    result = client_answering(json.dumps(with_metadata).encode()).files.upload(file=b"\xff\xd8", file_name="exif-camera.jpg")
    write(out / "upload-with-metadata.model_dump.json", json.dumps(result.model_dump()))
    result = client_answering(json.dumps(upload).encode()).files.upload(file=b"\xff\xd8", file_name="exif-camera.jpg")
    write(out / "upload-without-metadata.to_json.json", result.to_json())

    # File details (`client.files.get(id)`): the SDK's File model has no `metadata` field.
    details = dict(upload, type="file", createdAt="2026-01-01T00:00:00.000Z", updatedAt="2026-01-01T00:00:00.000Z",
                   tags=None, isPrivateFile=False, hasAlpha=False, mime="image/jpeg")
    result = client_answering(json.dumps(details).encode()).files.get("6673f4b2e1c9a0c7a1b2c3d4")
    write(out / "file-details.to_json.json", result.to_json())
    print(f"wrote {len(list(out.glob('*.json')))} SDK-shaped responses to {out}")


if __name__ == "__main__":
    main()
