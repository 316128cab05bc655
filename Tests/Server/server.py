"""Starts ikmeta-server on a free loopback port for the end-to-end tests and the load benchmark."""
import os
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVER = os.environ.get("IKMETA_SERVER", os.path.join(ROOT, ".build/release/ikmeta-server"))
IKMETA = os.environ.get("IKMETA", os.path.join(ROOT, ".build/release/ikmeta"))
KEY = "test_key"


class Server:
    """One ikmeta-server process; `url` is its base URL once started."""

    def __init__(self, data=None, *extra):
        self.data = data or tempfile.mkdtemp(prefix="ikmeta-server-")
        self.extra = list(extra)
        self.process = None
        self.url = None

    def start(self):
        self.process = subprocess.Popen(
            [SERVER, "--data", self.data, "--private-key", KEY, "--port", "0", *self.extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("listening on http://"):
            self.process.kill()
            raise RuntimeError(f"ikmeta-server did not start: {line!r} {self.process.stderr.read()}")
        self.url = line.split("listening on ", 1)[1]
        return self

    def kill(self):
        """SIGKILL: no chance to clean up (the crash test)."""
        self.process.kill()
        self.process.wait()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)

    def peak_rss_kib(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0


def ikmeta_output(path):
    """What `ikmeta FILE` prints, without its final newline, or None when it cannot read the file.
    Exit status 1 with an object printed is a file read without its pHash (README "Usage")."""
    run = subprocess.run([IKMETA, path], capture_output=True)
    out = run.stdout.rstrip(b"\n")
    return out if run.returncode in (0, 1) and out.startswith(b'{"height":') else None
