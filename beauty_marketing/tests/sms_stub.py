"""A stub SMS gateway on 127.0.0.1 for the tests: records every request it gets and
answers what the test asks for."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StubGateway:
    def __init__(self):
        self.requests = []
        self.status = 200
        self.answer = {"code": "OK", "message_id": "stub-1"}
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                stub.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                payload = json.dumps(stub.answer).encode()
                self.send_response(stub.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
