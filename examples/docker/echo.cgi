#!/bin/sh
# The echo app of the example image, run by busybox httpd as a CGI for every directory URL (a path ending
# in '/') and for /cgi-bin/echo/<anything>. It answers like the mock cloud's VMs: what it received, and
# which container it is, as JSON.

# JSON string escaping: backslash and double quote; the values below never hold control characters.
j() {
  printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

# Docker bind-mounts the container's own hostname/hosts/resolv.conf files from a directory named after its
# id: the id is read from there, so it names the container even if the adapter's variables were not set.
container_id=$(sed -n 's|.*/containers/\([0-9a-f]\{64\}\)/.*|\1|p' /proc/self/mountinfo 2>/dev/null | head -n 1)

body="{\"container\":$(j "${SMART_GATEWAY_INSTANCE:-}"),\"containerId\":$(j "$container_id")"
body="$body,\"resource\":$(j "${SMART_GATEWAY_RESOURCE:-}"),\"groups\":$(j "${SMART_GATEWAY_GROUPS:-}")"
body="$body,\"method\":$(j "${REQUEST_METHOD:-}"),\"path\":$(j "${REQUEST_URI:-}"),\"query\":$(j "${QUERY_STRING:-}")"
body="$body,\"port\":$(j "${PORT:-}")}"

printf 'Content-Type: application/json\r\n'
printf 'Cache-Control: no-store\r\n'
printf '\r\n'
printf '%s\n' "$body"
