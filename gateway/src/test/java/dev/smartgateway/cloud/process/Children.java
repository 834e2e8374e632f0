package dev.smartgateway.cloud.process;

/** Small Python programs the tests run as children ({@code python3 -c SCRIPT {port} ...}). */
final class Children {

  private Children() {
  }

  /** Answers every GET with what the adapter told it: environment and arguments. */
  static final String ECHO_ENV = """
      import http.server, os, sys
      class H(http.server.BaseHTTPRequestHandler):
          def do_GET(self):
              body = ("groups=%s resource=%s port=%s foo=%s argv=%s" % (
                  os.environ.get("SMART_GATEWAY_GROUPS"), os.environ.get("SMART_GATEWAY_RESOURCE"),
                  os.environ.get("PORT"), os.environ.get("FOO"), " ".join(sys.argv[1:]))).encode()
              self.send_response(200)
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)
      http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
      """;

  /** Serves files but ignores SIGTERM: only SIGKILL ends it. */
  static final String IGNORES_TERM = """
      import http.server, signal, sys
      signal.signal(signal.SIGTERM, signal.SIG_IGN)
      http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), http.server.SimpleHTTPRequestHandler).serve_forever()
      """;

  /** Serves until someone GETs /exit, then exits with code 7. */
  static final String EXITS_ON_REQUEST = """
      import http.server, os, sys
      class H(http.server.BaseHTTPRequestHandler):
          def do_GET(self):
              self.send_response(200)
              self.send_header("Content-Length", "0")
              self.end_headers()
              self.wfile.flush()
              if self.path == "/exit":
                  os._exit(7)
      http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
      """;

  /**
   * Loses the port race once: the first run (no marker file yet) says what a server says when its port is
   * taken and exits; later runs serve.
   */
  static final String PORT_TAKEN_ONCE = """
      import http.server, os, sys
      marker = os.environ["MARKER"]
      if not os.path.exists(marker):
          open(marker, "w").close()
          print("OSError: [Errno 98] Address already in use", flush=True)
          sys.exit(1)
      http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), http.server.SimpleHTTPRequestHandler).serve_forever()
      """;

  /** Says something and keeps serving: its output must reach the gateway's log. */
  static final String TALKS = """
      import http.server, sys
      print("hello from the child", flush=True)
      print("and a line on stderr", file=sys.stderr, flush=True)
      http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), http.server.SimpleHTTPRequestHandler).serve_forever()
      """;
}
