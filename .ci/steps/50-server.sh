#!/usr/bin/env bash
# ikmeta-server with the official Python SDK (imagekitio 5.x): the end-to-end suite, the kill -9
# crash test, the security tests, and a short load run (README "Local ImageKit for tests").
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product ikmeta-server
swift build -c release --product ikmeta
[ -x .venv-server/bin/python ] || python3 -m venv .venv-server
.venv-server/bin/pip install -q 'imagekitio>=5,<6' 'pytest>=8'
export IKMETA_SERVER=$PWD/.build/release/ikmeta-server IKMETA=$PWD/.build/release/ikmeta
(cd Tests/Server && ../../.venv-server/bin/python -m pytest -q -p no:cacheprovider test_sdk.py test_crash.py)
# The CLI links none of the server stack, and no networking library (verify opens libcurl with
# dlopen), and not libheif with its codecs (opened on the first HEIC or AVIF).
if ldd .build/release/ikmeta | grep -Ei 'nio|hummingbird|grdb|sqlite|curl|FoundationNetworking|heif|de265|dav1d|aom|x265'; then echo "ikmeta links the server stack, networking libraries or libheif"; exit 1; fi
if nm .build/release/ikmeta | grep -qE 'Hummingbird|GRDB|NIOPosix|curl_easy'; then echo "ikmeta contains server or libcurl symbols"; exit 1; fi
echo "ikmeta: no NIO, Hummingbird, GRDB, libcurl or libheif symbols or libraries"
.venv-server/bin/python Benchmarks/server_load.py --clients 4 --requests 100 --no-write
