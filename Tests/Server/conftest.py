import os
import shutil

import pytest
from imagekitio import ImageKit

from server import KEY, ROOT, Server


@pytest.fixture(scope="session")
def server():
    s = Server().start()
    yield s
    s.stop()
    shutil.rmtree(s.data, ignore_errors=True)


@pytest.fixture()
def client(server):
    return ImageKit(private_key=KEY, base_url=server.url, max_retries=0)


def image_paths():
    """TestImages, plus a sample of the reference corpus when ../shared is beside the project."""
    folder = os.path.join(ROOT, "TestImages")
    paths = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith((".jpg", ".png")))
    corpus = os.path.join(ROOT, "..", "shared", "corpus")
    listing = os.path.join(ROOT, "..", "shared", "corpus-reference", "files.txt")
    if os.path.isfile(listing):
        with open(listing) as f:
            names = [n.strip() for n in f if n.strip().lower().endswith((".jpg", ".jpeg", ".png"))]
        paths += [os.path.join(corpus, n) for n in names[:: max(1, len(names) // 40)]]
    else:
        print("../shared/corpus not found: TestImages only")
    return paths
