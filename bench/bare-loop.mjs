#!/usr/bin/env node
// The physical limit the taps are measured against: the least work that still produces the same
// Singer output for Better Stack's monitors. fetch each page (the next one while the current is
// written), JSON.parse, flatten JSON:API attributes, JSON.stringify one RECORD line per record,
// write to stdout with back-pressure. No validation, no conforming, no state, no retries.
// Usage: node bench/bare-loop.mjs BASE_URL TOKEN
const [base, token] = process.argv.slice(2);
if (!base || !token) {
  process.stderr.write('usage: bare-loop.mjs BASE_URL TOKEN\n');
  process.exit(1);
}
const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
const get = async (url) => {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return JSON.parse(await res.text());
};
const drained = () => new Promise((resolve) => process.stdout.once('drain', resolve));

process.stdout.write(JSON.stringify({ type: 'SCHEMA', stream: 'monitors', schema: { type: 'object' }, key_properties: ['id'] }) + '\n');
let pending = get(`${base}/api/v2/monitors?per_page=250`);
while (pending) {
  const body = await pending;
  const next = body.pagination?.next;
  pending = next ? get(next) : null;
  const extracted = new Date().toISOString();
  let chunk = '';
  for (const item of body.data) {
    const record = { ...item.attributes, id: item.id, type: item.type };
    chunk += JSON.stringify({ type: 'RECORD', stream: 'monitors', record, time_extracted: extracted }) + '\n';
  }
  if (!process.stdout.write(chunk)) await drained();
}
