"""The official Python SDK (imagekitio 5.x), unchanged, against ikmeta-server (README "Local ImageKit for tests")."""
import concurrent.futures
import json
import os
import socket
import urllib.request

import httpx
import imagekitio
import pytest
from imagekitio import ImageKit

from conftest import image_paths
from server import KEY, Server, ikmeta_output

IMAGES = image_paths()
SAMPLE = os.path.join(os.path.dirname(IMAGES[0]), "exif-camera.jpg")


def form_upload(server, fields):
    """An upload whose `file` is a text field (base64 or a URL): sent as multipart form fields,
    as ImageKit's upload API takes them; the 5.x SDK sends only bytes for `file`."""
    response = httpx.post(server.url + "/api/v1/files/upload", auth=(KEY, ""),
                          files={name: (None, value) for name, value in fields.items()})
    return response


def read(path):
    with open(path, "rb") as f:
        return f.read()


@pytest.mark.parametrize("path", IMAGES, ids=os.path.basename)
def test_upload_metadata_is_byte_identical_to_ikmeta(client, path):
    expected = ikmeta_output(path)
    if expected is None:  # a file ikmeta cannot read is a 400, as a corrupt file is for ImageKit
        with pytest.raises(imagekitio.BadRequestError):
            client.files.upload(file=read(path), file_name=os.path.basename(path))
        return
    raw = client.files.with_raw_response.upload(file=read(path), file_name=os.path.basename(path), response_fields=["metadata"])
    body = raw.http_response.content
    assert body.endswith(b'"metadata":' + expected + b"}")
    assert raw.headers.get("x-ik-requestId")
    uploaded = raw.parse()
    assert uploaded.metadata.p_hash == json.loads(expected).get("pHash")
    stored = client.files.metadata.with_raw_response.get(uploaded.file_id).http_response.content
    assert stored == expected


def test_get_list_delete_and_metadata_from_url(server, client):
    uploaded = client.files.upload(file=read(SAMPLE), file_name="sample.jpg", folder="/e2e/list", tags=["a", "b"],
                                   custom_metadata={"team": "qa"}, is_private_file=False)
    assert uploaded.file_path.startswith("/e2e/list/sample_") and uploaded.version_info.name == "Version 1"
    details = client.files.get(uploaded.file_id)
    assert details.file_id == uploaded.file_id and details.tags == ["a", "b"] and details.custom_metadata == {"team": "qa"}
    assert details.mime == "image/jpeg" and details.width == uploaded.width
    listed = client.assets.list(path="/e2e/list", sort="DESC_CREATED")
    assert [f.file_id for f in listed] == [uploaded.file_id]
    with urllib.request.urlopen(uploaded.url) as response:
        assert response.read() == read(SAMPLE)
    from_url = client.files.metadata.with_raw_response.get_from_url(url=uploaded.url).http_response.content
    assert from_url == ikmeta_output(SAMPLE)
    copy = form_upload(server, {"file": uploaded.url, "fileName": "copy.jpg", "folder": "/e2e/list"}).json()
    assert copy["size"] == uploaded.size
    copy = client.files.get(copy["fileId"])
    client.files.delete(uploaded.file_id)
    with pytest.raises(imagekitio.NotFoundError) as error:
        client.files.get(uploaded.file_id)
    assert error.value.body["message"] == "The requested file does not exist or is inaccessible at this time."
    assert [f.file_id for f in client.assets.list(path="/e2e/list")] == [copy.file_id]


def test_base64_upload(server, client):
    import base64
    response = form_upload(server, {"file": base64.b64encode(read(SAMPLE)).decode(), "fileName": "b64.jpg", "responseFields": "metadata"})
    assert response.status_code == 200
    assert response.content.endswith(b'"metadata":' + ikmeta_output(SAMPLE) + b"}")
    assert client.files.get(response.json()["fileId"]).size == len(read(SAMPLE))


def test_sdk_exception_types(server, client):
    with pytest.raises(imagekitio.BadRequestError) as corrupt:
        client.files.upload(file=b"\xff\xd8\xff\xe0 not really a jpeg", file_name="bad.jpg")
    assert set(corrupt.value.body) >= {"message", "help"}
    with pytest.raises(imagekitio.AuthenticationError) as missing:
        ImageKit(private_key="", base_url=server.url, max_retries=0).files.get("0123456789abcdef01234567")
    assert missing.value.body["message"] == "Your request does not contain private API key."
    with pytest.raises(imagekitio.PermissionDeniedError):
        ImageKit(private_key="wrong", base_url=server.url, max_retries=0).files.get("0123456789abcdef01234567")
    with pytest.raises(imagekitio.NotFoundError):
        client.files.metadata.get("0123456789abcdef01234567")


