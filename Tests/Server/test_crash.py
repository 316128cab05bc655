"""kill -9 during a stream of uploads: after a restart every acknowledged upload is there and
readable, and nothing half-written is visible (issue "Durability")."""
import os
import shutil
import threading
import time
import urllib.request

import imagekitio
from imagekitio import ImageKit

from conftest import image_paths
from server import KEY, Server


def test_kill_during_uploads_loses_nothing_acknowledged():
    images = [p for p in image_paths() if p.endswith(".jpg")][:6]
    server = Server().start()
    acknowledged = {}
    stop = threading.Event()

    def uploader(n):
        client = ImageKit(private_key=KEY, base_url=server.url, max_retries=0, timeout=10)
        i = 0
        while not stop.is_set():
            path = images[i % len(images)]
            with open(path, "rb") as f:
                data = f.read()
            try:
                result = client.files.upload(file=data, file_name=f"crash-{n}-{i}.jpg")
                acknowledged[result.file_id] = data
            except (imagekitio.APIConnectionError, imagekitio.APIStatusError):
                pass  # in flight when the server died: not acknowledged
            i += 1

    threads = [threading.Thread(target=uploader, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(3)
    server.kill()
    stop.set()
    for t in threads:
        t.join()
    assert len(acknowledged) > 4

    restarted = Server(server.data).start()
    try:
        client = ImageKit(private_key=KEY, base_url=restarted.url, max_retries=0)
        for file_id, data in acknowledged.items():
            details = client.files.get(file_id)
            with urllib.request.urlopen(details.url) as response:
                assert response.read() == data
            assert client.files.metadata.get(file_id).size == len(data)
        listed = []  # every page: a quiet machine acknowledges more than one page of uploads
        while True:
            page = list(client.assets.list(limit=1000, skip=len(listed)))
            listed += page
            if len(page) < 1000:
                break
        on_disk = os.listdir(os.path.join(server.data, "files"))
        assert sorted(f.version_info.id for f in listed) == sorted(on_disk)
        assert os.listdir(os.path.join(server.data, "tmp")) == []
        assert set(acknowledged) <= {f.file_id for f in listed}
    finally:
        restarted.stop()
        shutil.rmtree(server.data, ignore_errors=True)
