#!/bin/sh
# The echo app of the example guest, run by busybox httpd as a CGI for every directory URL (a path ending in
# '/') and for /cgi-bin/echo/<anything>. It answers like the mock cloud's VMs: what it received, and which VM
# it is (the instance id from the kernel command line), as JSON.

# JSON string escaping: backslash and double quote; the values below never hold control characters.
j() {
  printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

body="{\"vm\":$(j "$(cat /etc/instance 2>/dev/null)"),\"kernel\":$(j "$(uname -r)")"
body="$body,\"method\":$(j "${REQUEST_METHOD:-}"),\"path\":$(j "${REQUEST_URI:-}"),\"query\":$(j "${QUERY_STRING:-}")"
body="$body,\"uptime\":$(j "$(cut -d' ' -f1 /proc/uptime)")}"

printf 'Content-Type: application/json\r\n'
printf 'Cache-Control: no-store\r\n'
printf '\r\n'
printf '%s\n' "$body"
