-- The answer to a first request HAProxy cannot read (haproxy.cfg, frontend "public"): the problem of its kind,
-- with the headers guestbridge sends on every answer, and the connection closed. The frontend names the kind in
-- txn.unreadable (400 malformed, 408 incomplete when time ran out, 431 headers too large).

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"

local reasons = {
    [400] = "Bad Request",
    [408] = "Request Timeout",
    [431] = "Request Header Fields Too Large",
}

local answers = {}
for status, reason in pairs(reasons) do
    local file = assert(io.open(here .. "problems/" .. status .. ".json", "rb"))
    local body = file:read("a")
    file:close()
    answers[status] = "HTTP/1.1 " .. status .. " " .. reason .. "\r\n"
        .. "Content-Type: application/problem+json\r\n"
        .. "Content-Length: " .. #body .. "\r\n"
        .. "X-Content-Type-Options: nosniff\r\n"
        .. "Cache-Control: no-store\r\n"
        .. "Connection: close\r\n\r\n"
        .. body
end

core.register_service("unreadable_request", "tcp", function(applet)
    local status = tonumber(applet:get_var("txn.unreadable")) or 400
    applet:send(answers[status] or answers[400])
end)
