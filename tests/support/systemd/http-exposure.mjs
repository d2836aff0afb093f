#!/usr/bin/env node
// What a local user without credentials gets from a gateway's HTTP side (issue 19.2), run as that user:
// each request once, with no token, no cookie and no Origin. Prints one JSON line per request:
// { method, url, status | error, secretInBody, body (first 200 characters) }.
//
//   node http-exposure.mjs [--secret VALUE]... -- METHOD URL [BODY] -- METHOD URL [BODY] …
// BODY is sent as JSON. `error` is the connection's failure (ECONNREFUSED: nothing listens).
const argv = process.argv.slice(2);
const secrets = [];
const requests = [];
let i = 0;
while (i < argv.length && argv[i] !== "--") {
  if (argv[i] === "--secret") secrets.push(argv[i + 1]);
  i += 2;
}
while (i < argv.length) {
  i++; // "--"
  const group = [];
  while (i < argv.length && argv[i] !== "--") group.push(argv[i++]);
  if (group.length >= 2) requests.push({ method: group[0], url: group[1], body: group[2] });
}
for (const r of requests) {
  const out = { method: r.method, url: r.url };
  try {
    const res = await fetch(r.url, {
      method: r.method,
      redirect: "manual",
      signal: AbortSignal.timeout(10_000),
      ...(r.body !== undefined ? { body: r.body, headers: { "content-type": "application/json" } } : {}),
    });
    const text = await res.text();
    out.status = res.status;
    out.secretInBody = secrets.some((s) => s && text.includes(s));
    out.body = text.slice(0, 200);
  } catch (err) {
    out.error = String(err?.cause?.code ?? err?.code ?? err?.message ?? err);
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}
