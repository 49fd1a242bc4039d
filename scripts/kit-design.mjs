#!/usr/bin/env node
// The kit's design numbers, measured on its sources (the kit README's "Design" section quotes them):
// import cycles between modules (type-only imports included), exported functions, constructors and
// public methods with more than three positional parameters, `as unknown as` casts, `mode` branches in
// the run, the places a setting gets a default, and files over 300 lines.
//
//   node scripts/kit-design.mjs [--list]      (--list: name every finding, not only the counts)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;
const kit = join(root, 'src/kit');
const list = process.argv.includes('--list');
const SKIP = new Set(['dist', 'node_modules', 'template']);

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const files = walk(kit).sort();
const sources = new Map(files.map((f) => [f, ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true)]));
const name = (f) => relative(kit, f);

// Import graph (every relative import and re-export, type-only ones included) and its cycles (Tarjan).
const edges = new Map();
for (const [file, sf] of sources) {
  const targets = new Set();
  for (const st of sf.statements) {
    const spec = (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
    if (!spec?.startsWith('.')) continue;
    const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
    if (sources.has(target)) targets.add(target);
  }
  edges.set(file, targets);
}
const cycles = [];
{
  let index = 0;
  const idx = new Map(), low = new Map(), stack = [], on = new Set();
  const connect = (v) => {
    idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v);
    for (const w of edges.get(v)) {
      if (!idx.has(w)) { connect(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do { w = stack.pop(); on.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1 || edges.get(v).has(v)) cycles.push(scc.map(name).sort());
    }
  };
  for (const f of files) if (!idx.has(f)) connect(f);
}

// Exported functions, constructors and public methods of exported classes with more than 3 positional parameters.
const isExported = (node) => ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export;
const positional = [];
const countParams = (params) => params.filter((p) => !p.dotDotDotToken).length;
for (const [file, sf] of sources) {
  const check = (label, params) => { if (countParams(params) > 3) positional.push(`${name(file)}: ${label} (${countParams(params)})`); };
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && isExported(st) && st.name) check(st.name.text, st.parameters);
    if (ts.isVariableStatement(st) && isExported(st)) {
      for (const d of st.declarationList.declarations) {
        if (d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) check(d.name.getText(), d.initializer.parameters);
      }
    }
    if (ts.isClassDeclaration(st) && isExported(st) && st.name) {
      for (const m of st.members) {
        const hidden = ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected) || (m.name && ts.isPrivateIdentifier(m.name));
        if (hidden) continue;
        if (ts.isConstructorDeclaration(m)) check(`new ${st.name.text}`, m.parameters);
        if (ts.isMethodDeclaration(m)) check(`${st.name.text}.${m.name.getText()}`, m.parameters);
      }
    }
  }
}

// Text measures.
const casts = [];
const modes = [];
const long = [];
for (const [file, sf] of sources) {
  const lines = sf.text.split('\n');
  lines.forEach((line, i) => {
    if (line.includes('as unknown as')) casts.push(`${name(file)}:${i + 1}`);
    if (!name(file).startsWith('testing/') && /\bmode\s*[!=]==/.test(line)) modes.push(`${name(file)}:${i + 1}`);
  });
  if (lines.length > 300 && !/generated/i.test(lines.slice(0, 3).join(' '))) long.push(`${name(file)} (${lines.length})`);
}

// Where a built-in setting gets a default: its schema's `default`, and every fallback (`?? value`) on a
// read of it, under its own name or the names it travels under, in the kit and the taps.
const BUILTINS = {
  request_timeout: ['request_timeout', 'timeoutSeconds'],
  max_retries: ['max_retries', 'maxRetries'],
  retry_backoff_seconds: ['retry_backoff_seconds', 'backoffSeconds'],
  user_agent: ['user_agent', 'userAgent'],
  max_parallel_requests: ['max_parallel_requests', 'maxParallelRequests', 'maxInFlight', 'concurrency?.pages', 'concurrency?.partitions', 'concurrency.pages', 'concurrency.partitions'],
  max_parallel_streams: ['max_parallel_streams', 'concurrency?.streams', 'concurrency.streams'],
};
const defaults = [];
for (const dir of [kit, join(root, 'src/taps')]) {
  for (const file of walk(dir).filter((f) => !f.includes('/testing/'))) {
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      for (const [setting, names] of Object.entries(BUILTINS)) {
        const fallback = names.some((n) => new RegExp(`${n.replace(/[.?]/g, (c) => `\\${c}`)}\\)?\\s*\\?\\?`).test(line));
        const schemaDefault = new RegExp(`^\\s*${setting}: \\{.*\\bdefault:`).test(line);
        if (fallback || schemaDefault) defaults.push(`${relative(root, file)}:${i + 1} (${setting})`);
      }
    });
  }
}

const report = [
  ['import cycles', cycles.length, cycles.map((c) => c.join(' ↔ '))],
  ['exported functions/constructors/methods with more than 3 positional parameters', positional.length, positional],
  ['`as unknown as` casts', casts.length, casts],
  ['`mode` branches', modes.length, modes],
  ['places a built-in setting is defaulted (HTTP and concurrency settings)', defaults.length, defaults],
  ['files over 300 lines', long.length, long],
];
for (const [label, count, items] of report) {
  console.log(`${String(count).padStart(4)}  ${label}`);
  if (list) for (const item of items) console.log(`        ${item}`);
}
