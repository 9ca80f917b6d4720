"""A webhook receiver for the tests: a real HTTP server on a local port, in a
thread, answering each request with the next scripted status, keeping what
it received, and checking each signature as a studio's receiver would."""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, statuses=(200,)):
        self.statuses = list(statuses)
        self.received = []
        self.secret = None
        # hold(): the next request waits for release() before it is answered.
        self.holding = threading.Event()
        self.held = threading.Event()
        self.released = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append({"headers": dict(self.headers), "body": body, "path": self.path, "at": time.time()})
                if receiver.holding.is_set():
                    receiver.holding.clear()
                    receiver.held.set()
                    receiver.released.wait(30)
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                answer = json.dumps({"status": status}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # the sender is gone (a killed worker)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/zou"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def hold(self):
        self.holding.set()

    def release(self):
        self.released.set()

    def close(self):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()

    def verified(self, request, max_age=300):
        """The request's JSON when its signature is the subscription secret's
        HMAC-SHA256 over "<timestamp>.<body>" and its timestamp is recent."""
        timestamp = request["headers"]["X-Zou-Timestamp"]
        expected = "sha256=" + hmac.new(self.secret.encode(), f"{timestamp}.".encode() + request["body"], hashlib.sha256).hexdigest()
        assert hmac.compare_digest(request["headers"]["X-Zou-Signature"], expected), "bad signature"
        assert abs(time.time() - int(timestamp)) < max_age, "stale timestamp"
        return json.loads(request["body"])