def test_oversize_upload_is_413():
    small = Server(None, "--max-upload-size", "1000").start()
    try:
        client = ImageKit(private_key=KEY, base_url=small.url, max_retries=0)
        with pytest.raises(imagekitio.APIStatusError) as error:
            client.files.upload(file=read(SAMPLE), file_name="big.jpg")
        assert error.value.status_code == 413 and "message" in error.value.body
        assert os.listdir(os.path.join(small.data, "tmp")) == [] and os.listdir(os.path.join(small.data, "files")) == []
    finally:
        small.stop()


def test_concurrent_uploads(client):
    def one(i):
        return client.files.upload(file=read(SAMPLE), file_name=f"c{i}.jpg", folder="/e2e/concurrent").file_id
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(one, range(40)))
    assert len(set(ids)) == 40
    assert sorted(f.file_id for f in client.assets.list(path="/e2e/concurrent")) == sorted(ids)


def test_traversal_names_stay_inside(server, client):
    for name, folder in [("../../escape.jpg", "/"), ("/etc/passwd", "/"), ("x\x00.jpg", "/"), ("a\u2215b\u202e.jpg", "/\uff0e\uff0e/x")]:
        uploaded = client.files.upload(file=read(SAMPLE), file_name=name, folder=folder, use_unique_file_name=False)
        assert "/" not in uploaded.name and ".." not in uploaded.file_path.split("/")
    for folder in ["../..", "/a/../../b", "./x"]:
        with pytest.raises(imagekitio.BadRequestError):
            client.files.upload(file=read(SAMPLE), file_name="x.jpg", folder=folder)
    assert sorted(os.listdir(server.data)) == ["files", "library.sqlite", "tmp"]


def test_foreign_urls_are_refused_without_a_connection(server, client):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    try:
        for url in [f"http://127.0.0.1:{port}/x.jpg", f"http://localhost:{port}/x.jpg", "https://example.com/x.jpg"]:
            with pytest.raises(imagekitio.BadRequestError) as error:
                client.files.metadata.get_from_url(url=url)
            assert error.value.body["message"] == "The url should be accessible using your ImageKit.io account."
            refused = form_upload(server, {"file": url, "fileName": "remote.jpg"})
            assert refused.status_code == 400 and refused.json()["message"] == error.value.body["message"]
        with pytest.raises(socket.timeout):
            listener.accept()
    finally:
        listener.close()


def test_malformed_multipart_is_400(server):
    import base64
    request = urllib.request.Request(
        server.url + "/api/v1/files/upload", method="POST",
        data=b'--b\r\nContent-Disposition: form-data; name="fileName"\r\n\r\nx.jpg\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\n\xff\xd8',
        headers={"Content-Type": "multipart/form-data; boundary=b",
                 "Authorization": "Basic " + base64.b64encode(KEY.encode() + b":").decode()})
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request)
    assert error.value.code == 400 and error.value.headers.get("x-ik-requestId")
    assert os.listdir(os.path.join(server.data, "tmp")) == []


def test_ikmeta_verify_against_the_server(server, client):
    import subprocess
    from server import IKMETA
    uploaded = client.files.upload(file=read(SAMPLE), file_name="verify.jpg")
    env = dict(os.environ, IMAGEKIT_PRIVATE_KEY=KEY)
    same = subprocess.run([IKMETA, "verify", SAMPLE, "--file-id", uploaded.file_id, "--api-base", server.url], env=env, capture_output=True, text=True)
    assert same.returncode == 0, same.stdout + same.stderr
    saved = subprocess.run([IKMETA, "compare", SAMPLE, "-"], input=client.files.metadata.with_raw_response.get(uploaded.file_id).http_response.text,
                           capture_output=True, text=True)
    assert same.stdout == saved.stdout
    by_url = subprocess.run([IKMETA, "verify", SAMPLE, "--url", uploaded.url, "--api-base", server.url], env=env, capture_output=True, text=True)
    assert by_url.returncode == 0, by_url.stderr
    other = next(p for p in IMAGES if p.endswith(".png"))
    differs = subprocess.run([IKMETA, "verify", other, "--file-id", uploaded.file_id, "--api-base", server.url], env=env, capture_output=True, text=True)
    assert differs.returncode == 1 and "different" in differs.stdout
    missing = subprocess.run([IKMETA, "verify", SAMPLE, "--file-id", "0123456789abcdef01234567", "--api-base", server.url], env=env, capture_output=True, text=True)
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    no_key = subprocess.run([IKMETA, "verify", SAMPLE, "--file-id", uploaded.file_id, "--api-base", server.url],
                            env={k: v for k, v in os.environ.items() if k != "IMAGEKIT_PRIVATE_KEY"}, capture_output=True, text=True)
    assert no_key.returncode == 2 and "IMAGEKIT_PRIVATE_KEY" in no_key.stderr
